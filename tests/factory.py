"""Rows for tests, shaped like Resource Graph output (see archgen/samples/regulated-vwan.json)."""

from __future__ import annotations

import copy
from typing import Any

SUB = "6b1f3c9e-2a47-4d8b-b0e5-91c2d7f4a803"
HUB_SUB = "c4e2a8f1-5d39-4b7e-8a16-3f0b9d2e7c54"
RG = "rg-aoai"
TENANT = "3f9a1c2e-7b4d-4e8a-9c61-2d5e8f0a4b17"
ZONE = "privatelink.openai.azure.com"
Row = dict[str, Any]


def rid(provider: str, *rest: str, sub: str = SUB, rg: str = RG) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/" + "/".join(rest)


def row(id_: str, type_: str, props: dict[str, Any] | None, **extra: Any) -> Row:
    parts = id_.split("/")
    return {
        "id": id_,
        "name": extra.pop("name", parts[-1]),
        "type": type_,
        "kind": extra.pop("kind", ""),
        "location": extra.pop("location", "westeurope"),
        "resourceGroup": parts[4] if len(parts) > 4 else "",
        "subscriptionId": parts[2],
        "tenantId": TENANT,
        "properties": props,
        **extra,
    }


ACCOUNT = rid("Microsoft.CognitiveServices", "accounts", "aoai-test")
PE = rid("Microsoft.Network", "privateEndpoints", "pe-aoai-test")
VNET = rid("Microsoft.Network", "virtualNetworks", "vnet-spoke")
SUBNET = VNET + "/subnets/snet-pe"
HUB_VNET = rid("Microsoft.Network", "virtualNetworks", "vnet-hub", sub=HUB_SUB, rg="rg-hub")
DNS_VNET = rid("Microsoft.Network", "virtualNetworks", "vnet-dns", sub=HUB_SUB, rg="rg-hub")
ZONE_ID = rid("Microsoft.Network", "privateDnsZones", ZONE, sub=HUB_SUB, rg="rg-dns")
VAULT = rid("Microsoft.KeyVault", "vaults", "kv-test")
VAULT_URI = "https://kv-test.vault.azure.net/"
STORAGE = rid("Microsoft.Storage", "storageAccounts", "sttest")
UAMI = rid("Microsoft.ManagedIdentity", "userAssignedIdentities", "id-test")
UAMI_CLIENT = "0e6d2b8a-4c71-4f93-a5d2-8b1e7c3f9a60"
UAMI_PRINCIPAL = "a4c8e2f6-1b3d-4a57-9c8e-6f0b2d4a7e13"
SAI_PRINCIPAL = "6c8e0a2b-4d6f-4b8a-9c1e-3f5a7c9e1b57"
LAW = rid("Microsoft.OperationalInsights", "workspaces", "log-test", sub=HUB_SUB, rg="rg-mon")
HUB = rid("Microsoft.Network", "virtualHubs", "vhub-weu", sub=HUB_SUB, rg="rg-hub")
WAN = rid("Microsoft.Network", "virtualWans", "vwan", sub=HUB_SUB, rg="rg-hub")
CRYPTO_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
CS_CONTRIBUTOR = "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
USER_PRINCIPAL = "9b1d3f5a-7c2e-4a6b-8d0f-1e3a5c7b9d24"
GROUP_PRINCIPAL = "f1e3d5c7-b9a2-4c4e-8f60-1a3c5e7b9d02"
RG_ID = f"/subscriptions/{SUB}/resourceGroups/{RG}"


def account(
    kind: str = "OpenAI", identity: dict[str, Any] | None = None, pe_status: str | None = None, **props: Any
) -> Row:
    base: dict[str, Any] = {
        "customSubDomainName": "aoai-test",
        "endpoint": "https://aoai-test.openai.azure.com/",
    }
    if pe_status:
        base["privateEndpointConnections"] = [
            {
                "properties": {
                    "privateEndpoint": {"id": PE},
                    "privateLinkServiceConnectionState": {"status": pe_status},
                }
            }
        ]
    base.update(props)
    return row(
        ACCOUNT,
        "microsoft.cognitiveservices/accounts",
        base,
        kind=kind,
        sku={"name": "S0"},
        identity=identity,
    )


def private_endpoint(
    target: str = ACCOUNT, status: str = "Approved", ip: str = "10.42.1.4", manual: bool = False
) -> Row:
    conn = {
        "properties": {
            "privateLinkServiceId": target,
            "groupIds": ["account"],
            "privateLinkServiceConnectionState": {"status": status},
        }
    }
    return row(
        PE,
        "microsoft.network/privateendpoints",
        {
            "subnet": {"id": SUBNET},
            "privateLinkServiceConnections": [] if manual else [conn],
            "manualPrivateLinkServiceConnections": [conn] if manual else [],
            "customDnsConfigs": [{"fqdn": "aoai-test.openai.azure.com", "ipAddresses": [ip]}],
        },
    )


