"""One measured run in a fresh interpreter, for the benchmarks: CPU seconds, wall seconds, peak RSS.

`python -m benchmarks.measure json FILE` times `json.load` of FILE (the yardstick);
`python -m benchmarks.measure cli ARG...` times `archgen ARG...` in-process (the CLI path, imports
included). Prints one JSON line: {"cpu": s, "wall": s, "peak_mib": MiB}. Peak RSS includes the
interpreter, as a user's `time -v` would.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from typing import Any


def _usage(start_wall: float, start_cpu: float) -> dict[str, float]:
    return {
        "cpu": time.process_time() - start_cpu,
        "wall": time.perf_counter() - start_wall,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run(mode: str, args: list[str]) -> dict[str, Any]:
    """Measure in a child interpreter (so peak memory is that run's own)."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", mode, *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"measure {mode} {args} failed ({proc.returncode}): {proc.stderr.strip()[-400:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    mode, args = sys.argv[1], sys.argv[2:]
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    if mode == "json":
        with open(args[0], encoding="utf-8") as handle:
            json.load(handle)
    else:
        from archgen.cli import cli

        cli.main(args, standalone_mode=False)
    print(json.dumps(_usage(start_wall, start_cpu)))


if __name__ == "__main__":
    main()
