"""The "Threat protection" table of a workload page: the Defender for Cloud plan over each account, vault and
storage account of the workload, on its own subscription.

Every value is a fact of the model (`archgen.model.types.defender.protection`), the same facts AOAI-LOG-02,
KV-LOG-02 and ST-LOG-01 judge; the template escapes each cell (`cell`).
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model.graph import Graph
from archgen.model.types import defender as d
from archgen.model.types import label_of

STATE_TEXT = {
    d.ON: "on",
    d.OFF: "off",
    d.PARTIAL: "unknown (not every resource covered)",
    d.NOT_COLLECTED: "unknown (not collected)",
}


@dataclass(frozen=True, slots=True)
class ThreatRow:
    resource: str
    kind: str
    plan: str
    subscription: str
    tier: str
    sub_plan: str
    coverage: str
    state: str


def threat_rows(graph: Graph, workload_id: str) -> tuple[ThreatRow, ...]:
    """One row per workload member a Defender plan watches, sorted by type label and name."""
    rows = []
    for member in graph.members_of(workload_id):
        node = graph.nodes.get(member)
        p = d.protection(graph.defender_plans, node.type, node.subscription_id) if node is not None else None
        if node is None or p is None:
            continue
        name = graph.subscription_names.get(p.subscription_id)
        rows.append(
            ThreatRow(
                resource=node.name,
                kind=label_of(node.type),
                plan=f"{d.PLAN_TITLES[p.plan_name]} ({p.plan_name})",
                subscription=f"{name} ({p.subscription_id})" if name else p.subscription_id,
                tier=(p.plan.tier if p.plan else None) or "not set",
                sub_plan=(p.plan.sub_plan if p.plan else None) or "not set",
                coverage=(p.plan.coverage if p.plan else None) or "not set",
                state=STATE_TEXT[p.state],
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.kind, r.resource.lower(), r.resource)))
