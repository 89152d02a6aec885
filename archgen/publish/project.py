"""Writing the MkDocs Material project: `mkdocs.yml` (archgen's block) and the generated pages in `docs/`.

The pages are rendered from the templates in `archgen/publish/templates/` into a staging directory,
checked against what is on disk (see `archgen.publish.owned`), then moved into place.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from archgen.controls.accept import Review
from archgen.controls.catalogue import DOMAINS
from archgen.controls.findings import Finding, Status
from archgen.errors import OutputError
from archgen.model.facts import customer_storage
from archgen.model.graph import Graph
from archgen.model.types import cognitive, storage
from archgen.publish import bounded, commit, guard, owned
from archgen.publish.accepted import accepted_rows, decision_labels
from archgen.publish.changes import render_changes, with_changes_page
from archgen.publish.commit import Move
from archgen.publish.escape import as_markup, safe_title
from archgen.publish.inputs import ProjectOptions, RunOutputs
from archgen.publish.pages import (
    DOMAIN_TITLES,
    Diagram,
    SiteModel,
    WorkloadView,
    build_model,
    counts_badge,
    status_badge,
)
from archgen.publish.shared import home_workloads, workload_settings, workloads_in_nav
from archgen.publish.sitepages import BY_KEY, page
from archgen.publish.templating import render
from archgen.run import InputFile, RunInfo, input_download_name

if TYPE_CHECKING:
    from archgen.render import DiagramFiles

SITE_NAME = "Azure OpenAI security review"
WORKLOAD_INDEX = page("workloads")  # outside workloads/, so no workload page can collide with it
ASSETS = ("archgen.css", "archgen.js")
ASSET_DIR = "assets/archgen"
MODE_TEXT = {
    "live": "Live discovery through Azure Resource Graph and ARM",
    "file": "Files given with archgen discover --from",
    "sample": "A sample input embedded in archgen",
}
MARKDOWN_EXTENSIONS: list[Any] = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "pymdownx.details",
    "pymdownx.superfences",
    {"pymdownx.highlight": {"use_pygments": True}},
    {"toc": {"permalink": True}},
]


@dataclass(frozen=True, slots=True)
class Download:
    name: str
    sha256: str
    what: str


def theme() -> dict[str, Any]:
    """Material, no web fonts, light and dark palettes with a toggle."""
    return {
        "name": "material",
        "font": False,
        "language": "en",
        "features": [
            "navigation.top",
            "navigation.footer",
            "search.highlight",
            "toc.follow",
            "content.code.copy",
        ],
        "palette": [
            {
                "media": "(prefers-color-scheme: light)",
                "scheme": "default",
                "primary": "indigo",
                "accent": "indigo",
                "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"},
            },
            {
                "media": "(prefers-color-scheme: dark)",
                "scheme": "slate",
                "primary": "indigo",
                "accent": "indigo",
                "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"},
            },
        ],
    }


def _render_diagrams(
    graph: Graph, findings: Sequence[Finding], site: SiteModel, docs: Path, png: bool = False
) -> None:
    from archgen.render import render_estate, render_workload  # the render package is heavy to import

    dest = docs / "diagrams"
    dest.mkdir(parents=True, exist_ok=True)

    def rel(p: Path) -> str:
        return Path(p).resolve().relative_to(docs.resolve()).as_posix()

    def rel_png(p: Path | None) -> str | None:
        return None if p is None else rel(p)

    all_findings = list(findings)

    def one(w: WorkloadView) -> DiagramFiles:
        return render_workload(graph, all_findings, w.workload.id, dest, w.slug, png=png)

    # Most of a diagram's time is the `dot` subprocess, which runs outside the GIL: threads overlap them.
    workers = max(1, min(len(site.workloads), os.cpu_count() or 1, 4))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="archgen-diagram") as pool:
        for w, files in zip(site.workloads, pool.map(one, site.workloads), strict=True):
            w.diagram = Diagram(rel(files.svg), rel_png(files.png), rel(files.drawio), tuple(files.collapsed))
    estate = render_estate(graph, all_findings, dest, "estate", png=png)
    if estate is not None:
        site.estate_diagram = Diagram(
            rel(estate.svg), rel_png(estate.png), rel(estate.drawio), tuple(estate.collapsed)
        )


def _scope_rows(run: RunInfo) -> list[tuple[str, str]]:
    rows = []
    for key in sorted(run.scope):
        value = run.scope[key]
        text = (", ".join(str(v) for v in value) or "none") if isinstance(value, list | tuple) else str(value)
        rows.append((key.replace("_", " "), text))
    return rows


def _scope_text(run: RunInfo) -> str:
    rows = _scope_rows(run)
    if rows:
        return "; ".join(f"{k}: {v}" for k, v in rows)
    if run.inputs:
        return "input files: " + ", ".join(i.name for i in run.inputs)
    return "not recorded"


def _reproduce(run: RunInfo, has_snapshot: bool) -> str:
    """The commands that re-run archgen on this run's input and check the result."""
    lines = []
    if has_snapshot:
        lines += [
            "# replay this run's snapshot (download snapshot.json above); no Azure access needed",
            "archgen discover --from snapshot.json --json graph.json --out review",
        ]
    if run.mode == "sample" and run.inputs:
        name = run.inputs[0].name.removeprefix("sample:").removesuffix(".json")
        lines += [
            "# the same sample, embedded in archgen",
            f"archgen discover --sample {shlex.quote(name)} --json graph.json --out review",
        ]
    elif run.inputs and not has_snapshot:
        sources = " ".join(
            f"--from {shlex.quote(input_download_name(n, i) if i.path else i.name)}"
            for n, i in enumerate(run.inputs)
        )
        lines += [
            "# the same input files (download them above and check their SHA-256)",
            f"archgen discover {sources} --json graph.json --out review",
        ]
    lines += ["# compare with the SHA-256 of graph.json on this page", "sha256sum graph.json"]
    return "\n".join(lines)


