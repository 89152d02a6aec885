"""Progress of a live discovery on stderr (rich): queries sent, rows read, hops, throttling waits.

Silent when stderr is not a terminal or with --quiet, so logs and `--json -` output stay clean.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console


class Progress:
    """A one-line status that the expansion updates; a no-op when not shown."""

    def __init__(self, quiet: bool = False) -> None:
        self.queries = 0
        self.rows = 0
        self.hop = 0
        self.waited = 0.0
        self.current = ""
        self._status: Any = None
        if quiet or not sys.stderr.isatty():
            return
        console = Console(stderr=True)
        if console.is_terminal:
            self._status = console.status(self.text())
            self._status.start()

    def text(self) -> str:
        wait = f", waited {self.waited:.1f}s for quota" if self.waited else ""
        return f"discovering: hop {self.hop}, {self.queries} queries, {self.rows} rows{wait} ({self.current})"

    def _update(self) -> None:
        if self._status is not None:
            self._status.update(self.text())

    def on_query(self, name: str, hop: int) -> None:
        self.queries += 1
        self.hop = hop
        self.current = name
        self._update()

    def on_rows(self, count: int) -> None:
        self.rows += count
        self._update()

    def on_wait(self, seconds: float) -> None:
        self.waited += seconds
        self._update()

    def close(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
