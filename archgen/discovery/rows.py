"""What discovery does with a row besides following its type's spec: the handlers of auxiliary rows (types
without a spec that still lead somewhere), the coverage-gap records, and the snapshot's row order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

from archgen.model import props
from archgen.model.ids import norm_id
from archgen.model.types import identity, network, policy

SUBNET_SPEC = network.SUBNET_SPEC

NIC = "microsoft.network/networkinterfaces"
HUB_CONNECTION = "microsoft.network/virtualhubs/hubvirtualnetworkconnections"
ZONE_LINK = "microsoft.network/privatednszones/virtualnetworklinks"
A_RECORD = "microsoft.network/privatednszones/a"
DIAGNOSTIC_SETTING = "microsoft.insights/diagnosticsettings"
SUBSCRIPTION = "microsoft.resources/subscriptions"
ACCOUNT_CONNECTION = "microsoft.cognitiveservices/accounts/connections"
PROJECT_CONNECTION = "microsoft.cognitiveservices/accounts/projects/connections"
# Private DNS zones that name-resolve accounts (https://learn.microsoft.com/azure/private-link/private-endpoint-dns);
# their links are followed even when no A record of a known endpoint was seen yet.
ACCOUNT_ZONE_PREFIXES = ("privatelink.openai.azure.", "privatelink.cognitiveservices.azure.")


# What a failed query or read leaves out, for the "incomplete" banner and gap records.
COVERAGE: dict[str, str] = {
    "accounts": "Azure OpenAI / AI Services accounts of the scope",
    "resources_by_id": "referenced resources (private endpoints, NICs, VNets, hubs, identities, vaults, "
    "storage, DNS zones, diagnostic destinations)",
    "vaults_by_name": "customer-managed key vaults",
    "dns_links_by_vnet": "private DNS zone links of the workloads' VNets",
    "dns_links_by_zone": "links of the private DNS zones holding the workloads' A records",
    "a_records_by_ip": "private DNS A records of the workloads' private endpoints",
    "vnets_by_dns_server": "resolver VNets of custom DNS servers",
    "hub_connections_by_vnet": "Virtual WAN hub connections of the workloads' VNets",
    "role_assignments_by_principal": "role assignments of the workloads' identities",
    "role_assignments_by_scope": "role assignments at the workload accounts and the scopes above them",
    "role_definitions_by_name": "definitions of the custom roles the workloads' role assignments use",
    "diagnostic_settings": "diagnostic settings (ARM)",
    "deployments": "model deployments (ARM)",
    "content_filter_policies": "content filter policies of the workload accounts (ARM)",
    "vault_keys": "keys of the customer-managed key vaults (ARM)",
    "search_services_by_shared_link": "Azure AI Search services reaching the accounts by shared private link",
    "subscriptions_by_id": "subscription display names",
    "foundry_connections": "Foundry projects and connections of the AI Services accounts (ARM)",
    "gateways_by_subscription": "API Management, Application Gateways and Front Door in the workload subscriptions",
    "gateway_backends": "API Management backends (ARM)",
    "hubs_by_subscription": "Foundry hubs and hub-based projects in the workload subscriptions",
    "hub_connections": "connections of the Foundry hubs and hub-based projects (ARM)",
    "callers_by_principal": "App Service and Container Apps apps whose identity may call the model",
    "callers_by_user_identity": "apps running as a user-assigned identity that may call the model",
    "defender_plans_by_subscription": "Defender for Cloud plans of the subscriptions holding the workloads",
    "policy_assignments_by_scope": "Azure Policy assignments at the workload resources and the scopes above them",
    "policy_definitions_by_id": "Azure Policy definitions and initiatives the workloads' assignments name",
    "policy_exemptions_by_assignment": "Azure Policy exemptions of the workloads' assignments",
    "policy_states_by_resource": "Azure Policy compliance states of the workload resources",
    "assessments_by_resource": "Defender for Cloud recommendations on the workload resources",
}


class Wants(Protocol):
    """The expander's side the handlers use: ask for a resource by id, or a key of a lookup."""

    def want(self, kind: str, key: str) -> None: ...

    def want_id(self, value: object) -> None: ...


def gap(kind: str, query: str, hop: int, error: str, keys: Iterable[str] = ()) -> dict[str, Any]:
    """One entry of the snapshot's `incomplete` list: a query that failed or was cut short after the
    seed started, and the coverage it leaves out (`kind`: seed | lookup | arm)."""
    return {
        "kind": kind,
        "query": query,
        "hop": hop,
        "error": error,
        "coverage": COVERAGE.get(query, query),
        "keys": sorted(set(keys)),
    }


