"""The site of a large estate (issue 14): a workload page shows what concerns that workload, the
navigation lists one Workloads page instead of every workload, and PNGs are rendered only on request."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Graph
from archgen.model.types import dns, network
from archgen.publish.config import block_yaml, nav
from archgen.publish.escape import safe_title
from archgen.publish.inputs import RunOutputs
from archgen.publish.pages import build_model
from archgen.publish.project import _render_pages
from archgen.publish.shared import NAV_WORKLOADS, home_workloads
from archgen.run import InputFile, RunInfo
from benchmarks.generate import generate_rows
from tests.test_publish_site import generate, mkdocs_build

RUN = RunInfo(
    "0.1.0", "2026-11-28T10:00:00Z", "2026-11-28T10:00:01Z", "file", [InputFile("t.json", "0" * 64, 1)]
)
LINK = re.compile(r"\]\(workloads/([a-z0-9-]+)\.md\)")


def pages(accounts: int, docs: Path) -> Graph:
    """The pages (no diagrams) of a generated estate with one shared private DNS zone."""
    graph = build(iter_rows(generate_rows(accounts, max(1, accounts // 5), 0), "gen.json"))
    findings = evaluate(graph)
    site = build_model(graph, findings, load())
    _render_pages(site, RunOutputs(graph, findings, load(), RUN, ""), docs, [])
    return graph


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    docs = tmp_path_factory.mktemp("large") / "docs"
    return pages(NAV_WORKLOADS + 10, docs), docs


def test_large_estate_nav_has_one_workloads_page_not_an_entry_per_workload(large: tuple[Graph, Path]) -> None:
    graph, _ = large
    site = build_model(graph, evaluate(graph), load())
    config = yaml.safe_load(block_yaml(site, [], set()))
    assert {"Workloads": "all-workloads.md"} in config["nav"]
    assert not any("workloads/" in str(entry) for entry in config["nav"])
    assert config["not_in_nav"].split() == ["/workloads/*.md", "/controls/*.md"]
    controls = next(e["Controls catalogue"] for e in config["nav"] if "Controls catalogue" in e)
    assert controls == [{"Overview": "controls/index.md"}]  # the overview's table links every control


def test_controls_overview_links_every_control_page(large: tuple[Graph, Path]) -> None:
    _, docs = large
    text = (docs / "controls" / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([a-z0-9-]+)\.md\)", text))
    assert linked == {p.stem for p in (docs / "controls").glob("*.md")} - {"index"}


def test_workloads_page_links_every_workload_and_has_a_filter(large: tuple[Graph, Path]) -> None:
    graph, docs = large
    text = (docs / "all-workloads.md").read_text(encoding="utf-8")
    assert set(LINK.findall(text)) == {p.stem for p in (docs / "workloads").glob("*.md")}
    assert len(LINK.findall(text)) == len(graph.workloads)
    assert '<input type="search" class="ag-filter"' in text


def test_large_estate_home_lists_the_workloads_with_most_failures(large: tuple[Graph, Path]) -> None:
    graph, docs = large
    site = build_model(graph, evaluate(graph), load())
    text = (docs / "index.md").read_text(encoding="utf-8")
    table = text.split("## Workloads", 1)[1].split("## ", 1)[0]
    assert set(LINK.findall(table)) == {w.slug for w in home_workloads(site)}
    assert len(home_workloads(site)) == NAV_WORKLOADS
    worst = max(
        w.total["fail"] if False else w.total[w.findings[0].finding.status]
        for w in site.workloads
        if w.findings
    )
    assert worst >= 0
    fails = sorted(
        (w.total.get(s, 0) for w in site.workloads for s in w.total if s.value == "fail"), reverse=True
    )
    shown = sorted(
        (w.total.get(s, 0) for w in home_workloads(site) for s in w.total if s.value == "fail"), reverse=True
    )
    assert shown == fails[:NAV_WORKLOADS]
    assert "[Workloads](all-workloads.md)" in table


def test_small_estate_nav_lists_each_workload() -> None:
    graph = build(iter_rows(generate_rows(3, 1, 0), "gen.json"))
    site = build_model(graph, evaluate(graph), load())
    entries = nav(site, [])
    workloads = next(e["Workloads"] for e in entries if "Workloads" in e)
    assert {next(iter(e.values())) for e in workloads} == {f"workloads/{w.slug}.md" for w in site.workloads}
    controls = next(e["Controls catalogue"] for e in entries if "Controls catalogue" in e)
    assert {next(iter(e.values())) for e in controls[1:]} == {f"controls/{c.slug}.md" for c in site.controls}
    assert "not_in_nav" not in yaml.safe_load(block_yaml(site, [], set()))


def test_workload_page_lists_its_own_dns_records_and_links_and_counts_the_rest(
    large: tuple[Graph, Path],
) -> None:
    graph, docs = large
    zone = next(n for n in graph.nodes.values() if isinstance(n.attrs, dns.PrivateDnsZone))
    assert isinstance(zone.attrs, dns.PrivateDnsZone)
    site = build_model(graph, evaluate(graph), load())
    for w in site.workloads[:5]:
        text = html.unescape((docs / "workloads" / f"{w.slug}.md").read_text(encoding="utf-8"))
        members = {n.id for n in w.nodes}
        shown = {r.fqdn for r in zone.attrs.a_records if r.fqdn in text}
        own = {
            str(e.attributes["fqdn"])
            for m in members
            for e in graph.into(m)
            if e.source == zone.id and "fqdn" in e.attributes
        }
        assert shown == own and own
        assert f"{len(zone.attrs.links)} link(s) and {len(zone.attrs.a_records)} A record(s)" in text


def test_workload_page_lists_only_its_own_peerings_of_a_shared_hub(large: tuple[Graph, Path]) -> None:
    graph, docs = large
    hub = next(n for n in graph.nodes.values() if n.name == "vnet-hub")
    assert isinstance(hub.attrs, network.VirtualNetwork)
    site = build_model(graph, evaluate(graph), load())
    for w in site.workloads[:5]:
        text = html.unescape((docs / "workloads" / f"{w.slug}.md").read_text(encoding="utf-8"))
        members = {n.id for n in w.nodes}
        shown = {p.remote_id for p in hub.attrs.peerings if f"{p.remote_id.rsplit('/', 1)[-1]} (" in text}
        assert shown == {p.remote_id for p in hub.attrs.peerings if p.remote_id in members}
        assert f"{len(hub.attrs.peerings)} peering(s), of which" in text


def test_workload_page_size_does_not_grow_with_the_estate(tmp_path: Path) -> None:
    sizes = {}
    for n in (NAV_WORKLOADS + 5, 3 * (NAV_WORKLOADS + 5)):
        docs = tmp_path / str(n)
        pages(n, docs)
        sizes[n] = max(p.stat().st_size for p in (docs / "workloads").glob("*.md"))
    small, big = sizes.values()
    assert big - small < 100  # a few more digits in the shared resources' totals, nothing per workload


def test_png_is_rendered_and_linked_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archgen.publish import project

    for png in (False, True):
        out = tmp_path / str(png)
        original = project.write_project
        monkeypatch.setattr(
            "tests.test_publish_site.write_project",
            lambda out, outputs, options, png=png, original=original: original(
                out, outputs, dataclasses.replace(options, png=png)
            ),
        )
        generate("estate", out)
        pngs = {p.relative_to(out / "docs").as_posix() for p in (out / "docs").rglob("*.png")}
        linked = set()
        for page in (out / "docs").rglob("*.md"):
            linked |= {
                m.removeprefix("../") for m in re.findall(r"\[PNG\]\(([^)]+)\)", page.read_text("utf-8"))
            }
        assert linked == pngs
        assert bool(pngs) is png


def test_large_estate_site_builds_strictly_with_every_workload_page(
    large: tuple[Graph, Path], tmp_path: Path
) -> None:
    graph, _ = large
    project = tmp_path / "project"
    from archgen.document import dumps_graph
    from archgen.publish import RunOutputs, write_project

    findings = evaluate(graph)
    write_project(project, RunOutputs(graph, findings, load(), RUN, dumps_graph(graph, findings, load())))
    site = mkdocs_build(project)
    assert {p.stem for p in (site / "workloads").iterdir()} == {
        w.slug for w in build_model(graph, findings, load()).workloads
    }
    assert (site / "all-workloads" / "index.html").exists()


def test_large_estate_workload_page_links_back_to_the_workloads_page(large: tuple[Graph, Path]) -> None:
    _, docs = large
    pages_ = list((docs / "workloads").glob("*.md"))
    assert pages_ and all("[All workloads](../all-workloads.md)" in p.read_text("utf-8") for p in pages_)


def test_small_estate_workload_page_has_no_back_link(tmp_path: Path) -> None:
    pages(3, tmp_path)
    assert not any("all-workloads.md" in p.read_text("utf-8") for p in (tmp_path / "workloads").glob("*.md"))


def test_users_own_not_in_nav_is_left_to_them(large: tuple[Graph, Path]) -> None:
    graph, _ = large
    site = build_model(graph, evaluate(graph), load())
    assert "not_in_nav" not in yaml.safe_load(block_yaml(site, [], {"not_in_nav"}))


def _front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    meta: dict[str, object] = yaml.safe_load(text.split("\n---\n", 1)[0][4:])
    return meta


def test_pages_outside_the_nav_carry_their_title(large: tuple[Graph, Path]) -> None:
    """MkDocs reads no title from an H1 holding character references ('aoai&#45;00000'): without a
    `title` the browser tab and the search results showed one made from the file name ('Aoai 00000')."""
    graph, docs = large
    site = build_model(graph, evaluate(graph), load())
    titles = {
        _front_matter((docs / "workloads" / f"{w.slug}.md").read_text(encoding="utf-8"))["title"]
        for w in site.workloads
    }
    assert titles == {safe_title(w.workload.name) for w in site.workloads}
    controls = {
        _front_matter((docs / "controls" / f"{cv.slug}.md").read_text(encoding="utf-8"))["title"]
        for cv in site.controls
    }
    assert controls == {safe_title(f"{cv.control.id}: {cv.control.title}") for cv in site.controls}


@given(st.text(max_size=120))
def test_a_safe_title_reads_back_from_yaml_unchanged(name: str) -> None:
    title = safe_title(name)
    assert yaml.safe_load(f'title: "{title}"') == {"title": title}


def test_each_reference_of_a_control_is_its_own_list_item(large: tuple[Graph, Path]) -> None:
    _, docs = large
    for cv in load().controls:
        text = (docs / "controls" / f"{cv.id.lower()}.md").read_text(encoding="utf-8")
        section = text.split("## References\n\n", 1)[1].split("\n\n", 1)[0]
        items = section.splitlines()
        assert len(items) == len(cv.references), cv.id
        assert all(line.startswith("- [") for line in items), cv.id


def test_the_controls_overview_table_is_styled_so_ids_do_not_break(large: tuple[Graph, Path]) -> None:
    _, docs = large
    text = (docs / "controls" / "index.md").read_text(encoding="utf-8")
    table = text.split('<div class="ag-catalogue" markdown>', 1)[1].split("</div>", 1)[0]
    assert len([line for line in table.splitlines() if line.startswith("| [")]) == len(load().controls)
    css = (Path(__file__).parents[1] / "archgen/publish/templates/assets/archgen.css").read_text("utf-8")
    assert ".ag-catalogue td:first-child { overflow-wrap: normal; white-space: nowrap; }" in css
