"""Core benchmark (issue 2): build the graph and findings for 100,000 rows / 2,000 accounts.

Run: `python -m benchmarks.bench_core`. Target: under 5 s and under 1 GB peak memory on 2 cores.
Peak memory is the process's maximum resident set size (getrusage), which includes the interpreter.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time

from archgen.controls.engine import evaluate
from archgen.model.builder import build, iter_rows
from benchmarks.generate import generate_rows


def main() -> None:
    rows = generate_rows(accounts=2000, subscriptions=1000, rows_target=100_000)
    # round-trip through JSON text so the rows are what a reader would hand the builder
    rows = json.loads(json.dumps(rows))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        graph = build(iter_rows(rows, "bench"))
        findings = evaluate(graph)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"cores={os.cpu_count()} rows={len(rows)} workloads={len(graph.workloads)} nodes={len(graph.nodes)} "
        f"edges={len(graph.edges)} findings={len(findings)}"
    )
    print(
        f"build+evaluate: median {statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}); "
        f"peak RSS {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
