"""Live discovery against the loopback ARG/ARM server: paging, throttling, batching, failures, evidence.

archgen's own ResourceGraphClient, pipeline and retry policies run unchanged; only the endpoint, the
credential (a static token) and the CA bundle differ from a run against Azure.
"""

from __future__ import annotations

import json
import socket
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ClientAuthenticationError

from archgen.controls.catalogue import load as load_catalogue
from archgen.controls.engine import evaluate
from archgen.discovery import files, live, snapshot
from archgen.discovery.client import QueryFailure
from archgen.document import dumps_graph
from archgen.errors import AuthError, AzureError
from archgen.model.builder import build
from archgen.model.relations import Relation
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, StaticToken, client, options


def ids(snap: snapshot.Snapshot) -> list[str]:
    return [str(r["id"]).lower() for r in snap.rows]


def graph_document(snap: snapshot.Snapshot, source: str) -> str:
    graph = build(snapshot.to_inventory(snap, source))
    return dumps_graph(graph, evaluate(graph), load_catalogue())


def triples(snap: snapshot.Snapshot) -> set[tuple[str, str, str]]:
    graph = build(snapshot.to_inventory(snap, "live"))
    return {(e.source.rsplit("/", 1)[-1], e.relation.value, e.target.rsplit("/", 1)[-1]) for e in graph.edges}


# -- the happy path and the evidence -------------------------------------------------------------


def test_cross_subscription_dns_zone_is_found(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    zone = info["conn"]["zone"].lower()
    assert zone in ids(snap), "the zone lives in the connectivity subscription, outside the scope"
    graph = build(snapshot.to_inventory(snap, "live"))
    pe = info["w1"]["pe"].lower()
    assert any(
        e.relation is Relation.DNS_RECORD_FOR and e.source == zone and e.target == pe for e in graph.edges
    )
    assert info["conn"]["dns_vnet"].lower() in graph.nodes, (
        "the resolver VNet, found from the spoke's DNS server"
    )
    assert info["w2"]["account"].lower() not in ids(snap), "scope picks the accounts"
    assert not [w for w in graph.warnings if w.code == "dangling_reference"]
    assert {
        ("oai-00001", "cmk_key_in", "kv-oai-00001"),
        ("oai-00001", "uses_identity", "id-oai-00001"),
        ("oai-00001", "stores_data_in", "st00000001ft"),
        ("pe-oai-00001", "private_endpoint_of", "oai-00001"),
        ("vnet-spoke-1", "connected_to_hub", "vhub-swc"),
        ("privatelink.openai.azure.com", "dns_zone_linked_to", "vnet-dns-resolver"),
        ("id-oai-00001", "role_assignment", "kv-oai-00001"),
        ("oai-00001", "diagnostics_to", "law-security"),
    } <= triples(snap)


def test_snapshot_records_the_evidence(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert snap.archgen_version and snap.started_at.endswith("Z") and snap.ended_at >= snap.started_at
    assert snap.arm_endpoint == server.url and snap.scope["subscriptions"] == [info["w1"]["sub"]]
    assert snap.queries[0].name == "accounts" and snap.queries[0].scope == "subscriptions:1"
    assert all(q.text and q.api_version == "2021-03-01" and q.requests >= 1 for q in snap.queries)
    assert sum(q.requests for q in snap.queries) == len(server.arg_requests()) == snap.stats["requests"]
    assert sum(q.rows for q in snap.queries) == snap.stats["rows_read"] - 3  # 3 diagnostic settings rows
    assert snap.diagnostics_collected == sorted(
        [info["w1"]["account"].lower(), info["w1"]["kv"].lower(), info["w1"]["st"].lower()]
    )
    assert ids(snap) == sorted(ids(snap)) and len(set(ids(snap))) == len(ids(snap))


def test_snapshot_round_trip_is_byte_for_byte(
    arm_server: Any, certificates: Certificates, tmp_path: Path
) -> None:
    tenant, _info = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(), options(server, certificates))
    path = tmp_path / "run.snapshot.json"
    path.write_text(snapshot.dumps(snap), encoding="utf-8")
    live_doc = graph_document(snap, str(path))
    replayed = build(files.load_files([path]))
    replay_doc = dumps_graph(replayed, evaluate(replayed), load_catalogue())
    assert live_doc.encode() == replay_doc.encode()
    assert len(json.loads(live_doc)["workloads"]) == 2
    again = live.discover(live.Scope(), options(server, certificates))
    assert graph_document(again, str(path)) == live_doc, "a second live run gives the same document"


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (live.Scope(resource_groups=("RG-AI-DEV",)), {"oai-00002"}),
        (live.Scope(tags=(("owner", "O'Brien"),)), {"oai-00001"}),
        (live.Scope(tags=(("env", "dev"),)), {"oai-00002"}),
        (live.Scope(accounts=("OAI-00002",)), {"oai-00002"}),
        (live.Scope(accounts=("oai-00001",), resource_groups=("rg-ai-dev",)), set()),
        (live.Scope(), {"oai-00001", "oai-00002"}),
    ],
)
def test_scope_options_pick_the_accounts(
    arm_server: Any, certificates: Certificates, scope: live.Scope, expected: set[str]
) -> None:
    tenant, _info = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(scope, options(server, certificates, diagnostics=False))
    accounts = {r["name"] for r in snap.rows if r["type"] == "microsoft.cognitiveservices/accounts"}
    assert accounts == expected
    assert snap.diagnostics_collected is None


