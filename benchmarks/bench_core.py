"""Core benchmark (issue 2): build the graph and findings for 100,000 rows / 2,000 accounts.

Run: `python -m benchmarks.bench_core`. Target: under 5 s and under 1 GB peak memory on 2 cores.
Peak memory is the process's maximum resident set size (getrusage), which includes the interpreter.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.document import dumps_graph
from archgen.model.builder import build, iter_rows
from benchmarks.generate import generate_rows


def main() -> None:
    rows = generate_rows(accounts=2000, subscriptions=1000, rows_target=100_000)
    # round-trip through JSON text so the rows are what a reader would hand the builder
    rows = json.loads(json.dumps(rows))
    times, cpu = [], []
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        graph = build(iter_rows(rows, "bench"))
        findings = evaluate(graph)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    # the whole user path: read the file, build, evaluate, write the graph document
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tenant.json"
        path.write_text(json.dumps({"data": rows}), encoding="utf-8")
        start = time.perf_counter()
        graph2 = build(load_files([path]))
        text = dumps_graph(graph2, evaluate(graph2), load())
        end_to_end = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"cores={os.cpu_count()} rows={len(rows)} workloads={len(graph.workloads)} nodes={len(graph.nodes)} "
        f"edges={len(graph.edges)} findings={len(findings)}"
    )
    print(
        f"build+evaluate: median {statistics.median(times):.2f} s wall, {statistics.median(cpu):.2f} s CPU "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}); peak RSS {peak_mb:.0f} MB"
    )
    print(f"file -> graph document ({len(text) / 1e6:.0f} MB of JSON): {end_to_end:.2f} s")


if __name__ == "__main__":
    main()
