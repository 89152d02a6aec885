"""Running the catalogue over a graph: one finding per (control, applicable resource)."""

from __future__ import annotations

from archgen.controls.catalogue import Catalogue
from archgen.controls.catalogue import load as load_catalogue
from archgen.controls.coverage import mark_incomplete
from archgen.controls.evaluators import EVALUATORS
from archgen.controls.findings import Finding, Status
from archgen.model.graph import Graph


def evaluate(graph: Graph, catalogue: Catalogue | None = None) -> list[Finding]:
    """Evaluate every control on every workload member it applies to, sorted by (control, resource)."""
    catalogue = catalogue or load_catalogue()
    by_type: dict[str, list[str]] = {}
    for node_id in sorted({m for w in graph.workloads for m in w.members}):
        by_type.setdefault(graph.nodes[node_id].type, []).append(node_id)
    conflicted = {
        d["resource"]: d.get("properties", "")
        for w in graph.warnings
        if w.code == "conflicting_rows" and "resource" in (d := dict(w.details))
    }
    findings: list[Finding] = []
    for control in catalogue.controls:
        evaluator = EVALUATORS[control.id]
        for node_id in by_type.get(control.applies_to, ()):
            node = graph.nodes[node_id]
            try:
                status, reason, evidence = evaluator(graph, node)
            except Exception as exc:  # an evaluator bug is a visible finding, never a silent skip
                status, reason, evidence = (
                    Status.UNKNOWN,
                    f"{control.id} could not be evaluated on '{node.name}' ({type(exc).__name__}: {exc}).",
                    {},
                )
            if node_id in conflicted:  # rows that disagree: no verdict from either (docs/graph-document.md)
                status, reason, evidence = (
                    Status.UNKNOWN,
                    f"'{node.name}' appears in the input more than once with different properties "
                    f"({conflicted[node_id]}); archgen does not choose between them.",
                    {"conflicting_properties": conflicted[node_id]},
                )
            findings.append(Finding(control.id, node_id, status, reason, evidence))
    return mark_incomplete(graph, findings)
