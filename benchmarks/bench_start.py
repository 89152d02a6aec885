"""The CLI's fixed costs, paired: start-up (imports), `--version`, a sample, an estate file, and teardown.

`python -m benchmarks.bench_start --base DIR [--from FILE] [--pairs N]` runs each case alternately with
the code in DIR (a `git archive` of the commit to compare, run as `archgen.cli:main`) and with this tree
(run as the console script, `archgen.cli:console`), each in a fresh interpreter, and prints the CPU
(user + sys of the child) medians and minimums and the median of the paired ratios, with the load
average. With `--from`, it also times `json.load` of FILE (the yardstick) and this tree's teardown: the
CPU between `pipeline.discover` returning and the process's end, `main` (which frees the run) against
the console script (which does not).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

MAIN = "from archgen.cli import main; main()"
CONSOLE = "from archgen.cli import console; console()"
IMPORTS = (
    "import time; t = time.process_time(); "
    "import archgen.cli, archgen.commands.discover, archgen.pipeline, archgen.workflow; "
    "print(time.process_time() - t)"
)
# CPU at the moment pipeline.discover returns, printed on standard output; then `main` or `console`
TEARDOWN = (
    "import resource, sys; import archgen.pipeline as p; from archgen import cli; d = p.discover\n"
    "def mark(o):\n"
    "    r = d(o); u = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    print(u.ru_utime + u.ru_stime, flush=True); return r\n"
    "p.discover = mark; getattr(cli, sys.argv.pop(1))()\n"
)


def _cpu(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, str]:
    """CPU seconds (user + sys) of a child process and its standard output."""
    proc = subprocess.Popen(argv, env={**os.environ, **env}, cwd=cwd, stdout=subprocess.PIPE)
    out = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[2:]} failed ({os.waitstatus_to_exitcode(status)})")
    return usage.ru_utime + usage.ru_stime, out


def _cases(estate: Path | None, work: str) -> dict[str, list[str]]:
    cases = {
        "version": ["--version"],
        "sample": ["discover", "--sample", "regulated-vwan", "--json", f"{work}/s.json", "--no-site", "-q"],
    }
    if estate is not None:
        cases["estate"] = ["discover", "--from", str(estate), "--json", f"{work}/e.json", "--no-site", "-q"]
    return cases


def _one(side: str, args: list[str] | None, base: Path, work: str) -> float:
    env = {"PYTHONPATH": str(base)} if side == "base" else {}
    if args is None:
        return float(_cpu([sys.executable, "-c", IMPORTS], env, work)[1])
    return _cpu([sys.executable, "-c", MAIN if side == "base" else CONSOLE, *args], env, work)[0]


def _report(name: str, base: list[float], after: list[float]) -> None:
    ratio = statistics.median(a / b for a, b in zip(after, base, strict=True))
    print(
        f"{name:8} base {statistics.median(base):.3f} s (min {min(base):.3f})  "
        f"after {statistics.median(after):.3f} s (min {min(after):.3f})  after/base {ratio:.3f}"
    )


def _teardown(estate: Path, pairs: int, work: str) -> None:
    args = ["discover", "--from", str(estate), "--json", f"{work}/t.json", "--no-site", "-q"]
    spent: dict[str, list[float]] = {"main": [], "console": []}
    for _ in range(pairs):
        for entry, values in spent.items():
            total, out = _cpu([sys.executable, "-c", TEARDOWN, entry, *args], {}, work)
            values.append(total - float(out.split()[-1]))
    for entry, values in spent.items():
        print(f"teardown {entry:8} median {statistics.median(values):.3f} s (min {min(values):.3f})")


def _paired(cases: dict[str, list[str] | None], opts: argparse.Namespace, work: str) -> list[float]:
    """Each case `opts.pairs` times per side, alternating which side goes first; the load averages seen."""
    runs: dict[str, dict[str, list[float]]] = {name: {"base": [], "after": []} for name in cases}
    loads = [os.getloadavg()[0]]
    for i in range(opts.pairs):
        for name, args in cases.items():
            for side in ("base", "after") if i % 2 == 0 else ("after", "base"):
                runs[name][side].append(_one(side, args, opts.base, work))
        loads.append(os.getloadavg()[0])
    for name, sides in runs.items():
        _report(name, sides["base"], sides["after"])
    return loads


def _yardstick(estate: Path, pairs: int, work: str) -> None:
    code = f"import json; json.load(open({str(estate)!r}, 'rb'))"
    spent = [_cpu([sys.executable, "-c", code], {}, work)[0] for _ in range(pairs)]
    print(f"json.load median {statistics.median(spent):.3f} s (min {min(spent):.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, required=True, help="a git archive of the commit to compare")
    parser.add_argument("--from", dest="estate", type=Path, help="an estate file (Resource Graph rows)")
    parser.add_argument("--pairs", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        loads = _paired({"imports": None, **_cases(opts.estate, work)}, opts, work)
        if opts.estate is not None:
            _yardstick(opts.estate, opts.pairs, work)
            _teardown(opts.estate, opts.pairs, work)
    print(f"load average {min(loads):.1f}-{max(loads):.1f}")


if __name__ == "__main__":
    main()