def _data_rows(graph: Graph, site: SiteModel) -> list[dict[str, Any]]:
    rows = []
    for w in site.workloads:
        acct = w.account.attrs
        key = "not known (the account's attributes were not read)"
        stores: list[str] = []
        if isinstance(acct, cognitive.Account):
            if acct.key_source == "microsoft.keyvault":
                vault = (acct.key_vault_uri or "an unnamed vault").removeprefix("https://")
                key = f"Customer-managed key '{acct.key_name or '?'}' in {vault}"
            else:
                key = "Microsoft-managed key"
            for sid, how in customer_storage(graph, w.workload.id).items():
                node = graph.nodes.get(sid)
                st = node.attrs if node is not None else None
                if isinstance(st, storage.StorageAccount) and node is not None:
                    cmk = (
                        "customer-managed key"
                        if st.key_source == "microsoft.keyvault"
                        else "Microsoft-managed key"
                    )
                    stores.append(f"{node.name} ({how}; {cmk})")
                else:
                    stores.append(f"{sid.rsplit('/', 1)[-1]} ({how}; not in the input)")
        abuse = next(
            (
                fv
                for fv in w.findings
                if fv.control.id == "AOAI-DATA-01" and fv.finding.resource == w.workload.id
            ),
            None,
        )
        if abuse is None:
            abuse_badge, abuse_text = as_markup(""), "not evaluated"
        elif abuse.finding.status is Status.PASS:
            abuse_badge, abuse_text = (
                status_badge(Status.PASS),
                "approved (ContentLogging = false): no prompt is stored for review",
            )
        else:
            abuse_badge = status_badge(abuse.finding.status)
            abuse_text = (
                "not approved: prompts and completions selected for human review may be stored in the "
                "resource's geography"
            )
        deployments: list[dict[str, Any]] = []
        collected = isinstance(acct, cognitive.Account) and acct.deployments_collected
        if isinstance(acct, cognitive.Account):
            for d in acct.deployments:
                deployments.append(
                    {
                        "name": d.name,
                        "model": " ".join(x for x in (d.model, d.model_version) if x) or "not set",
                        "sku": d.sku or "not set",
                        "where": _PROCESSED_IN.get(d.processing, "not known for this deployment type"),
                        "badge": status_badge(Status.FAIL if d.processing == "global" else Status.PASS)
                        if d.processing != "unknown"
                        else status_badge(Status.UNKNOWN),
                    }
                )
        rows.append(
            {
                "name": w.workload.name,
                "slug": w.slug,
                "location": w.account.location,
                "key": key,
                "storage": ", ".join(stores) or "none",
                "abuse_badge": abuse_badge,
                "abuse": abuse_text,
                "deployments": deployments,
                "deployments_collected": collected,
            }
        )
    return rows


