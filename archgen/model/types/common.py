"""Shapes shared by several resource families: managed identity, network ACLs, private endpoint connections.

Sources (property names):
- managed identity: ARM common types, `specification/common-types/resource-management/v5/managedidentity.json`
  (`type`, `principalId`, `tenantId`, `userAssignedIdentities{<id>: {principalId, clientId}}`).
- network ACLs: Cognitive Services `NetworkRuleSet`, Key Vault `NetworkRuleSet`, Storage `NetworkRuleSet`
  (`defaultAction`, `bypass`, `ipRules[].value`, `virtualNetworkRules[].id`).
- private endpoint connections: `specification/common-types/resource-management/v5/privatelinks.json`
  (`properties.privateEndpoint.id`, `properties.privateLinkServiceConnectionState.status` with values
  Pending / Approved / Rejected; Network adds Disconnected), `groupIds`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from archgen.model import props
from archgen.model.ids import norm_enum, norm_id


@dataclass(frozen=True, slots=True)
class ManagedIdentity:
    """The `identity` block of a resource."""

    type: str  # lower-case: 'none', 'systemassigned', 'userassigned', 'systemassigned, userassigned'
    principal_id: str | None
    user_assigned: tuple[str, ...]
    user_assigned_principals: tuple[str, ...] = ()  # principalId of each user-assigned identity, when given

    @property
    def system_assigned(self) -> bool:
        return "systemassigned" in self.type.replace(" ", "")

    @property
    def any(self) -> bool:
        return self.system_assigned or bool(self.user_assigned)


def parse_identity(row: Mapping[str, object]) -> ManagedIdentity:
    ident = props.get(row, "identity")
    kind = norm_enum(props.get(ident, "type")) or "none"
    principal = props.get_str(ident, "principalId")
    uamis = props.get(ident, "userAssignedIdentities")
    principals = (
        sorted({p.lower() for v in uamis.values() if (p := props.get_str(v, "principalId"))})
        if isinstance(uamis, Mapping)
        else []
    )
    return ManagedIdentity(
        type=kind,
        principal_id=principal.lower() if principal else None,
        user_assigned=props.mapping_keys(ident, "userAssignedIdentities"),
        user_assigned_principals=tuple(principals),
    )


@dataclass(frozen=True, slots=True)
class NetworkAcls:
    """A service firewall: default action, bypass and the allowed IP and VNet rules."""

    default_action: str | None  # 'allow' | 'deny' | None when absent
    bypass: str | None
    ip_rules: tuple[str, ...]
    vnet_rules: tuple[str, ...]


def parse_acls(properties: object) -> NetworkAcls:
    acls = props.get(properties, "networkAcls")
    return NetworkAcls(
        default_action=props.get_enum(acls, "defaultAction"),
        bypass=props.get_enum(acls, "bypass"),
        ip_rules=tuple(sorted({v for r in props.items(acls, "ipRules") if (v := props.get_str(r, "value"))})),
        vnet_rules=tuple(
            sorted({v for r in props.items(acls, "virtualNetworkRules") if (v := props.ref_id(r, "id"))})
        ),
    )


@dataclass(frozen=True, slots=True)
class PrivateEndpointConnection:
    """A connection as the target resource records it."""

    private_endpoint_id: str
    status: str  # lower-case: approved | pending | rejected | disconnected | ''
    group_ids: tuple[str, ...]


def parse_pe_connections(properties: object) -> tuple[PrivateEndpointConnection, ...]:
    out = []
    for conn in props.items(properties, "privateEndpointConnections"):
        pe = props.ref_id(conn, "properties", "privateEndpoint", "id")
        if not pe:
            continue
        out.append(
            PrivateEndpointConnection(
                private_endpoint_id=pe,
                status=props.get_enum(conn, "properties", "privateLinkServiceConnectionState", "status")
                or "",
                group_ids=tuple(g.lower() for g in props.strings(conn, "properties", "groupIds")),
            )
        )
    return tuple(sorted(out, key=lambda c: c.private_endpoint_id))


def public_network_access(properties: object) -> str | None:
    """`publicNetworkAccess` lower-cased ('enabled' | 'disabled' | 'securedbyperimeter') or None."""
    return props.get_enum(properties, "publicNetworkAccess")


__all__ = [
    "ManagedIdentity",
    "NetworkAcls",
    "PrivateEndpointConnection",
    "norm_id",
    "parse_acls",
    "parse_identity",
    "parse_pe_connections",
    "public_network_access",
]
