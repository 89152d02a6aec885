"""The `archgen` command: parse options, call the pipeline, map errors to exit statuses. No logic here."""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from archgen import __version__
from archgen.errors import ArchgenError, IncompleteError, UsageError
from archgen.model.coverage import Gap

err = Console(stderr=True, highlight=False, soft_wrap=True)


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """click's FloatRange lets 'nan' and 'inf' through; a bound must be a number of seconds."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds", ctx=ctx, param=param)
    return value


def _parse_tag(value: str) -> tuple[str, str]:
    key, sep, val = value.partition("=")
    if not sep or not key:
        raise UsageError(f"--tag '{value}': expected KEY=VALUE")
    return key, val


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archgen")
def cli() -> None:
    """archgen: discover Azure OpenAI workloads, check their security controls, draw them, publish a review site."""


@cli.command()
@click.option(
    "--from",
    "from_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Read rows from FILE (ARG output, az CLI output, ARM resources or an archgen snapshot). Repeatable.",
)
@click.option(
    "--sample",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="NAME",
    help="Read an embedded sample; without NAME, list the samples.",
)
@click.option(
    "--json", "json_path", metavar="PATH", help="Write the graph document to PATH ('-' for standard output)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory of the MkDocs project to write (mkdocs.yml and docs/).",
)
@click.option("--no-site", is_flag=True, help="Do not write the MkDocs project.")
@click.option(
    "--snapshot",
    "snapshot_path",
    type=click.Path(path_type=Path),
    help="Where live discovery writes its snapshot.",
)
@click.option("--force", is_flag=True, help="Replace output files that archgen did not write.")
@click.option(
    "-s",
    "--subscription",
    "subscriptions",
    multiple=True,
    metavar="ID",
    help="Scope: a subscription. Repeatable.",
)
@click.option(
    "-m",
    "--management-group",
    "management_groups",
    multiple=True,
    metavar="ID",
    help="Scope: a management group.",
)
@click.option(
    "-g",
    "--resource-group",
    "resource_groups",
    multiple=True,
    metavar="NAME",
    help="Scope: a resource group.",
)
@click.option("--tag", "tags", multiple=True, metavar="KEY=VALUE", help="Scope: accounts with this tag.")
@click.option(
    "--account", "accounts", multiple=True, metavar="NAME|ID", help="Scope: an account by name or id."
)
@click.option("--cloud", type=click.Choice(["public", "usgov", "china"]), default="public", show_default=True)
@click.option(
    "--arm-endpoint", metavar="URL", help="Another ARM endpoint (proxy, private cloud, test double)."
)
@click.option(
    "--token-scope", metavar="SCOPE", help="Token scope for --arm-endpoint (default: derived from it)."
)
@click.option(
    "--no-diagnostics", is_flag=True, help="Do not read diagnostic settings (LOG controls become unknown)."
)
@click.option(
    "--no-deployments", is_flag=True, help="Do not read model deployments (AOAI-DATA-02 becomes unknown)."
)
@click.option(
    "--timeout",
    "timeout",
    type=click.FloatRange(min=1),
    default=1800,
    show_default=True,
    callback=_finite,
    metavar="SECONDS",
    help="Live discovery must finish within SECONDS, or the run stops with exit status 5.",
)
@click.option(
    "--max-wait",
    "max_wait",
    type=click.FloatRange(min=0),
    default=120,
    show_default=True,
    callback=_finite,
    metavar="SECONDS",
    help="Longest single wait for Azure's quota or Retry-After; a longer one fails the query as throttled.",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Exit 0 when live discovery was incomplete (the outputs are marked incomplete either way).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on standard error.")
def discover(
    from_files: tuple[Path, ...],
    sample: str | None,
    json_path: str | None,
    out_dir: Path,
    no_site: bool,
    snapshot_path: Path | None,
    force: bool,
    subscriptions: tuple[str, ...],
    management_groups: tuple[str, ...],
    resource_groups: tuple[str, ...],
    tags: tuple[str, ...],
    accounts: tuple[str, ...],
    cloud: str,
    arm_endpoint: str | None,
    token_scope: str | None,
    no_diagnostics: bool,
    no_deployments: bool,
    timeout: float,
    max_wait: float,
    allow_partial: bool,
    quiet: bool,
) -> None:
    """Discover the Azure OpenAI / AI Services workloads in a scope (or read them from files) and report."""
    from archgen import pipeline

    if sample == "":
        for name in pipeline.sample_names():
            click.echo(name)
        return
    live_scope = live_options = None
    scoped = subscriptions or management_groups or resource_groups or tags or accounts
    if scoped or not (from_files or sample is not None):
        from archgen.discovery import live
        from archgen.discovery.limits import Limits

        live_scope = live.Scope(
            tuple(subscriptions),
            tuple(management_groups),
            tuple(resource_groups),
            tuple(_parse_tag(t) for t in tags),
            tuple(accounts),
        )
        live_options = live.LiveOptions(
            cloud=cloud,
            arm_endpoint=arm_endpoint,
            token_scope=token_scope,
            diagnostics=not no_diagnostics,
            deployments=not no_deployments,
            quiet=quiet or json_path == "-",
            limits=Limits(timeout=timeout, max_wait=max_wait),
        )
    opts = pipeline.DiscoverOptions(
        from_files=list(from_files),
        sample=sample,
        json_path=json_path,
        out_dir=None if no_site else out_dir,
        snapshot_path=snapshot_path,
        force=force,
        live_scope=live_scope if scoped or live_options else None,
        live_options=live_options,
    )
    result = pipeline.discover(opts)
    if json_path == "-":
        sys.stdout.write(result.graph_json)
        sys.stdout.flush()
    if not quiet:
        _summary(result)
    incomplete = result.graph.incomplete
    if incomplete and not allow_partial:
        raise IncompleteError(
            f"discovery was incomplete ({_gaps_text(incomplete)}); the outputs were written and marked "
            "incomplete; pass --allow-partial to accept a partial result"
        )


def _gaps_text(gaps: Sequence[Gap]) -> str:
    first = gaps[0].text()
    more = f" and {len(gaps) - 1} more" if len(gaps) > 1 else ""
    return f"{len(gaps)} quer{'y' if len(gaps) == 1 else 'ies'} failed or cut short: {first}{more}"


def _summary(result: object) -> None:
    from archgen.pipeline import Result

    assert isinstance(result, Result)
    graph = result.graph
    table = Table(title=f"archgen {__version__}: {len(graph.workloads)} workload(s)", title_justify="left")
    for col in ("workload", "pass", "fail", "unknown", "n/a"):
        table.add_column(col, justify="left" if col == "workload" else "right")
    for w in graph.workloads:
        members = set(w.members)
        c = Counter(f.status.value for f in result.findings if f.resource in members)
        table.add_row(w.name, str(c["pass"]), str(c["fail"]), str(c["unknown"]), str(c["not_applicable"]))
    err.print(table)
    stats = graph.stats
    err.print(
        f"rows read {stats.get('rows_read', 0)}, outside any workload {stats.get('rows_outside_workloads', 0)}, "
        f"nodes {stats.get('nodes', 0)}, edges {stats.get('edges', 0)}"
    )
    if graph.warnings:
        counts = Counter(w.code for w in graph.warnings)
        err.print(
            "warnings: " + ", ".join(f"{n} {code.replace('_', ' ')}" for code, n in sorted(counts.items()))
        )
    if graph.incomplete:
        err.print(Text(f"INCOMPLETE: {_gaps_text(graph.incomplete)}", style="bold red"))
    for path in result.written:
        err.print(f"wrote {path}")


@cli.command()
@click.option(
    "--project",
    "project_dir",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="The MkDocs project archgen wrote.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("archgen-review.zip"),
    show_default=True,
    help="The file to attach to the review.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def bundle(project_dir: Path, output: Path, force: bool) -> None:
    """Build the site and pack it into one zip file for the review board."""
    from archgen.publish import make_bundle

    path = make_bundle(project_dir, output, force=force)
    err.print(f"wrote {path}")


@cli.command()
def controls() -> None:
    """List the control catalogue."""
    from archgen.controls.catalogue import load

    table = Table("id", "domain", "severity", "responsibility", "title")
    for c in load().controls:
        table.add_row(c.id, c.domain, c.severity, c.responsibility, c.title)
    Console(highlight=False).print(table)


def main() -> None:
    """Entry point: one-line errors with documented exit statuses, never a traceback for user errors."""
    try:
        cli.main(standalone_mode=False)
    except ArchgenError as exc:
        err.print(f"archgen: error: {exc}", markup=False)
        sys.exit(exc.exit_status)
    except click.exceptions.Abort:
        err.print("archgen: interrupted", markup=False)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except KeyboardInterrupt:
        err.print("archgen: interrupted", markup=False)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("ARCHGEN_DEBUG"):
            raise
        err.print(
            f"archgen: internal error: {type(exc).__name__}: {exc} (set ARCHGEN_DEBUG=1 for the traceback)",
            markup=False,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
