"""Rendering many workload diagrams at once (issue 14): a bounded pool of forked worker processes.

A diagram is about 60% Graphviz's `dot` (a subprocess) and 40% Python (the DOT source through
`diagrams`, the SVG's icons, draw.io); threads overlap only the `dot` part, processes overlap both.
Workers are forked after the graph and findings are built, so they inherit them instead of receiving
them pickled; each writes its own files (`<slug>.svg`, ...), which are the same bytes whichever process
writes them, and results come back in the order asked for. Where `fork` is not available (or for a
handful of diagrams, where starting processes costs more than it saves) threads are used.
`rendering` gives the results as they come, so the caller can write pages while the workers draw
(`archgen.publish.diagram_feed`).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archgen.controls.findings import Finding
from archgen.model.graph import Graph
from archgen.render import DiagramFiles, graphviz, render_workload

MIN_FOR_PROCESSES = 8  # below this many diagrams, threads (no process start-up)


@dataclass(frozen=True, slots=True)
class _Batch:
    """What every diagram of one call shares: inherited by forked workers, never pickled."""

    graph: Graph
    findings: Sequence[Finding]
    dest: Path
    png: bool


_CURRENT: list[_Batch] = []  # the batch being rendered: set in the parent just before the workers fork


def _one(item: tuple[str, str]) -> DiagramFiles:
    batch = _CURRENT[-1]
    workload_id, slug = item
    return render_workload(batch.graph, batch.findings, workload_id, batch.dest, slug, png=batch.png)


def worker_count() -> int:
    """The CPUs this process may run on (the pool's bound)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def _executor(count: int, workers: int, processes: bool | None) -> Executor:
    use = processes if processes is not None else count >= MIN_FOR_PROCESSES
    if use and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="archgen-diagram")


def render_workloads(
    batch: tuple[Graph, Sequence[Finding], Path, bool],
    items: Sequence[tuple[str, str]],
    processes: bool | None = None,
) -> list[DiagramFiles]:
    """Render the diagram of each (workload id, slug) into `dest` (batch = graph, findings, dest, png);
    the results in the order of `items`. `processes` forces the choice (tests); None decides by count."""
    with rendering(batch, items, processes) as results:
        return list(results)


@contextmanager
def rendering(
    batch: tuple[Graph, Sequence[Finding], Path, bool],
    items: Sequence[tuple[str, str]],
    processes: bool | None = None,
) -> Iterator[Iterator[DiagramFiles]]:
    """Start rendering `items` as `render_workloads` does and give their results as they come, in order,
    so the caller can work (write pages) while the workers draw. Leaving the block waits for the workers;
    leaving it on an error cancels the diagrams not yet started."""
    if not items:
        yield iter(())
        return
    graphviz.dot_program()  # fail here, in this process, when `dot` is missing
    graph, findings, dest, png = batch
    _CURRENT.append(_Batch(graph, list(findings), Path(dest).resolve(), png))
    try:
        # The first diagram here: it imports `diagrams` and fills the icon caches once, before the fork.
        first = _one(items[0])
        rest = items[1:]
        if not rest:
            yield iter((first,))
            return
        workers = max(1, min(len(rest), worker_count()))
        pool = _executor(len(items), workers, processes)
        try:
            chunk = max(1, min(16, len(rest) // (workers * 4)))
            yield itertools.chain((first,), pool.map(_one, rest, chunksize=chunk))
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    finally:
        _CURRENT.pop()