def vnet(
    id_: str = VNET,
    prefix: str = "10.42.0.0/22",
    subnets: tuple[tuple[str, str], ...] = (("snet-pe", "10.42.1.0/26"),),
    peer_to: tuple[str, ...] = (),
    dns_servers: tuple[str, ...] = (),
) -> Row:
    return row(
        id_,
        "microsoft.network/virtualnetworks",
        {
            "addressSpace": {"addressPrefixes": [prefix]},
            "dhcpOptions": {"dnsServers": list(dns_servers)},
            "subnets": [
                {"name": n, "id": f"{id_}/subnets/{n}", "properties": {"addressPrefix": p}}
                for n, p in subnets
            ],
            "virtualNetworkPeerings": [
                {
                    "name": f"to-{r.rsplit('/', 1)[-1]}",
                    "properties": {"remoteVirtualNetwork": {"id": r}, "peeringState": "Connected"},
                }
                for r in peer_to
            ],
        },
    )


def zone(name: str = ZONE, zone_id: str = ZONE_ID) -> Row:
    return row(zone_id, "microsoft.network/privatednszones", {"numberOfRecordSets": 2}, location="global")


def link(target_vnet: str, zone_id: str = ZONE_ID, name: str = "link") -> Row:
    return row(
        f"{zone_id}/virtualNetworkLinks/{name}",
        "microsoft.network/privatednszones/virtualnetworklinks",
        {
            "virtualNetwork": {"id": target_vnet},
            "registrationEnabled": False,
            "virtualNetworkLinkState": "Completed",
        },
        location="global",
    )


def a_record(name: str = "aoai-test", ips: tuple[str, ...] = ("10.42.1.4",), zone_id: str = ZONE_ID) -> Row:
    zone_name = zone_id.rsplit("/", 1)[-1]
    return row(
        f"{zone_id}/A/{name}",
        "microsoft.network/privatednszones/a",
        {"fqdn": f"{name}.{zone_name}.", "ttl": 10, "aRecords": [{"ipv4Address": ip} for ip in ips]},
        location="",
    )


def vault(**props: Any) -> Row:
    base: dict[str, Any] = {
        "vaultUri": VAULT_URI,
        "enableSoftDelete": True,
        "enablePurgeProtection": True,
        "enableRbacAuthorization": True,
        "publicNetworkAccess": "Disabled",
        "networkAcls": {
            "defaultAction": "Deny",
            "bypass": "AzureServices",
            "ipRules": [],
            "virtualNetworkRules": [],
        },
        "accessPolicies": [],
    }
    base.update(props)
    return row(VAULT, "microsoft.keyvault/vaults", base)


def key(name: str = "aoai-cmk", kty: str = "RSA", size: int = 2048, vault_id: str = VAULT) -> Row:
    """A key as the Key Vault management plane lists it (`{vault}/keys?api-version=2023-07-01`)."""
    return {
        "id": f"{vault_id}/keys/{name}",
        "name": name,
        "type": "Microsoft.KeyVault/vaults/keys",
        "location": "westeurope",
        "properties": {
            "attributes": {"enabled": True, "created": 1735689600, "updated": 1735689600, "exp": 1830297600},
            "kty": kty,
            "keySize": size,
            "keyOps": ["wrapKey", "unwrapKey"],
            "keyUri": f"{VAULT_URI}keys/{name}",
        },
    }


def storage(**props: Any) -> Row:
    base: dict[str, Any] = {
        "allowSharedKeyAccess": False,
        "allowBlobPublicAccess": False,
        "minimumTlsVersion": "TLS1_2",
        "supportsHttpsTrafficOnly": True,
        "publicNetworkAccess": "Disabled",
        "encryption": {"keySource": "Microsoft.Storage"},
    }
    base.update(props)
    return row(STORAGE, "microsoft.storage/storageaccounts", base, kind="StorageV2")


def uami() -> Row:
    return row(
        UAMI,
        "microsoft.managedidentity/userassignedidentities",
        {"clientId": UAMI_CLIENT, "principalId": UAMI_PRINCIPAL, "tenantId": TENANT},
    )


UAMI_IDENTITY = {
    "type": "UserAssigned",
    "userAssignedIdentities": {UAMI: {"clientId": UAMI_CLIENT, "principalId": UAMI_PRINCIPAL}},
}
SYSTEM_IDENTITY = {"type": "SystemAssigned", "principalId": SAI_PRINCIPAL, "tenantId": TENANT}
CMK = {
    "keySource": "Microsoft.KeyVault",
    "keyVaultProperties": {
        "keyName": "aoai-cmk",
        "keyVersion": "1",
        "keyVaultUri": VAULT_URI,
        "identityClientId": UAMI_CLIENT,
    },
}


