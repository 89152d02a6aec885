"""Foundry fixtures (projects, connections, the agent subnet) and the data sources they reach, each named
by the outcome it gives (cognitiveservices.json 2025-06-01, cosmos-db.json 2024-11-15 shapes)."""

from __future__ import annotations

from typing import Any

from tests import factory as f

PROJECT = f.ACCOUNT + "/projects/proj-agents"
COSMOS = f.rid("Microsoft.DocumentDB", "databaseAccounts", "cosmos-test")
AGENT_SUBNET = f.VNET + "/subnets/snet-agents"
SECRET = "c2VjcmV0LWtleS1uZXZlci1zdG9yZWQ="  # what a hostile or careless list might return


def foundry_account(**props: Any) -> f.Row:
    base: dict[str, Any] = {
        "allowProjectManagement": True,
        "publicNetworkAccess": "Disabled",
        "disableLocalAuth": True,
        "networkInjections": [
            {"scenario": "agent", "subnetArmId": AGENT_SUBNET, "useMicrosoftManagedNetwork": False}
        ],
    }
    base.update(props)
    return f.account(kind="AIServices", **base)


def project() -> f.Row:
    return f.row(
        PROJECT,
        "Microsoft.CognitiveServices/accounts/projects",
        {"displayName": "Agents", "isDefault": True},
        identity={"type": "SystemAssigned", "principalId": "5d7f9b1c-3e5a-4c7e-9a0b-2d4f6b8d0e11"},
    )


def connection(
    name: str,
    auth: str,
    target: str,
    resource_id: str | None = None,
    owner: str = PROJECT,
    category: str = "CognitiveSearch",
) -> f.Row:
    props: dict[str, Any] = {"category": category, "target": target, "authType": auth, "isSharedToAll": True}
    if resource_id:
        props["metadata"] = {"ApiType": "Azure", "ResourceId": resource_id, "location": "westeurope"}
    typ = (
        "Microsoft.CognitiveServices/accounts/projects/connections"
        if "/projects/" in owner
        else ("Microsoft.CognitiveServices/accounts/connections")
    )
    return {"id": f"{owner}/connections/{name}", "name": name, "type": typ, "properties": props}


def capability_host(
    threads: str = "cosmos-threads", vectors: str = "srch-kb", files: str = "st-files"
) -> f.Row:
    return {
        "id": f"{PROJECT}/capabilityHosts/agents",
        "name": "agents",
        "type": "Microsoft.CognitiveServices/accounts/projects/capabilityHosts",
        "properties": {
            "capabilityHostKind": "Agents",
            "threadStorageConnections": [threads],
            "vectorStoreConnections": [vectors],
            "storageConnections": [files],
        },
    }


def cosmos(**props: Any) -> f.Row:
    base: dict[str, Any] = {
        "publicNetworkAccess": "Disabled",
        "disableLocalAuth": True,
        "disableKeyBasedMetadataWriteAccess": True,
        "isVirtualNetworkFilterEnabled": False,
        "ipRules": [],
        "virtualNetworkRules": [],
        "networkAclBypass": "None",
        "privateEndpointConnections": [],
    }
    base.update(props)
    return f.row(COSMOS, "microsoft.documentdb/databaseaccounts", base, kind="GlobalDocumentDB")


def search_key_connection() -> f.Row:
    return connection("srch-kb", "ApiKey", "https://srch-test.search.windows.net", f.SEARCH)


def cosmos_aad_connection() -> f.Row:
    return connection(
        "cosmos-threads", "AAD", "https://cosmos-test.documents.azure.com:443/", None, category="CosmosDb"
    )


# -- FDY-IAM-01 -----------------------------------------------------------------------------------------
def iam_pass_entra_connections() -> list[f.Row]:
    return [foundry_account(), project(), cosmos_aad_connection(), cosmos(), f.search_service(None)]


def iam_fail_api_key_connection_despite_local_auth_off() -> list[f.Row]:
    return [
        foundry_account(),
        project(),
        search_key_connection(),
        cosmos_aad_connection(),
        cosmos(),
        f.search_service(None),
    ]


