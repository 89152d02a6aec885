"""Relations, workloads, case-insensitivity and dangling references, asserted as sets of triples."""

from __future__ import annotations

import random
from pathlib import Path

from archgen.discovery.files import load_files
from archgen.model.builder import build
from archgen.model.ids import norm_id
from archgen.model.relations import Relation
from tests import factory as f
from tests import foundry_cases as fdy
from tests import gateway_cases as gc
from tests import hub_cases as hc
from tests import netpath_cases as nc
from tests.conftest import graph_of

SAMPLES = Path(__file__).resolve().parent.parent / "archgen" / "samples"


def triples(graph: object) -> set[tuple[str, str, str]]:
    from archgen.model.graph import Graph

    assert isinstance(graph, Graph)

    def name(i: str) -> str:  # a granted_on edge starts at a role assignment id, not a node
        return graph.nodes[i].name if i in graph.nodes else i.rsplit("/", 1)[-1]

    return {(name(e.source), e.relation.value, name(e.target)) for e in graph.edges}


def test_regulated_vwan_has_exactly_these_relations() -> None:
    graph = build(load_files([SAMPLES / "regulated-vwan.json"]))
    assert triples(graph) == {
        ("aoai-claims-prod-weu", "cmk_key_in", "kv-aoai-claims-prod"),
        ("aoai-claims-prod-weu", "diagnostics_to", "log-security-weu"),
        ("aoai-claims-prod-weu", "uses_identity", "id-aoai-claims-prod"),
        ("kv-aoai-claims-prod", "diagnostics_to", "log-security-weu"),
        ("id-aoai-claims-prod", "role_assignment", "kv-aoai-claims-prod"),
        ("id-aoai-claims-prod", "role_assignment", "staoaiclaimsft"),
        ("pe-aoai-claims-prod-weu", "in_subnet", "snet-privateendpoints"),
        ("pe-aoai-claims-prod-weu", "private_endpoint_of", "aoai-claims-prod-weu"),
        ("pe-kv-aoai-claims-prod", "in_subnet", "snet-privateendpoints"),
        ("pe-kv-aoai-claims-prod", "private_endpoint_of", "kv-aoai-claims-prod"),
        ("privatelink.vaultcore.azure.net", "dns_record_for", "pe-kv-aoai-claims-prod"),
        ("privatelink.vaultcore.azure.net", "dns_zone_linked_to", "vnet-dns-resolver-weu"),
        ("vnet-aoai-claims-prod-weu", "connected_to_hub", "vhub-weu"),
        ("vnet-dns-resolver-weu", "connected_to_hub", "vhub-weu"),
        ("snet-privateendpoints", "subnet_of", "vnet-aoai-claims-prod-weu"),
        ("snet-privateendpoints", "guarded_by", "nsg-snet-privateendpoints"),
        ("snet-privateendpoints", "routes_via", "rt-snet-privateendpoints"),
        ("staoaiclaimsft", "trusted_access_from", "aoai-claims-prod-weu"),
        ("vhub-weu", "hub_in_wan", "vwan-contoso"),
        ("vnet-aoai-claims-prod-weu", "uses_dns_servers_in", "vnet-dns-resolver-weu"),
        ("privatelink.openai.azure.com", "dns_record_for", "pe-aoai-claims-prod-weu"),
        ("privatelink.openai.azure.com", "dns_zone_linked_to", "vnet-dns-resolver-weu"),
        ("srch-claims-prod-weu", "shared_private_link_to", "aoai-claims-prod-weu"),
        ("c7e9a1b3-d5f2-4e84-a6c8-3b5d7f9e1a42", "granted_on", "aoai-claims-prod-weu"),
        ("4f6b8d0a-2c4e-4a6b-9d8f-0b2d4f6a8c53", "granted_on", "aoai-claims-prod-weu"),
        ("apim-claims-prod-weu", "fronts", "aoai-claims-prod-weu"),
        ("apim-claims-prod-weu", "role_assignment", "aoai-claims-prod-weu"),
        ("apim-claims-prod-weu", "in_subnet", "snet-apim"),  # Internal VNet: deployed into the subnet
        ("snet-apim", "subnet_of", "vnet-aoai-claims-prod-weu"),
        ("b2d4f6a8-0c1e-4a3b-8d5f-7e9a1c3b5d64", "granted_on", "aoai-claims-prod-weu"),
        ("app-claims-assistant-weu", "calls", "aoai-claims-prod-weu"),
        ("app-claims-assistant-weu", "role_assignment", "aoai-claims-prod-weu"),
    }
    assert graph.warnings == ()


