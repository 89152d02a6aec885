"""Live discovery of the vault's private endpoint and its name resolution: the endpoint comes through the
vault's `privateEndpointConnections` (resources_by_id), its A record through `a_records_by_ip`
(dnsresources) and the zone's links through `dns_links_by_zone`: the walk rules the account's endpoint
already uses, batched per hop."""

from __future__ import annotations

from collections import Counter
from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.builder import build
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options

VAULT_ZONE = "privatelink.vaultcore.azure.net"


def _vault_private(tenant: T.Tenant, info: dict[str, Any], zone_group: bool = False) -> dict[str, str]:
    """Give the first workload's vault a private endpoint in the account's endpoint subnet, its record in the
    connectivity subscription's vaultcore zone, linked to the DNS resolver's VNet."""
    w1, conn = info["w1"], info["conn"]
    rg = w1["vnet"].split("/providers/", 1)[0]
    kv_name = w1["kv"].rsplit("/", 1)[-1]
    pe = f"{rg}/providers/Microsoft.Network/privateEndpoints/pe-{kv_name}"
    nic = f"{rg}/providers/Microsoft.Network/networkInterfaces/pe-{kv_name}.nic.{T.guid(kv_name, 'nic')}"
    zone = T.rid(conn["sub"], "rg-dns", "Microsoft.Network/privateDnsZones", VAULT_ZONE)
    ip = w1["ip"].rsplit(".", 1)[0] + ".5"
    subnet = f"{w1['vnet']}/subnets/snet-pe"
    for r in tenant.resources:
        if r["id"] == w1["kv"]:
            r["properties"]["privateEndpointConnections"] = [
                {
                    "id": f"{w1['kv']}/privateEndpointConnections/conn",
                    "properties": {
                        "privateEndpoint": {"id": pe},
                        "privateLinkServiceConnectionState": {"status": "Approved"},
                    },
                }
            ]
    conn_props = {
        "privateLinkServiceId": w1["kv"],
        "groupIds": ["vault"],
        "privateLinkServiceConnectionState": {"status": "Approved"},
    }
    tenant.resources += [
        T.row(
            pe,
            "Microsoft.Network/privateEndpoints",
            properties={
                "subnet": {"id": subnet},
                "networkInterfaces": [{"id": nic}],
                "privateLinkServiceConnections": [{"name": "conn", "properties": conn_props}],
                # with a DNS zone group the endpoint lists no custom DNS configs: the NIC holds the IP
                "customDnsConfigs": []
                if zone_group
                else [{"fqdn": f"{kv_name}.vault.azure.net", "ipAddresses": [ip]}],
            },
        ),
        T.row(
            nic,
            "Microsoft.Network/networkInterfaces",
            properties={
                "privateEndpoint": {"id": pe},
                "ipConfigurations": [
                    {"name": "ipconfig", "properties": {"privateIPAddress": ip, "subnet": {"id": subnet}}}
                ],
            },
        ),
        T.row(
            f"{zone}/virtualNetworkLinks/link-dns-resolver",
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            location="global",
            properties={
                "virtualNetwork": {"id": conn["dns_vnet"]},
                "registrationEnabled": False,
                "virtualNetworkLinkState": "Completed",
            },
        ),
    ]
    tenant.dnsresources.append(
        {
            "id": f"{zone}/A/{kv_name}",
            "name": kv_name,
            "type": "microsoft.network/privatednszones/a",
            "resourceGroup": "rg-dns",
            "subscriptionId": conn["sub"],
            "tenantId": T.TENANT_ID,
            "location": "global",
            "properties": {"fqdn": f"{kv_name}.{VAULT_ZONE}.", "ttl": 10, "aRecords": [{"ipv4Address": ip}]},
        }
    )
    return {"pe": pe, "zone": zone}


def _discover(arm_server: Any, certificates: Certificates, tenant: T.Tenant, info: dict[str, Any]) -> Any:
    server = arm_server(tenant)
    scope = live.Scope(subscriptions=(info["w1"]["sub"], info["w2"]["sub"]))
    return live.discover(scope, options(server, certificates))


def test_vault_private_endpoint_and_its_zone_are_discovered_and_resolve(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()
    before = _discover(arm_server, certificates, tenant, info)
    tenant, info = T.regulated()
    added = _vault_private(tenant, info)
    snap = _discover(arm_server, certificates, tenant, info)
    read = {str(r["id"]).lower() for r in snap.rows}
    assert {added["pe"].lower(), f"{added['zone']}/a/{info['w1']['kv'].rsplit('/', 1)[-1]}".lower()} <= read
    assert f"{added['zone']}/virtualnetworklinks/link-dns-resolver".lower() in read
    graph = build(snapshot.to_inventory(snap, "live"))
    verdicts = {(x.control, x.resource): x.status.value for x in evaluate(graph)}
    assert verdicts[("KV-NET-02", info["w1"]["kv"].lower())] == "pass"
    assert verdicts[("KV-NET-02", info["w2"]["kv"].lower())] == "fail"  # no private endpoint
    # the vault's endpoint is found a hop after the account's: its A record and its zone's links cost one
    # batched request each (a_records_by_ip, dns_links_by_zone), never one per resource
    extra = Counter(q.name for q in snap.queries) - Counter(q.name for q in before.queries)
    assert extra == Counter({"a_records_by_ip": 1, "dns_links_by_zone": 1})
    assert snap.stats["requests"] == before.stats["requests"] + 2


def test_an_endpoint_without_custom_dns_configs_is_resolved_through_its_nic(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()
    added = _vault_private(tenant, info, zone_group=True)
    snap = _discover(arm_server, certificates, tenant, info)
    read = {str(r["id"]).lower() for r in snap.rows}
    assert added["pe"].lower() in read
    graph = build(snapshot.to_inventory(snap, "live"))
    verdicts = {(x.control, x.resource): x.status.value for x in evaluate(graph)}
    assert verdicts[("KV-NET-02", info["w1"]["kv"].lower())] == "pass"
