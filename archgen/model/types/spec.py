"""What makes an Azure resource type one unit of code: its spec.

Each family module exports the specs of its types; `archgen.model.types.TYPES` lists them, one line
each. The builder, discovery, render and publish all read the same spec:

- `parse(row, properties)`: the typed attributes (None for types the builder assembles itself);
- `references(node_id, attrs, index)`: the relations the resource's own properties state, used by the
  builder to draw edges and by discovery to decide what to read next;
- `walk`: which relations the workload walk follows from a node of this type;
- `lookups`: the reverse lookups discovery runs for it (a `.kql` file and the keys it takes), and
  `also_reads`: ids discovery reads that are not relations (a private endpoint's network interfaces);
  discovery follows a reference when the walk rules follow its relation in that direction;
- `diagnosable`, `role_target`: whether diagnostic settings are read for it, whether role assignments
  on it are drawn;
- `label`, `noun`, `icon`: the display label, the noun used in findings' sentences, the icon.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import msgspec

from archgen.model.ids import scopes_of
from archgen.model.relations import Relation

NodeParser = Callable[[Mapping[str, object], Mapping[str, object]], object]


class Ref(msgspec.Struct, frozen=True):
    """A relation a resource's properties state: source -> target, with attributes."""

    source: str
    relation: Relation
    target: str
    attributes: Mapping[str, Any] = msgspec.field(default_factory=dict)


class RefIndex(Protocol):
    """What references need to know about other resources (the builder and discovery each provide one)."""

    def vault_for_uri(self, uri: str) -> str:
        """The vault whose `vaultUri` is `uri`, or `keyvault-uri:<uri>` when it is not known."""
        ...

    def uami_for_client(self, client_id: str) -> str | None:
        """The user-assigned identity with this client id, when known."""
        ...

    def accounts_matching(self, rule: str) -> list[str]:
        """The accounts a resource instance rule (possibly with `*`) names."""
        ...


References = Callable[[str, Any, RefIndex], Iterable[Ref]]


def no_references(node_id: str, attrs: Any, index: RefIndex) -> Iterable[Ref]:
    return ()


class IconRef(msgspec.Struct, frozen=True):
    """An icon: the `diagrams` class (module, class name), the draw.io stencil, the title."""

    module: str
    cls: str
    drawio: str | None
    title: str


class Lookup(msgspec.Struct, frozen=True):
    """A reverse lookup discovery runs for a resource of this type: `query` names `queries/<query>.kql`."""

    query: str
    keys: Callable[[str, Any], Iterable[str]]


class ResourceType(msgspec.Struct, frozen=True):
    arm_type: str  # lower-case
    label: str  # display label (components table, legend)
    noun: str  # how findings' sentences name one ("Account 'x'")
    parse: NodeParser | None = None
    references: References = no_references
    walk: tuple[tuple[Relation, str], ...] = ()  # (relation, 'out' | 'in')
    lookups: tuple[Lookup, ...] = ()
    also_reads: Callable[[str, Any], Iterable[str]] | None = None  # ids discovery reads besides references
    diagnosable: bool = False
    role_target: bool = False
    icon: IconRef | None = None
    kind_icons: Mapping[str, IconRef] = msgspec.field(default_factory=dict)  # lower-case kind -> icon


def subscription_of(resource_id: str) -> tuple[str, ...]:
    """The subscription id of a resource id (lower-case), for lookups keyed by subscription."""
    parts = resource_id.lower().split("/")
    return (parts[2],) if len(parts) > 2 and parts[1] == "subscriptions" and parts[2] else ()


# What governs a workload resource (account, vault, storage): the Defender for Cloud plans of its subscription
# (`securityresources`, archgen.model.types.defender) and the Azure Policy assignments on its scope chain
# and their compliance states (`policyresources`, archgen.model.types.policy; management groups follow from the
# subscription row), and the Defender for Cloud recommendations on it (archgen.model.types.assessments).
GOVERNANCE = (
    Lookup("defender_plans_by_subscription", lambda rid, _a: subscription_of(rid)),
    Lookup("policy_assignments_by_scope", lambda rid, _a: scopes_of(rid)),
    Lookup("policy_states_by_resource", lambda rid, _a: (rid,)),
    Lookup("assessments_by_resource", lambda rid, _a: (rid,)),
)


def pe_connection_refs(node_id: str, attrs: Any) -> Iterable[Ref]:
    """Private endpoint connections as the target records them (accounts, vaults, storage, search)."""
    for c in getattr(attrs, "private_endpoint_connections", ()):
        yield Ref(
            c.private_endpoint_id,
            Relation.PRIVATE_ENDPOINT_OF,
            node_id,
            {"group_ids": c.group_ids, "status": c.status},
        )


def identity_refs(node_id: str, attrs: Any) -> Iterable[Ref]:
    ident = getattr(attrs, "identity", None)
    for uami in ident.user_assigned if ident is not None else ():
        yield Ref(node_id, Relation.USES_IDENTITY, uami)


def acl_refs(node_id: str, attrs: Any) -> Iterable[Ref]:
    acls = getattr(attrs, "network_acls", None)
    for subnet in acls.vnet_rules if acls is not None else ():
        yield Ref(node_id, Relation.NETWORK_RULE_ALLOWS, subnet)


def common_refs(node_id: str, attrs: Any) -> list[Ref]:
    """Identity, firewall rules and private endpoint connections, shared by the PaaS families: what
    `identity_refs`, `acl_refs` and `pe_connection_refs` yield, in that order, as one list (no generator
    per block: most blocks are empty)."""
    ident = getattr(attrs, "identity", None)
    refs = [Ref(node_id, Relation.USES_IDENTITY, u) for u in ident.user_assigned] if ident is not None else []
    acls = getattr(attrs, "network_acls", None)
    if acls is not None and acls.vnet_rules:
        refs.extend([Ref(node_id, Relation.NETWORK_RULE_ALLOWS, subnet) for subnet in acls.vnet_rules])
    for c in getattr(attrs, "private_endpoint_connections", ()):
        refs.append(
            Ref(
                c.private_endpoint_id,
                Relation.PRIVATE_ENDPOINT_OF,
                node_id,
                {"group_ids": c.group_ids, "status": c.status},
            )
        )
    return refs


def cmk_ref(node_id: str, uri: str, key: str | None, version: str | None, who: str, index: RefIndex) -> Ref:
    return Ref(
        node_id,
        Relation.CMK_KEY_IN,
        index.vault_for_uri(uri),
        {"key_name": key or "", "key_version": version or "", "identity": who, "key_vault_uri": uri},
    )


def principals_of(attrs: Any) -> Iterable[str]:
    """Principal ids a resource's identity block names, its own and its user-assigned identities' (for the
    role-assignment lookup)."""
    ident = getattr(attrs, "identity", None)
    if ident is not None and ident.principal_id:
        yield ident.principal_id
    yield from getattr(ident, "user_assigned_principals", ())
