"""Writing the MkDocs Material project: `mkdocs.yml` (archgen's block) and the generated pages in `docs/`.

The pages are rendered from the templates in `archgen/publish/templates/` into a staging directory,
checked against what is on disk (see `archgen.publish.owned`), then moved into place.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from archgen.controls.accept import Review
from archgen.controls.catalogue import DOMAINS
from archgen.controls.findings import Status
from archgen.errors import OutputError
from archgen.model.access import access_of
from archgen.model.graph import Graph
from archgen.publish import bounded, commit, guard, owned, staged
from archgen.publish.accepted import accepted_rows, decision_labels
from archgen.publish.changes import render_changes
from archgen.publish.config import ASSET_DIR
from archgen.publish.datarows import data_rows
from archgen.publish.diagram_feed import DiagramFeed, drawing
from archgen.publish.downloads import Download, reproduce, write_downloads
from archgen.publish.escape import as_markup
from archgen.publish.filters import CATEGORY_TITLES, content_filter_rows
from archgen.publish.foundry_rows import data_source_rows, foundry_view
from archgen.publish.gateway_rows import gateway_rows
from archgen.publish.hub_rows import hub_rows
from archgen.publish.inputs import ProjectOptions, RunOutputs
from archgen.publish.netpath_rows import path_rows
from archgen.publish.pages import (
    DOMAIN_TITLES,
    SiteModel,
    WorkloadView,
    build_model,
    counts_badge,
)
from archgen.publish.policy_rows import control_policy_cells, expiry_note, policy_cells, policy_rows
from archgen.publish.resolution_rows import resolution_rows
from archgen.publish.shared import home_workloads, workload_settings, workloads_in_nav
from archgen.publish.sitepages import BY_KEY, page
from archgen.publish.templating import render
from archgen.publish.threats import threat_rows
from archgen.run import RunInfo

WORKLOAD_INDEX = page("workloads")  # outside workloads/, so no workload page can collide with it
ASSETS = ("archgen.css", "archgen.js")
MODE_TEXT = {
    "live": "Live discovery through Azure Resource Graph and ARM",
    "file": "Files given with archgen discover --from",
    "sample": "A sample input embedded in archgen",
}


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


def _render_pages(
    site: SiteModel,
    outputs: RunOutputs,
    docs: Path,
    downloads: list[Download],
    review: Review | None = None,
    feed: DiagramFeed | None = None,
) -> None:
    """Write the pages; with a `feed`, each workload page as soon as its diagram is drawn."""
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

    if site.workloads and not workloads_in_nav(site):
        write("workloads")
    write("shared")
    write("data", rows=data_rows(graph, site))
    write("controls")
    for cv in site.controls:
        cells = control_policy_cells(graph, cv.control.id, (fv.finding.resource for fv, _w in cv.where))
        write("control", cv.slug, cv=cv, policy=cells)
    write(
        "evidence",
        scope_rows=_scope_rows(run),
        downloads=downloads,
        reproduce=reproduce(run, outputs.snapshot_json is not None),
    )
    # while the workers draw the workload diagrams (see archgen.publish.diagram_feed)
    if feed is not None:
        feed.draw_estate()
    _write_home(write, site, graph)
    _write_workload_pages(write, site, graph, review, site.workloads if feed is None else feed.workloads())
    _copy_assets(docs)


_Write = Callable[..., None]  # write(page key, slug, **template context)


def _write_home(write: _Write, site: SiteModel, graph: Graph) -> None:
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


def _write_workload_pages(
    write: _Write, site: SiteModel, graph: Graph, review: Review | None, workloads: Iterable[WorkloadView]
) -> None:
    domains = [(d, DOMAIN_TITLES[d]) for d in DOMAINS]
    dangling_by_source: dict[str, list[Any]] = {}
    for src, rel_, tgt in graph.dangling:
        dangling_by_source.setdefault(src, []).append((src, rel_, tgt))
    for w in workloads:
        dangling = [d for n in w.nodes for d in dangling_by_source.get(n.id, [])]
        governed = policy_rows(graph, w.workload.id)
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
            access=access_of(graph, w.workload.id),
            filters=content_filter_rows(graph, w.workload.id),
            filter_categories=tuple(CATEGORY_TITLES.values()),
            network=path_rows(graph, w.workload.id),
            foundry=foundry_view(graph, w.workload.id),
            hubs=hub_rows(graph, w.workload.id),
            data_sources=data_source_rows(graph, w.workload.id, (fv.finding for fv in w.findings)),
            fronts=gateway_rows(graph, w.workload.id),
            resolution=resolution_rows(graph, w.workload.id),
            threats=threat_rows(graph, w.workload.id),
            policy=governed,
            policy_cells=policy_cells(governed),
            policy_expiry=expiry_note(graph),
        )


def _copy_assets(docs: Path) -> None:
    assets = docs / ASSET_DIR
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        data = resources.files("archgen.publish").joinpath("templates", "assets", name).read_bytes()
        (assets / name).write_bytes(data)


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
    with drawing(outputs.graph, outputs.findings, site, docs, opts.png) as feed:
        downloads = write_downloads(docs, outputs.graph_json, outputs.snapshot_json, outputs.run.inputs)
        _render_pages(site, outputs, docs, downloads, opts.review, feed)
    if opts.changes is not None:
        render_changes(docs, opts.changes, site)

    return staged.install(out_dir, staging, site, opts)
