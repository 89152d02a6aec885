"""`archgen bundle`, `archgen diff` and `archgen controls`: the review zip, run-to-run changes, the catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archgen.commands.console import err


@click.command()
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
@click.option(
    "--no-inputs",
    is_flag=True,
    help="Leave the raw export (input files, snapshot) out of the zip; the evidence page keeps their SHA-256.",
)
def bundle(project_dir: Path, output: Path, force: bool, no_inputs: bool) -> None:
    """Build the site and pack it into one zip file for the review board (works opened from disk)."""
    from archgen.publish import make_bundle

    path = make_bundle(project_dir, output, force=force, inputs=not no_inputs)
    err().print(f"wrote {path}")


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON (archgen.diff/v1).")
def diff(old: Path, new: Path, as_json: bool) -> None:
    """What changed between two graph documents (archgen discover --json): resources, relations, verdicts."""
    from archgen import diff as diff_mod

    changes = diff_mod.compare(diff_mod.load_document(old), diff_mod.load_document(new))
    if as_json:
        sys.stdout.write(diff_mod.dumps(changes))
    else:
        for line in diff_mod.text(changes):
            click.echo(line)


@click.command()
@click.option(
    "--json", "as_json", is_flag=True, help="Print the catalogue as JSON (every field, sorted by id)."
)
def controls(as_json: bool) -> None:
    """List the control catalogue."""
    import json

    from rich.console import Console
    from rich.table import Table

    from archgen.controls.catalogue import load, plain

    if as_json:
        data = {
            "schema": load().schema_,
            "controls": [plain(c) for c in sorted(load().controls, key=lambda c: c.id)],
        }
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return

    table = Table("id", "domain", "severity", "responsibility", "title")
    for c in load().controls:
        table.add_row(c.id, c.domain, c.severity, c.responsibility, c.title)
    Console(highlight=False).print(table)
