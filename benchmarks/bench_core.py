"""Core benchmark (issue 14): the CLI path `archgen discover --from FILE --json OUT --no-site` against
`json.load` of the same file, at 10k, 30k, 100k and 300k rows (one account per 50 rows).

Run: `python -m benchmarks.bench_core [--sizes 10000,30000] [--repeat 3]`. Targets: CPU ≤ 2.5× json.load,
exponent of CPU over rows ≤ 1.1 (least-squares fit of log CPU on log rows), peak memory ≤ 1.5× json.load.
Each figure is the median of `--repeat` paired runs (json.load then the CLI), each in a fresh
interpreter; CPU time, so a busy shared machine inflates wall time more than the figures here.
Two pairs per repeat: in-process (`cli.main` timed inside the interpreter, freeing the run included)
and as processes (the `archgen` console script against `python -c` of `json.load`, user + system CPU
from the kernel, as `/usr/bin/time` reports them: what a user's run costs).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.generate import generate_rows
from benchmarks.measure import archgen_process, json_process, run, run_process

SIZES = (10_000, 30_000, 100_000, 300_000)


def exponent(points: list[tuple[float, float]]) -> float:
    """Slope of the least-squares line through (log x, log y)."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def measure_size(rows_target: int, repeat: int, tmp: Path) -> dict[str, float]:
    accounts = max(2, rows_target // 50)
    rows = generate_rows(accounts=accounts, subscriptions=max(1, accounts // 2), rows_target=rows_target)
    path = tmp / f"tenant-{rows_target}.json"
    path.write_text(json.dumps({"data": rows}), encoding="utf-8")
    out = tmp / f"graph-{rows_target}.json"
    args = ["discover", "--from", str(path), "--json", str(out), "--no-site", "--force", "-q"]
    base, cli, base_proc, cli_proc = [], [], [], []
    for _ in range(repeat):
        base.append(run("json", [str(path)]))
        cli.append(run("cli", args))
        base_proc.append(run_process(json_process(str(path))))
        cli_proc.append(run_process(archgen_process(args)))
    result = {
        "rows": float(len(rows)),
        "accounts": float(accounts),
        "json_cpu": statistics.median(r["cpu"] for r in base),
        "json_peak": statistics.median(r["peak_mib"] for r in base),
        "cli_cpu": statistics.median(r["cpu"] for r in cli),
        "cli_wall": statistics.median(r["wall"] for r in cli),
        "cli_peak": statistics.median(r["peak_mib"] for r in cli),
        "json_proc_cpu": statistics.median(r["cpu"] for r in base_proc),
        "cli_proc_cpu": statistics.median(r["cpu"] for r in cli_proc),
    }
    path.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"core benchmark on {os.cpu_count()} core(s); CPU medians of {args.repeat} paired run(s)")
    print(
        f"{'rows':>8} {'accts':>6} {'json.load':>10} {'archgen':>9} {'ratio':>6} {'peak MiB':>14} {'mem':>5}"
        f" | as processes: {'json.load':>9} {'archgen':>8} {'ratio':>6}"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="archgen-bench-core-") as tmp:
        for size in sizes:
            r = measure_size(size, args.repeat, Path(tmp))
            results.append(r)
            print(
                f"{r['rows']:8.0f} {r['accounts']:6.0f} {r['json_cpu']:9.2f}s {r['cli_cpu']:8.2f}s "
                f"{r['cli_cpu'] / r['json_cpu']:5.2f}× {r['cli_peak']:6.0f}/{r['json_peak']:<6.0f} "
                f"{r['cli_peak'] / r['json_peak']:4.2f}× | {r['json_proc_cpu']:22.2f}s "
                f"{r['cli_proc_cpu']:7.2f}s {r['cli_proc_cpu'] / r['json_proc_cpu']:5.2f}×",
                flush=True,
            )
    if len(results) >= 2:
        k = exponent([(r["rows"], r["cli_cpu"]) for r in results])
        print(f"fitted exponent of archgen CPU over rows: {k:.2f} (target ≤ 1.1)")


if __name__ == "__main__":
    main()
