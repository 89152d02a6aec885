"""Site benchmark (issue 5): generate the MkDocs project for an estate of 100 workloads and build it.

Run: `python -m benchmarks.bench_site [--workloads N]`. Target: under 90 s in total on 2 cores.
Prints the time of each stage (graph + findings, diagrams and pages, `mkdocs build --strict`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.document import dumps_graph
from archgen.model.builder import build, iter_rows
from archgen.publish import write_project
from archgen.publish.bundle import build_site
from archgen.run import InputFile, RunInfo
from benchmarks.generate import generate_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workloads", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="write the project here instead of a temporary directory")
    args = parser.parse_args()

    rows = generate_rows(accounts=args.workloads, subscriptions=max(1, args.workloads // 10), rows_target=0)
    rows = json.loads(json.dumps(rows))
    t0 = time.perf_counter()
    graph = build(iter_rows(rows, "bench.json"))
    findings = evaluate(graph)
    catalogue = load()
    graph_json = dumps_graph(graph, findings, catalogue)
    t1 = time.perf_counter()
    run = RunInfo(
        "bench",
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:01Z",
        "file",
        [InputFile("bench.json", "0" * 64, len(rows))],
    )

    with tempfile.TemporaryDirectory(prefix="archgen-bench-site-") as tmp:
        out = args.keep or Path(tmp)
        config = write_project(out, graph, findings, catalogue, run, graph_json, None, force=True)
        t2 = time.perf_counter()
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        build_site(config.parent, out / "site")  # the same strict build `archgen bundle` runs
        t3 = time.perf_counter()
        pages = sum(1 for _ in (out / "site").rglob("*.html"))

    total = t3 - t0
    print(
        f"site benchmark: {len(graph.workloads)} workloads, {len(graph.nodes)} nodes, {len(findings)} findings, {pages} HTML pages"
    )
    print(f"  graph + findings       {t1 - t0:6.1f} s")
    print(f"  write_project          {t2 - t1:6.1f} s  (diagrams, pages, atomic move)")
    print(f"  mkdocs build --strict  {t3 - t2:6.1f} s")
    print(f"  total                  {total:6.1f} s  (target < 90 s) on {os.cpu_count()} core(s)")
    if total >= 90:
        sys.exit(1)


if __name__ == "__main__":
    main()
