"""Fixtures for the vault's and the storage account's private reach (KV-NET-02, ST-NET-03), named by
expected outcome: an approved private endpoint whose privatelink zone record resolves from the endpoint's
virtual network and from the workload's (the account's private endpoint's) virtual network."""

from __future__ import annotations

from tests import factory as f

Rows = list[f.Row]

VAULT_PE = f.rid("Microsoft.Network", "privateEndpoints", "pe-kv-test")
STORAGE_PE = f.rid("Microsoft.Network", "privateEndpoints", "pe-sttest-blob")
VAULT_ZONE = f.rid(
    "Microsoft.Network", "privateDnsZones", "privatelink.vaultcore.azure.net", sub=f.HUB_SUB, rg="rg-dns"
)
BLOB_ZONE = f.rid(
    "Microsoft.Network", "privateDnsZones", "privatelink.blob.core.windows.net", sub=f.HUB_SUB, rg="rg-dns"
)
DATA_VNET = f.rid("Microsoft.Network", "virtualNetworks", "vnet-data")
VAULT_IP, STORAGE_IP = "10.42.1.5", "10.42.1.6"


def target_pe(pe_id: str, target: str, group: str, ip: str, fqdn: str, subnet: str = f.SUBNET) -> f.Row:
    conn = {
        "properties": {
            "privateLinkServiceId": target,
            "groupIds": [group],
            "privateLinkServiceConnectionState": {"status": "Approved"},
        }
    }
    return f.row(
        pe_id,
        "microsoft.network/privateendpoints",
        {
            "subnet": {"id": subnet},
            "privateLinkServiceConnections": [conn],
            "manualPrivateLinkServiceConnections": [],
            "customDnsConfigs": [{"fqdn": fqdn, "ipAddresses": [ip]}],
        },
    )


def connections(pe_id: str, group: str) -> list[dict[str, object]]:
    return [
        {
            "properties": {
                "privateEndpoint": {"id": pe_id},
                "groupIds": [group],
                "privateLinkServiceConnectionState": {"status": "Approved"},
            }
        }
    ]


def _zone(zone_id: str) -> f.Row:
    return f.zone(zone_id.rsplit("/", 1)[-1], zone_id)


def vault_private(record_ip: str = VAULT_IP, linked: bool = True, records: bool = True) -> Rows:
    """A CMK account with its own private network, and a CMK vault reached through a private endpoint in
    the same subnet, its record in privatelink.vaultcore.azure.net."""
    rows = f.private_network()
    rows[0] = f.account(
        pe_status="Approved",
        publicNetworkAccess="Disabled",
        identity=f.UAMI_IDENTITY,
        encryption=f.CMK,
    )
    rows += [
        f.uami(),
        f.vault(privateEndpointConnections=connections(VAULT_PE, "vault")),
        target_pe(VAULT_PE, f.VAULT, "vault", VAULT_IP, "kv-test.vault.azure.net"),
        _zone(VAULT_ZONE),
    ]
    if linked:
        rows.append(f.link(f.VNET, VAULT_ZONE, "link-spoke"))
    if records:
        rows.append(f.a_record("kv-test", (record_ip,), VAULT_ZONE))
    return rows


def kv_pass_private_endpoint_resolves() -> Rows:
    return vault_private()


def kv_fail_no_private_endpoint() -> Rows:
    rows = f.private_network()
    rows[0] = f.account(
        pe_status="Approved", publicNetworkAccess="Disabled", identity=f.UAMI_IDENTITY, encryption=f.CMK
    )
    return [*rows, f.uami(), f.vault()]


def kv_fail_record_points_elsewhere() -> Rows:
    return vault_private(record_ip="10.99.0.4")


def kv_fail_zone_not_linked_to_workload_vnet() -> Rows:
    return vault_private(linked=False)


def kv_unknown_zone_records_absent() -> Rows:
    return vault_private(records=False)


def storage_private(group: str = "blob", zone_id: str = BLOB_ZONE, data_vnet: bool = False) -> Rows:
    """A training-data storage account (user-owned storage of the account) with a blob private endpoint.
    With `data_vnet`, the storage endpoint sits in another VNet whose link the workload VNet lacks."""
    rows = f.private_network()
    rows[0] = f.account(
        pe_status="Approved",
        publicNetworkAccess="Disabled",
        userOwnedStorage=[{"resourceId": f.STORAGE}],
    )
    subnet = f"{DATA_VNET}/subnets/snet-pe" if data_vnet else f.SUBNET
    rows += [
        f.storage(privateEndpointConnections=connections(STORAGE_PE, group)),
        target_pe(STORAGE_PE, f.STORAGE, group, STORAGE_IP, f"sttest.{group}.core.windows.net", subnet),
        _zone(zone_id),
        f.link(DATA_VNET if data_vnet else f.VNET, zone_id, "link-data"),
        f.a_record("sttest", (STORAGE_IP,), zone_id),
    ]
    if data_vnet:
        rows.append(f.vnet(DATA_VNET, "10.43.0.0/22", (("snet-pe", "10.43.1.0/26"),)))
    return rows


def st_pass_blob_private_endpoint_resolves() -> Rows:
    return storage_private()


def st_fail_public_no_private_endpoint() -> Rows:
    rows = f.private_network()
    rows[0] = f.account(
        pe_status="Approved", publicNetworkAccess="Disabled", userOwnedStorage=[{"resourceId": f.STORAGE}]
    )
    return [*rows, f.storage(publicNetworkAccess="Enabled")]


def st_fail_not_resolvable_from_workload_vnet() -> Rows:
    return storage_private(data_vnet=True)


def st_unknown_dfs_zone_absent() -> Rows:
    return storage_private(group="dfs")


V, S = f.VAULT.lower(), f.STORAGE.lower()
CASES = [
    ("KV-NET-02", kv_pass_private_endpoint_resolves, V, "pass"),
    ("KV-NET-02", kv_fail_no_private_endpoint, V, "fail"),
    ("KV-NET-02", kv_fail_record_points_elsewhere, V, "fail"),
    ("KV-NET-02", kv_fail_zone_not_linked_to_workload_vnet, V, "fail"),
    ("KV-NET-02", kv_unknown_zone_records_absent, V, "unknown"),
    ("ST-NET-03", st_pass_blob_private_endpoint_resolves, S, "pass"),
    ("ST-NET-03", st_fail_public_no_private_endpoint, S, "fail"),
    ("ST-NET-03", st_fail_not_resolvable_from_workload_vnet, S, "fail"),
    ("ST-NET-03", st_unknown_dfs_zone_absent, S, "unknown"),
]
