"""Site benchmark (issue 14): archgen writing the MkDocs project, then `mkdocs build --strict`, for
estates of 100, 600 and 2,000 workloads (one subscription per ten workloads, one shared DNS zone).

Run: `python -m benchmarks.bench_site [--workloads 100,600,2000] [--png] [--keep DIR] [--no-mkdocs]`
(`--no-mkdocs`: archgen's writing only, repeated `--repeat` times, medians reported).
Targets at 2,000 workloads: writing ≤ 60 s, mkdocs build ≤ 180 s and ≤ 1 GiB peak, output linear in
workloads (exponents ≈ 1). Writing is wall time of `write_project` (diagrams run `dot` in threads);
mkdocs is wall time and peak RSS of the build process. On a shared machine wall times are inflated.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.document import dumps_graph
from archgen.model.builder import build, iter_rows
from archgen.publish import ProjectOptions, RunOutputs, write_project
from archgen.run import InputFile, RunInfo
from benchmarks.bench_core import exponent
from benchmarks.generate import generate_rows


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def mkdocs_build(project: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of `mkdocs build --strict` in a child process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(project / "mkdocs.yml")]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=project, env=env, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build --strict failed: {stderr.strip()[-500:]}")
    return wall, usage.ru_maxrss / 1024


def measure(workloads: int, out: Path, png: bool, mkdocs: bool = True) -> dict[str, Any]:
    rows = generate_rows(accounts=workloads, subscriptions=max(1, workloads // 10), rows_target=0)
    graph = build(iter_rows(json.loads(json.dumps(rows)), "bench.json"))
    findings = evaluate(graph)
    catalogue = load()
    graph_json = dumps_graph(graph, findings, catalogue)
    run = RunInfo(
        "bench",
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:01Z",
        "file",
        [InputFile("bench.json", "0" * 64, 0)],
    )
    start, cpu = time.perf_counter(), time.process_time()
    children = os.times()
    write_project(
        out, RunOutputs(graph, findings, catalogue, run, graph_json), ProjectOptions(force=True, png=png)
    )
    after = os.times()
    write = time.perf_counter() - start
    # worker processes and their `dot` children: user and system time, as process_time counts its own
    spent = after.children_user - children.children_user + after.children_system - children.children_system
    write_cpu = time.process_time() - cpu + spent
    build_wall, build_peak = mkdocs_build(out) if mkdocs else (0.0, 0.0)
    return {
        "workloads": len(graph.workloads),
        "write_s": write,
        "write_cpu_s": write_cpu,
        "docs_mb": size_mb(out / "docs"),
        "mkdocs_s": build_wall,
        "mkdocs_peak_mib": build_peak,
        "site_mb": size_mb(out / "site") if mkdocs else 0.0,
        "search_mb": (out / "site" / "search" / "search_index.json").stat().st_size / 1e6 if mkdocs else 0.0,
        "max_workload_page_kb": max(p.stat().st_size for p in (out / "docs" / "workloads").glob("*.md"))
        / 1e3,
    }


def _median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The first run's sizes with the median wall and CPU times of all runs."""
    out = dict(runs[0])
    for key in ("write_s", "write_cpu_s", "mkdocs_s", "mkdocs_peak_mib"):
        out[key] = statistics.median(r[key] for r in runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workloads", default="100,600,2000")
    parser.add_argument("--png", action="store_true", help="render PNGs too (archgen discover --png)")
    parser.add_argument("--keep", type=Path, help="write the projects under this directory")
    parser.add_argument("--no-mkdocs", action="store_true", help="time archgen's writing only")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (medians reported)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.workloads.split(",")]
    print(f"site benchmark on {os.cpu_count()} core(s), png={args.png}, medians of {args.repeat} run(s)")
    print(
        f"{'workloads':>9} {'write':>8} {'(CPU)':>8} {'docs MB':>8} {'mkdocs':>8} {'peak MiB':>9} "
        f"{'site MB':>8} {'search MB':>9} {'page kB':>8}"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="archgen-bench-site-") as tmp:
        for n in sizes:
            out = (args.keep or Path(tmp)) / f"site-{n}"
            r = _median_of([measure(n, out, args.png, not args.no_mkdocs) for _ in range(args.repeat)])
            results.append(r)
            print(
                f"{r['workloads']:9d} {r['write_s']:7.1f}s {r['write_cpu_s']:7.1f}s {r['docs_mb']:8.1f} "
                f"{r['mkdocs_s']:7.1f}s {r['mkdocs_peak_mib']:9.0f} {r['site_mb']:8.1f} {r['search_mb']:9.1f} "
                f"{r['max_workload_page_kb']:8.1f}",
                flush=True,
            )
    if len(results) >= 2:
        keys = ("write_s", "docs_mb") if args.no_mkdocs else ("write_s", "mkdocs_s", "docs_mb", "site_mb")
        for key in keys:
            k = exponent([(r["workloads"], r[key]) for r in results])
            print(f"exponent of {key} over workloads: {k:.2f}")


if __name__ == "__main__":
    main()
