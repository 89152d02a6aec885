"""Rendered files: self-contained SVG, parseable draw.io, PNG, determinism, atomic writes.

Graphviz runs are slow, so each sample is rendered once per module (`rendered` fixture).
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archgen.render import DiagramFiles, render_estate, render_workload
from tests.test_render_describe import sample

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
CASES = {
    "regulated-vwan": "workload",
    "quickstart": "workload",
    "hostile-names": "workload",
    "estate": "estate",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DiagramFiles]:
    out: dict[str, DiagramFiles] = {}
    dest = tmp_path_factory.mktemp("render")
    for name, what in CASES.items():
        graph, findings = sample(name)
        if what == "estate":
            files = render_estate(graph, findings, dest, name)
            assert files is not None
        else:
            files = render_workload(graph, findings, graph.workloads[0].id, dest, name)
        out[name] = files
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_svg_is_self_contained(rendered: dict[str, DiagramFiles], name: str) -> None:
    text = rendered[name].svg.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    images = list(root.iter(f"{SVG_NS}image"))
    assert images, "icons are drawn"
    for image in images:
        assert (image.get(XLINK) or image.get("href") or "").startswith("data:image/png;base64,")
    assert "<!DOCTYPE" not in text and "<!--" not in text
    assert not re.search(r"(/tmp/|/home/|/usr/|site-packages|\\\\|file:)", text)
    hrefs = re.findall(r'(?:xlink:)?href="([^"]*)"', text)
    assert all(h.startswith("data:") for h in hrefs)
    assert "url(http" not in text and "@import" not in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_drawio_parses_and_holds_every_node(rendered: dict[str, DiagramFiles], name: str) -> None:
    root = ET.fromstring(rendered[name].drawio.read_text(encoding="utf-8"))
    cells = root.findall(".//mxCell")
    ids = [c.get("id") for c in cells]
    assert len(ids) == len(set(ids))
    for edge in (c for c in cells if c.get("edge") == "1"):
        assert edge.get("source") in ids and edge.get("target") in ids
    styles = " ".join(c.get("style") or "" for c in cells)
    assert "img/lib/azure2/" in styles


@pytest.mark.parametrize("name", sorted(CASES))
def test_drawio_vertices_sit_inside_their_container(rendered: dict[str, DiagramFiles], name: str) -> None:
    root = ET.fromstring(rendered[name].drawio.read_text(encoding="utf-8"))
    geometry = {}
    for cell in root.iter("mxCell"):
        geo = cell.find("mxGeometry")
        if cell.get("vertex") == "1" and geo is not None:
            geometry[cell.get("id")] = (
                cell.get("parent"),
                *(float(geo.get(k, "0")) for k in ("x", "y", "width", "height")),
            )
    for parent, x, y, w, h in geometry.values():
        if parent in geometry:
            _, _, _, pw, ph = geometry[parent]
            assert x >= 0 and x + w <= pw + 1 and y >= 0 and y + h <= ph + 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_png_is_written(rendered: dict[str, DiagramFiles], name: str) -> None:
    assert rendered[name].png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_hostile_tags_never_reach_the_files(rendered: dict[str, DiagramFiles]) -> None:
    for path in (rendered["hostile-names"].svg, rendered["hostile-names"].drawio):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "onerror" not in text


def test_render_is_byte_identical_twice(rendered: dict[str, DiagramFiles], tmp_path: Path) -> None:
    graph, findings = sample("regulated-vwan")
    again = render_workload(graph, findings, graph.workloads[0].id, tmp_path, "again")
    first = rendered["regulated-vwan"]
    assert again.svg.read_bytes() == first.svg.read_bytes()
    assert again.drawio.read_bytes() == first.drawio.read_bytes()


def test_nothing_is_left_in_cwd_or_dest_but_the_three_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    graph, findings = sample("quickstart")
    dest = tmp_path / "dest"
    files = render_workload(graph, findings, graph.workloads[0].id, dest, "q")
    assert os.listdir(cwd) == []
    assert sorted(os.listdir(dest)) == ["q.drawio", "q.png", "q.svg"]
    assert files.collapsed == ()


def test_estate_of_one_workload_is_none(tmp_path: Path) -> None:
    graph, findings = sample("quickstart")
    assert render_estate(graph, findings, tmp_path, "estate") is None
    assert os.listdir(tmp_path) == []
