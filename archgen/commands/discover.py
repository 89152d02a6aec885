"""`archgen discover`: its flags, parsed once into the run's frozen settings; the pipeline does the rest."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import msgspec

from archgen import fastexit
from archgen.commands.console import err
from archgen.commands.summary import gaps_text, print_summary
from archgen.errors import IncompleteError, UsageError

if TYPE_CHECKING:  # the pipeline imports the whole tool chain: loaded when a command runs, not before
    from archgen.pipeline import DiscoverOptions, Result


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


class DiscoverFlags(msgspec.Struct, frozen=True):
    """The flags of `archgen discover` exactly as click parsed them (one field per option)."""

    more_files: tuple[Path, ...]
    from_files: tuple[Path, ...]
    sample: str | None
    json_path: str | None
    out_dir: Path | None
    no_site: bool
    png: bool
    snapshot_path: Path | None
    force: bool
    subscriptions: tuple[str, ...]
    management_groups: tuple[str, ...]
    resource_groups: tuple[str, ...]
    tags: tuple[str, ...]
    accounts: tuple[str, ...]
    cloud: str
    arm_endpoint: str | None
    token_scope: str | None
    no_diagnostics: bool
    no_deployments: bool
    max_input_mb: int
    strict_evidence: bool
    timeout: float
    max_wait: float
    allow_partial: bool
    quiet: bool
    findings_csv: Path | None = None
    findings_xlsx: Path | None = None
    sarif_path: Path | None = None
    owner_tag: str | None = None
    fail_on: str | None = None
    accept_path: Path | None = None
    since_path: Path | None = None
    redact: bool = False
    redact_salt: str | None = None
    redact_tags: tuple[str, ...] = ()


def discover_options(flags: DiscoverFlags) -> DiscoverOptions:
    """The run's frozen `pipeline.DiscoverOptions`, built once from the flags (the mode is the pipeline's)."""
    from archgen import pipeline, workflow

    out_dir = flags.out_dir
    if out_dir is None and flags.json_path != "-":
        out_dir = Path(".")
    return pipeline.DiscoverOptions(
        from_files=tuple(workflow.input_files(flags.from_files, flags.more_files)),
        sample=flags.sample,
        json_path=flags.json_path,
        out_dir=None if flags.no_site else out_dir,
        snapshot_path=flags.snapshot_path,
        force=flags.force,
        live_scope=pipeline.LiveScope(
            tuple(flags.subscriptions),
            tuple(flags.management_groups),
            tuple(flags.resource_groups),
            tuple(_parse_tag(t) for t in flags.tags),
            tuple(flags.accounts),
        ),
        live_options=pipeline.LiveSettings(
            cloud=flags.cloud,
            arm_endpoint=flags.arm_endpoint,
            token_scope=flags.token_scope,
            diagnostics=not flags.no_diagnostics,
            deployments=not flags.no_deployments,
            quiet=flags.quiet,
            timeout=flags.timeout,
            max_wait=flags.max_wait,
        ),
        max_input_mb=flags.max_input_mb,
        strict_evidence=flags.strict_evidence,
        acceptances=workflow.load_acceptances(flags.accept_path),
        since=workflow.load_since(flags.since_path),
        redactor=workflow.redactor(flags.redact, flags.redact_salt, flags.redact_tags),
        png=flags.png,
    )


@click.command()
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
def discover(**given: Any) -> None:
    """Discover the Azure OpenAI / AI Services workloads in a scope (or read them from files) and report."""
    from archgen import pipeline

    flags = DiscoverFlags(**given)
    if flags.sample == "":
        for name in pipeline.sample_names():
            click.echo(name)
        return
    from archgen import workflow

    result = pipeline.discover(discover_options(flags))
    fastexit.keep(result)  # the console script leaves without freeing it (0.15 s at 100,000 rows)
    for message in result.output_warnings:
        err().print(f"warning: {message}", markup=False, highlight=False)
    exports = workflow.ExportOptions(
        flags.findings_csv, flags.findings_xlsx, flags.sarif_path, flags.owner_tag, flags.fail_on, flags.force
    )
    # the tracker rows feed the export files and the gate only: not computed when neither is asked for
    rows = workflow.finding_rows(result, exports) if exports.wanted else []
    result.written += workflow.write_exports(rows, result.catalogue, exports)
    if flags.json_path == "-":
        sys.stdout.write(result.graph_json)
        sys.stdout.flush()
    _report(result, flags)
    workflow.gate(rows, flags.fail_on)


def _report(result: Result, flags: DiscoverFlags) -> None:
    """The summary and notes on standard error; an incomplete live run fails unless --allow-partial."""
    from archgen import workflow

    if not flags.quiet:
        print_summary(result)
        for line in workflow.failing_controls_lines(result):
            err().print(line, markup=False)
    for note in workflow.notes(result):
        err().print(f"archgen: {note}", markup=False)
    incomplete = result.graph.incomplete
    if incomplete and not flags.allow_partial:
        raise IncompleteError(
            f"discovery was incomplete ({gaps_text(incomplete)}); the outputs were written and marked "
            "incomplete; pass --allow-partial to accept a partial result"
        )