def test_account_by_id(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(accounts=(info["w2"]["account"].upper(),)), options(server, certificates))
    assert {r["name"] for r in snap.rows if r["type"] == "microsoft.cognitiveservices/accounts"} == {
        "oai-00002"
    }


# -- paging, batching, throttling ------------------------------------------------------------------


def test_paging_10500_rows_none_lost_or_duplicated(arm_server: Any, certificates: Certificates) -> None:
    tenant = T.accounts_only(10_500, 7)
    server = arm_server(tenant)
    snap = live.discover(live.Scope(), options(server, certificates, diagnostics=False))
    expected = sorted(str(r["id"]).lower() for r in tenant.resources)
    assert ids(snap) == expected
    seed = [e for e in server.arg_requests() if e.shape and "kind" in e.shape]
    assert len(seed) == 11 and sum(e.rows for e in seed) == 10_500
    assert [e.skip_token for e in seed] == [False] + [True] * 10
    assert snap.queries[0].pages == 11 and snap.queries[0].rows == 10_500


def test_subscriptions_go_in_batches_of_at_most_300(arm_server: Any, certificates: Certificates) -> None:
    tenant = T.accounts_only(650, 650)
    server = arm_server(tenant)
    subs = tuple(T.sub_id(i + 1) for i in range(650))
    snap = live.discover(live.Scope(subscriptions=subs), options(server, certificates, diagnostics=False))
    assert len(ids(snap)) == 650
    seed = [e for e in server.arg_requests() if e.shape and "kind" in e.shape]
    assert sorted(len(e.subscriptions or []) for e in seed) == [50, 300, 300]
    assert [q.scope for q in snap.queries if q.name == "accounts"] == [
        "subscriptions:300",
        "subscriptions:300",
        "subscriptions:50",
    ]


def test_pacing_from_quota_headers_avoids_429(arm_server: Any, certificates: Certificates) -> None:
    tenant, _info = T.regulated()
    server = arm_server(tenant, quota=4, window=1.0)
    snap = live.discover(live.Scope(), options(server, certificates))
    assert server.quota_429 == 0, "a paced client never exceeds the quota"
    assert snap.stats["quota_waits"] >= 3 and snap.stats["throttled"] == 0
    assert len(server.arg_requests()) == snap.stats["requests"] > 8


