"""Pages written while the diagrams are drawn (archgen.publish.diagram_feed, issue 14): the project is
the same bytes as drawing every diagram first, each workload page quotes its own diagram, and an error
while the workers draw stops the run without leaving workers behind."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.document import dumps_graph
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Graph
from archgen.model.relations import Relation
from archgen.publish import ProjectOptions, RunOutputs, write_project
from archgen.publish import project as project_mod
from archgen.publish.diagram_feed import drawing
from archgen.publish.downloads import write_downloads
from archgen.publish.pages import Diagram, build_model
from archgen.publish.shared import _dns_records_into
from archgen.render import DiagramFiles, render_estate
from archgen.render.pool import _CURRENT, MIN_FOR_PROCESSES, render_workloads, rendering
from archgen.run import InputFile, RunInfo
from benchmarks.generate import generate_rows
from tests.test_publish_site import SAMPLE_DIR
from tests.test_render_describe import sample

RUN = RunInfo(
    "0.1.0", "2026-11-28T10:00:00Z", "2026-11-28T10:00:01Z", "file", [InputFile("t.json", "0" * 64, 1)]
)


def _outputs(name: str) -> RunOutputs:
    graph = build_graph(name)
    findings = evaluate(graph)
    catalogue = load()
    return RunOutputs(graph, findings, catalogue, RUN, dumps_graph(graph, findings, catalogue))


def _generated(accounts: int) -> RunOutputs:
    """An estate of `accounts` workloads: enough (>= MIN_FOR_PROCESSES) for the worker processes."""
    graph = build(iter_rows(generate_rows(accounts, 2, 0), "gen.json"))
    findings = evaluate(graph)
    catalogue = load()
    return RunOutputs(graph, findings, catalogue, RUN, dumps_graph(graph, findings, catalogue))


def build_graph(name: str) -> Graph:
    return build(load_files([SAMPLE_DIR / f"{name}.json"]))


def _diagram(docs: Path, files: DiagramFiles) -> Diagram:
    def rel(p: Path) -> str:
        return p.resolve().relative_to(docs.resolve()).as_posix()

    return Diagram(rel(files.svg), None, rel(files.drawio), tuple(files.collapsed))


def _diagrams_first(outputs: RunOutputs, docs: Path) -> None:
    """The order before the overlap: every diagram drawn, then the pages."""
    site = build_model(outputs.graph, outputs.findings, outputs.catalogue)
    dest = docs / "diagrams"
    dest.mkdir(parents=True)
    items = [(w.workload.id, w.slug) for w in site.workloads]
    drawn = render_workloads((outputs.graph, outputs.findings, dest, False), items)
    for w, files in zip(site.workloads, drawn, strict=True):
        w.diagram = _diagram(docs, files)
    estate = render_estate(outputs.graph, outputs.findings, dest, "estate", png=False)
    if estate is not None:
        site.estate_diagram = _diagram(docs, estate)
    downloads = write_downloads(docs, outputs.graph_json, None, RUN.inputs)
    project_mod._render_pages(site, outputs, docs, downloads)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ["estate", "regulated-vwan", "generated"])
def test_overlapped_project_is_the_bytes_of_drawing_every_diagram_first(tmp_path: Path, name: str) -> None:
    outputs = _generated(MIN_FOR_PROCESSES + 2) if name == "generated" else _outputs(name)
    write_project(tmp_path / "site", outputs, ProjectOptions(force=True))
    _diagrams_first(outputs, tmp_path / "reference")
    reference = _tree(tmp_path / "reference")
    written = _tree(tmp_path / "site" / "docs")
    assert {k for k in reference if k.startswith("workloads/")}, "the sample has workload pages"
    assert {k: written.get(k) for k in reference} == reference


def test_each_workload_page_links_its_own_diagram(tmp_path: Path) -> None:
    outputs = _generated(MIN_FOR_PROCESSES + 2)
    docs = write_project(tmp_path, outputs, ProjectOptions(force=True)).parent / "docs"
    site = build_model(outputs.graph, outputs.findings, outputs.catalogue)
    assert len(site.workloads) >= MIN_FOR_PROCESSES
    for w in site.workloads:
        page = (docs / "workloads" / f"{w.slug}.md").read_text(encoding="utf-8")
        assert f"diagrams/{w.slug}.svg" in page


def test_feed_gives_each_workload_its_diagram_in_site_order(tmp_path: Path) -> None:
    outputs = _outputs("estate")
    site = build_model(outputs.graph, outputs.findings, outputs.catalogue)
    with drawing(outputs.graph, outputs.findings, site, tmp_path) as feed:
        seen = [(w.slug, w.diagram.svg if w.diagram else None) for w in feed.workloads()]
    assert seen == [(w.slug, f"diagrams/{w.slug}.svg") for w in site.workloads]


def test_an_error_while_drawing_stops_the_workers_and_propagates(tmp_path: Path) -> None:
    graph, findings = sample("estate")
    items = [(w.id, f"w{n:02d}") for n, w in enumerate(graph.workloads)] * 4
    with (
        pytest.raises(RuntimeError, match="page failed"),
        rendering((graph, findings, tmp_path, False), items, processes=True) as drawn,
    ):
        next(drawn)
        raise RuntimeError("page failed")
    assert not multiprocessing.active_children(), "no worker is left running"
    assert not _CURRENT, "the batch is forgotten"


@pytest.mark.parametrize("name", ["estate", "regulated-vwan", "generated"])
def test_dns_record_index_is_what_into_gives(name: str) -> None:
    graph = _generated(MIN_FOR_PROCESSES + 2).graph if name == "generated" else build_graph(name)
    index = _dns_records_into(graph)
    assert any(index.values()), "the input has DNS records"
    for node_id in graph.nodes:
        assert index.get(node_id, []) == graph.into(node_id, Relation.DNS_RECORD_FOR)
