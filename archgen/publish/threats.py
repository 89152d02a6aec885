"""The "Threat protection" table of a workload page: the Defender for Cloud plan over each account, vault and
storage account of the workload, on its own subscription, and the Defender for Cloud recommendations on it
(`archgen.model.types.assessments`: unhealthy ones counted by severity and named, nothing else of them).

Every value is a fact of the model (`archgen.model.types.defender.protection`), the same facts AOAI-LOG-02,
KV-LOG-02 and ST-LOG-01 judge; the template escapes each cell (`cell`).
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model.graph import Graph
from archgen.model.types import assessments as a
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
    recommendations: str


# Unhealthy recommendations named in one cell at most; the rest are counted.
NAMED = 5


def recommendations_text(summary: a.Summary) -> str:
    """One cell: unknown when the resource's assessments were not read, else the unhealthy ones counted by
    severity and named (display names only), or how many were assessed when none is unhealthy."""
    if not summary.collected:
        return "unknown (not collected)"
    if not summary.unhealthy:
        return f"none unhealthy ({summary.assessed} assessed)"
    counts = ", ".join(f"{sev} {n}" for sev, n in summary.by_severity())
    names = "; ".join(x.display_name for x in summary.unhealthy[:NAMED])
    more = len(summary.unhealthy) - NAMED
    tail = f"; and {more} more" if more > 0 else ""
    return f"{len(summary.unhealthy)} unhealthy ({counts}): {names}{tail}"


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
                recommendations=recommendations_text(graph.assessments.summary(node.id)),
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.kind, r.resource.lower(), r.resource)))