def test_throttling_storm_loses_no_row(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.generate(accounts=40, resources=400, subscriptions=5)
    calm = live.discover(live.Scope(), options(arm_server(tenant), certificates))
    stormy = arm_server(tenant)
    stormy.page_cap = 25  # more pages, each one a chance to be throttled
    stormy.throttle_next = 6  # a burst longer than azure-core would retry without our policy
    stormy.throttle_every = 3
    snap = live.discover(live.Scope(), options(stormy, certificates))
    assert ids(snap) == ids(calm)
    assert stormy.storm_429 >= 10 and snap.stats["throttled"] == stormy.storm_429
    assert not snap.warnings


def test_transient_503_and_malformed_bodies_are_retried(arm_server: Any, certificates: Certificates) -> None:
    tenant, _info = T.regulated()
    calm = live.discover(live.Scope(), options(arm_server(tenant), certificates))
    server = arm_server(tenant)
    server.fail_next = 3
    server.malformed_next = 2
    snap = live.discover(live.Scope(), options(server, certificates))
    assert ids(snap) == ids(calm) and not snap.warnings
    assert snap.stats["server_errors"] == 3


# -- partial failure and errors ----------------------------------------------------------------------


def test_forbidden_subscription_is_a_warning(arm_server: Any, certificates: Certificates) -> None:
    tenant = T.accounts_only(40, 40)
    server = arm_server(tenant)
    server.forbidden = {T.sub_id(17)}
    subs = tuple(T.sub_id(i + 1) for i in range(40))
    snap = live.discover(live.Scope(subscriptions=subs), options(server, certificates, diagnostics=False))
    assert len(ids(snap)) == 39
    assert [w["code"] for w in snap.warnings] == ["subscription_forbidden"]
    assert (
        T.sub_id(17) in snap.warnings[0]["message"] and "AuthorizationFailed" in snap.warnings[0]["message"]
    )
    # the seed split in halves (at most 1 + 2 * 6 requests), then one request per follow-up lookup kind that has
    # keys (one batch each), never one per subscription
    requests = server.arg_requests()
    seed = [e for e in requests if e.status == 403 or "kind" in e.shape]
    assert len(seed) <= 1 + 2 * 6, "the batch is split in halves, not queried one by one"
    follow_ups = {q.name for q in snap.queries if q.name != "accounts"}
    assert len(requests) - len(seed) == len(follow_ups)


def test_every_subscription_forbidden_is_an_azure_error(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.forbidden = {info["w1"]["sub"]}
    with pytest.raises(AzureError, match=r"answered no query.*AuthorizationFailed"):
        live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))


