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

import msgspec

from archgen.model import props
from archgen.model.ids import norm_enum, norm_id


class ManagedIdentity(msgspec.Struct, frozen=True):
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


_IDENTITY = props.Fields("type", "principalId", "userAssignedIdentities")


def parse_identity(row: Mapping[str, object]) -> ManagedIdentity:
    return identity_from(props.get(row, "identity"))


def identity_from(ident: object) -> ManagedIdentity:
    """The identity of a resource from its `identity` block (`parse_identity` of the row)."""
    kind, principal, uamis = _IDENTITY(ident)
    principal = props.as_str(principal)
    if type(uamis) is dict or isinstance(uamis, Mapping):
        principals = sorted({p.lower() for v in uamis.values() if (p := props.get_str(v, "principalId"))})
        user_assigned = tuple(sorted({norm_id(k) for k in uamis if isinstance(k, str) and k}))
    else:
        principals, user_assigned = [], ()
    return ManagedIdentity(
        norm_enum(kind) or "none", principal.lower() if principal else None, user_assigned, tuple(principals)
    )


class NetworkAcls(msgspec.Struct, frozen=True):
    """A service firewall: default action, bypass and the allowed IP and VNet rules."""

    default_action: str | None  # 'allow' | 'deny' | None when absent
    bypass: str | None
    ip_rules: tuple[str, ...]
    vnet_rules: tuple[str, ...]


_ACLS = props.Fields("defaultAction", "bypass", "ipRules", "virtualNetworkRules")


def parse_acls(properties: object) -> NetworkAcls:
    return acls_from(props.get(properties, "networkAcls"))


def acls_from(acls: object) -> NetworkAcls:
    """A service firewall from its `networkAcls` block (`parse_acls` of the properties)."""
    default, bypass, ip_rules, vnet_rules = _ACLS(acls)
    return NetworkAcls(
        props.as_enum(default),
        props.as_enum(bypass),
        tuple(sorted({v for r in props.as_maps(ip_rules) if (v := props.get_str(r, "value"))}))
        if ip_rules
        else (),
        tuple(sorted({v for r in props.as_maps(vnet_rules) if (v := props.ref_id(r, "id"))}))
        if vnet_rules
        else (),
    )


class PrivateEndpointConnection(msgspec.Struct, frozen=True):
    """A connection as the target resource records it."""

    private_endpoint_id: str
    status: str  # lower-case: approved | pending | rejected | disconnected | ''
    group_ids: tuple[str, ...]


_PE_CONNECTION = props.Fields("privateEndpoint", "privateLinkServiceConnectionState", "groupIds")


def parse_pe_connections(properties: object) -> tuple[PrivateEndpointConnection, ...]:
    return pe_connections_from(props.get(properties, "privateEndpointConnections"))


def pe_connections_from(conns: object) -> tuple[PrivateEndpointConnection, ...]:
    """The connections of a `privateEndpointConnections` list (`parse_pe_connections` of the properties)."""
    if not conns:
        return ()
    out = []
    for conn in props.as_maps(conns):
        endpoint, state, groups = _PE_CONNECTION(props.get(conn, "properties"))
        pe = props.ref_id(endpoint, "id")
        if pe:
            status = props.get_enum(state, "status") or ""
            out.append(
                PrivateEndpointConnection(pe, status, tuple(g.lower() for g in props.as_strings(groups)))
            )
    if len(out) < 2:
        return tuple(out)
    return tuple(sorted(out, key=lambda c: c.private_endpoint_id))


def public_network_access(properties: object) -> str | None:
    """`publicNetworkAccess` lower-cased ('enabled' | 'disabled' | 'securedbyperimeter') or None."""
    return props.get_enum(properties, "publicNetworkAccess")


__all__ = [
    "ManagedIdentity",
    "NetworkAcls",
    "PrivateEndpointConnection",
    "acls_from",
    "identity_from",
    "norm_id",
    "parse_acls",
    "parse_identity",
    "parse_pe_connections",
    "pe_connections_from",
    "public_network_access",
]
