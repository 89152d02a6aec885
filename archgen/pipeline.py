"""The run, wired end to end: rows (files, sample or live) -> graph -> findings -> outputs.

The CLI parses its flags once into a frozen `DiscoverOptions` and calls `discover`, which decides the
mode (`mode`); everything here is plain Python so that tests and benchmarks drive the same path the
command does.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from archgen import __version__, gcpause
from archgen.controls import accept
from archgen.controls.catalogue import Catalogue
from archgen.controls.catalogue import load as load_catalogue
from archgen.controls.engine import evaluate
from archgen.controls.findings import Finding
from archgen.discovery import files, snapshot
from archgen.doctext import GraphText
from archgen.document import encode_graph, encode_graph_later
from archgen.errors import OutputError, UsageError
from archgen.model.builder import build
from archgen.model.graph import Graph
from archgen.model.inventory import Inventory
from archgen.run import InputFile, RunInfo, as_of_instant, data_as_of

if TYPE_CHECKING:
    from archgen.diff import Changes
    from archgen.redact import Redactor


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# -- samples --------------------------------------------------------------------------------------
def sample_names() -> list[str]:
    folder = resources.files("archgen.samples")
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def sample_path(name: str) -> Path:
    if name not in sample_names():
        raise UsageError(f"unknown sample '{name}' (available: {', '.join(sample_names())})")
    return Path(str(resources.files("archgen.samples").joinpath(f"{name}.json")))


# -- options and result ---------------------------------------------------------------------------
class LiveScope(msgspec.Struct, frozen=True):
    """The scope flags of live discovery (-s, -m, -g, --tag, --account); none set = all the caller reads.

    Plain values, so that a run from files never imports the Azure SDK; `discover` turns them into
    `archgen.discovery.live.Scope` for a live run.
    """

    subscriptions: tuple[str, ...] = ()
    management_groups: tuple[str, ...] = ()
    resource_groups: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    accounts: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """Whether any scope flag was given."""
        return bool(
            self.subscriptions or self.management_groups or self.resource_groups or self.tags or self.accounts
        )


class LiveSettings(msgspec.Struct, frozen=True):
    """How live discovery runs (--cloud, --arm-endpoint, ..., --timeout, --max-wait); ignored otherwise."""

    cloud: str = "public"
    arm_endpoint: str | None = None
    token_scope: str | None = None
    diagnostics: bool = True
    deployments: bool = True
    quiet: bool = False  # no progress on standard error (also when the graph document goes to it)
    timeout: float = 1800.0  # seconds for the whole discovery (Limits.timeout)
    max_wait: float = 120.0  # the longest single wait for quota or Retry-After (Limits.max_wait)


class DiscoverOptions(msgspec.Struct, frozen=True):
    """One run's settings, built once from the command line and handed down unchanged."""

    from_files: Sequence[Path] = ()
    sample: str | None = None
    json_path: str | None = None  # '-' = standard output
    out_dir: Path | None = Path(".")  # None = no site
    snapshot_path: Path | None = None
    force: bool = False
    live_scope: LiveScope = LiveScope()
    live_options: LiveSettings = LiveSettings()
    max_input_mb: int = files.DEFAULT_MAX_INPUT_MB  # per --from file
    strict_evidence: bool = False  # a snapshot failing its integrity check: exit 2, not a warning
    acceptances: tuple[accept.Acceptance, ...] = ()  # --accept FILE, already validated
    since: dict[str, Any] | None = None  # --since OLD: the previous run's graph document, validated
    redactor: Redactor | None = None  # --redact: pseudonyms applied to the rows before anything is built
    png: bool = False  # also rasterise every diagram to PNG for the site (slow; SVG is always written)


class Result(msgspec.Struct):
    graph: Graph
    findings: list[Finding]
    catalogue: Catalogue
    run: RunInfo
    graph_doc: GraphText  # the graph document, written from its bytes; `graph_json` is its text
    snapshot_json: str | None
    written: list[Path] = msgspec.field(default_factory=list)
    # Problems met while writing (an untrusted manifest entry ignored): printed, never fatal.
    output_warnings: list[str] = msgspec.field(default_factory=list)
    review: accept.Review | None = None  # the acceptances applied to the findings
    changes: Changes | None = None  # what changed since --since OLD
    notes: list[str] = msgspec.field(default_factory=list)  # for the user: backups made, mkdocs.yml keys kept

    @property
    def graph_json(self) -> str:
        """The graph document's text (decoded on first use: a run writing only `--json FILE` never does)."""
        return self.graph_doc.text


# -- writing files safely -------------------------------------------------------------------------
_SCHEMA_LINE = re.compile(rb'^(?:\xef\xbb\xbf)?\{?\s{0,2}"schema"\s*:\s*"([^"\\]{1,200})"')


