"""Live-discovery benchmark (issue 3) against the loopback ARG/ARM server in its own process.

Run: `python -m benchmarks.bench_discovery [--arg-only] [--accounts N --resources M --subscriptions S]`;
by default the run includes the ARM reads (diagnostic settings and model deployments, four per
workload, through azure-core's asynchronous pipeline); `--arg-only` measures Resource Graph alone.
Tenant: 2,000 accounts among 100,000 resources in 1,000 subscriptions; quota emulation 15 requests per
5 seconds. Reports requests, rows, wall time, the ratio of wall time to the quota-implied minimum
(requests / 3 per second), client CPU as a share of wall time (this process only: the server runs in
another), the 429s met and the core count. Targets: requests within 10% of ceil(rows / 1000) + one per
hop and batch; no 429; wall time within 1.2x of the minimum; client CPU under 10% of wall time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from archgen.discovery import live

REPO = Path(__file__).resolve().parent.parent


class StaticToken:
    def get_token(self, *scopes: str, **kwargs: object) -> object:
        from azure.core.credentials import AccessToken

        return AccessToken("test-token", int(time.time()) + 3600)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_discovery")
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--quota", type=int, default=15)
    parser.add_argument("--window", type=float, default=5.0)
    parser.add_argument(
        "--arg-only",
        action="store_true",
        help="Resource Graph alone: no diagnostic-settings or model-deployments reads through ARM",
    )
    parser.add_argument("--diagnostics", action="store_true", help="(the default; kept for old scripts)")
    args = parser.parse_args()

    t0 = time.monotonic()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.armserver",
            "--accounts",
            str(args.accounts),
            "--resources",
            str(args.resources),
            "--subscriptions",
            str(args.subscriptions),
            "--quota",
            str(args.quota),
            "--window",
            str(args.window),
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    hello = json.loads(server.stdout.readline())
    setup = time.monotonic() - t0
    try:
        options = live.LiveOptions(
            arm_endpoint=hello["url"],
            ca_bundle=hello["ca_bundle"],
            credential=StaticToken(),
            diagnostics=not args.arg_only,
            deployments=not args.arg_only,
            quiet=True,
        )
        cpu0, wall0 = time.process_time(), time.monotonic()
        snap = live.discover(live.Scope(), options)
        wall = time.monotonic() - wall0
        cpu = time.process_time() - cpu0
    finally:
        server.stdin.close()
        tail = server.stdout.read().strip().splitlines()
        server.wait(timeout=30)
    server_stats = json.loads(tail[-1]) if tail else {}

    stats = snap.stats
    requests = int(stats["requests"])
    batches = len(snap.queries)
    rows_read = sum(q.rows for q in snap.queries)
    expected = math.ceil(rows_read / 1000) + batches
    minimum = requests / (args.quota / args.window)
    figures = {
        "nproc": len(os.sched_getaffinity(0)),
        "tenant": {
            "accounts": args.accounts,
            "resources": args.resources,
            "subscriptions": args.subscriptions,
            "rows_in_tenant": hello["rows"],
            "server_setup_seconds": round(setup, 1),
        },
        "hops": stats["hops"],
        "queries_batches": batches,
        "requests": requests,
        "requests_expected_ceil_rows_plus_batches": expected,
        "requests_over_expected": round(requests / expected, 3),
        "rows_read": rows_read,
        "rows_unique": stats["rows"],
        "workloads_accounts": sum(
            1 for r in snap.rows if r.get("type") == "microsoft.cognitiveservices/accounts"
        ),
        "diagnostics_requests": stats["diagnostics_requests"],
        **(
            {"deployments_requests": stats["deployments_requests"]} if "deployments_requests" in stats else {}
        ),
        "wall_seconds": round(wall, 2),
        "quota_minimum_seconds": round(minimum, 2),
        "wall_over_minimum": round(wall / minimum, 3) if minimum else None,
        "client_cpu_seconds": round(cpu, 2),
        "client_cpu_share_of_wall": round(cpu / wall, 3),
        "client_cpu_target_share": 0.10,
        "arm_reads": int(stats["diagnostics_requests"]) + int(stats.get("deployments_requests", 0)),
        "429_seen_by_client": stats["throttled"],
        "429_from_quota_at_server": server_stats.get("quota_429"),
        "quota_waits": stats["quota_waits"],
        "warnings": len(snap.warnings),
        "server_unknown_shapes": len(server_stats.get("unknown", [])),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
