"""The "Policy enforcement" table of a workload page and the Azure Policy cell beside each finding.

Every state is a fact of the model (`archgen.model.types.policy.PolicyFacts.coverage`); which built-ins stand
behind a control comes from the catalogue (`archgen.controls.policymap`). Azure text (assignment and initiative
names, scopes) is escaped by the template (`cell`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archgen.controls.catalogue import load
from archgen.controls.policymap import POLICY_NETWORK_CONTROL, policies
from archgen.model.graph import Graph
from archgen.model.types import label_of
from archgen.model.types import policy as p

STATE_TEXT = {p.NOT_COLLECTED: "unknown (assignments not collected)"}


@dataclass(frozen=True, slots=True)
class PolicyRow:
    control: str
    resource_id: str
    resource: str
    kind: str
    policy: str
    state: str
    assignments: tuple[str, ...]  # "name: effect at scope", strongest first
    collected: bool = True  # False: no assignment on the resource's scope chain is in the input


def _assignment_text(c: p.Coverage) -> str:
    parts = [f"{c.assignment}: {c.state}", f"effect {c.effect or 'unknown'}", f"at {c.scope}"]
    if c.via:
        parts.append(f"through {c.via}")
    if c.exemption is not None:
        category, until = c.exemption.category or "no category", c.exemption.expires_on or "no expiry"
        parts.append(
            f"exemption ({category}) expired at {until}: does not exempt"
            if c.expired
            else f"exempt ({category}) until {until}"
        )
    parts.append(f"compliance {c.compliance}" if c.compliance else "compliance state not collected")
    return ", ".join(parts)


def _rows_of(graph: Graph, resource_ids: Iterable[str], only: str | None = None) -> tuple[PolicyRow, ...]:
    """One row per (resource, control with a built-in, built-in); `only` keeps one control."""
    table = policies()
    controls = [c for c in load().controls if c.id != POLICY_NETWORK_CONTROL and only in (None, c.id)]
    rows = []
    for node in (graph.nodes[i] for i in resource_ids if i in graph.nodes):
        collected = graph.policy.collected(node.id)
        for control in (c for c in controls if c.applies_to == node.type and c.id in table):
            for guid, name in table[control.id]:
                coverages = graph.policy.coverage(node.id, guid)
                state = p.state_of(coverages, collected)
                rows.append(
                    PolicyRow(
                        control=control.id,
                        resource_id=node.id,
                        resource=node.name,
                        kind=label_of(node.type),
                        policy=name,
                        state=STATE_TEXT.get(state, state),
                        assignments=tuple(_assignment_text(c) for c in coverages),
                        collected=state != p.NOT_COLLECTED,
                    )
                )
    return tuple(sorted(rows, key=lambda r: (r.kind, r.resource.lower(), r.resource_id, r.control, r.policy)))


def policy_rows(graph: Graph, workload_id: str) -> tuple[PolicyRow, ...]:
    """One row per (workload resource, control with a built-in, built-in), sorted by resource and control."""
    return _rows_of(graph, graph.members_of(workload_id))


def control_policy_cells(graph: Graph, control_id: str, resource_ids: Iterable[str]) -> dict[str, str] | None:
    """The Azure Policy column of a control page ('control|resource id' -> cell, as on the workload pages);
    None when the catalogue cites no built-in for the control."""
    if control_id not in policies() or control_id == POLICY_NETWORK_CONTROL:
        return None
    return policy_cells(_rows_of(graph, sorted(set(resource_ids)), control_id))


def expiry_note(graph: Graph) -> str:
    """How exemption expiry was judged in this run (the Policy enforcement section says it)."""
    at = graph.policy.as_of
    if at is None:
        return (
            "No data-as-of instant is known for this input, so an exemption's expiry is shown but not "
            "compared: every exemption in the input counts as in force."
        )
    stamp = at.isoformat().replace("+00:00", "Z")
    return (
        f"An exemption's expiresOn is compared with the data-as-of instant {stamp} (not today's date): one "
        "expired by then is shown as expired and does not exempt."
    )


def policy_cells(rows: tuple[PolicyRow, ...]) -> dict[str, str]:
    """'control|resource id' -> the text of the Azure Policy column beside the finding."""
    out: dict[str, list[str]] = {}
    for r in rows:
        first = r.assignments[0].split(":", 1)[0] if r.assignments else ""
        out.setdefault(f"{r.control}|{r.resource_id}", []).append(
            f"{r.state}{f' ({first})' if first else ''}"
        )
    return {k: "; ".join(v) for k, v in out.items()}