# Where each deployment type processes prompts and completions (Microsoft's deployment-types page).
_PROCESSED_IN = {
    "geography": "the account's Azure geography (possibly across its regions)",
    "data zone": "the Microsoft-defined data zone (EU or US) of the account's region",
    "global": "any geography where the model is deployed",
}


def _user_pages(out_dir: Path, generated: set[str], previous: dict[str, str]) -> list[str]:
    """Markdown pages in docs/ that archgen did not generate (they stay in the navigation)."""
    docs = out_dir / "docs"
    if not docs.is_dir():
        return []
    pages = []
    for p in sorted(docs.rglob("*.md")):
        rel = p.relative_to(out_dir).as_posix()
        parts = p.relative_to(docs).parts
        if rel in generated or any(part.startswith(".") for part in parts):
            continue
        if owned.ownership(p, rel, previous) == "owned":
            continue  # archgen's page from an earlier run, about to be removed
        pages.append(p.relative_to(docs).as_posix())
    return pages


def _nav(site: SiteModel, user_pages: list[str]) -> list[Any]:
    nav: list[Any] = [{BY_KEY["home"].nav: page("home")}]
    if site.workloads and workloads_in_nav(site):
        nav.append(
            {
                BY_KEY["workload"].nav: [
                    {safe_title(w.workload.name): page("workload", w.slug)} for w in site.workloads
                ]
            }
        )
    elif site.workloads:  # one page listing them, not an entry per workload in every page's menu
        nav.append({BY_KEY["workloads"].nav: page("workloads")})
    nav.append({BY_KEY["shared"].nav: page("shared")})
    nav.append({BY_KEY["data"].nav: page("data")})
    controls: list[Any] = [{"Overview": page("controls")}]
    controls += [{safe_title(cv.control.id): page("control", cv.slug)} for cv in site.controls]
    nav.append({BY_KEY["controls"].nav: controls})
    nav.append({BY_KEY["evidence"].nav: page("evidence")})
    if user_pages:
        nav.append({"Documentation": user_pages})
    return nav


def block_yaml(site: SiteModel, user_pages: list[str], user_keys: set[str]) -> str:
    block: dict[str, Any] = {}
    if "site_name" not in user_keys:
        block["site_name"] = SITE_NAME
    if "site_description" not in user_keys:
        block["site_description"] = (
            "Security posture of Azure OpenAI workloads under the shared-responsibility model"
        )
    block["theme"] = theme()
    block["plugins"] = ["search"]
    block["markdown_extensions"] = MARKDOWN_EXTENSIONS
    block["extra_css"] = [f"{ASSET_DIR}/archgen.css"]
    block["extra_javascript"] = [f"{ASSET_DIR}/archgen.js"]
    block["nav"] = _nav(site, user_pages)
    if site.workloads and not workloads_in_nav(site) and "not_in_nav" not in user_keys:
        block["not_in_nav"] = "/workloads/*.md\n"  # reached from the Workloads page, on purpose
    return yaml.safe_dump(block, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)


