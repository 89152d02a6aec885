"""Garbage collection around bulk loading: paused while the graph is built, frozen while it is used.

Building a graph of 100,000 rows allocates millions of objects that all survive; CPython's cyclic
collector, triggered by allocation counts, rescans them again and again (~2.7 s at 100,000 rows) and
frees nothing. Large-graph Python tools disable it for the load and `gc.freeze()` what survives so
later collections skip it. `bulk` does both and restores the collector's state when the call returns.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_STATE: list[bool] = []  # one entry per active `bulk` call: was the collector enabled before it


def bulk(fn: Callable[P, T]) -> Callable[P, T]:
    """Run `fn` with the cyclic collector paused (until `settle`); restore its state afterwards."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        frozen_before = gc.get_freeze_count()
        _STATE.append(gc.isenabled())
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            enabled = _STATE.pop()
            if frozen_before == 0 and not _STATE:
                gc.unfreeze()
            if enabled:
                gc.enable()

    return wrapper


@contextlib.contextmanager
def collecting() -> Iterator[None]:
    """Inside `bulk`, collect as usual for a while: live discovery's HTTP stack makes short-lived cycles
    for as long as the run lasts, which a paused collector would let pile up."""
    resume = bool(_STATE) and _STATE[-1] and not gc.isenabled()
    if resume:
        gc.enable()
    try:
        yield
    finally:
        if resume:
            gc.disable()


def settle() -> None:
    """Inside `bulk`: the bulk data is built; freeze it out of later collections and resume collecting
    (rendering and templating make short-lived cycles that should be freed)."""
    if _STATE and _STATE[-1]:
        gc.freeze()
        gc.enable()
