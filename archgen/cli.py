"""The `archgen` command: parse options, call the pipeline, map errors to exit statuses. No logic here.

Each command lives in `archgen.commands` (one module per command group); this module assembles the
group and is the entry point (`archgen.cli:main`; the console script is `console`, which leaves
through `archgen.fastexit`).
"""

from __future__ import annotations

import os
import sys

import click

from archgen import __version__
from archgen.commands.console import err
from archgen.commands.discover import discover
from archgen.commands.report import report
from archgen.commands.summary import SUMMARY_ROWS, summary_table, workload_counts
from archgen.commands.tools import bundle, controls, diff
from archgen.errors import ArchgenError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archgen")
def cli() -> None:
    """archgen: discover Azure OpenAI workloads, check their security controls, draw them, publish a review site."""


for _command in (discover, bundle, report, diff, controls):
    cli.add_command(_command)


def main() -> None:
    """Entry point: one-line errors with documented exit statuses, never a traceback for user errors."""
    try:
        cli.main(standalone_mode=False)
    except ArchgenError as exc:
        err().print(f"archgen: error: {exc}", markup=False)
        sys.exit(exc.exit_status)
    except click.exceptions.Abort:
        err().print("archgen: interrupted", markup=False)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except KeyboardInterrupt:
        err().print("archgen: interrupted", markup=False)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("ARCHGEN_DEBUG"):
            raise
        err().print(
            f"archgen: internal error: {type(exc).__name__}: {exc} (set ARCHGEN_DEBUG=1 for the traceback)",
            markup=False,
        )
        sys.exit(1)


def console() -> None:
    """The `archgen` console script: `main`, then a fast exit that does not free the run (`fastexit`)."""
    from archgen import fastexit

    fastexit.run(main)


__all__ = ["SUMMARY_ROWS", "cli", "console", "err", "main", "summary_table", "workload_counts"]


if __name__ == "__main__":
    console()
