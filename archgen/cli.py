"""The `archgen` command: parse options, call the pipeline, map errors to exit statuses. No logic here."""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import click

from archgen import __version__
from archgen.errors import ArchgenError, IncompleteError, UsageError
from archgen.model.coverage import Gap

if TYPE_CHECKING:
    from rich.console import Console

# Workloads listed in the terminal summary: the ones with most failures; a total line counts them all.
SUMMARY_ROWS = 20


@cache
def err() -> Console:
    """The standard-error console, created on first use (rich costs ~30 ms to import: not for --version)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


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
    help="Read rows from FILE (ARG output, az CLI output, ARM resources or an archgen snapshot); "
    "several files may follow one --from; a directory means its *.json files; globs are expanded.",
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
    default=None,
    help="Directory of the MkDocs project to write (mkdocs.yml and docs/). Default: the current "
    "directory, except with --json - (then no site unless --out is given).",
)
@click.option("--no-site", is_flag=True, help="Do not write the MkDocs project.")
@click.option(
    "--png",
    is_flag=True,
    help="Also write a PNG of each diagram (a download on its page). Slow on large estates; SVG and "
    "draw.io are always written.",
)
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
    "--max-input-mb",
    type=click.IntRange(min=1),
    default=2048,
    show_default=True,
    metavar="MB",
    help="Refuse a --from file larger than this.",
)
@click.option(
    "--strict-evidence",
    is_flag=True,
    help="Exit 2 when a replayed snapshot fails its integrity check (default: a warning).",
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
@click.option(
    "--findings-csv",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Write every finding as CSV for a tracker (owner, due date, framework ids).",
)
@click.option(
    "--findings-xlsx",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="The same findings as an XLSX workbook.",
)
@click.option(
    "--sarif",
    "sarif_path",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Write SARIF 2.1.0 (one result per failing finding) for GitHub code scanning or Azure DevOps.",
)
@click.option(
    "--owner-tag", metavar="KEY", help="The resource tag that names a finding's owner (e.g. owner)."
)
@click.option(
    "--fail-on",
    type=click.Choice(["high", "medium", "low"]),
    help="Exit 7 when failing findings at or above this severity remain after the accepted risks.",
)
@click.option(
    "--accept",
    "accept_path",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="The review board's accepted risks (YAML; see docs/cli.md).",
)
@click.option(
    "--since",
    "since_path",
    type=click.Path(path_type=Path),
    metavar="OLD",
    help="The graph document of the last review (--json of an earlier run): adds a 'Changes since the last review' page.",
)
@click.argument("more_files", nargs=-1, type=click.Path(path_type=Path), metavar="[FILE]...")
@click.option(
    "--redact",
    is_flag=True,
    help="Replace subscription, tenant and principal ids, private IPs and e-mail addresses with stable "
    "pseudonyms in every output (input files are then not copied into the site).",
)
@click.option(
    "--redact-salt",
    metavar="TEXT",
    envvar="ARCHGEN_REDACT_SALT",
    help="Key of the pseudonyms (env ARCHGEN_REDACT_SALT); the same salt gives the same pseudonyms in every "
    "run. Default: a random salt for this run.",
)
@click.option(
    "--redact-tag",
    "redact_tags",
    multiple=True,
    metavar="KEY",
    help="With --redact: also replace this tag's values.",
)
def discover(
    more_files: tuple[Path, ...],
    from_files: tuple[Path, ...],
    sample: str | None,
    json_path: str | None,
    out_dir: Path | None,
    no_site: bool,
    png: bool,
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
    max_input_mb: int,
    strict_evidence: bool,
    timeout: float,
    max_wait: float,
    allow_partial: bool,
    quiet: bool,
    findings_csv: Path | None = None,
    findings_xlsx: Path | None = None,
    sarif_path: Path | None = None,
    owner_tag: str | None = None,
    fail_on: str | None = None,
    accept_path: Path | None = None,
    since_path: Path | None = None,
    redact: bool = False,
    redact_salt: str | None = None,
    redact_tags: tuple[str, ...] = (),
) -> None:
    """Discover the Azure OpenAI / AI Services workloads in a scope (or read them from files) and report."""
    from archgen import pipeline

    if sample == "":
        for name in pipeline.sample_names():
            click.echo(name)
        return
    from archgen import workflow

    from_files = workflow.input_files(from_files, more_files)
    if out_dir is None and json_path != "-":
        out_dir = Path(".")
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
    exports = workflow.ExportOptions(findings_csv, findings_xlsx, sarif_path, owner_tag, fail_on, force)
    opts = pipeline.DiscoverOptions(
        from_files=list(from_files),
        sample=sample,
        json_path=json_path,
        out_dir=None if no_site else out_dir,
        snapshot_path=snapshot_path,
        force=force,
        png=png,
        live_scope=live_scope if scoped or live_options else None,
        live_options=live_options,
        max_input_mb=max_input_mb,
        strict_evidence=strict_evidence,
        acceptances=workflow.load_acceptances(accept_path),
        since=workflow.load_since(since_path),
        redactor=workflow.redactor(redact, redact_salt, redact_tags),
    )
    result = pipeline.discover(opts)
    for message in result.output_warnings:
        err().print(f"warning: {message}", markup=False, highlight=False)
    rows = workflow.finding_rows(result, exports)
    result.written += workflow.write_exports(rows, result.catalogue, exports)
    if json_path == "-":
        sys.stdout.write(result.graph_json)
        sys.stdout.flush()
    if not quiet:
        _summary(result)
        for line in workflow.failing_controls_lines(result):
            err().print(line, markup=False)
    for note in workflow.notes(result):
        err().print(f"archgen: {note}", markup=False)
    incomplete = result.graph.incomplete
    if incomplete and not allow_partial:
        raise IncompleteError(
            f"discovery was incomplete ({_gaps_text(incomplete)}); the outputs were written and marked "
            "incomplete; pass --allow-partial to accept a partial result"
        )
    workflow.gate(rows, fail_on)


def _gaps_text(gaps: Sequence[Gap]) -> str:
    first = gaps[0].text()
    more = f" and {len(gaps) - 1} more" if len(gaps) > 1 else ""
    return f"{len(gaps)} quer{'y' if len(gaps) == 1 else 'ies'} failed or cut short: {first}{more}"


def _summary(result: object) -> None:
    from archgen.pipeline import Result

    assert isinstance(result, Result)
    graph = result.graph
    console = err()
    console.print(summary_table(result))
    stats = graph.stats
    console.print(
        f"rows read {stats.get('rows_read', 0)}, outside any workload {stats.get('rows_outside_workloads', 0)}, "
        f"nodes {stats.get('nodes', 0)}, edges {stats.get('edges', 0)}"
    )
    if graph.warnings:
        counts = Counter(w.code for w in graph.warnings)
        console.print(
            "warnings: " + ", ".join(f"{n} {code.replace('_', ' ')}" for code, n in sorted(counts.items()))
        )
    if graph.incomplete:
        from rich.text import Text

        console.print(Text(f"INCOMPLETE: {_gaps_text(graph.incomplete)}", style="bold red"))
    for path in result.written:
        console.print(f"wrote {path}")


STATUSES = ("pass", "fail", "unknown", "not_applicable")


def workload_counts(result: object) -> list[tuple[str, Counter[str]]]:
    """(workload name, findings per status over its members), counting each finding once per workload.

    The findings are indexed by resource once, so the cost is the sum of the workloads' sizes, not
    workloads × findings (the super-linear term at 300,000 rows).
    """
    from archgen.pipeline import Result

    assert isinstance(result, Result)
    by_resource: dict[str, Counter[str]] = {}
    for f in result.findings:
        by_resource.setdefault(f.resource, Counter())[f.status.value] += 1
    out = []
    for w in result.graph.workloads:
        c: Counter[str] = Counter()
        for m in set(w.members):
            own = by_resource.get(m)
            if own is not None:
                c.update(own)
        out.append((w.name, c))
    return out


def summary_table(result: object, limit: int = SUMMARY_ROWS) -> object:
    """The terminal table: the `limit` workloads with most failures (then by name), and a total line."""
    from rich.table import Table

    rows = workload_counts(result)
    title = f"archgen {__version__}: {len(rows)} workload(s)"
    if len(rows) > limit:
        title += f", the {limit} with most failures"
    table = Table(title=title, title_justify="left")
    for col in ("workload", "pass", "fail", "unknown", "n/a"):
        table.add_column(col, justify="left" if col == "workload" else "right")
    shown = rows if len(rows) <= limit else sorted(rows, key=lambda r: (-r[1]["fail"], r[0]))[:limit]
    for name, c in shown:
        table.add_row(name, *(str(c[s]) for s in STATUSES))
    if len(shown) < len(rows):
        total: Counter[str] = Counter()
        for _, c in rows:
            total.update(c)
        table.add_section()
        table.add_row(f"all {len(rows)} workloads", *(str(total[s]) for s in STATUSES))
        table.caption = f"{len(rows) - len(shown)} more workloads are in the site and the graph document"
        table.caption_justify = "left"
    return table


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


@cli.command()
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
def report(
    from_files: tuple[Path, ...],
    more_files: tuple[Path, ...],
    sample: str | None,
    accept_path: Path | None,
    redact: bool,
    redact_salt: str | None,
    redact_tags: tuple[str, ...],
    output: Path,
    force: bool,
) -> None:
    """Write one PDF for the review: summary, diagrams, findings, shared responsibility, evidence."""
    from datetime import date

    from archgen import pipeline, workflow
    from archgen.controls import accept
    from archgen.publish.report import make_report

    from_files = workflow.input_files(from_files, more_files)
    if not from_files and sample is None:
        raise UsageError(
            "archgen report needs --from FILE or --sample NAME (replay a live run from its snapshot)"
        )
    opts = pipeline.DiscoverOptions(
        from_files=list(from_files),
        sample=sample,
        out_dir=None,
        acceptances=workflow.load_acceptances(accept_path),
        redactor=workflow.redactor(redact, redact_salt, redact_tags),
    )
    result = pipeline.discover(opts)
    review = result.review or accept.empty(date.today())
    path = make_report(result.graph, result.findings, result.catalogue, result.run, review, output, force)
    err().print(f"wrote {path}", markup=False)


@cli.command()
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


@cli.command()
@click.option(
    "--json", "as_json", is_flag=True, help="Print the catalogue as JSON (every field, sorted by id)."
)
def controls(as_json: bool) -> None:
    """List the control catalogue."""
    import json

    from rich.console import Console
    from rich.table import Table

    from archgen.controls.catalogue import load

    if as_json:
        data = {
            "schema": load().schema_,
            "controls": [c.model_dump(mode="json") for c in sorted(load().controls, key=lambda c: c.id)],
        }
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return

    table = Table("id", "domain", "severity", "responsibility", "title")
    for c in load().controls:
        table.add_row(c.id, c.domain, c.severity, c.responsibility, c.title)
    Console(highlight=False).print(table)


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


if __name__ == "__main__":
    main()
