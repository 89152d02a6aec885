"""Running the catalogue over a graph: one finding per (control, applicable resource)."""

from __future__ import annotations

from archgen.controls.catalogue import Catalogue
from archgen.controls.catalogue import load as load_catalogue
from archgen.controls.evaluators import EVALUATORS
from archgen.controls.findings import Finding, Status
from archgen.model.graph import Graph


def evaluate(graph: Graph, catalogue: Catalogue | None = None) -> list[Finding]:
    """Evaluate every control on every workload member it applies to, sorted by (control, resource)."""
    catalogue = catalogue or load_catalogue()
    members = sorted({m for w in graph.workloads for m in w.members})
    findings: list[Finding] = []
    for control in catalogue.controls:
        evaluator = EVALUATORS[control.id]
        for node_id in members:
            node = graph.nodes[node_id]
            if node.type != control.applies_to:
                continue
            try:
                status, reason, evidence = evaluator(graph, node)
            except Exception as exc:  # an evaluator bug is a visible finding, never a silent skip
                status, reason, evidence = (
                    Status.UNKNOWN,
                    f"{control.id} could not be evaluated on '{node.name}' ({type(exc).__name__}: {exc}).",
                    {},
                )
            findings.append(Finding(control.id, node_id, status, reason, evidence))
    return findings
