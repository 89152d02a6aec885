"""The parsers of the rows `build_nodes`' second half and `build_edges` read (diagnostic settings, role
assignments, subnets and DNS zone links) and the references of accounts, storage accounts, key vaults and
private endpoints as they were before the second parse pass of issue 14's sixth round (one tolerant
`props.get*` lookup per key; a generator per block of references), kept as the reference the new code is
compared with in `tests/test_fast_parse_edges.py`. Verbatim but for the names; do not use outside the
tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from archgen.model import props
from archgen.model.ids import norm_id
from archgen.model.relations import Relation
from archgen.model.types.cognitive import Account
from archgen.model.types.dns import VnetLink
from archgen.model.types.foundry import agent_refs
from archgen.model.types.identity import RoleAssignment
from archgen.model.types.keyvault import Vault
from archgen.model.types.monitor import DiagnosticSetting
from archgen.model.types.network import PrivateEndpoint, Subnet
from archgen.model.types.spec import Ref, RefIndex, acl_refs, cmk_ref, identity_refs, pe_connection_refs
from archgen.model.types.storage import StorageAccount

R = Relation


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


# the references of accounts, storage accounts, vaults and private endpoints: generators, one per block
def common_refs(node_id: str, attrs: Any) -> Iterable[Ref]:
    """Identity, firewall rules and private endpoint connections, shared by the PaaS families."""
    yield from identity_refs(node_id, attrs)
    yield from acl_refs(node_id, attrs)
    yield from pe_connection_refs(node_id, attrs)


def account_references(node_id: str, a: Account, index: RefIndex) -> Iterable[Ref]:
    yield from common_refs(node_id, a)
    if a.key_source == "microsoft.keyvault" and a.key_vault_uri:
        who = "system"
        if a.key_identity_client_id:
            found = index.uami_for_client(a.key_identity_client_id)
            who = found or f"client id {a.key_identity_client_id} (not in the input)"
        yield cmk_ref(node_id, a.key_vault_uri, a.key_name, a.key_version, who, index)
    yield from (Ref(node_id, Relation.STORES_DATA_IN, st) for st in a.user_owned_storage)
    yield from agent_refs(node_id, a.foundry)


def storage_references(node_id: str, s: StorageAccount, index: RefIndex) -> Iterable[Ref]:
    yield from common_refs(node_id, s)
    if s.key_source == "microsoft.keyvault" and s.key_vault_uri:
        yield cmk_ref(node_id, s.key_vault_uri, s.key_name, s.key_version, s.key_identity or "system", index)
    for rule in s.resource_access_rules:
        for account in index.accounts_matching(rule):
            yield Ref(node_id, Relation.TRUSTED_ACCESS_FROM, account, {"rule": rule})


def vault_references(node_id: str, v: Vault, index: RefIndex) -> Iterable[Ref]:
    yield from common_refs(node_id, v)


def pe_references(node_id: str, pe: PrivateEndpoint, index: RefIndex) -> Iterable[Ref]:
    yield Ref(node_id, R.IN_SUBNET, pe.subnet_id)
    for c in pe.connections:
        yield Ref(node_id, R.PRIVATE_ENDPOINT_OF, c.target_id, {"group_ids": c.group_ids, "status": c.status})