def role(
    principal: str, role_guid: str, scope: str, name: str = "ra1", principal_type: str = "ServicePrincipal"
) -> Row:
    return row(
        f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
        "microsoft.authorization/roleassignments",
        {
            "principalId": principal,
            "principalType": principal_type,
            "scope": scope,
            "roleDefinitionId": f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{role_guid}",
        },
        location="",
    )


def diag(resource: str, logs: list[dict[str, Any]], name: str = "diag", workspace: str = LAW) -> Row:
    return {
        "id": f"{resource}/providers/microsoft.insights/diagnosticSettings/{name}",
        "name": name,
        "type": "Microsoft.Insights/diagnosticSettings",
        "properties": {"workspaceId": workspace, "logs": logs},
    }


def workspace() -> Row:
    return row(LAW, "microsoft.operationalinsights/workspaces", {"retentionInDays": 90})


def private_network(ip: str = "10.42.1.4", status: str = "Approved") -> list[Row]:
    """An account with an approved PE whose record and link are wired in the PE's own VNet."""
    return [
        account(pe_status=status, publicNetworkAccess="Disabled"),
        private_endpoint(status=status, ip=ip),
        vnet(),
        zone(),
        link(VNET),
        a_record(),
    ]


def deep(rows: list[Row]) -> list[Row]:
    return copy.deepcopy(rows)


def deployment(
    name: str,
    sku: str,
    model: str = "gpt-4o",
    account_id: str = ACCOUNT,
    rai: str | None = "Microsoft.DefaultV2",
) -> Row:
    """A model deployment as ARM lists it (`{account}/deployments?api-version=2024-10-01`)."""
    props: dict[str, Any] = {
        "model": {"format": "OpenAI", "name": model, "version": "2024-08-06"},
        "versionUpgradeOption": "OnceNewDefaultVersionAvailable",
        "provisioningState": "Succeeded",
    }
    if rai is not None:
        props["raiPolicyName"] = rai
    return {
        "id": f"{account_id}/deployments/{name}",
        "name": name,
        "type": "Microsoft.CognitiveServices/accounts/deployments",
        "sku": {"name": sku, "capacity": 50},
        "properties": props,
    }


def rai_policy(name: str, disabled: tuple[str, ...] = (), account_id: str = ACCOUNT) -> Row:
    """A content filter policy as ARM returns it (GetRaiPolicy.json example of API 2024-10-01)."""
    filters = [
        {
            "name": cat,
            "blocking": True,
            "enabled": cat not in disabled,
            "severityThreshold": "Medium",
            "source": source,
        }
        for cat in ("hate", "sexual", "selfharm", "violence")
        for source in ("Prompt", "Completion")
    ]
    filters.append({"name": "jailbreak", "blocking": True, "enabled": True, "source": "Prompt"})
    return {
        "id": f"{account_id}/raiPolicies/{name}",
        "name": name,
        "type": "Microsoft.CognitiveServices/accounts/raiPolicies",
        "properties": {
            "basePolicyName": "Microsoft.DefaultV2",
            "mode": "Blocking",
            "contentFilters": filters,
        },
    }


SEARCH = rid("Microsoft.Search", "searchServices", "srch-test")


def search_service(shared_link_status: str | None = "Approved", **props: Any) -> Row:
    """An Azure AI Search service as Resource Graph returns it (search.json 2023-11-01 shapes)."""
    base: dict[str, Any] = {
        "replicaCount": 1,
        "partitionCount": 1,
        "hostingMode": "default",
        "publicNetworkAccess": "disabled",
        "networkRuleSet": {"ipRules": [], "bypass": "None"},
        "disableLocalAuth": True,
        "privateEndpointConnections": [],
        "sharedPrivateLinkResources": [],
    }
    if shared_link_status is not None:
        base["sharedPrivateLinkResources"] = [
            {
                "id": f"{SEARCH}/sharedPrivateLinkResources/spl-aoai",
                "name": "spl-aoai",
                "type": "Microsoft.Search/searchServices/sharedPrivateLinkResources",
                "properties": {
                    "privateLinkResourceId": ACCOUNT,
                    "groupId": "openai_account",
                    "requestMessage": "On Your Data ingestion",
                    "status": shared_link_status,
                    "provisioningState": "Succeeded",
                },
            }
        ]
    base.update(props)
    return row(
        SEARCH,
        "microsoft.search/searchservices",
        base,
        sku={"name": "standard"},
        identity={
            "type": "SystemAssigned",
            "principalId": "9b1d3f5a-7c9e-4b2d-8f1a-3c5e7a9b1d24",
            "tenantId": TENANT,
        },
    )
