"""In-memory tenants for the test server: rows shaped as Resource Graph returns them.

`regulated()` is a small Virtual WAN estate (workload subscription, connectivity subscription holding
the hub, the private DNS zone and the Log Analytics workspace). `generate()` builds large tenants for
paging tests and the benchmark: N workloads among M resources in S subscriptions.
"""

from __future__ import annotations

import random
from typing import Any

from .server import Tenant

OPENAI_ZONE = "privatelink.openai.azure.com"
KV_CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
# Model deployments handed out to workload accounts, 1-2 each, by account number:
# (deployment name, model, model version, deployment type = sku.name, capacity).
DEPLOYMENT_CATALOGUE: tuple[tuple[str, str, str, str, int], ...] = (
    ("gpt-4o", "gpt-4o", "2024-08-06", "GlobalStandard", 50),
    ("gpt-4o-mini", "gpt-4o-mini", "2024-07-18", "DataZoneStandard", 100),
    ("text-embedding-3-large", "text-embedding-3-large", "1", "Standard", 120),
    ("gpt-4o-ptu", "gpt-4o", "2024-11-20", "ProvisionedManaged", 100),
    ("o3-mini", "o3-mini", "2025-01-31", "GlobalStandard", 20),
    ("gpt-4o-batch", "gpt-4o", "2024-08-06", "GlobalBatch", 250),
    ("gpt-4-1-dz-ptu", "gpt-4.1", "2025-04-14", "DataZoneProvisionedManaged", 15),
)


def deployment(account: str, name: str, model: str, version: str, sku: str, capacity: int) -> dict[str, Any]:
    """One deployment as `GET {account}/deployments?api-version=2024-10-01` lists it."""
    provisioned = "Provisioned" in sku
    return {
        "id": f"{account}/deployments/{name}",
        "name": name,
        "type": "Microsoft.CognitiveServices/accounts/deployments",
        "sku": {"name": sku, "capacity": capacity},
        "properties": {
            "model": {"format": "OpenAI", "name": model, "version": version},
            "versionUpgradeOption": "NoAutoUpgrade" if provisioned else "OnceNewDefaultVersionAvailable",
            "raiPolicyName": "Microsoft.DefaultV2",
            "provisioningState": "Succeeded",
        },
    }


def vault_key(vault: str, name: str) -> dict[str, Any]:
    """A key as `GET {vault}/keys?api-version=2023-07-01` lists it (no key material: examples/listKeys.json)."""
    host = vault.rsplit("/", 1)[-1].lower()
    return {
        "id": f"{vault}/keys/{name}",
        "name": name,
        "type": "Microsoft.KeyVault/vaults/keys",
        "location": "westeurope",
        "properties": {
            "attributes": {
                "enabled": True,
                "created": 1767225600,
                "updated": 1767225600,
                "recoveryLevel": "Recoverable",
            },
            "kty": "RSA-HSM",
            "keySize": 2048,
            "keyOps": ["wrapKey", "unwrapKey"],
            "keyUri": f"https://{host}.vault.azure.net:443/keys/{name}",
        },
    }


def deployments_for(n: int, account: str) -> list[dict[str, Any]]:
    """1 (even n) or 2 (odd n) deployments, picked deterministically from the catalogue."""
    picks = [n % len(DEPLOYMENT_CATALOGUE), (n + 3) % len(DEPLOYMENT_CATALOGUE)][: 1 + n % 2]
    return [deployment(account, *DEPLOYMENT_CATALOGUE[i]) for i in picks]


def table_row(
    id_: str,
    type_: str,
    properties: dict[str, Any],
    *,
    name: str | None = None,
    resource_group: str = "",
    null_tags: bool = False,
) -> dict[str, Any]:
    """A row of a Resource Graph table other than `resources` (resourcecontainers, securityresources,
    policyresources): the common envelope, no location or kind."""
    return {
        "id": id_,
        "name": id_.rsplit("/", 1)[-1] if name is None else name,
        "type": type_,
        "tenantId": TENANT_ID,
        "kind": "",
        "location": "",
        "resourceGroup": resource_group,
        "subscriptionId": id_.split("/")[2] if id_.startswith("/subscriptions/") else "",
        "sku": None,
        "identity": None,
        "tags": None if null_tags else {},
        "properties": properties,
    }


