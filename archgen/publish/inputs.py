"""What publish is given: one run's outputs and the options of the project it writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from archgen.controls.accept import Review
from archgen.controls.catalogue import Catalogue
from archgen.controls.findings import Finding
from archgen.diff import Changes
from archgen.model.graph import Graph
from archgen.run import RunInfo


@dataclass(frozen=True, slots=True)
class RunOutputs:
    """What one run produced, as the project shows it."""

    graph: Graph
    findings: Sequence[Finding]
    catalogue: Catalogue
    run: RunInfo
    graph_json: str
    snapshot_json: str | None = None  # live discovery's snapshot; None for --from and --sample


@dataclass(frozen=True, slots=True)
class ProjectOptions:
    """How a project is written.

    `force`: replace files archgen did not write (moved to a backup first). Problems with the previous
    manifest are appended to `warnings`. `review`: the accepted risks applied to the findings, shown on
    each workload page. `changes`: what changed since the previous run (`--since`), on its own page.
    `notes`: receives one line per thing the user should know (files moved to a backup, keys kept).
    `png`: also rasterise each diagram to PNG (85-94% of Graphviz's time; SVG is always written).
    """

    force: bool = False
    warnings: list[str] | None = None
    review: Review | None = None
    changes: Changes | None = None
    notes: list[str] | None = None
    png: bool = False
