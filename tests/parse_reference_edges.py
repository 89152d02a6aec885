"""The parsers of the rows `build_nodes`' second half and `build_edges` read (diagnostic settings, role
assignments, subnets and DNS zone links) as they were before the second
parse pass of issue 14's sixth round (one tolerant `props.get*` lookup per key), kept as the reference the
`props.Fields` parsers are compared with in `tests/test_fast_parse_edges.py`. Verbatim; do not use outside
the tests."""

from __future__ import annotations

from collections.abc import Mapping

from archgen.model import props
from archgen.model.ids import norm_id
from archgen.model.types.dns import VnetLink
from archgen.model.types.identity import RoleAssignment
from archgen.model.types.monitor import DiagnosticSetting
from archgen.model.types.network import Subnet


def parse_diagnostic_setting(rid: str, properties: Mapping[str, object]) -> DiagnosticSetting | None:
    marker = "/providers/microsoft.insights/diagnosticsettings/"
    at = rid.find(marker)
    if at <= 0:
        return None
    dests = set()
    if ws := props.ref_id(properties, "workspaceId"):
        dests.add(ws)
    if st := props.ref_id(properties, "storageAccountId"):
        dests.add(st)
    if eh := props.ref_id(properties, "eventHubAuthorizationRuleId"):
        # .../namespaces/{ns}/authorizationrules/{rule} -> the namespace
        parts = eh.split("/")
        dests.add("/".join(parts[:-2]) if len(parts) > 2 and parts[-2] == "authorizationrules" else eh)
    cats = set()
    groups = set()
    for log in props.items(properties, "logs"):
        if props.get_bool(log, "enabled") is False:
            continue
        for key in ("category", "categoryGroup"):
            if value := props.get_str(log, key):
                cats.add(value.lower())
        if group := props.get_str(log, "categoryGroup"):
            groups.add(group.lower())
    return DiagnosticSetting(
        resource_id=norm_id(rid[:at]),
        name=rid[at + len(marker) :],
        destinations=tuple(sorted(dests)),
        categories=tuple(sorted(cats)),
        groups=tuple(sorted(groups)),
    )


def parse_role_assignment(rid: str, properties: Mapping[str, object]) -> RoleAssignment | None:
    principal = props.get_str(properties, "principalId")
    role = props.get_str(properties, "roleDefinitionId")
    scope = props.ref_id(properties, "scope")
    if not principal or not role or not scope:
        return None
    return RoleAssignment(
        id=rid,
        principal_id=principal.lower(),
        principal_type=props.get_str(properties, "principalType"),
        role_definition_id=role.lower().rstrip("/").rsplit("/", 1)[-1],
        scope=scope,
    )


def parse_subnet(properties: Mapping[str, object]) -> Subnet:
    prefixes = set(props.strings(properties, "addressPrefixes"))
    if one := props.get_str(properties, "addressPrefix"):
        prefixes.add(one)
    return Subnet(
        address_prefixes=tuple(sorted(prefixes)),
        network_security_group=props.ref_id(properties, "networkSecurityGroup", "id") or None,
        route_table=props.ref_id(properties, "routeTable", "id") or None,
        private_endpoint_network_policies=props.get_enum(properties, "privateEndpointNetworkPolicies"),
        delegations=tuple(
            sorted({d.lower() for x in props.items(properties, "delegations") if (d := _service(x))})
        ),
    )


def _service(delegation: object) -> str:
    return props.get_str(delegation, "properties", "serviceName") or ""


def parse_link(properties: Mapping[str, object]) -> VnetLink | None:
    vnet = props.ref_id(properties, "virtualNetwork", "id")
    if not vnet:
        return None
    return VnetLink(
        virtual_network=vnet,
        registration_enabled=bool(props.get_bool(properties, "registrationEnabled")),
        state=props.get_enum(properties, "virtualNetworkLinkState"),
    )