def gap_key(entry: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """Deterministic order of the `incomplete` entries."""
    return (
        str(entry.get("kind")),
        str(entry.get("query")),
        str(entry.get("error")),
        ",".join(entry.get("keys", [])),
    )


def row_key(row: Any) -> tuple[str, str]:
    """Deterministic row order: lower-case id, then lower-case type."""
    if not isinstance(row, Mapping):
        return ("", "")
    return (norm_id(row.get("id")), str(row.get("type") or "").lower())


# -- auxiliary rows: types without a spec that still lead somewhere ------------------------------------
KEYVAULT_URI = "keyvault-uri:"


class _NoIndex:
    """Discovery's side of `RefIndex`: it knows no other rows yet, so a CMK names its vault by URI."""

    def vault_for_uri(self, uri: str) -> str:
        return f"{KEYVAULT_URI}{uri}"

    def uami_for_client(self, client_id: str) -> str | None:
        return None

    def accounts_matching(self, rule: str) -> list[str]:
        return []


NO_INDEX = _NoIndex()


def _nic(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    if props.ref_id(properties, "privateEndpoint", "id"):
        for cfg in props.items(properties, "ipConfigurations"):
            if address := props.get_str(cfg, "properties", "privateIPAddress"):
                ex.want("a_records_by_ip", address)


def _hub_connection(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    ex.want_id(rid.split("/hubvirtualnetworkconnections/", 1)[0])


def _zone_link(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    # The zone row (record count) for zones that can serve accounts; the builder makes zone nodes from
    # link rows alone, so other zones linked to a workload's VNets cost nothing more.
    zone = rid.split("/virtualnetworklinks/", 1)[0]
    if zone.rsplit("/", 1)[-1].startswith(ACCOUNT_ZONE_PREFIXES):
        ex.want_id(zone)


def _a_record(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    zone = rid.rsplit("/", 2)[0]
    ex.want_id(zone)
    ex.want("dns_links_by_zone", zone)


def _diagnostic_setting(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    ex.want_id(props.ref_id(properties, "workspaceId"))
    ex.want_id(props.ref_id(properties, "storageAccountId"))
    rule = props.ref_id(properties, "eventHubAuthorizationRuleId")
    if "/authorizationrules/" in rule:
        ex.want_id(rule.split("/authorizationrules/", 1)[0])


def _subscription(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    """The role assignments at the subscription's management groups (`managementGroupAncestorsChain`:
    https://learn.microsoft.com/azure/governance/management-groups/resource-graph-samples)."""
    for item in props.items(properties, "managementGroupAncestorsChain"):
        if name := props.get_str(item, "name"):
            for kind in ("role_assignments_by_scope", "policy_assignments_by_scope"):
                ex.want(kind, f"/providers/microsoft.management/managementgroups/{name.lower()}")


def _policy(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    """An assignment leads to its definition or initiative and its exemptions; an initiative to its members."""
    for definition in policy.wanted_definitions(properties):
        ex.want("policy_definitions_by_id", definition)
    if "/policyassignments/" in rid:
        ex.want("policy_exemptions_by_assignment", rid)


def _connection(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    """The resource a Foundry connection names by `metadata.ResourceId` (types/foundry.py)."""
    ex.want_id(props.ref_id(properties, "metadata", "ResourceId"))


def _role_assignment(ex: Wants, rid: str, properties: Mapping[str, Any]) -> None:
    """The definition of a role archgen does not know as built-in (a custom role), by its GUID; and for a
    service principal (a managed identity) holding a role that calls the model, the apps running as it (the
    assignment's scope is checked by the builder, which draws `calls` only on the account's scope chain)."""
    guid = (props.get_str(properties, "roleDefinitionId") or "").rsplit("/", 1)[-1].lower()
    if guid and guid not in identity.BUILTIN_ROLES:
        ex.want("role_definitions_by_name", guid)
    ra = identity.parse_role_assignment(rid, properties)
    if ra is None or identity.principal_type(ra.principal_type) != "ServicePrincipal":
        return
    if identity.CALL in (identity.grants_of(ra.role_definition_id) or ()):
        ex.want("callers_by_principal", ra.principal_id)
        ex.want("callers_by_user_identity", ra.principal_id)


AUXILIARY: dict[str, Callable[[Wants, str, Mapping[str, Any]], None]] = {
    identity.ROLE_ASSIGNMENT: _role_assignment,
    SUBSCRIPTION: _subscription,
    identity.ROLE_ASSIGNMENT: _role_assignment,
    policy.ASSIGNMENT: _policy,
    policy.SET_DEFINITION: _policy,
    NIC: _nic,
    HUB_CONNECTION: _hub_connection,
    ZONE_LINK: _zone_link,
    A_RECORD: _a_record,
    DIAGNOSTIC_SETTING: _diagnostic_setting,
    ACCOUNT_CONNECTION: _connection,
    PROJECT_CONNECTION: _connection,
}


def subnets_of(vnet_id: str, properties: object) -> Iterator[tuple[str, network.Subnet]]:
    """(subnet id, parsed subnet) of a virtual network row's embedded subnets, for the subnet's walk rules."""
    for sub in props.items(properties, "subnets"):
        name = props.get_str(sub, "name")
        subnet_id = norm_id(props.get_str(sub, "id") or (f"{vnet_id}/subnets/{name}" if name else ""))
        if subnet_id:
            raw = props.get(sub, "properties")
            yield subnet_id, network.parse_subnet(raw if isinstance(raw, Mapping) else {})
