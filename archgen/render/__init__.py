"""Rendering workload diagrams (issue 4). Contract used by `archgen.publish` and the CLI:

    render_workload(graph, findings, workload_id, dest_dir, basename, png=True) -> DiagramFiles
    render_estate(graph, findings, dest_dir, basename, png=True) -> DiagramFiles | None

Pipeline: `describe` (graph + findings -> plain data) -> `graphviz` (DOT via `diagrams`, one `dot` run
for SVG, layout and, when asked, PNG) -> `svg` (icons embedded, paths and comments stripped) and `drawio`. Files are
written in a temporary directory next to the destination and moved into place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from archgen.controls.findings import Finding
from archgen.model.graph import Graph
from archgen.render import describe, drawio, graphviz, icons, svg


@dataclass(frozen=True)
class DiagramFiles:
    """The files of one diagram and sentences saying what was collapsed to keep it legible."""

    svg: Path
    png: Path | None  # None when the PNG was not asked for
    drawio: Path
    collapsed: tuple[str, ...]


def render_description(
    desc: describe.Description, dest_dir: Path, basename: str, png: bool = True
) -> DiagramFiles:
    """Lay out and write `dest_dir/basename.{svg,drawio}` (and `.png` when `png`) atomically (per file)."""
    dest_dir = Path(dest_dir).resolve()
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".archgen-render-", dir=dest_dir) as tmp:
        work = Path(tmp)
        out = graphviz.run_dot(graphviz.to_dot(desc), work, "diagram", png=png)
        used = {icons.icon_file(k) for k in (*desc.icons_used, *(n.icon for n in desc.nodes))}
        svg_text = svg.self_contained(out["svg"].read_text(encoding="utf-8"), used)
        (work / "final.svg").write_text(svg_text, encoding="utf-8")
        (work / "final.drawio").write_text(
            drawio.to_drawio(desc, out["json"].read_text(encoding="utf-8")), encoding="utf-8"
        )
        files = DiagramFiles(
            svg=dest_dir / f"{basename}.svg",
            png=dest_dir / f"{basename}.png" if png else None,
            drawio=dest_dir / f"{basename}.drawio",
            collapsed=desc.collapsed,
        )
        os.replace(work / "final.svg", files.svg)
        if files.png is not None:
            os.replace(out["png"], files.png)
        os.replace(work / "final.drawio", files.drawio)
    return files


def render_workload(
    graph: Graph,
    findings: Sequence[Finding],
    workload_id: str,
    dest_dir: Path,
    basename: str,
    png: bool = True,
) -> DiagramFiles:
    """The diagram of one workload (subscriptions by their display names when the graph has them)."""
    desc = describe.describe_workload(graph, findings, workload_id)
    return render_description(desc, dest_dir, basename, png)


def render_estate(
    graph: Graph,
    findings: Sequence[Finding],
    dest_dir: Path,
    basename: str,
    subscription_names: Mapping[str, str] | None = None,
    png: bool = True,
) -> DiagramFiles | None:
    """The estate overview (all workloads, shared resources once); None with fewer than 2 workloads."""
    desc = describe.describe_estate(graph, findings, subscription_names)
    return None if desc is None else render_description(desc, dest_dir, basename, png)


__all__ = ["DiagramFiles", "render_description", "render_estate", "render_workload"]