def test_invalid_query_is_reported_clearly(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.invalid_query_marker = "microsoft.cognitiveservices/accounts"
    with pytest.raises(AzureError) as err:
        live.discover(live.Scope(), options(server, certificates))
    message = str(err.value)
    assert "query 'accounts'" in message and "BadRequest/InvalidQuery" in message
    assert "Query is invalid" in message and "\n" not in message
    assert err.value.exit_status == 5


def test_invalid_query_in_a_later_hop_is_a_warning(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.invalid_query_marker = "microsoft.network/privatednszones/a'"
    snap = live.discover(live.Scope(), options(server, certificates))
    assert [w["code"] for w in snap.warnings] == ["query_failed"]
    assert "a_records_by_ip" in snap.warnings[0]["message"] and "InvalidQuery" in snap.warnings[0]["message"]
    assert info["w1"]["account"].lower() in ids(snap)


def test_authentication_failure_is_an_auth_error(arm_server: Any, certificates: Certificates) -> None:
    class NoLogin:
        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            raise ClientAuthenticationError("DefaultAzureCredential failed to retrieve a token.\nmore lines")

    tenant, _ = T.regulated()
    server = arm_server(tenant)
    with pytest.raises(AuthError) as err:
        live.discover(live.Scope(), options(server, certificates, credential=NoLogin()))
    assert (
        "az login" in str(err.value)
        and "AZURE_CLIENT_SECRET" in str(err.value)
        and "\n" not in str(err.value)
    )
    assert err.value.exit_status == 3
    assert not server.arg_requests()


def test_wrong_token_is_an_auth_error(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    with pytest.raises(AuthError, match="HTTP 401"):
        live.discover(live.Scope(), options(server, certificates, credential=StaticToken("expired")))


def test_unreachable_endpoint_is_an_azure_error(certificates: Certificates) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    opts = live.LiveOptions(
        arm_endpoint=f"https://127.0.0.1:{port}",
        ca_bundle=certificates.ca_bundle,
        credential=StaticToken(),
        retry_backoff_factor=0.01,
        quiet=True,
    )
    with pytest.raises(AzureError, match=f"cannot reach Azure Resource Manager at https://127.0.0.1:{port}"):
        live.discover(live.Scope(), opts)


def test_unknown_query_shape_makes_the_server_fail_loudly(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    azure = client(server, certificates)
    try:
        for text in (
            "resources | take 5 | project id",
            "resources | where type == 'x' | project id",
            "resources | project id, secrets",
        ):
            with pytest.raises(QueryFailure, match="UnknownQueryShape"):
                azure.query(text)
    finally:
        azure.close()
    assert len(server.unknown) == 3
    server.unknown.clear()  # expected here; anywhere else the fixture fails the test


def test_diagnostic_settings_are_read_with_bounded_concurrency(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, _info = T.generate(accounts=12, resources=100, subscriptions=3)
    server = arm_server(tenant)
    snap = live.discover(live.Scope(), options(server, certificates, diagnostics_workers=4))
    diag = [e for e in server.log if e.kind == "diag"]
    assert len(diag) == 36 == len(snap.diagnostics_collected or [])
    assert Counter(e.status for e in diag) == {200: 36}
    settings = [r for r in snap.rows if str(r["type"]).lower() == "microsoft.insights/diagnosticsettings"]
    assert len(settings) == 36


def test_management_group_scope(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    tenant.management_groups = {"mg-prod": {info["w1"]["sub"]}}
    server = arm_server(tenant)
    snap = live.discover(live.Scope(management_groups=("mg-prod",)), options(server, certificates))
    assert {r["name"] for r in snap.rows if r["type"] == "microsoft.cognitiveservices/accounts"} == {
        "oai-00001"
    }
    assert server.arg_requests()[0].management_groups == ["mg-prod"]
    assert snap.queries[0].scope == "managementGroups:1"


def test_unreadable_diagnostic_settings_are_a_warning(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.forbidden_diagnostics = {info["w1"]["kv"].lower()}
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert [w["code"] for w in snap.warnings] == ["diagnostics_unreadable"]
    assert info["w1"]["kv"].lower() in snap.warnings[0]["message"]
    assert info["w1"]["kv"].lower() not in (snap.diagnostics_collected or [])
    assert info["w1"]["account"].lower() in (snap.diagnostics_collected or [])


def test_tenant_subscription_limit_is_a_warning(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.subscription_limit_hit = True
    snap = live.discover(live.Scope(), options(server, certificates, diagnostics=False))
    assert [w["code"] for w in snap.warnings] == ["subscription_limit_hit"]


def test_search_service_with_a_shared_link_to_an_account_is_found_by_reverse_lookup(
    arm_server: Any, certificates: Certificates
) -> None:
    from archgen.model.builder import build
    from archgen.model.ids import norm_id

    tenant, info = T.regulated()
    acct = info["w1"]["account"]
    sub = info["w1"]["sub"]
    search_id = T.rid(sub, info["w1"]["rg"], "Microsoft.Search/searchServices", "srch-w1")
    tenant.resources.append(
        T.row(
            search_id,
            "Microsoft.Search/searchServices",
            sku={"name": "standard"},
            properties={
                "publicNetworkAccess": "disabled",
                "disableLocalAuth": True,
                "sharedPrivateLinkResources": [
                    {
                        "name": "spl-w1",
                        "properties": {
                            "privateLinkResourceId": acct,
                            "groupId": "openai_account",
                            "status": "Approved",
                        },
                    }
                ],
            },
        )
    )
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(sub,)), options(server, certificates))
    lookups = [q for q in snap.queries if q.name == "search_services_by_shared_link"]
    assert lookups and acct.lower() in lookups[0].text
    graph = build(snapshot.to_inventory(snap, "live"))
    (workload,) = [w for w in graph.workloads if w.id == norm_id(acct)]
    assert norm_id(search_id) in workload.members
    assert norm_id(search_id) in (snap.diagnostics_collected or [])


def test_subscription_names_are_read_from_resourcecontainers_and_reach_the_graph(
    arm_server: Any, certificates: Certificates
) -> None:
    from archgen.model.builder import build

    tenant, info = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert [q.table for q in snap.queries if q.name == "subscriptions_by_id"] != []
    graph = build(snapshot.to_inventory(snap, "live"))
    assert graph.subscription_names[info["w1"]["sub"]] == "Contoso AI Prod"
    assert graph.subscription_names[T.sub_id(1)] == "Contoso Connectivity"  # the hub lives there
