"""Progress of a live discovery on stderr (rich): queries sent, rows read, hops, and every wait.

On a terminal: one status line the expansion updates. Not on a terminal (CI logs, `--json -`): silent,
except that a wait of `LONG_WAIT` seconds or more is announced on its own line, so a run is never
quiet for long without saying what it waits for and until when. `--quiet` silences both.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO

from rich.console import Console

from archgen.discovery.limits import clock_text

# Waits this long or longer are announced on their own line even when stderr is not a terminal.
LONG_WAIT = 5.0


class Progress:
    """A one-line status that the expansion updates; a no-op when not shown."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.queries = 0
        self.rows = 0
        self.hop = 0
        self.waited = 0.0
        self.current = ""
        self.waiting = ""
        self.quiet = quiet
        self.stream = stream
        self._lock = threading.Lock()
        self._status: Any = None
        if quiet or stream is not None or not sys.stderr.isatty():
            return
        console = Console(stderr=True)
        if console.is_terminal:
            self._status = console.status(self.text())
            self._status.start()

    def text(self) -> str:
        wait = f", waited {self.waited:.1f}s" if self.waited else ""
        now = f"; {self.waiting}" if self.waiting else ""
        return f"discovering: hop {self.hop}, {self.queries} queries, {self.rows} rows{wait} ({self.current}){now}"

    def _update(self) -> None:
        if self._status is not None:
            self._status.update(self.text())

    def on_query(self, name: str, hop: int) -> None:
        self.queries += 1
        self.hop = hop
        self.current = name
        self.waiting = ""
        self._update()

    def on_rows(self, count: int) -> None:
        self.rows += count
        self._update()

    def on_wait(self, seconds: float, what: str = "Resource Graph quota") -> None:
        """A wait is about to start: say for what, how long and until when."""
        line = f"waiting {seconds:.1f} s for {what}, until {clock_text(seconds)}"
        with self._lock:
            self.waited += seconds
            self.waiting = line
        self._update()
        if self._status is None and not self.quiet and seconds >= LONG_WAIT:
            stream = self.stream or sys.stderr
            stream.write(f"archgen: {line}\n")
            stream.flush()

    def close(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