def iam_fail_account_level_sas_connection() -> list[f.Row]:
    sas = connection(
        "st-files", "SAS", "https://sttest.blob.core.windows.net/", owner=f.ACCOUNT, category="AzureBlob"
    )
    return [foundry_account(), sas, f.storage()]


def iam_unknown_connections_not_collected() -> list[f.Row]:
    return [foundry_account(), project()]


def iam_unknown_auth_type_none() -> list[f.Row]:
    return [
        foundry_account(),
        connection("bing", "None", "https://api.bing.microsoft.com/", category="BingLLMSearch"),
    ]


def iam_na_openai_account() -> list[f.Row]:
    return [f.account()]


# -- FDY-NET-01 -----------------------------------------------------------------------------------------
AGENT_NSG = f.rid("Microsoft.Network", "networkSecurityGroups", "nsg-agents")


def agent_vnet(prefix: str = "10.42.2.0/24", service: str | None = "Microsoft.App/environments") -> f.Row:
    """The spoke network with the agent subnet (virtualNetwork.json `subnets[].properties.delegations`)."""
    vnet = f.vnet(prefix="10.42.0.0/22", subnets=(("snet-pe", "10.42.1.0/26"), ("snet-agents", prefix)))
    agents = vnet["properties"]["subnets"][1]["properties"]
    agents["networkSecurityGroup"] = {"id": AGENT_NSG}
    if service is not None:
        agents["delegations"] = [{"name": "aca", "properties": {"serviceName": service}}]
    return vnet


def net_pass_agent_subnet() -> list[f.Row]:
    return [foundry_account(), agent_vnet()]


def net_pass_minimum_size_delegation_in_other_case() -> list[f.Row]:
    return [foundry_account(), agent_vnet("10.42.2.0/27", "microsoft.app/ENVIRONMENTS")]


def net_fail_agent_subnet_not_delegated() -> list[f.Row]:
    return [foundry_account(), agent_vnet(service=None)]


def net_fail_agent_subnet_delegated_elsewhere() -> list[f.Row]:
    return [foundry_account(), agent_vnet(service="Microsoft.Web/serverFarms")]


def net_fail_agent_subnet_smaller_than_27() -> list[f.Row]:
    return [foundry_account(), agent_vnet("10.42.2.0/28")]


def net_fail_agent_subnet_shared_by_two_accounts() -> list[f.Row]:
    other = foundry_account()
    other["id"] = f.rid("Microsoft.CognitiveServices", "accounts", "ais-second")
    other["name"] = "ais-second"
    return [foundry_account(), other, agent_vnet()]


def net_unknown_agent_subnet_not_in_input() -> list[f.Row]:
    return [foundry_account()]


def net_unknown_agent_subnet_prefix_unreadable() -> list[f.Row]:
    return [foundry_account(), agent_vnet("not-a-prefix")]


def net_fail_isolated_without_agent_subnet() -> list[f.Row]:
    return [foundry_account(networkInjections=[])]


def net_unknown_microsoft_managed_network() -> list[f.Row]:
    return [foundry_account(networkInjections=[{"scenario": "agent", "useMicrosoftManagedNetwork": True}])]


def net_na_public_account() -> list[f.Row]:
    return [foundry_account(publicNetworkAccess="Enabled", networkInjections=[])]


def net_na_projects_not_allowed() -> list[f.Row]:
    return [foundry_account(allowProjectManagement=False, networkInjections=[])]


# -- data sources -----------------------------------------------------------------------------------------
def _reached(*rows: f.Row) -> list[f.Row]:
    return [foundry_account(), project(), cosmos_aad_connection(), search_key_connection(), *rows]


def cosmos_pass_private() -> list[f.Row]:
    return _reached(cosmos(), f.search_service(None))


def cosmos_pass_ip_restricted() -> list[f.Row]:
    return _reached(cosmos(publicNetworkAccess="Enabled", ipRules=[{"ipAddressOrRange": "203.0.113.10"}]))


