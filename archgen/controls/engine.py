"""Running the catalogue over a graph: one finding per (control, applicable resource)."""

from __future__ import annotations

from collections.abc import Iterable

from archgen.controls.catalogue import Catalogue
from archgen.controls.catalogue import load as load_catalogue
from archgen.controls.coverage import mark_incomplete
from archgen.controls.evaluators import EVALUATORS, Evaluator
from archgen.controls.evaluators.quotes import quoting
from archgen.controls.findings import Finding, Status, make_findings
from archgen.model.graph import Graph, Node


def _members_by_type(graph: Graph, types: Iterable[str]) -> dict[str, list[Node]]:
    """The workload members of each of `types` (each once, in id order): the nodes a control may apply to.

    `graph.of_type` lists a type's nodes in id order, so filtering it keeps that order without sorting the
    members' ids."""
    members = {m for w in graph.workloads for m in w.members}
    return {t: found for t in types if (found := [n for n in graph.of_type(t) if n.id in members])}


def _conflicted(graph: Graph) -> dict[str, str]:
    """Resource id -> the differing properties, for the rows that disagree (docs/graph-document.md)."""
    return {
        d["resource"]: d.get("properties", "")
        for w in graph.warnings
        if w.code == "conflicting_rows" and "resource" in (d := dict(w.details))
    }


def _verdicts(graph: Graph, control_id: str, evaluator: Evaluator, nodes: list[Node]) -> list[Finding]:
    """One control on each of its nodes; an evaluator bug is a visible finding, never a silent skip.

    The verdicts are taken in one pass and the findings built from their columns by C loops
    (`findings.make_findings`); when an evaluator raises or returns something that is not a
    (status, reason, evidence) triple, the control is judged again node by node, as `_guarded` says
    (an evaluator is a function of the graph and the node: judged again, a node gets the same verdict)."""
    try:
        verdicts = [evaluator(graph, node) for node in nodes]
        statuses, reasons, evidences = zip(*verdicts, strict=True)
    except Exception:
        return [_guarded(graph, control_id, evaluator, node) for node in nodes]
    return make_findings(control_id, [node.id for node in nodes], statuses, reasons, evidences)


def _guarded(graph: Graph, control_id: str, evaluator: Evaluator, node: Node) -> Finding:
    """One control on one node: an evaluator's error is an `unknown` finding that names it."""
    try:
        status, reason, evidence = evaluator(graph, node)
    except Exception as exc:
        status, reason, evidence = (
            Status.UNKNOWN,
            f"{control_id} could not be evaluated on '{node.name}' ({type(exc).__name__}: {exc}).",
            {},
        )
    return Finding(control_id, node.id, status, reason, evidence)


def evaluate(graph: Graph, catalogue: Catalogue | None = None) -> list[Finding]:
    """Evaluate every control on every workload member it applies to, sorted by (control, resource)."""
    catalogue = catalogue or load_catalogue()
    by_type = _members_by_type(graph, dict.fromkeys(control.applies_to for control in catalogue.controls))
    conflicted = _conflicted(graph)
    findings: list[Finding] = []
    with quoting(by_type):  # each member's quoted properties read once, not once per control
        for control in catalogue.controls:
            # a control without an evaluator is an error, applicable or not
            evaluator = EVALUATORS[control.id]
            nodes = by_type.get(control.applies_to)
            if not nodes:
                continue
            found = _verdicts(graph, control.id, evaluator, nodes)
            if conflicted:  # rows that disagree: no verdict from either (docs/graph-document.md)
                found = [_conflict(graph, f, conflicted) if f.resource in conflicted else f for f in found]
            findings += found
    return mark_incomplete(graph, findings)


def _conflict(graph: Graph, finding: Finding, conflicted: dict[str, str]) -> Finding:
    name, properties = graph.nodes[finding.resource].name, conflicted[finding.resource]
    return Finding(
        finding.control,
        finding.resource,
        Status.UNKNOWN,
        f"'{name}' appears in the input more than once with different properties "
        f"({properties}); archgen does not choose between them.",
        {"conflicting_properties": properties},
    )