def _render_pages(
    site: SiteModel, outputs: RunOutputs, docs: Path, downloads: list[Download], review: Review | None = None
) -> None:
    graph, run = outputs.graph, outputs.run
    marker = as_markup(owned.MARKER)
    common: dict[str, Any] = {
        "marker": marker,
        "site": site,
        "graph": graph,
        "run": run,
        "counts_badge": counts_badge,
        "mode_text": MODE_TEXT.get(run.mode, run.mode),
        "scope_text": _scope_text(run),
    }

    def write(key: str, slug: str = "", **extra: Any) -> None:
        path = docs / page(key, slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(BY_KEY[key].template, **common, **extra), encoding="utf-8")

    write(
        "home",
        estate=site.estate_diagram,
        home=home_workloads(site),
        listed_all=workloads_in_nav(site),
        findings_total=sum(len(cv.findings) for cv in site.controls),
        unknown_total=sum(
            1 for cv in site.controls for fv in cv.findings if fv.finding.status is Status.UNKNOWN
        ),
        warning_groups=bounded.warning_groups(graph.warnings),
    )
    domains = [(d, DOMAIN_TITLES[d]) for d in DOMAINS]
    dangling_by_source: dict[str, list[Any]] = {}
    for src, rel_, tgt in graph.dangling:
        dangling_by_source.setdefault(src, []).append((src, rel_, tgt))
    for w in site.workloads:
        dangling = [d for n in w.nodes for d in dangling_by_source.get(n.id, [])]
        write(
            "workload",
            w.slug,
            w=w,
            diagram=w.diagram,
            domains=domains,
            settings=workload_settings(graph, w),
            dangling=dangling,
            listed_all=workloads_in_nav(site),
            accepted=accepted_rows(w.findings, review),
            decisions=decision_labels(w.findings, review),
        )
    if site.workloads and not workloads_in_nav(site):
        write("workloads")
    write("shared")
    write("data", rows=_data_rows(graph, site))
    write("controls")
    for cv in site.controls:
        write("control", cv.slug, cv=cv)
    write(
        "evidence",
        scope_rows=_scope_rows(run),
        downloads=downloads,
        reproduce=_reproduce(run, outputs.snapshot_json is not None),
    )
    assets = docs / ASSET_DIR
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        data = resources.files("archgen.publish").joinpath("templates", "assets", name).read_bytes()
        (assets / name).write_bytes(data)


def _write_downloads(
    docs: Path, graph_json: str, snapshot_json: str | None, inputs: Sequence[InputFile] = ()
) -> list[Download]:
    out = docs / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    items = [
        (
            "graph.json",
            graph_json,
            "The graph document (archgen.graph/v1): resources, relations, workloads, findings.",
        )
    ]
    if snapshot_json is not None:
        items.append(
            (
                "snapshot.json",
                snapshot_json,
                "The raw rows and the queries that produced them (archgen.snapshot/v1).",
            )
        )
    downloads = []
    for name, text, what in items:
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        downloads.append(Download(name, owned.sha256_bytes(data), what))
    for n, item in enumerate(inputs):
        if not item.path:
            continue
        try:
            raw = Path(item.path).read_bytes()
        except OSError:
            continue  # the input moved since it was read; its SHA-256 is still listed
        name = input_download_name(n, item)
        (out / name).write_bytes(raw)
        downloads.append(
            Download(name, owned.sha256_bytes(raw), f"Input file {item.name}, exactly as read by this run.")
        )
    return downloads


def _moves(out_dir: Path, staging: Path, files: dict[str, str], manifest: str, config: str) -> list[Move]:
    """What the commit renames into place: the pages and files, then the manifest, then mkdocs.yml."""
    moves = [Move(rel, sha, os.path.lexists(out_dir / rel)) for rel, sha in sorted(files.items())]
    for name, text in ((owned.MANIFEST, manifest), ("mkdocs.yml", config)):
        data = text.encode("utf-8")
        (staging / name).write_bytes(data)
        os.chmod(staging / name, 0o644)
        moves.append(Move(name, owned.sha256_bytes(data), os.path.lexists(out_dir / name)))
    return moves


def _conflicts(out_dir: Path, files: dict[str, str], previous: dict[str, str]) -> list[tuple[str, str]]:
    """Files archgen would replace that it did not write, or that were edited since."""
    problems = []
    for rel in files:
        state = owned.ownership(out_dir / rel, rel, previous)
        if state in ("foreign", "edited"):
            problems.append((rel, state))
    return problems


def _previous(out_dir: Path, warnings: list[str] | None) -> dict[str, str]:
    """The previous run's manifest, its untrusted entries reported and left out (never obeyed)."""
    rejected: list[str] = []
    previous = owned.read_manifest(out_dir, rejected)
    if warnings is not None and rejected:
        shown = ", ".join(repr(r) for r in sorted(rejected)[:5])
        more = f" and {len(rejected) - 5} more" if len(rejected) > 5 else ""
        warnings.append(
            f"{out_dir / owned.MANIFEST}: ignored {len(rejected)} entr{'y' if len(rejected) == 1 else 'ies'} "
            f"outside archgen's generated files ({shown}{more}); nothing there was touched"
        )
    return previous


