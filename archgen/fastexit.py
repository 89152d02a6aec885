"""Leaving the process without freeing the run's objects one by one (the console entry point only).

At 100,000 rows, freeing the graph, the findings and the document when `discover` returns costs
0.14-0.16 s of CPU, about as much as every import together. The `archgen` console script
(`archgen.cli:console`) therefore keeps the run's result alive (`keep`) and, once the command has
finished, does what the interpreter's exit would do that matters to the user (the `atexit` handlers:
logging's, tempfile's, ...; flushing standard output and standard error) and ends with `os._exit`
instead of tearing the heap down.

In-process callers (`archgen.cli:main`, click's test runner, the benchmarks) are unaffected: `keep`
holds nothing unless the console entry point asked for it, and they never leave through `os._exit`.
When another non-daemon thread is still running, or standard output or standard error cannot be
flushed, the ordinary exit is used (it waits for the thread; it reports the failed flush and exits
with status 120).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import ClassVar, NoReturn


class _Kept:
    """What the run keeps alive: held only in the console entry point's process (`on`)."""

    on = False
    values: ClassVar[list[object]] = []


def keep(value: object) -> None:
    """Hold `value` until the process ends, when the console entry point will not free it."""
    if _Kept.on:
        _Kept.values.append(value)


def exit_status(code: object) -> int:
    """The interpreter's status for `SystemExit(code)`: None is 0, an integer itself, anything else is
    printed on standard error and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"{code}\n")
    return 1


def _flushed() -> bool:
    """Flush standard output and standard error as the interpreter does on exit; False when that fails."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or getattr(stream, "closed", False):
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            return False
    return True


def _others_running() -> bool:
    main_thread = threading.main_thread()
    return any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate())


def run(main: Callable[[], None]) -> NoReturn:
    """Run `main` and leave the process with its exit status without freeing what the run kept."""
    _Kept.on = True
    try:
        main()
        status = 0
    except SystemExit as exc:
        status = exit_status(exc.code)
    if _others_running():
        sys.exit(status)  # the interpreter's exit waits for them
    atexit._run_exitfuncs()
    if not _flushed():
        sys.exit(status)  # the interpreter reports it ("Exception ignored ...") and exits with 120
    os._exit(status)