def subscription(sub: str, name: str) -> dict[str, Any]:
    """A subscription as Resource Graph's resourcecontainers table holds it (`name` is the display name)."""
    properties = {"state": "Enabled", "subscriptionPolicies": {"quotaId": "EnterpriseAgreement_2014-09-01"}}
    return table_row(f"/subscriptions/{sub}", "microsoft.resources/subscriptions", properties, name=name)


def pricing(sub: str, plan: str, tier: str = "Standard", **extra: Any) -> dict[str, Any]:
    """A Defender for Cloud plan as Resource Graph's securityresources table holds it (`pricings.json` 2024-01-01)."""
    return table_row(
        f"/subscriptions/{sub}/providers/Microsoft.Security/pricings/{plan}",
        "microsoft.security/pricings",
        {"pricingTier": tier, "freeTrialRemainingTime": "PT0S", **extra},
    )


def plans(sub: str, ai: str = "Standard") -> list[dict[str, Any]]:
    """The plans of one subscription: AI at `ai`, Key Vault and Storage Standard, one plan archgen does not read."""
    return [
        pricing(sub, "AI", ai),
        pricing(sub, "KeyVaults", subPlan="PerKeyVault"),
        pricing(
            sub, "StorageAccounts", subPlan="DefenderForStorageV2", resourcesCoverageStatus="FullyCovered"
        ),
        pricing(sub, "VirtualMachines", "Free"),
    ]


def assessment(
    resource: str, key: str, name: str, code: str, severity: str = "Medium", *, id_key: str = "Id"
) -> dict[str, Any]:
    """A Defender for Cloud recommendation on `resource` as Resource Graph's securityresources table holds it:
    the assessed id at `resourceDetails.Id` (Resource Graph samples) or `.id` (REST spec, `id_key="id"`)."""
    properties = {
        "resourceDetails": {"Source": "Azure", id_key: resource},
        "displayName": name,
        "status": {"code": code, "description": "status text that must not be shown"},
        "metadata": {"severity": severity, "description": "description that must not be shown"},
        "additionalData": {"secretish": "additional data that must not be shown"},
    }
    return table_row(
        f"{resource}/providers/Microsoft.Security/assessments/{key}",
        "microsoft.security/assessments",
        properties,
        resource_group=resource.split("/")[4],
        null_tags=True,
    )


BUILTIN_POLICY = "/providers/Microsoft.Authorization/policyDefinitions/"
RESTRICT_NETWORK = (
    "037eea7a-bd0a-46c5-9a66-03aea78705d3"  # Azure AI Services resources should restrict network access
)