def _refusal(out_dir: Path, problems: list[tuple[str, str]], config_problems: list[str]) -> str:
    """One line naming every file archgen would have to replace."""
    items = [
        f"{rel} ({'edited since archgen wrote it' if state == 'edited' else 'not written by archgen'})"
        for rel, state in problems
    ] + config_problems
    return (
        f"{out_dir}: {len(items)} conflict(s): {'; '.join(items)}; move them away or pass --force "
        "(replaced files are moved to a .archgen-backup-* folder first)"
    )


def write_project(out_dir: Path, outputs: RunOutputs, options: ProjectOptions | None = None) -> Path:
    """Write (or regenerate) the MkDocs project in `out_dir`; return the path of its mkdocs.yml.

    One run at a time per `out_dir` (`guard.OutputLock`); an unfinished commit of an earlier run is
    rolled back first (`commit.rollback`); the new tree is switched in all or nothing (`commit.commit`).
    """
    options = options or ProjectOptions()
    out_dir = Path(out_dir)
    owned.prepare_out_dir(out_dir)
    with guard.OutputLock(out_dir):
        try:
            commit.rollback(out_dir)
        except OSError as exc:
            raise OutputError(f"cannot undo an interrupted run in {out_dir}: {exc.strerror or exc}") from None
        staging = owned.make_staging(out_dir)
        try:
            return _write_locked(_Job(out_dir, staging, options), outputs)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class _Job:
    """Where and how one run writes its project."""

    out_dir: Path
    staging: Path
    options: ProjectOptions


def _write_locked(job: _Job, outputs: RunOutputs) -> Path:
    out_dir, staging, opts = job.out_dir, job.staging, job.options
    docs = staging / "docs"
    site = build_model(outputs.graph, outputs.findings, outputs.catalogue)
    _render_diagrams(outputs.graph, outputs.findings, site, docs, opts.png)
    downloads = _write_downloads(docs, outputs.graph_json, outputs.snapshot_json, outputs.run.inputs)
    _render_pages(site, outputs, docs, downloads, opts.review)
    if opts.changes is not None:
        render_changes(docs, opts.changes, site)

    files = {
        p.relative_to(staging).as_posix(): owned.sha256_file(p)
        for p in sorted(staging.rglob("*"))
        if p.is_file()
    }
    previous = _previous(out_dir, opts.warnings)
    removals = sorted(
        rel for rel in set(previous) - set(files) if owned.ownership(out_dir / rel, rel, previous) == "owned"
    )
    guard.refuse_links_out(out_dir, [*files, *removals])
    config_path = out_dir / "mkdocs.yml"
    try:
        existing = config_path.read_text(encoding="utf-8") if config_path.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read {config_path}: {exc}") from None
    problems = _conflicts(out_dir, files, previous)
    config_problems = owned.config_conflicts(existing)
    if (problems or config_problems) and not opts.force:
        raise OutputError(_refusal(out_dir, problems, config_problems))
    merge = owned.ConfigMerge(existing, opts.force)
    if problems or config_problems:
        backed = [rel for rel, _ in problems] + (["mkdocs.yml"] if config_problems else [])
        folder = owned.backup_files(out_dir, backed, datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
        if folder is not None and opts.notes is not None:
            opts.notes.append(f"--force: moved {len(backed)} file(s) archgen replaced to {folder}")
    if opts.notes is not None:
        opts.notes.extend(merge.notes)
    user_pages = _user_pages(out_dir, set(files), previous)
    config_text = merge.assemble(
        with_changes_page(block_yaml(site, user_pages, merge.user_keys), opts.changes is not None)
    )
    try:
        moves = _moves(out_dir, staging, files, owned.manifest_text(files), config_text)
        commit.commit(out_dir, staging, moves, removals)
    except OSError as exc:
        raise OutputError(
            f"cannot write to {out_dir}: {exc.strerror or exc}; the previous site is unchanged"
        ) from None
    return config_path