# one fixture per relation: (rows, expected (source id, target id)); every relation is covered
RELATION_CASES: dict[Relation, tuple[list[f.Row], tuple[str, str]]] = {
    Relation.PRIVATE_ENDPOINT_OF: (f.private_network(), (f.PE, f.ACCOUNT)),
    Relation.IN_SUBNET: (f.private_network(), (f.PE, f.SUBNET)),
    Relation.SUBNET_OF: (f.private_network(), (f.SUBNET, f.VNET)),
    Relation.PEERED_WITH: (
        [f.vnet(f.VNET, peer_to=(f.HUB_VNET,)), *f.private_network(), f.vnet(f.HUB_VNET, "10.0.0.0/22", ())],
        (f.VNET, f.HUB_VNET),
    ),
    Relation.CONNECTED_TO_HUB: (
        [
            *f.private_network(),
            f.row(f.HUB, "microsoft.network/virtualhubs", {}),
            f.row(
                f.HUB + "/hubVirtualNetworkConnections/c",
                "microsoft.network/virtualhubs/hubvirtualnetworkconnections",
                {"remoteVirtualNetwork": {"id": f.VNET}},
            ),
        ],
        (f.VNET, f.HUB),
    ),
    Relation.HUB_IN_WAN: (
        [
            *f.private_network(),
            f.row(f.HUB, "microsoft.network/virtualhubs", {"virtualWan": {"id": f.WAN}}),
            f.row(f.WAN, "microsoft.network/virtualwans", {"type": "Standard"}),
            f.row(
                f.HUB + "/hubVirtualNetworkConnections/c",
                "microsoft.network/virtualhubs/hubvirtualnetworkconnections",
                {"remoteVirtualNetwork": {"id": f.VNET}},
            ),
        ],
        (f.HUB, f.WAN),
    ),
    Relation.USES_DNS_SERVERS_IN: (
        [
            f.vnet(dns_servers=("10.0.0.68",), peer_to=(f.HUB_VNET,)),
            *f.private_network(),
            f.vnet(f.HUB_VNET, "10.0.0.0/22", (("snet-dns", "10.0.0.64/28"),), (f.VNET,)),
        ],
        (f.VNET, f.HUB_VNET),
    ),
    Relation.DNS_ZONE_LINKED_TO: (f.private_network(), (f.ZONE_ID, f.VNET)),
    Relation.PROJECT_OF: (fdy.iam_pass_entra_connections(), (fdy.PROJECT, f.ACCOUNT)),
    Relation.CONNECTS_TO: (fdy.iam_pass_entra_connections(), (fdy.PROJECT, fdy.COSMOS)),
    Relation.DNS_RECORD_FOR: (f.private_network(), (f.ZONE_ID, f.PE)),
    Relation.USES_IDENTITY: ([f.account(identity=f.UAMI_IDENTITY), f.uami()], (f.ACCOUNT, f.UAMI)),
    Relation.CMK_KEY_IN: (
        [f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK), f.uami(), f.vault()],
        (f.ACCOUNT, f.VAULT),
    ),
    Relation.STORES_DATA_IN: (
        [f.account(userOwnedStorage=[{"resourceId": f.STORAGE}]), f.storage()],
        (f.ACCOUNT, f.STORAGE),
    ),
    Relation.NETWORK_RULE_ALLOWS: (
        [
            f.account(networkAcls={"defaultAction": "Deny", "virtualNetworkRules": [{"id": f.SUBNET}]}),
            f.vnet(),
        ],
        (f.ACCOUNT, f.SUBNET),
    ),
    Relation.TRUSTED_ACCESS_FROM: (
        [
            f.account(),
            f.storage(
                networkAcls={
                    "defaultAction": "Deny",
                    "resourceAccessRules": [{"tenantId": f.TENANT, "resourceId": f.ACCOUNT}],
                }
            ),
        ],
        (f.STORAGE, f.ACCOUNT),
    ),
    Relation.ROLE_ASSIGNMENT: (
        [
            f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK),
            f.uami(),
            f.vault(),
            f.role(f.UAMI_PRINCIPAL, f.CRYPTO_USER, f.VAULT.rsplit("/providers/", 1)[0]),
        ],
        (f.UAMI, f.VAULT),
    ),
    Relation.DIAGNOSTICS_TO: (
        [f.account(), f.workspace(), f.diag(f.ACCOUNT, [{"categoryGroup": "audit", "enabled": True}])],
        (f.ACCOUNT, f.LAW),
    ),
    Relation.SHARED_PRIVATE_LINK_TO: ([f.account(), f.search_service()], (f.SEARCH, f.ACCOUNT)),
    Relation.GUARDED_BY: (nc.net06_pass_nsg_applies(), (f.SUBNET, nc.NSG)),
    Relation.FRONTS: (gc.net09_pass_prevention_policy_in_front_of_apim(), (gc.APPGW, gc.APIM)),
    Relation.PROTECTED_BY: (gc.net09_pass_prevention_policy_in_front_of_apim(), (gc.APPGW, gc.WAF)),
    Relation.CALLS: (gc.caller_calls_through_openai_user(), (gc.APP, f.ACCOUNT)),
    Relation.AGENTS_IN_SUBNET: (fdy.net_pass_agent_subnet(), (f.ACCOUNT, fdy.AGENT_SUBNET)),
    Relation.HUB_CONNECTS_TO: (hc.hub_pass_approved_outbound_only(), (hc.HUB, f.ACCOUNT)),
    Relation.ROUTES_VIA: (
        nc.endpoint(nc.subnet_with("Enabled", route_table_id=nc.ROUTE_TABLE), nc.route_table()),
        (f.SUBNET, nc.ROUTE_TABLE),
    ),
    Relation.GRANTED_ON: (
        [f.account(), f.role(f.USER_PRINCIPAL, f.OPENAI_USER, f.RG_ID, principal_type="User")],
        (f.RG_ID + "/providers/Microsoft.Authorization/roleAssignments/ra1", f.ACCOUNT),
    ),
}


