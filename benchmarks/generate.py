"""A generated tenant for benchmarks: ARG rows for N accounts spread over S subscriptions, padded with
unrelated resources (VMs, disks, NICs) up to a target row count. Deterministic for a seed.

Shapes follow the embedded samples (archgen/samples/regulated-vwan.json), which follow the REST specs.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

TENANT = "3f9a1c2e-7b4d-4e8a-9c61-2d5e8f0a4b17"
ZONE = "privatelink.openai.azure.com"


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _row(
    rid: str, rtype: str, name: str, sub: str, rg: str, props: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "name": name,
        "type": rtype,
        "tenantId": TENANT,
        "kind": extra.get("kind", ""),
        "location": extra.get("location", "westeurope"),
        "resourceGroup": rg,
        "subscriptionId": sub,
        "sku": extra.get("sku"),
        "identity": extra.get("identity"),
        "tags": extra.get("tags", {}),
        "properties": props,
    }


def generate_rows(accounts: int, subscriptions: int, rows_target: int, seed: int = 7) -> list[dict[str, Any]]:
    """Rows of a tenant: one hub + DNS zone, a spoke VNet per subscription, and per account a PE, NIC,
    UAMI, key vault (CMK), storage account, A record, two role assignments and two diagnostic settings."""
    rng = random.Random(seed)
    subs = [_guid(rng) for _ in range(subscriptions)]
    hub_sub = subs[0]
    hub = (
        f"/subscriptions/{hub_sub}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub"
    )
    zone = (
        f"/subscriptions/{hub_sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/{ZONE}"
    )
    law = f"/subscriptions/{hub_sub}/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/log-central"
    rows: list[dict[str, Any]] = [
        _row(
            zone,
            "microsoft.network/privatednszones",
            ZONE,
            hub_sub,
            "rg-dns",
            {"numberOfRecordSets": accounts},
        ),
        _row(
            law,
            "microsoft.operationalinsights/workspaces",
            "log-central",
            hub_sub,
            "rg-mon",
            {"retentionInDays": 90},
        ),
    ]
    spokes = []
    hub_peerings = []
    for i, sub in enumerate(subs):
        vnet = f"/subscriptions/{sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-spoke-{i}"
        spokes.append(vnet)
        prefix = f"10.{i // 250}.{i % 250}.0/24"
        rows.append(
            _row(
                vnet,
                "microsoft.network/virtualnetworks",
                f"vnet-spoke-{i}",
                sub,
                "rg-net",
                {
                    "addressSpace": {"addressPrefixes": [prefix]},
                    "subnets": [
                        {
                            "name": "snet-pe",
                            "id": f"{vnet}/subnets/snet-pe",
                            "properties": {"addressPrefix": prefix},
                        }
                    ],
                    "virtualNetworkPeerings": [
                        {
                            "name": "to-hub",
                            "properties": {"remoteVirtualNetwork": {"id": hub}, "peeringState": "Connected"},
                        }
                    ],
                },
            )
        )
        rows.append(
            _row(
                f"{zone}/virtualNetworkLinks/link-{i}",
                "microsoft.network/privatednszones/virtualnetworklinks",
                f"link-{i}",
                hub_sub,
                "rg-dns",
                {"virtualNetwork": {"id": vnet}, "registrationEnabled": False},
            )
        )
        hub_peerings.append(
            {
                "name": f"to-spoke-{i}",
                "properties": {"remoteVirtualNetwork": {"id": vnet}, "peeringState": "Connected"},
            }
        )
    rows.append(
        _row(
            hub,
            "microsoft.network/virtualnetworks",
            "vnet-hub",
            hub_sub,
            "rg-hub",
            {
                "addressSpace": {"addressPrefixes": ["10.255.0.0/16"]},
                "subnets": [],
                "virtualNetworkPeerings": hub_peerings,
            },
        )
    )
    for a in range(accounts):
        s = a % subscriptions
        sub, vnet = subs[s], spokes[s]
        rg = f"rg-aoai-{a}"
        base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
        name = f"aoai-{a:05d}"
        acct = f"{base}/Microsoft.CognitiveServices/accounts/{name}"
        pe = f"{base}/Microsoft.Network/privateEndpoints/pe-{name}"
        nic = f"{base}/Microsoft.Network/networkInterfaces/pe-{name}.nic"
        uami = f"{base}/Microsoft.ManagedIdentity/userAssignedIdentities/id-{name}"
        kv = f"{base}/Microsoft.KeyVault/vaults/kv-{name}"
        st = f"{base}/Microsoft.Storage/storageAccounts/st{a:05d}"
        client, principal = _guid(rng), _guid(rng)
        ip = f"10.{s // 250}.{s % 250}.{4 + (a // subscriptions) % 250}"
        rows += [
            _row(
                acct,
                "microsoft.cognitiveservices/accounts",
                name,
                sub,
                rg,
                {
                    "customSubDomainName": name,
                    "endpoint": f"https://{name}.openai.azure.com/",
                    "publicNetworkAccess": rng.choice(["Disabled", "Enabled"]),
                    "disableLocalAuth": rng.random() < 0.5,
                    "networkAcls": {"defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": []},
                    "encryption": {
                        "keySource": "Microsoft.KeyVault",
                        "keyVaultProperties": {
                            "keyName": "cmk",
                            "keyVaultUri": f"https://kv-{name}.vault.azure.net/",
                            "identityClientId": client,
                        },
                    },
                    "privateEndpointConnections": [
                        {
                            "properties": {
                                "privateEndpoint": {"id": pe},
                                "privateLinkServiceConnectionState": {"status": "Approved"},
                            }
                        }
                    ],
                },
                kind="OpenAI",
                sku={"name": "S0"},
                identity={
                    "type": "UserAssigned",
                    "userAssignedIdentities": {uami: {"clientId": client, "principalId": principal}},
                },
            ),
            _row(
                pe,
                "microsoft.network/privateendpoints",
                f"pe-{name}",
                sub,
                rg,
                {
                    "subnet": {"id": f"{vnet}/subnets/snet-pe"},
                    "privateLinkServiceConnections": [
                        {
                            "properties": {
                                "privateLinkServiceId": acct,
                                "groupIds": ["account"],
                                "privateLinkServiceConnectionState": {"status": "Approved"},
                            }
                        }
                    ],
                    "customDnsConfigs": [{"fqdn": f"{name}.openai.azure.com", "ipAddresses": [ip]}],
                    "networkInterfaces": [{"id": nic}],
                },
            ),
            _row(
                nic,
                "microsoft.network/networkinterfaces",
                f"pe-{name}.nic",
                sub,
                rg,
                {
                    "ipConfigurations": [{"properties": {"privateIPAddress": ip}}],
                    "privateEndpoint": {"id": pe},
                },
            ),
            _row(
                uami,
                "microsoft.managedidentity/userassignedidentities",
                f"id-{name}",
                sub,
                rg,
                {"clientId": client, "principalId": principal, "tenantId": TENANT},
            ),
            _row(
                kv,
                "microsoft.keyvault/vaults",
                f"kv-{name}",
                sub,
                rg,
                {
                    "vaultUri": f"https://kv-{name}.vault.azure.net/",
                    "enableSoftDelete": True,
                    "enablePurgeProtection": rng.random() < 0.8,
                    "enableRbacAuthorization": True,
                    "publicNetworkAccess": "Enabled",
                    "networkAcls": {"defaultAction": "Allow", "bypass": "AzureServices"},
                },
            ),
            _row(
                st,
                "microsoft.storage/storageaccounts",
                f"st{a:05d}",
                sub,
                rg,
                {
                    "allowSharedKeyAccess": rng.random() < 0.5,
                    "minimumTlsVersion": "TLS1_2",
                    "supportsHttpsTrafficOnly": True,
                    "networkAcls": {
                        "defaultAction": "Allow",
                        "resourceAccessRules": [{"tenantId": TENANT, "resourceId": acct}],
                    },
                    "encryption": {"keySource": "Microsoft.Storage"},
                },
                kind="StorageV2",
            ),
            _row(
                f"{zone}/A/{name}",
                "microsoft.network/privatednszones/a",
                name,
                hub_sub,
                "rg-dns",
                {"fqdn": f"{name}.{ZONE}.", "aRecords": [{"ipv4Address": ip}]},
            ),
            _row(
                f"{kv}/providers/Microsoft.Authorization/roleAssignments/{_guid(rng)}",
                "microsoft.authorization/roleassignments",
                "ra",
                sub,
                rg,
                {
                    "principalId": principal,
                    "scope": kv,
                    "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6",
                },
            ),
            _row(
                f"{st}/providers/Microsoft.Authorization/roleAssignments/{_guid(rng)}",
                "microsoft.authorization/roleassignments",
                "ra",
                sub,
                rg,
                {
                    "principalId": principal,
                    "scope": st,
                    "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
                },
            ),
            _row(
                f"{acct}/providers/microsoft.insights/diagnosticSettings/diag",
                "microsoft.insights/diagnosticsettings",
                "diag",
                sub,
                rg,
                {"workspaceId": law, "logs": [{"categoryGroup": "audit", "enabled": True}]},
            ),
            _row(
                f"{kv}/providers/microsoft.insights/diagnosticSettings/diag",
                "microsoft.insights/diagnosticsettings",
                "diag",
                sub,
                rg,
                {"workspaceId": law, "logs": [{"category": "AuditEvent", "enabled": True}]},
            ),
        ]
    i = 0
    while len(rows) < rows_target:
        sub = subs[i % subscriptions]
        base = f"/subscriptions/{sub}/resourceGroups/rg-app-{i % 97}/providers"
        if i % 3 == 0:
            rows.append(
                _row(
                    f"{base}/Microsoft.Compute/virtualMachines/vm-{i}",
                    "microsoft.compute/virtualmachines",
                    f"vm-{i}",
                    sub,
                    f"rg-app-{i % 97}",
                    {
                        "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                        "storageProfile": {"osDisk": {"osType": "Linux"}},
                    },
                )
            )
        elif i % 3 == 1:
            rows.append(
                _row(
                    f"{base}/Microsoft.Compute/disks/disk-{i}",
                    "microsoft.compute/disks",
                    f"disk-{i}",
                    sub,
                    f"rg-app-{i % 97}",
                    {"diskSizeGB": 128, "encryption": {"type": "EncryptionAtRestWithPlatformKey"}},
                )
            )
        else:
            rows.append(
                _row(
                    f"{base}/Microsoft.Network/networkInterfaces/nic-{i}",
                    "microsoft.network/networkinterfaces",
                    f"nic-{i}",
                    sub,
                    f"rg-app-{i % 97}",
                    {
                        "ipConfigurations": [
                            {"properties": {"privateIPAddress": f"10.200.{i % 250}.{i % 200}"}}
                        ]
                    },
                )
            )
        i += 1
    return rows
