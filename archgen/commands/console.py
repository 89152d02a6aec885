"""The standard-error console the commands print to."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@cache
def err() -> Console:
    """The standard-error console, created on first use (rich costs ~30 ms to import: not for --version)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)