def test_every_relation_has_a_fixture() -> None:
    assert set(RELATION_CASES) == set(Relation)


def test_each_relation_is_derived() -> None:
    for relation, (rows, (source, target)) in RELATION_CASES.items():
        graph = graph_of(rows)
        got = {(e.source, e.target) for e in graph.edges if e.relation is relation}
        assert (norm_id(source), norm_id(target)) in got, relation


def test_role_assignment_at_resource_group_scope_reaches_the_vault_with_its_name_and_scope() -> None:
    rows, _ = RELATION_CASES[Relation.ROLE_ASSIGNMENT]
    edge = next(e for e in graph_of(rows).edges if e.relation is Relation.ROLE_ASSIGNMENT)
    assert edge.attributes["role_name"] == "Key Vault Crypto Service Encryption User"
    assert edge.attributes["scope"] == norm_id(f.VAULT.rsplit("/providers/", 1)[0])


def test_private_endpoint_carries_ips_from_its_nic_row() -> None:
    pe = f.private_endpoint()
    pe["properties"]["customDnsConfigs"] = []
    nic = f.row(
        f.rid("Microsoft.Network", "networkInterfaces", "pe.nic"),
        "microsoft.network/networkinterfaces",
        {
            "ipConfigurations": [{"properties": {"privateIPAddress": "10.42.1.9"}}],
            "privateEndpoint": {"id": f.PE},
        },
    )
    graph = graph_of([f.account(pe_status="Approved"), pe, nic, f.vnet()])
    assert graph.nodes[norm_id(f.PE)].attrs.private_ips == ("10.42.1.9",)


