"""One measured run in a fresh interpreter, for the benchmarks: CPU seconds, wall seconds, peak RSS.

`python -m benchmarks.measure json FILE` times `json.load` of FILE (the yardstick);
`python -m benchmarks.measure cli ARG...` times `archgen ARG...` in-process (the CLI path, imports
included). Prints one JSON line: {"cpu": s, "wall": s, "peak_mib": MiB}. Peak RSS includes the
interpreter, as a user's `time -v` would.

`run_process` measures a whole process instead, as `/usr/bin/time` would (its user + system CPU from
`os.wait4`): `archgen` as its console script runs it, and `python -c` of `json.load` as the yardstick.
Both include starting the interpreter; the console script leaves without freeing the run
(`archgen.fastexit`), where the in-process figure includes freeing it (~0.1-0.15 s at 100k rows).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
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


def run_process(argv: list[str]) -> dict[str, float]:
    """CPU (user + system), wall and peak RSS of one process, from the kernel's account of it."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {stderr.strip()[-400:]}")
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "peak_mib": usage.ru_maxrss / 1024}


def json_process(path: str) -> list[str]:
    """`json.load` of `path` in its own interpreter (the yardstick of `run_process`)."""
    code = "import json, sys\nwith open(sys.argv[1], encoding='utf-8') as h: json.load(h)"
    return [sys.executable, "-c", code, path]


def archgen_process(args: list[str]) -> list[str]:
    """The `archgen` console script beside this interpreter, as a user runs it."""
    return [str(Path(sys.executable).with_name("archgen")), *args]


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