def cosmos_fail_open() -> list[f.Row]:
    return _reached(cosmos(publicNetworkAccess="Enabled", disableLocalAuth=False))


def cosmos_fail_wide_ip_rule() -> list[f.Row]:
    return _reached(cosmos(publicNetworkAccess="Enabled", ipRules=[{"ipAddressOrRange": "0.0.0.0/0"}]))


def cosmos_unknown_vnet_filter_without_rules() -> list[f.Row]:
    return _reached(cosmos(publicNetworkAccess="Enabled", isVirtualNetworkFilterEnabled=True))


def search_pass_private_roles_only() -> list[f.Row]:
    return _reached(f.search_service(None))


def search_fail_open_with_keys() -> list[f.Row]:
    return _reached(
        f.search_service(
            None, publicNetworkAccess="enabled", disableLocalAuth=False, networkRuleSet={"ipRules": []}
        )
    )


def search_pass_ip_restricted() -> list[f.Row]:
    rules = {"ipRules": [{"value": "198.51.100.0/28"}], "bypass": "AzureServices"}
    return _reached(f.search_service(None, publicNetworkAccess="enabled", networkRuleSet=rules))


A, C, S = f.ACCOUNT.lower(), COSMOS.lower(), f.SEARCH.lower()
CASES = [
    ("FDY-IAM-01", iam_pass_entra_connections, A, "pass"),
    ("FDY-IAM-01", iam_fail_api_key_connection_despite_local_auth_off, A, "fail"),
    ("FDY-IAM-01", iam_fail_account_level_sas_connection, A, "fail"),
    ("FDY-IAM-01", iam_unknown_connections_not_collected, A, "unknown"),
    ("FDY-IAM-01", iam_unknown_auth_type_none, A, "unknown"),
    ("FDY-IAM-01", iam_na_openai_account, A, "not_applicable"),
    ("FDY-NET-01", net_pass_agent_subnet, A, "pass"),
    ("FDY-NET-01", net_pass_minimum_size_delegation_in_other_case, A, "pass"),
    ("FDY-NET-01", net_fail_agent_subnet_not_delegated, A, "fail"),
    ("FDY-NET-01", net_fail_agent_subnet_delegated_elsewhere, A, "fail"),
    ("FDY-NET-01", net_fail_agent_subnet_smaller_than_27, A, "fail"),
    ("FDY-NET-01", net_fail_agent_subnet_shared_by_two_accounts, A, "fail"),
    ("FDY-NET-01", net_unknown_agent_subnet_not_in_input, A, "unknown"),
    ("FDY-NET-01", net_unknown_agent_subnet_prefix_unreadable, A, "unknown"),
    ("FDY-NET-01", net_fail_isolated_without_agent_subnet, A, "fail"),
    ("FDY-NET-01", net_unknown_microsoft_managed_network, A, "unknown"),
    ("FDY-NET-01", net_na_public_account, A, "not_applicable"),
    ("FDY-NET-01", net_na_projects_not_allowed, A, "not_applicable"),
    ("COSMOS-NET-01", cosmos_pass_private, C, "pass"),
    ("COSMOS-NET-01", cosmos_pass_ip_restricted, C, "pass"),
    ("COSMOS-NET-01", cosmos_fail_open, C, "fail"),
    ("COSMOS-NET-01", cosmos_fail_wide_ip_rule, C, "fail"),
    ("COSMOS-NET-01", cosmos_unknown_vnet_filter_without_rules, C, "unknown"),
    ("COSMOS-IAM-01", cosmos_pass_private, C, "pass"),
    ("COSMOS-IAM-01", cosmos_fail_open, C, "fail"),
    ("SRCH-NET-01", search_pass_private_roles_only, S, "pass"),
    ("SRCH-NET-01", search_pass_ip_restricted, S, "pass"),
    ("SRCH-NET-01", search_fail_open_with_keys, S, "fail"),
    ("SRCH-IAM-01", search_pass_private_roles_only, S, "pass"),
    ("SRCH-IAM-01", search_fail_open_with_keys, S, "fail"),
]