def _owned_json(path: Path, schema_prefix: str) -> bool:
    """Whether an existing file is one archgen wrote (so it may be replaced without asking).

    Decided without parsing the document: archgen writes its top-level `"schema"` key on a line of
    its own, at the start of a line in the graph document (`archgen.document.dumps_data`) and
    indented two spaces in a snapshot (`snapshot.dumps`). Lines are streamed and the scan stops at the
    first top-level key line that matches; a rerun never parses a large previous graph document.
    """
    try:
        with path.open("rb") as fh:
            for line in fh:
                if line[:1] not in (b'"', b" ", b"{", b"\xef") or line[:3] == b"   ":
                    continue  # list items and nested values: not a top-level key
                m = _SCHEMA_LINE.match(line)
                if m is not None:
                    return m.group(1).decode("utf-8", "replace").startswith(schema_prefix)
    except OSError:
        return False
    return False


def _new_file_mode(path: Path) -> int:
    """The mode `path` should get: the existing file's, or the umask's default for a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: Path, text: str | GraphText, schema_prefix: str, force: bool) -> Path:
    """Write `text` (UTF-8) to `path` through a temporary file and a rename; refuse to replace a foreign
    file. A `GraphText` is written from its bytes, chunk by chunk (encoded as it is written when it was
    made `later`); whatever fails before the rename (the disk, the encoder) leaves the target as it was."""
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    if path.exists() and not force and not _owned_json(path, schema_prefix):
        raise OutputError(f"{path}: exists and was not written by archgen; pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = _new_file_mode(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                if isinstance(text, str):
                    handle.write(text.encode("utf-8"))
                else:
                    text.write_to(handle)
            os.chmod(tmp, mode)  # mkstemp creates 0600; keep the replaced file's mode (issue 13)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror})") from None
    return path


# -- the run --------------------------------------------------------------------------------------
def _inputs(paths: list[Path], label: str | None, inventory: Inventory) -> list[InputFile]:
    counts: Counter[str] = Counter()
    for block in inventory.blocks:
        counts[block.source] += len(block.rows)
    return [
        InputFile(label or p.name, inventory.digests[str(p)], counts.get(str(p), 0), str(p)) for p in paths
    ]


def _load(opts: DiscoverOptions, paths: list[Path]) -> Inventory:
    if opts.max_input_mb < 1:
        raise UsageError("--max-input-mb must be at least 1")
    return files.load_files(
        paths, max_bytes=opts.max_input_mb * files.MB, strict_evidence=opts.strict_evidence
    )


def mode(opts: DiscoverOptions) -> str:
    """Where the rows come from: 'sample', 'file' or 'live' (no input named); decided here only."""
    if opts.sample is not None and opts.from_files:
        raise UsageError("--sample and --from cannot be combined")
    if (opts.sample is not None or opts.from_files) and opts.live_scope.given:
        raise UsageError(
            "scope options (-s, -m, -g, --tag, --account) apply to live discovery, not to --from/--sample"
        )
    if opts.sample is not None:
        return "sample"
    return "file" if opts.from_files else "live"


def _read_sample(opts: DiscoverOptions, started: str) -> tuple[Inventory, RunInfo, str | None]:
    assert opts.sample is not None
    path = sample_path(opts.sample)
    inventory = _load(opts, [path])
    run = RunInfo(__version__, started, "", "sample", _inputs([path], f"sample:{opts.sample}", inventory))
    run.scope = {"sample": opts.sample}
    return inventory, run, None


def _read_files(opts: DiscoverOptions, started: str) -> tuple[Inventory, RunInfo, str | None]:
    paths = list(opts.from_files)
    inventory = _load(opts, paths)
    run = RunInfo(__version__, started, "", "file", _inputs(paths, None, inventory))
    run.scope = {"files": [str(p) for p in paths]}
    for p in paths:  # a replayed snapshot carries its own evidence (read with its rows)
        meta = inventory.snapshot_meta.get(str(p))
        if meta is not None:
            run.queries.extend(meta.get("queries", []))
            run.cloud = meta.get("cloud", run.cloud)
            run.scope["snapshot_scope"] = meta.get("scope", {})
            run.scope["snapshot_integrity"] = meta.get("integrity", "")
    return inventory, run, None


def _read_live(opts: DiscoverOptions, started: str) -> tuple[Inventory, RunInfo, str | None]:
    from archgen.discovery import live
    from archgen.discovery.limits import Limits

    flags, settings = opts.live_scope, opts.live_options
    scope = live.Scope(
        flags.subscriptions, flags.management_groups, flags.resource_groups, flags.tags, flags.accounts
    )
    options = live.LiveOptions(
        cloud=settings.cloud,
        arm_endpoint=settings.arm_endpoint,
        token_scope=settings.token_scope,
        diagnostics=settings.diagnostics,
        deployments=settings.deployments,
        quiet=settings.quiet or opts.json_path == "-",
        limits=Limits(timeout=settings.timeout, max_wait=settings.max_wait),
    )
    with gcpause.collecting():
        snap = live.discover(scope, options)
    snap.archgen_version = snap.archgen_version or __version__
    snapshot_json = snapshot.dumps(snap)
    run = RunInfo(
        __version__,
        snap.started_at or started,
        "",
        "live",
        [],
        dict(snap.scope),
        snap.cloud,
        [q.model_dump() for q in snap.queries],
    )
    return snapshot.to_inventory(snap, "live"), run, snapshot_json


_READERS = {"sample": _read_sample, "file": _read_files, "live": _read_live}


@gcpause.bulk
def discover(opts: DiscoverOptions) -> Result:
    """Run discovery (or read files), build the graph, evaluate the controls and write the outputs."""
    started = now_iso()
    inventory, run, snapshot_json = _READERS[mode(opts)](opts, started)
    run.data_as_of = data_as_of(
        run, [str(m["started_at"]) for m in inventory.snapshot_meta.values() if m.get("started_at")]
    )
    inventory.as_of = as_of_instant(run.data_as_of)
    if opts.redactor is not None:
        inventory = opts.redactor.inventory(inventory)
        run = opts.redactor.run_info(run)
        snapshot_json = None if snapshot_json is None else opts.redactor.text(snapshot_json)
    graph = build(inventory)
    # The rows no node keeps (most of a large estate) are freed here, before the document is encoded:
    # the graph's nodes hold the rows they quote; nothing else reads the inventory after the build.
    del inventory
    findings = evaluate(graph)
    catalogue = load_catalogue()
    only_written = _only_written(opts)
    graph_doc = (encode_graph_later if only_written else encode_graph)(graph, findings, catalogue)
    run.ended_at = now_iso()
    result = Result(graph, findings, catalogue, run, graph_doc, snapshot_json)
    result.review = accept.apply(opts.acceptances, findings, graph, _review_date(run.started_at))
    if opts.since is not None:
        from archgen.diff import compare

        result.changes = compare(opts.since, json.loads(result.graph_json))
    if not only_written:
        gcpause.settle()
    _write_outputs(opts, result)
    if only_written:  # the document was encoded as it was written, with the collector still paused
        gcpause.settle()
    return result


def _only_written(opts: DiscoverOptions) -> bool:
    """Whether the graph document only goes to a file (`--json FILE`, no site, no `--since`): then it is
    encoded into the file as it is written, never held whole (`GraphText.later`). Otherwise it is encoded
    here, once, for the file and whatever reads its text (the site, standard output, `--since`)."""
    return opts.json_path not in (None, "", "-") and opts.out_dir is None and opts.since is None


def _review_date(started_at: str) -> date:
    try:
        return date.fromisoformat(started_at[:10])
    except ValueError:
        return datetime.now(UTC).date()


def _write_outputs(opts: DiscoverOptions, result: Result) -> None:
    if opts.json_path and opts.json_path != "-":
        result.written.append(
            write_atomic(Path(opts.json_path), result.graph_doc, "archgen.graph/", opts.force)
        )
    if result.snapshot_json is not None:
        snap_path = opts.snapshot_path
        if snap_path is None and opts.json_path and opts.json_path != "-":
            json_path = Path(opts.json_path)
            snap_path = json_path.with_name(json_path.stem + ".snapshot.json")
        if snap_path is None and opts.out_dir is None:
            snap_path = Path("archgen-snapshot.json")
        if snap_path is not None and snap_path != opts.snapshot_path and snap_path.is_symlink():
            raise OutputError(
                f"{snap_path} is a symbolic link; archgen does not write through links to a file it named "
                "itself: remove it or pass --snapshot"
            )
        if snap_path is not None:
            result.written.append(
                write_atomic(snap_path, result.snapshot_json, "archgen.snapshot/", opts.force)
            )
    elif opts.snapshot_path is not None:
        raise UsageError(
            "--snapshot records live discovery; with --from or --sample the input files are the evidence"
        )
    if opts.out_dir is not None:
        from archgen.publish import ProjectOptions, RunOutputs, write_project

        outputs = RunOutputs(
            result.graph,
            result.findings,
            result.catalogue,
            result.run,
            result.graph_json,
            result.snapshot_json,
        )
        options = ProjectOptions(
            opts.force, result.output_warnings, result.review, result.changes, result.notes, opts.png
        )
        result.written.append(write_project(opts.out_dir, outputs, options))


__all__ = ["DiscoverOptions", "LiveScope", "LiveSettings", "Result", "discover", "mode", "sample_names"]
