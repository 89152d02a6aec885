"""The site's diagrams, drawn while its pages are written (issue 14).

The workload diagrams are drawn by `archgen.render.pool`'s worker processes; meanwhile this process
writes the pages that need no diagram, draws the estate diagram and writes the home page, then writes
each workload page as soon as its diagram (whose `collapsed` sentences the page quotes) is back, in
the order of `site.workloads`. The bytes are those of drawing every diagram first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archgen.controls.findings import Finding
from archgen.model.graph import Graph
from archgen.publish.pages import Diagram, SiteModel, WorkloadView

if TYPE_CHECKING:  # the render package is heavy to import
    from archgen.render import DiagramFiles


@dataclass(frozen=True, slots=True)
class DiagramFeed:
    """Diagrams being drawn into `docs/diagrams`: the estate on demand, the workloads as they come."""

    graph: Graph
    findings: list[Finding]
    site: SiteModel
    docs: Path
    png: bool
    drawn: Iterator[DiagramFiles]

    def _diagram(self, files: DiagramFiles) -> Diagram:
        base = self.docs.resolve()

        def rel(p: Path) -> str:
            return Path(p).resolve().relative_to(base).as_posix()

        png = None if files.png is None else rel(files.png)
        return Diagram(rel(files.svg), png, rel(files.drawio), tuple(files.collapsed))

    def draw_estate(self) -> None:
        """Draw the estate diagram here (the workers are busy with the workloads')."""
        from archgen.render import render_estate  # the render package is heavy to import

        estate = render_estate(self.graph, self.findings, self.docs / "diagrams", "estate", png=self.png)
        if estate is not None:
            self.site.estate_diagram = self._diagram(estate)

    def workloads(self) -> Iterator[WorkloadView]:
        """Each workload of the site, in order, once its diagram is drawn (`w.diagram` set)."""
        for w, files in zip(self.site.workloads, self.drawn, strict=True):
            w.diagram = self._diagram(files)
            yield w


@contextmanager
def drawing(
    graph: Graph, findings: Sequence[Finding], site: SiteModel, docs: Path, png: bool = False
) -> Iterator[DiagramFeed]:
    """Start drawing the site's workload diagrams; leaving the block waits for every one of them."""
    from archgen.render.pool import rendering  # the render package is heavy to import

    dest = docs / "diagrams"
    dest.mkdir(parents=True, exist_ok=True)
    all_findings = list(findings)
    items = [(w.workload.id, w.slug) for w in site.workloads]
    with rendering((graph, all_findings, dest, png), items) as drawn:
        yield DiagramFeed(graph, all_findings, site, docs, png, drawn)
