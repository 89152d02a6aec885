"""Regenerate the byte-identity references: `python -m tests.golden.regenerate` (from the repository root).

Writes, for every embedded sample, the graph document exactly as `archgen discover --sample NAME --json`
writes it (`tests/golden/graph/NAME.json`) and the SHA-256 of each rendered diagram's SVG and draw.io
files (`tests/golden/diagrams/NAME.json`). Run it only after checking that a change of output is
intended (for instance new control verdicts); `tests/test_golden_outputs.py` compares against these.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.document import dumps_graph
from archgen.model.builder import build
from archgen.naming import workload_slugs
from archgen.pipeline import sample_names, sample_path
from archgen.render import render_estate, render_workload

HERE = Path(__file__).resolve().parent


def graph_document(name: str) -> str:
    """The graph document of an embedded sample, as the CLI writes it."""
    graph = build(load_files([sample_path(name)]))
    return dumps_graph(graph, evaluate(graph), load())


def diagram_digests(name: str, png: bool = True) -> dict[str, dict[str, str]]:
    """{diagram: {svg: sha256, drawio: sha256}} for every workload diagram and the estate overview
    (`png`: whether `dot` also rasterises, which must not change the SVG)."""
    graph = build(load_files([sample_path(name)]))
    findings = evaluate(graph)
    slugs = workload_slugs(graph)
    out: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="archgen-golden-") as tmp:
        dest = Path(tmp)
        rendered = [
            (slugs[w.id], render_workload(graph, findings, w.id, dest, slugs[w.id], png=png))
            for w in graph.workloads
        ]
        estate = render_estate(graph, findings, dest, "estate-overview", png=png)
        if estate is not None:
            rendered.append(("estate-overview", estate))
        for key, files in rendered:
            out[key] = {
                "svg": hashlib.sha256(files.svg.read_bytes()).hexdigest(),
                "drawio": hashlib.sha256(files.drawio.read_bytes()).hexdigest(),
            }
    return dict(sorted(out.items()))


def main() -> None:
    for name in sample_names():
        (HERE / "graph").mkdir(exist_ok=True)
        (HERE / "graph" / f"{name}.json").write_text(graph_document(name), encoding="utf-8", newline="\n")
        (HERE / "diagrams").mkdir(exist_ok=True)
        (HERE / "diagrams" / f"{name}.json").write_text(
            json.dumps(diagram_digests(name), indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"regenerated tests/golden/graph/{name}.json and tests/golden/diagrams/{name}.json")


if __name__ == "__main__":
    main()