def policy_row(id_: str, type_: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An Azure Policy row as Resource Graph's policyresources table holds it (policy*.json 2023-04-01)."""
    return table_row(id_, type_, properties)


def restrict_network_definition() -> dict[str, Any]:
    """The built-in as Azure/azure-policy defines it (Azure Ai Services/NetworkAcls_Audit.json)."""
    return policy_row(
        BUILTIN_POLICY + RESTRICT_NETWORK,
        "microsoft.authorization/policydefinitions",
        {
            "displayName": "Azure AI Services resources should restrict network access",
            "policyType": "BuiltIn",
            "mode": "Indexed",
            "parameters": {
                "effect": {
                    "type": "string",
                    "defaultValue": "Audit",
                    "allowedValues": ["Audit", "Deny", "Disabled"],
                }
            },
            "policyRule": {
                "if": {"field": "type", "equals": "Microsoft.CognitiveServices/accounts"},
                "then": {"effect": "[parameters('effect')]"},
            },
        },
    )


def policy_assignment(scope: str, name: str, definition: str, **parameters: Any) -> dict[str, Any]:
    return policy_row(
        f"{scope}/providers/Microsoft.Authorization/policyAssignments/{name}",
        "microsoft.authorization/policyassignments",
        {
            "displayName": name,
            "scope": scope,
            "policyDefinitionId": definition,
            "enforcementMode": "Default",
            "notScopes": [],
            "parameters": {k: {"value": v} for k, v in parameters.items()},
        },
    )


def policy_state(resource: str, assignment: str, definition: str, state: str) -> dict[str, Any]:
    """A compliance state row (the properties Microsoft's Resource Graph samples for Azure Policy read)."""
    return policy_row(
        f"{resource}/providers/Microsoft.PolicyInsights/policyStates/{guid(resource, assignment)}",
        "microsoft.policyinsights/policystates",
        {
            "resourceId": resource,
            "policyAssignmentId": assignment,
            "policyDefinitionId": definition,
            "policyDefinitionReferenceId": "",
            "complianceState": state,
        },
    )


def sub_id(i: int) -> str:
    return f"{i:08x}-0000-4000-8000-{i:012x}"


def guid(*parts: object) -> str:
    r = random.Random("/".join(map(str, parts)))
    h = f"{r.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"


def rid(sub: str, rg: str, provider_type: str, name: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider_type}/{name}"


def role_assignment(
    scope: str, principal: str, role: str, principal_type: str = "ServicePrincipal"
) -> dict[str, Any]:
    """An `authorizationresources` role-assignment row granting the built-in `role` (a GUID) to `principal`
    at `scope` (in `scope`'s subscription)."""
    sub = scope.split("/")[2]
    return row(
        f"{scope}/providers/Microsoft.Authorization/roleAssignments/{guid(principal, scope)}",
        "microsoft.authorization/roleassignments",
        location="",
        properties={
            "principalId": principal,
            "principalType": principal_type,
            "scope": scope,
            "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role}",
        },
    )


def row(
    rid_: str,
    type_: str,
    *,
    kind: str | None = None,
    location: str = "swedencentral",
    properties: dict[str, Any] | None = None,
    identity: Any = None,
    sku: Any = None,
    tags: dict[str, str] | None = None,
) -> dict[str, Any]:
    parts = rid_.split("/")
    return {
        "id": rid_,
        "name": parts[-1],
        "type": type_.lower(),
        "kind": kind or "",
        "location": location,
        "resourceGroup": parts[4] if len(parts) > 4 else "",
        "subscriptionId": parts[2],
        "tenantId": TENANT_ID,
        "sku": sku,
        "identity": identity,
        "tags": tags or {},
        "properties": properties or {},
        "managedBy": "",
        "plan": None,
        "zones": None,
        "extendedLocation": None,
    }


class Builder:
    """Adds rows to a Tenant with the cross-references Azure would hold."""

    def __init__(self, tenant: Tenant | None = None) -> None:
        self.t = tenant or Tenant()

    def add(self, r: dict[str, Any]) -> dict[str, Any]:
        self.t.resources.append(r)
        return r

    def connectivity(self, sub: str, *, dns_vnet_prefix: str = "10.255.0.0/24") -> dict[str, str]:
        wan = rid(sub, "rg-connectivity", "Microsoft.Network/virtualWans", "vwan-core")
        hub = rid(sub, "rg-connectivity", "Microsoft.Network/virtualHubs", "vhub-swc")
        zone = rid(sub, "rg-dns", "Microsoft.Network/privateDnsZones", OPENAI_ZONE)
        dns_vnet = rid(sub, "rg-dns", "Microsoft.Network/virtualNetworks", "vnet-dns-resolver")
        law = rid(sub, "rg-monitor", "Microsoft.OperationalInsights/workspaces", "law-security")
        self.add(row(wan, "Microsoft.Network/virtualWans", properties={"type": "Standard"}))
        self.add(
            row(
                hub,
                "Microsoft.Network/virtualHubs",
                properties={"virtualWan": {"id": wan}, "addressPrefix": "10.254.0.0/23"},
            )
        )
        self.add(
            row(
                zone,
                "Microsoft.Network/privateDnsZones",
                location="global",
                properties={"numberOfRecordSets": 2, "provisioningState": "Succeeded"},
            )
        )
        self.add(
            row(
                dns_vnet,
                "Microsoft.Network/virtualNetworks",
                properties={
                    "addressSpace": {"addressPrefixes": [dns_vnet_prefix]},
                    "subnets": [
                        {
                            "name": "snet-inbound",
                            "id": f"{dns_vnet}/subnets/snet-inbound",
                            "properties": {"addressPrefix": dns_vnet_prefix},
                        }
                    ],
                    "virtualNetworkPeerings": [],
                },
            )
        )
        self.add(
            row(
                f"{zone}/virtualNetworkLinks/link-dns-resolver",
                "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
                location="global",
                properties={
                    "virtualNetwork": {"id": dns_vnet},
                    "registrationEnabled": False,
                    "virtualNetworkLinkState": "Completed",
                },
            )
        )
        self.add(
            row(
                f"{hub}/hubVirtualNetworkConnections/conn-dns",
                "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
                properties={"remoteVirtualNetwork": {"id": dns_vnet}},
            )
        )
        self.add(
            row(
                law,
                "Microsoft.OperationalInsights/workspaces",
                properties={"retentionInDays": 90, "publicNetworkAccessForIngestion": "Enabled"},
            )
        )
        resolver_ip = dns_vnet_prefix.rsplit(".", 1)[0] + ".4"
        return {
            "wan": wan,
            "hub": hub,
            "zone": zone,
            "dns_vnet": dns_vnet,
            "law": law,
            "sub": sub,
            "resolver_ip": resolver_ip,
        }

    def workload(
        self,
        n: int,
        sub: str,
        conn: dict[str, str],
        *,
        rg: str | None = None,
        tags: dict[str, str] | None = None,
        name: str | None = None,
        diagnostics: bool = True,
        deployments: bool = True,
    ) -> dict[str, str]:
        rg = rg or f"rg-ai-{n}"
        acct_name = name or f"oai-{n:05d}"
        octet2, octet3 = (n // 250) % 250, n % 250
        ip = f"10.{octet2}.{octet3}.4"
        acct = rid(sub, rg, "Microsoft.CognitiveServices/accounts", acct_name)
        pe = rid(sub, rg, "Microsoft.Network/privateEndpoints", f"pe-{acct_name}")
        nic = rid(sub, rg, "Microsoft.Network/networkInterfaces", f"pe-{acct_name}.nic.{guid(n, 'nic')}")
        vnet = rid(sub, rg, "Microsoft.Network/virtualNetworks", f"vnet-spoke-{n}")
        subnet = f"{vnet}/subnets/snet-pe"
        uami = rid(sub, rg, "Microsoft.ManagedIdentity/userAssignedIdentities", f"id-{acct_name}")
        kv_name = f"kv-{acct_name}"[:24]
        kv = rid(sub, rg, "Microsoft.KeyVault/vaults", kv_name)
        st = rid(sub, rg, "Microsoft.Storage/storageAccounts", f"st{n:08d}ft")
        uami_principal, uami_client = guid(n, "uami-p"), guid(n, "uami-c")
        acct_principal = guid(n, "acct-p")
        self.add(
            row(
                acct,
                "Microsoft.CognitiveServices/accounts",
                kind="OpenAI",
                sku={"name": "S0"},
                tags=tags,
                identity={
                    "type": "SystemAssigned, UserAssigned",
                    "principalId": acct_principal,
                    "tenantId": TENANT_ID,
                    "userAssignedIdentities": {
                        uami: {"principalId": uami_principal, "clientId": uami_client}
                    },
                },
                properties={
                    "customSubDomainName": acct_name,
                    "endpoint": f"https://{acct_name}.openai.azure.com/",
                    "publicNetworkAccess": "Disabled",
                    "disableLocalAuth": True,
                    "networkAcls": {"defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": []},
                    "encryption": {
                        "keySource": "Microsoft.KeyVault",
                        "keyVaultProperties": {
                            "keyName": "cmk",
                            "keyVersion": "",
                            "keyVaultUri": f"https://{kv_name}.vault.azure.net/",
                            "identityClientId": uami_client,
                        },
                    },
                    "userOwnedStorage": [{"resourceId": st}],
                    "privateEndpointConnections": [
                        {
                            "id": f"{acct}/privateEndpointConnections/{pe.split('/')[-1]}",
                            "properties": {
                                "privateEndpoint": {"id": pe},
                                "groupIds": ["account"],
                                "privateLinkServiceConnectionState": {"status": "Approved"},
                            },
                        }
                    ],
                },
            )
        )
        self.add(
            row(
                pe,
                "Microsoft.Network/privateEndpoints",
                properties={
                    "subnet": {"id": subnet},
                    "networkInterfaces": [{"id": nic}],
                    "privateLinkServiceConnections": [
                        {
                            "name": "conn",
                            "properties": {
                                "privateLinkServiceId": acct,
                                "groupIds": ["account"],
                                "privateLinkServiceConnectionState": {"status": "Approved"},
                            },
                        }
                    ],
                    "customDnsConfigs": [{"fqdn": f"{acct_name}.openai.azure.com", "ipAddresses": [ip]}],
                },
            )
        )
        self.add(
            row(
                nic,
                "Microsoft.Network/networkInterfaces",
                properties={
                    "privateEndpoint": {"id": pe},
                    "ipConfigurations": [
                        {"name": "ipconfig", "properties": {"privateIPAddress": ip, "subnet": {"id": subnet}}}
                    ],
                },
            )
        )
        self.add(
            row(
                vnet,
                "Microsoft.Network/virtualNetworks",
                properties={
                    "addressSpace": {"addressPrefixes": [f"10.{octet2}.{octet3}.0/24"]},
                    "dhcpOptions": {"dnsServers": [conn["resolver_ip"]]},
                    "subnets": [
                        {
                            "name": "snet-pe",
                            "id": subnet,
                            "properties": {"addressPrefix": f"10.{octet2}.{octet3}.0/27"},
                        }
                    ],
                    "virtualNetworkPeerings": [],
                },
            )
        )
        self.add(
            row(
                f"{conn['hub']}/hubVirtualNetworkConnections/conn-spoke-{n}",
                "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
                properties={"remoteVirtualNetwork": {"id": vnet}},
            )
        )
        self.add(
            row(
                uami,
                "Microsoft.ManagedIdentity/userAssignedIdentities",
                properties={"principalId": uami_principal, "clientId": uami_client, "tenantId": TENANT_ID},
            )
        )
        self.add(
            row(
                kv,
                "Microsoft.KeyVault/vaults",
                properties={
                    "vaultUri": f"https://{kv_name}.vault.azure.net/",
                    "enableRbacAuthorization": True,
                    "enableSoftDelete": True,
                    "enablePurgeProtection": True,
                    "publicNetworkAccess": "Enabled",
                    "networkAcls": {"defaultAction": "Allow"},
                },
            )
        )
        self.add(
            row(
                st,
                "Microsoft.Storage/storageAccounts",
                kind="StorageV2",
                properties={
                    "publicNetworkAccess": "Enabled",
                    "allowSharedKeyAccess": True,
                    "minimumTlsVersion": "TLS1_2",
                    "supportsHttpsTrafficOnly": True,
                    "encryption": {"keySource": "Microsoft.Storage"},
                },
            )
        )
        zone = conn["zone"]
        self.t.dnsresources.append(
            {
                "id": f"{zone}/A/{acct_name}",
                "name": acct_name,
                "type": "microsoft.network/privatednszones/a",
                "resourceGroup": zone.split("/")[4],
                "subscriptionId": zone.split("/")[2],
                "tenantId": TENANT_ID,
                "location": "global",
                "tags": {},
                "kind": "",
                "sku": None,
                "identity": None,
                "properties": {
                    "fqdn": f"{acct_name}.{OPENAI_ZONE}.",
                    "ttl": 10,
                    "aRecords": [{"ipv4Address": ip}],
                },
            }
        )
        for principal, scope, role in (
            (uami_principal, kv, KV_CRYPTO_SERVICE_ENCRYPTION_USER),
            (acct_principal, st, STORAGE_BLOB_DATA_CONTRIBUTOR),
        ):
            ra = f"{scope}/providers/Microsoft.Authorization/roleAssignments/{guid(principal, scope)}"
            self.t.authorizationresources.append(
                {
                    "id": ra,
                    "name": ra.rsplit("/", maxsplit=1)[-1],
                    "type": "microsoft.authorization/roleassignments",
                    "subscriptionId": sub,
                    "tenantId": TENANT_ID,
                    "resourceGroup": rg,
                    "location": "",
                    "tags": {},
                    "kind": "",
                    "sku": None,
                    "identity": None,
                    "properties": {
                        "principalId": principal,
                        "principalType": "ServicePrincipal",
                        "scope": scope,
                        "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/"
                        f"roleDefinitions/{role}",
                    },
                }
            )
        if diagnostics:
            for target, category in ((acct, "Audit"), (kv, "AuditEvent"), (st, None)):
                logs = (
                    [{"category": category, "enabled": True}]
                    if category
                    else [{"categoryGroup": "allLogs", "enabled": True}]
                )
                self.t.diagnostics[target.lower()] = [
                    {
                        "id": f"{target}/providers/microsoft.insights/diagnosticSettings/to-law",
                        "name": "to-law",
                        "type": "Microsoft.Insights/diagnosticSettings",
                        "properties": {"workspaceId": conn["law"], "logs": logs, "metrics": []},
                    }
                ]
        if deployments:
            self.t.deployments[acct.lower()] = deployments_for(n, acct)
            self.t.children[f"{acct.lower()}/raipolicies"] = []  # only Microsoft's default policies in use
        self.t.children[f"{kv.lower()}/keys"] = [vault_key(kv, "cmk")]
        return {
            "account": acct,
            "pe": pe,
            "nic": nic,
            "vnet": vnet,
            "uami": uami,
            "kv": kv,
            "st": st,
            "ip": ip,
            "rg": rg,
            "sub": sub,
            "name": acct_name,
        }

    def noise(self, count: int, subs: list[str], seed: int = 0) -> None:
        """Resources that belong to no workload: VMs, disks, other Cognitive Services kinds, storage."""
        kinds = [
            ("Microsoft.Compute/virtualMachines", None),
            ("Microsoft.Compute/disks", None),
            ("Microsoft.Network/publicIPAddresses", None),
            ("Microsoft.Web/sites", "app"),
            ("Microsoft.CognitiveServices/accounts", "TextAnalytics"),
            ("Microsoft.Storage/storageAccounts", "StorageV2"),
            ("Microsoft.Network/networkSecurityGroups", None),
        ]
        rnd = random.Random(seed)
        for i in range(count):
            type_, kind = kinds[i % len(kinds)]
            sub = subs[rnd.randrange(len(subs))]
            name = f"{type_.rsplit('/', 1)[-1][:8].lower()}{i:07d}"
            self.add(
                row(
                    rid(sub, f"rg-app-{i % 97}", type_, name),
                    type_,
                    kind=kind,
                    properties={"provisioningState": "Succeeded"},
                )
            )


def regulated() -> tuple[Tenant, dict[str, Any]]:
    """Two workload subscriptions and a connectivity subscription; one account each, plus noise."""
    b = Builder()
    conn = b.connectivity(sub_id(1))
    w1 = b.workload(1, sub_id(2), conn, rg="rg-ai-prod", tags={"env": "prod", "owner": "O'Brien"})
    w2 = b.workload(2, sub_id(3), conn, rg="rg-ai-dev", tags={"env": "dev"})
    b.noise(50, [sub_id(1), sub_id(2), sub_id(3)])
    for i, label in ((1, "Contoso Connectivity"), (2, "Contoso AI Prod"), (3, "Contoso AI Dev")):
        b.t.resourcecontainers.append(subscription(sub_id(i), label))
        b.t.securityresources.extend(plans(sub_id(i), ai="Free" if i == 3 else "Standard"))
    # prod denies public network access on its AI accounts (and its account complies); dev assigns nothing
    deny = policy_assignment(
        f"/subscriptions/{sub_id(2)}",
        "deny-ai-public-network",
        BUILTIN_POLICY + RESTRICT_NETWORK,
        effect="Deny",
    )
    b.t.policyresources += [
        deny,
        restrict_network_definition(),
        policy_state(w1["account"], deny["id"], BUILTIN_POLICY + RESTRICT_NETWORK, "Compliant"),
    ]
    return b.t, {"conn": conn, "w1": w1, "w2": w2}


def generate(
    accounts: int, resources: int, subscriptions: int, *, diagnostics: bool = True, seed: int = 0
) -> tuple[Tenant, dict[str, Any]]:
    """`accounts` workloads spread over `subscriptions` (the first is connectivity) among `resources` rows."""
    b = Builder()
    subs = [sub_id(i + 1) for i in range(subscriptions)]
    conn = b.connectivity(subs[0])
    workloads = []
    spread = subs[1:] or subs
    for n in range(accounts):
        workloads.append(b.workload(n, spread[n % len(spread)], conn, diagnostics=diagnostics))
    b.noise(max(0, resources - len(b.t.resources)), subs, seed)
    for sub in subs:
        b.t.securityresources.extend(plans(sub))
    return b.t, {"conn": conn, "workloads": workloads, "subscriptions": subs}


def accounts_only(count: int, subscriptions: int) -> Tenant:
    """`count` bare OpenAI accounts (no references) across subscriptions: the paging test's tenant."""
    t = Tenant()
    subs = [sub_id(i + 1) for i in range(subscriptions)]
    for i in range(count):
        sub = subs[i % len(subs)]
        t.resources.append(
            row(
                rid(sub, f"rg-{i % 13}", "Microsoft.CognitiveServices/accounts", f"oai-{i:06d}"),
                "Microsoft.CognitiveServices/accounts",
                kind="OpenAI" if i % 2 else "AIServices",
                properties={"customSubDomainName": f"oai-{i:06d}"},
            )
        )
    return t
