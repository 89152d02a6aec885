"""Render benchmark (issue 4): one workload of the regulated-vwan sample, and the estate of 100 workloads.

Run: `python -m benchmarks.bench_render`. Targets: under 1 s per workload (median of 5), under 60 s for
the 100-workload estate. Each figure includes the whole pipeline after the graph: description, DOT,
one `dot` run (SVG + PNG + layout), SVG embedding, draw.io and the atomic moves.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.model.builder import build, iter_rows
from archgen.render import render_estate, render_workload
from benchmarks.generate import generate_rows

SAMPLE = Path(__file__).resolve().parent.parent / "archgen" / "samples" / "regulated-vwan.json"


def main() -> None:
    graph = build(load_files([SAMPLE]))
    findings = evaluate(graph)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(5):
            start = time.perf_counter()
            render_workload(graph, findings, graph.workloads[0].id, Path(tmp), f"w{i}")
            times.append(time.perf_counter() - start)
    rows = json.loads(json.dumps(generate_rows(accounts=100, subscriptions=20, rows_target=3000)))
    estate_graph = build(iter_rows(rows, "bench"))
    estate_findings = evaluate(estate_graph)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        files = render_estate(estate_graph, estate_findings, Path(tmp), "estate")
        estate_s = time.perf_counter() - start
        collapsed = files.collapsed if files else ()
    print(
        json.dumps(
            {
                "cores": os.cpu_count(),
                "workload_regulated_vwan_median_s": round(statistics.median(times), 3),
                "workload_runs_s": [round(t, 3) for t in times],
                "estate_workloads": len(estate_graph.workloads),
                "estate_s": round(estate_s, 3),
                "estate_collapsed": list(collapsed),
                "targets": {"workload_s": 1.0, "estate_s": 60.0},
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
