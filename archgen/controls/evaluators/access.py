"""Who can do what on the account: users holding key-reading or access-managing roles, and who calls the model.

The assignments and what each grants come from the model (`archgen.model.access`); these evaluators only
judge them. Evidence is collected only when the scope-chain lookup was not cut short and the input holds
at least one assignment on the account's own scope chain (rows of other scopes say nothing about it).
"""

from __future__ import annotations

from typing import Any

from archgen.controls.evaluators.common import FAIL, PASS, UNKNOWN, Verdict, evidence_of, label
from archgen.model.access import Access, access_of, scope_gaps
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive
from archgen.model.types.identity import ACCESS, CALL, KEYS

# Principal types that are not one person: groups (and groups of another tenant) and workload identities
# (service principals, which include managed identities). Enum: PrincipalType of
# authorization-RoleAssignmentsCalls.json 2022-04-01.
NOT_A_PERSON = frozenset({"Group", "ForeignGroup", "ServicePrincipal"})


def _row(a: Access) -> dict[str, Any]:
    return {
        "principal_id": a.principal_id,
        "principal_type": a.principal_type,
        "role": a.role_name or a.role_definition_id,
        "scope": a.scope,
        "grants": list(a.grants) if a.grants is not None else "unknown role",
    }


def not_collected(graph: Graph, found: tuple[Access, ...]) -> str | None:
    """Why the assignments on the account's scope chain are not known to be complete, or None.

    Role assignments of other scopes (a managed identity's on a vault) say nothing about this chain, and
    archgen cannot tell an input without the chain's rows from a chain without assignments: a chain with
    no assignment in the input is not collected."""
    gaps = scope_gaps(graph)
    if gaps:
        return "the role assignment lookup failed or was cut short: " + "; ".join(g.text() for g in gaps)
    if not found:
        return (
            "no role assignment on its scope chain (the account, its resource group, subscription or "
            "management groups) is in the input"
        )
    return None


def _users(found: tuple[Access, ...], grants: tuple[str, ...]) -> tuple[list[Access], list[Access]]:
    """(user assignments granting one of `grants`, user assignments of a role archgen does not know)."""
    users = [a for a in found if a.principal_type == "User"]
    hits = [a for a in users if any(a.has(g) for g in grants)]
    unknown = [a for a in users if a.grants is None]
    return hits, unknown


def _names(found: list[Access]) -> str:
    return ", ".join(
        sorted({f"{a.principal_id} ({a.role_name or a.role_definition_id} at {a.scope})" for a in found})
    )


def aoai_iam_04(graph: Graph, node: Node) -> Verdict:
    """No user holds a standing key-reading or access-managing role on the account while keys work."""
    account = node.attrs_as(cognitive.Account)
    evidence = evidence_of(node, "properties.disableLocalAuth")
    if account.disable_local_auth:
        return PASS, f"{label(node)} accepts no API keys (disableLocalAuth true).", evidence
    found = access_of(graph, node.id)
    hits, unknown = _users(found, (KEYS, ACCESS))
    evidence["assignments"] = [_row(a) for a in found if a.principal_type == "User"]
    if hits:  # what was read proves it, whatever a failed lookup would have added
        return (
            FAIL,
            f"{label(node)} accepts API keys and these users can read its keys or manage its access: "
            f"{_names(hits)}.",
            evidence,
        )
    if missing := not_collected(graph, found):
        return UNKNOWN, f"Who can read the keys of {label(node).lower()} is unknown: {missing}.", evidence
    if unknown:
        return (
            UNKNOWN,
            f"Users hold roles archgen does not know on {label(node).lower()}: {_names(unknown)}.",
            evidence,
        )
    return PASS, f"No user holds a key-reading or access-managing role on {label(node).lower()}.", evidence


def aoai_iam_05(graph: Graph, node: Node) -> Verdict:
    """The principals that can call the model are groups or workload identities, not individual users."""
    found = access_of(graph, node.id)
    callers = [a for a in found if a.has(CALL)]
    evidence: dict[str, Any] = {"callers": [_row(a) for a in callers]}
    users, unknown = _users(found, (CALL,))
    if users:  # what was read proves it, whatever a failed lookup would have added
        return (
            FAIL,
            f"Individual users can call the model of {label(node).lower()}: {_names(users)}.",
            evidence,
        )
    if missing := not_collected(graph, found):
        return UNKNOWN, f"Who can call the model of {label(node).lower()} is unknown: {missing}.", evidence
    odd = [a for a in callers if a.principal_type not in NOT_A_PERSON]
    if unknown or odd:
        return (
            UNKNOWN,
            f"Callers of {label(node).lower()} of unknown role or type: {_names(unknown + odd)}.",
            evidence,
        )
    who = ", ".join(sorted({a.principal_type for a in callers})) or "none holds a call-the-model role"
    return (
        PASS,
        f"The model callers of {label(node).lower()} are groups or workload identities ({who}).",
        evidence,
    )
