"""AOAI-IAM-06: no custom role that grants OpenAI data actions through a wildcard is assigned at subscription
scope or above (a subscription, a management group, the root `/`) on the account's scope chain.

What each custom role grants comes from its definition (`archgen.model.types.roledefs`, derived once in the
`granted_on` edges); an assignment whose role is neither a known built-in nor read leaves the verdict unknown.
"""

from __future__ import annotations

from typing import Any

from archgen.controls.evaluators.access import not_collected
from archgen.controls.evaluators.common import FAIL, PASS, UNKNOWN, Verdict, label
from archgen.model.access import MG_SCOPE, Access, access_of
from archgen.model.graph import Graph, Node


def broad(scope: str) -> bool:
    """A subscription, a management group or the root scope (ids lower-case)."""
    s = scope.rstrip("/").lower()
    return s == "" or s.startswith(MG_SCOPE) or (s.startswith("/subscriptions/") and s.count("/") == 2)


def _text(found: list[Access]) -> str:
    return "; ".join(
        sorted(
            f"{a.role_name or a.role_definition_id} at {a.scope} "
            f"(data actions {', '.join(a.wildcard_call or ()) or 'not read'})"
            for a in found
        )
    )


def aoai_iam_06(graph: Graph, node: Node) -> Verdict:
    found = access_of(graph, node.id)
    wide = [a for a in found if broad(a.scope)]
    evidence: dict[str, Any] = {
        "assignments_at_subscription_or_above": [
            {
                "role": a.role_name or a.role_definition_id,
                "scope": a.scope,
                "principal_id": a.principal_id,
                "wildcard_call": list(a.wildcard_call)
                if a.wildcard_call is not None
                else "definition not read",
            }
            for a in wide
        ]
    }
    hits = [a for a in wide if a.wildcard_call]
    if hits:
        return (
            FAIL,
            f"Custom roles grant the model's data actions of {label(node).lower()} through a wildcard at "
            f"subscription scope or above: {_text(hits)}.",
            evidence,
        )
    if missing := not_collected(graph, found):
        return UNKNOWN, f"The roles reaching {label(node).lower()} are unknown: {missing}.", evidence
    unread = [a for a in wide if a.wildcard_call is None]
    if unread:
        return (
            UNKNOWN,
            f"The definitions of roles assigned at subscription scope or above on {label(node).lower()} "
            f"were not read: {_text(unread)}.",
            evidence,
        )
    return (
        PASS,
        f"No custom role assigned at subscription scope or above grants the model's data actions of "
        f"{label(node).lower()} through a wildcard ({len(wide)} assignment(s) there).",
        evidence,
    )