def test_ids_types_and_uris_match_whatever_their_casing() -> None:
    acct = f.account(
        identity=f.UAMI_IDENTITY,
        encryption={
            **f.CMK,
            "keyVaultProperties": {
                **f.CMK["keyVaultProperties"],
                "keyVaultUri": "HTTPS://KV-TEST.VAULT.AZURE.NET",
            },
        },
    )
    acct["id"] = acct["id"].replace("resourceGroups", "resourcegroups").replace("rg-aoai", "RG-AOAI")
    acct["type"] = "Microsoft.CognitiveServices/accounts"
    acct["kind"] = "openai"
    vault = f.vault()
    vault["type"] = "Microsoft.KeyVault/vaults"
    graph = graph_of([acct, vault, f.uami()])
    assert (norm_id(f.ACCOUNT), norm_id(f.VAULT)) in {
        (e.source, e.target) for e in graph.edges if e.relation is Relation.CMK_KEY_IN
    }
    assert all(n.id == n.id.lower() and n.type == n.type.lower() for n in graph.nodes.values())


def test_shared_hub_zone_and_vault_are_one_node_and_workloads_do_not_merge() -> None:
    graph = build(load_files([SAMPLES / "estate.json"]))
    assert len(graph.workloads) == 4
    hub = [n for n in graph.nodes.values() if n.name == "vnet-hub-neu"]
    assert len(hub) == 1
    for w in graph.workloads:
        accounts = {m for m in w.members if graph.nodes[m].type == "microsoft.cognitiveservices/accounts"}
        assert accounts == {w.id}
    assert graph.stats["rows_outside_workloads"] == 1  # the SpeechServices account


def test_two_subnets_called_default_stay_distinct() -> None:
    graph = build(load_files([SAMPLES / "estate.json"]))
    defaults = {n.id for n in graph.nodes.values() if n.type.endswith("/subnets") and n.name == "default"}
    assert len(defaults) == 2


def test_reference_outside_the_input_is_a_dangling_warning_not_dropped() -> None:
    graph = graph_of([f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK, pe_status="Approved")])
    dangling = {(s, r.value, t) for s, r, t in graph.dangling}
    assert dangling == {
        (norm_id(f.ACCOUNT), "uses_identity", norm_id(f.UAMI)),
        (norm_id(f.ACCOUNT), "cmk_key_in", "keyvault-uri:https://kv-test.vault.azure.net"),
        (norm_id(f.PE), "private_endpoint_of", norm_id(f.ACCOUNT)),
    }
    assert {w.code for w in graph.warnings} == {"dangling_reference"}


def test_graph_does_not_depend_on_row_order() -> None:
    from archgen.controls.catalogue import load
    from archgen.controls.engine import evaluate
    from archgen.document import dumps_graph

    inv = load_files([SAMPLES / "estate.json"])
    first = build(inv)
    shuffled = list(inv.rows)
    random.Random(3).shuffle(shuffled)
    inv.rows = shuffled
    second = build(inv)
    assert dumps_graph(first, evaluate(first), load()) == dumps_graph(second, evaluate(second), load())


def test_scopes_of_a_resource_climb_to_its_resource_group_and_subscription() -> None:
    from archgen.model.ids import scopes_of

    sub = f"/subscriptions/{f.SUB}"
    assert scopes_of(f.VAULT) == (norm_id(f.VAULT), f"{sub}/resourcegroups/rg-aoai", sub)
    assert scopes_of(f.SUBNET)[:2] == (norm_id(f.SUBNET), norm_id(f.VNET))
