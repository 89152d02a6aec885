"""Microsoft Defender for Cloud plans over the workload (issue 11 §2): AI services, Key Vault, Storage.

Every fact comes from `archgen.model.types.defender.protection` (derived once from the subscription's pricing
rows; the site's "Threat protection" table shows the same facts). A plan is `unknown` on a subscription whose
pricing row for it was not collected.
"""

from __future__ import annotations

from typing import Any

from archgen.controls.evaluators.common import FAIL, NA, PASS, UNKNOWN, Verdict, label
from archgen.model.graph import Graph, Node
from archgen.model.types import defender as d

STATUS = {d.ON: PASS, d.OFF: FAIL, d.PARTIAL: UNKNOWN, d.NOT_COLLECTED: UNKNOWN}


def plan_on_subscription(graph: Graph, node: Node) -> Verdict:
    """The plan that watches `node`'s type is Standard (and covers it) on `node`'s subscription."""
    p = d.protection(graph.defender_plans, node.type, node.subscription_id)
    if p is None:
        return NA, f"{label(node)}: no Defender plan watches this resource type.", {}
    evidence: dict[str, Any] = {}
    if p.plan is not None:
        base = f"securityresources[{p.plan.id}].properties"
        evidence = {
            f"{base}.pricingTier": p.plan.tier or "not set",
            f"{base}.subPlan": p.plan.sub_plan or "not set",
            f"{base}.resourcesCoverageStatus": p.plan.coverage or "not set",
        }
    return STATUS[p.state], f"{label(node)}: {p.why}.", evidence
