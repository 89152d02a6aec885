"""Many diagrams at once (archgen.render.pool): forked workers write the same bytes as one process, in
the order asked for, and a missing `dot` is reported before any worker starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen.controls.findings import Finding
from archgen.errors import MissingProgramError
from archgen.model.graph import Graph
from archgen.render import render_workload
from archgen.render.pool import render_workloads
from tests.test_render_describe import sample


def _items() -> tuple[Graph, list[Finding], list[tuple[str, str]]]:
    graph, findings = sample("estate")
    items = [(w.id, f"w{n:02d}") for n, w in enumerate(graph.workloads)]
    return graph, findings, items


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("processes", [True, False], ids=["processes", "threads"])
def test_pool_writes_what_one_process_writes_in_the_order_asked(tmp_path: Path, processes: bool) -> None:
    graph, findings, items = _items()
    assert len(items) >= 2, "the estate sample holds several workloads"
    items = list(reversed(items))  # an order that is not the graph's
    one = tmp_path / "one"
    for wid, slug in items:
        render_workload(graph, findings, wid, one, slug, png=False)
    pooled = tmp_path / "pooled"
    files = render_workloads((graph, findings, pooled, False), items, processes=processes)
    assert [f.svg.name for f in files] == [f"{slug}.svg" for _, slug in items]
    assert all(f.png is None for f in files)
    assert _bytes(pooled) == _bytes(one)
    assert {f.svg.parent for f in files} == {pooled.resolve()}


def test_pool_with_png_renders_one_png_per_diagram(tmp_path: Path) -> None:
    graph, findings, items = _items()
    files = render_workloads((graph, findings, tmp_path, True), items[:2], processes=True)
    assert [f.png.name if f.png else None for f in files] == [f"{slug}.png" for _, slug in items[:2]]
    assert all(f.png is not None and f.png.read_bytes().startswith(b"\x89PNG") for f in files)


def test_nothing_to_render_starts_nothing(tmp_path: Path) -> None:
    graph, findings, _ = _items()
    assert render_workloads((graph, findings, tmp_path, False), []) == []


def test_missing_dot_is_reported_by_the_calling_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph, findings, items = _items()
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(MissingProgramError, match="'dot'"):
        render_workloads((graph, findings, tmp_path / "out", False), items, processes=True)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_failing_diagram_fails_the_call(tmp_path: Path) -> None:
    graph, findings, items = _items()
    bad = [*items, ("/subscriptions/00000000-0000-0000-0000-000000000000/nope", "nope")]
    with pytest.raises(KeyError, match="no workload"):
        render_workloads((graph, findings, tmp_path, False), bad, processes=True)
