"""Azure Policy enforcement of the account's network isolation (issue 11 §3): AOAI-NET-10.

The coverage of each built-in over the account is a fact of the model (`archgen.model.types.policy`); which
built-ins stand behind the network controls comes from the catalogue (`archgen.controls.policymap`).
"""

from __future__ import annotations

from typing import Any

from archgen.controls.evaluators.common import FAIL, PASS, UNKNOWN, Verdict, label
from archgen.controls.policymap import PUBLIC_NETWORK_CONTROL, network_policies
from archgen.model.graph import Graph, Node
from archgen.model.types import policy as p


def aoai_net_10(graph: Graph, node: Node) -> Verdict:
    facts = graph.policy
    collected = facts.collected(node.id)
    judged = []
    evidence: dict[str, Any] = {}
    for control, guid, name in network_policies(node.type):
        coverages = facts.coverage(node.id, guid)
        state = p.state_of(coverages, collected)
        judged.append((control, guid, name, state))
        evidence[f"policy[{guid}] ({control})"] = state
        for c in coverages:
            evidence[f"policy[{guid}].assignments[{c.assignment_id}]"] = {
                "scope": c.scope,
                "effect": c.effect or "unknown",
                "state": c.state,
                **({"exemption": _exemption(c)} if c.exemption is not None else {}),
            }
    if not collected:
        return (
            UNKNOWN,
            f"{label(node)}: no Azure Policy assignment on the account's scope chain is in the input, so which "
            "policies apply was not collected.",
            evidence,
        )
    shown = "; ".join(f"{name} ({control}): {state}" for control, _g, name, state in judged)
    if any(c == PUBLIC_NETWORK_CONTROL and s == p.ENFORCED for c, _g, _n, s in judged):
        return (
            PASS,
            f"{label(node)}: Azure Policy enforces public network restriction with Deny ({shown}).",
            evidence,
        )
    if any(s in (p.UNKNOWN, p.ENFORCED) for _c, _g, _n, s in judged):
        return (
            UNKNOWN,
            f"{label(node)}: the effect of an assigned network policy is not known ({shown}).",
            evidence,
        )
    return FAIL, f"{label(node)}: no network-isolation policy is enforced with Deny ({shown}).", evidence


def _exemption(c: p.Coverage) -> str:
    """The exemption as judged at the data-as-of instant (types.policy: never against the clock)."""
    e = c.exemption
    until = (e.expires_on if e else None) or "no expiry"
    return f"{e.id if e else ''}: {'expired at data-as-of' if c.expired else 'in force'} (expiresOn {until})"
