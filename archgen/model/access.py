"""Who can do what on a workload account: role assignments at the account or any scope above it.

A role assignment applies to its scope and everything below it
(https://learn.microsoft.com/azure/role-based-access-control/scope-overview, ms.date 2024-09-18), so the
assignments that reach an account are those whose `properties.scope` is the account, its resource group,
its subscription or one of the subscription's management groups (`properties.managementGroupAncestorsChain`
of the subscription's `resourcecontainers` row:
https://learn.microsoft.com/azure/governance/management-groups/resource-graph-samples).

The builder draws one `granted_on` edge per assignment and account, carrying what the role grants
(`identity.grants_of`, derived here once); controls and the site read `access_of`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec

from archgen.model import props
from archgen.model.coverage import LOOKUP, Gap
from archgen.model.graph import Graph, Node
from archgen.model.ids import norm_id, scopes_of
from archgen.model.relations import Relation
from archgen.model.types import SUBSCRIPTION, identity, roledefs

SCOPE_QUERY = "role_assignments_by_scope"
MG_SCOPE = "/providers/microsoft.management/managementgroups/"


class Access(msgspec.Struct, frozen=True):
    """One role assignment reaching an account. `grants` is None for a role archgen does not know."""

    assignment_id: str
    principal_id: str
    principal_type: str
    role_definition_id: str
    role_name: str
    scope: str
    grants: tuple[str, ...] | None
    # a custom role's wildcard data actions that let it call the model; None = the definition was not read
    wildcard_call: tuple[str, ...] | None = ()

    def has(self, grant: str) -> bool:
        return self.grants is not None and grant in self.grants


def management_groups(subscription_row: Mapping[str, Any]) -> tuple[str, ...]:
    """The management group scopes above a subscription, from its ancestor chain (lower-case ids)."""
    chain = props.items(props.get(subscription_row, "properties"), "managementGroupAncestorsChain")
    names = (props.get_str(item, "name") for item in chain)
    return tuple(f"{MG_SCOPE}{n.lower()}" for n in names if n)


def account_scopes(account_id: str, subscription_mgs: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The account's id and every scope above it, management groups included when known."""
    own = scopes_of(account_id)
    sub = next((s for s in own if s.count("/") == 2 and s.startswith("/subscriptions/")), "")
    return own + subscription_mgs.get(sub, ())


Edge = Callable[..., None]


def access_edges(
    accounts: Iterable[str],
    assignments: Iterable[identity.RoleAssignment],
    by_type: Mapping[str, Iterable[Any]],
    edge: Edge,
) -> None:
    """One `granted_on` edge per assignment and account it reaches; custom roles are classified from their
    definitions (`roledefs`) when the input holds them."""
    rows = (r.row for r in by_type.get(roledefs.ROLE_DEFINITION, ()))
    definitions = {d.guid: d for d in map(roledefs.parse_role_definition, rows) if d is not None}
    mgs: dict[str, tuple[str, ...]] = {}
    for row in (r.row for r in by_type.get(SUBSCRIPTION, ())):
        sub = (props.get_str(row, "subscriptionId") or "").lower()
        if sub:
            mgs[f"/subscriptions/{sub}"] = management_groups(row)
    under: dict[str, list[str]] = {}
    for account in accounts:
        for scope in account_scopes(account, mgs):
            under.setdefault(scope, []).append(account)
    for ra in assignments:
        for account in under.get(norm_id(ra.scope), ()):
            edge(
                norm_id(ra.id),
                Relation.GRANTED_ON,
                account,
                principal_id=ra.principal_id,
                principal_type=identity.principal_type(ra.principal_type),
                role_definition_id=ra.role_definition_id,
                scope=norm_id(ra.scope),
                **_role_attributes(ra.role_definition_id, definitions.get(ra.role_definition_id)),
            )


def _role_attributes(guid: str, definition: roledefs.RoleDefinition | None) -> dict[str, Any]:
    """The role's name, what it grants and (custom roles) its wildcard call grants; a role that is neither
    built-in nor read has grants None and wildcard_call None."""
    grants = identity.grants_of(guid)
    if grants is not None or definition is None:
        return {
            "role_name": identity.BUILTIN_ROLES.get(guid, ""),
            "grants": grants,
            "wildcard_call": [] if grants is not None else None,
        }
    return {
        "role_name": definition.role_name,
        "grants": roledefs.grants_of_definition(definition),
        "wildcard_call": roledefs.wildcard_call(definition) if definition.custom else [],
    }


def access_of(graph: Graph, account_id: str) -> tuple[Access, ...]:
    """The assignments reaching the account, by scope, principal and role."""
    key = "access:" + account_id
    cached: tuple[Access, ...] | None = graph.memo.get(key)
    if cached is None:
        found = []
        for e in graph.into(account_id, Relation.GRANTED_ON):
            a = e.attributes
            grants = a.get("grants")
            wild = a.get("wildcard_call")
            found.append(
                Access(
                    e.source,
                    str(a.get("principal_id", "")),
                    str(a.get("principal_type", "Unknown")),
                    str(a.get("role_definition_id", "")),
                    str(a.get("role_name", "")),
                    str(a.get("scope", "")),
                    tuple(str(g) for g in grants) if grants is not None else None,
                    tuple(str(w) for w in wild) if wild is not None else None,
                )
            )
        cached = tuple(sorted(set(found), key=lambda x: (x.scope, x.principal_id, x.role_definition_id)))
        graph.memo[key] = cached
    return cached


def scope_gaps(graph: Graph) -> tuple[Gap, ...]:
    """The coverage gaps that may hide assignments on a scope chain: a failed or truncated scope lookup,
    or a gap whose query is not named (a replayed file's entry: the safe side)."""
    return tuple(g for g in graph.incomplete if g.kind == LOOKUP and g.query in (SCOPE_QUERY, ""))


def principal_nodes(nodes: Iterable[Node]) -> dict[str, str]:
    """Principal id -> the node that is that principal (a user-assigned identity, or a resource's own)."""
    out: dict[str, str] = {}
    for n in nodes:
        if isinstance(n.attrs, identity.UserAssignedIdentity) and n.attrs.principal_id:
            out[n.attrs.principal_id] = n.id
        ident = getattr(n.attrs, "identity", None)
        if ident is not None and ident.principal_id:
            out.setdefault(ident.principal_id, n.id)
    return out
