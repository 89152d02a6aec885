"""`archgen report`: one PDF for the review board, from files or a sample (a live run replays its snapshot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from archgen.commands.console import err
from archgen.errors import UsageError


class ReportFlags(msgspec.Struct, frozen=True):
    """The flags of `archgen report` exactly as click parsed them."""

    from_files: tuple[Path, ...]
    more_files: tuple[Path, ...]
    sample: str | None
    accept_path: Path | None
    redact: bool
    redact_salt: str | None
    redact_tags: tuple[str, ...]
    output: Path
    force: bool


@click.command()
@click.option(
    "--from",
    "from_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Read rows from FILE (as discover --from: files, directories, globs; a snapshot replays a live run).",
)
@click.argument("more_files", nargs=-1, type=click.Path(path_type=Path), metavar="[FILE]...")
@click.option("--sample", metavar="NAME", help="Report on an embedded sample.")
@click.option(
    "--accept", "accept_path", type=click.Path(path_type=Path), metavar="FILE", help="Accepted risks (YAML)."
)
@click.option(
    "--redact", is_flag=True, help="Pseudonyms for ids, private IPs and e-mail addresses (as discover)."
)
@click.option("--redact-salt", metavar="TEXT", envvar="ARCHGEN_REDACT_SALT", help="Key of the pseudonyms.")
@click.option(
    "--redact-tag", "redact_tags", multiple=True, metavar="KEY", help="Also replace this tag's values."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("archgen-review.pdf"),
    show_default=True,
    help="The PDF to write.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT even if it is not a PDF.")
def report(**given: Any) -> None:
    """Write one PDF for the review: summary, diagrams, findings, shared responsibility, evidence."""
    from datetime import date

    from archgen import pipeline, workflow
    from archgen.controls import accept
    from archgen.publish import RunOutputs
    from archgen.publish.report import make_report

    flags = ReportFlags(**given)
    from_files = workflow.input_files(flags.from_files, flags.more_files)
    if not from_files and flags.sample is None:
        raise UsageError(
            "archgen report needs --from FILE or --sample NAME (replay a live run from its snapshot)"
        )
    opts = pipeline.DiscoverOptions(
        from_files=from_files,
        sample=flags.sample,
        out_dir=None,
        acceptances=workflow.load_acceptances(flags.accept_path),
        redactor=workflow.redactor(flags.redact, flags.redact_salt, flags.redact_tags),
    )
    result = pipeline.discover(opts)
    review = result.review or accept.empty(date.today())
    outputs = RunOutputs(result.graph, result.findings, result.catalogue, result.run, result.graph_json)
    path = make_report(outputs, review, flags.output, flags.force)
    err().print(f"wrote {path}", markup=False)
