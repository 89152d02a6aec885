"""Live discovery reads each workload account's model deployments from ARM (not in Resource Graph).

`GET {accountId}/deployments?api-version=2024-10-01` against the loopback server: rows, evidence
(`deployments_collected`), failures as warnings, `nextLink` paging, the option that turns it off.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from archgen.discovery import live, snapshot
from archgen.discovery.client import DEPLOYMENTS_API_VERSION, QueryFailure
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, client, options

DEPLOYMENT = "microsoft.cognitiveservices/accounts/deployments"


def deployment_rows(snap: snapshot.Snapshot) -> list[dict[str, Any]]:
    return [r for r in snap.rows if str(r.get("type", "")).lower() == DEPLOYMENT]


def workload_accounts(tenant: Any) -> list[str]:
    return sorted(
        str(r["id"]).lower()
        for r in tenant.resources
        if r["type"] == "microsoft.cognitiveservices/accounts" and r["kind"] in ("OpenAI", "AIServices")
    )


def test_deployments_of_every_workload_account_become_rows(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(), options(server, certificates))
    accounts = sorted([info["w1"]["account"].lower(), info["w2"]["account"].lower()])
    requests = server.deployment_requests()
    assert sorted(e.query for e in requests) == accounts, "one read per workload account, no other account"
    assert Counter(e.status for e in requests) == {200: 2}
    assert snap.deployments_collected == accounts
    assert snap.deployments_api_version == DEPLOYMENTS_API_VERSION == "2024-10-01"
    assert snap.stats["deployments_requests"] == 2
    assert not snap.warnings
    expected = sorted(
        (d for acct in accounts for d in tenant.deployments[acct]), key=lambda d: str(d["id"]).lower()
    )
    assert len(expected) == 3  # w1 has two deployments, w2 one
    assert deployment_rows(snap) == expected, "rows as ARM returns them: id, name, type, sku, properties"
    row = deployment_rows(snap)[0]
    assert set(row) == {"id", "name", "type", "sku", "properties"}
    assert row["properties"]["model"]["format"] == "OpenAI" and row["sku"]["name"] in {
        "Standard",
        "ProvisionedManaged",
        "DataZoneStandard",
        "DataZoneProvisionedManaged",
        "DataZoneBatch",
        "GlobalStandard",
        "GlobalProvisionedManaged",
        "GlobalBatch",
    }
    rids = [str(r["id"]).lower() for r in snap.rows]
    assert rids == sorted(rids) and len(set(rids)) == len(rids)
    assert snap.stats["rows"] == len(snap.rows)
    inventory = snapshot.to_inventory(snap, "live")
    assert inventory.deployments_collected == frozenset(accounts)


def test_deployments_follow_the_scope(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert snap.deployments_collected == [info["w1"]["account"].lower()]
    assert {str(r["id"]).rsplit("/deployments/", 1)[0].lower() for r in deployment_rows(snap)} == {
        info["w1"]["account"].lower()
    }


def test_many_accounts_read_with_the_diagnostics_bound(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.generate(accounts=12, resources=100, subscriptions=3)
    server = arm_server(tenant)
    server.arm_delay = 0.03
    snap = live.discover(live.Scope(), options(server, certificates, diagnostics_workers=3))
    accounts = workload_accounts(tenant)
    assert len(accounts) == 12 and snap.deployments_collected == accounts
    assert len(deployment_rows(snap)) == sum(len(tenant.deployments[a]) for a in accounts) == 18
    assert len(server.deployment_requests()) == 12
    assert len(snap.diagnostics_collected or []) == 36
    assert 2 <= server.arm_in_flight_max <= 3, "deployments and diagnostic settings share one bounded pool"


def test_forbidden_account_is_a_warning_and_not_collected(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    forbidden = info["w1"]["account"].lower()
    server.forbidden_deployments = {forbidden}
    snap = live.discover(live.Scope(), options(server, certificates))
    assert [w["code"] for w in snap.warnings] == ["deployments_unreadable"]
    assert forbidden in snap.warnings[0]["message"]
    assert "HTTP 403 AuthorizationFailed" in snap.warnings[0]["message"]
    assert snap.deployments_collected == [info["w2"]["account"].lower()]
    assert all(not str(r["id"]).lower().startswith(forbidden + "/") for r in deployment_rows(snap))
    assert len(deployment_rows(snap)) == 1
    assert [e.status for e in server.deployment_requests() if e.query == forbidden] == [403], "not retried"


def test_no_deployments_option_sends_no_request(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(), options(server, certificates, deployments=False))
    assert server.deployment_requests() == []
    assert snap.deployments_collected is None and snap.deployments_api_version == ""
    assert deployment_rows(snap) == [] and snap.stats["deployments_requests"] == 0
    assert snap.diagnostics_collected, "diagnostic settings are still read"
    assert snapshot.to_inventory(snap, "live").deployments_collected is None


def test_next_link_pages_are_followed(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    acct = info["w1"]["account"]
    tenant.deployments[acct.lower()] = [
        T.deployment(acct, f"gpt-4o-{i}", "gpt-4o", "2024-08-06", "GlobalStandard", 10 + i) for i in range(5)
    ]
    server = arm_server(tenant)
    server.deployments_page_size = 2
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    pages = server.deployment_requests()
    assert [(e.skip_token, e.rows) for e in pages] == [(False, 2), (True, 2), (True, 1)]
    assert sorted(r["name"] for r in deployment_rows(snap)) == [f"gpt-4o-{i}" for i in range(5)]
    assert snap.deployments_collected == [acct.lower()] and not snap.warnings
    assert snap.stats["deployments_requests"] == 3


def test_next_link_off_the_arm_endpoint_is_not_followed(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.deployments_page_size = 1
    server.deployments_foreign_next_link = True
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert [w["code"] for w in snap.warnings] == ["deployments_unreadable"]
    assert "nextLink leaves the ARM endpoint" in snap.warnings[0]["message"]
    assert snap.deployments_collected == []
    assert len(server.deployment_requests()) == 1


def test_unknown_account_is_arms_404(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    azure = client(server, certificates)
    gone = info["w1"]["account"].replace("oai-00001", "oai-gone")
    no_rg = info["w1"]["account"].replace("rg-ai-prod", "rg-nowhere")
    try:
        results = azure.deployments_many([gone, no_rg, info["w2"]["account"]])
    finally:
        azure.close()
    assert isinstance(results[gone], QueryFailure) and results[gone].status == 404
    assert results[gone].code == "ResourceNotFound" and "oai-gone" in results[gone].message
    assert isinstance(results[no_rg], QueryFailure) and results[no_rg].code == "ResourceGroupNotFound"
    assert results[info["w2"]["account"]] == tenant.deployments[info["w2"]["account"].lower()]


@pytest.mark.parametrize(
    "suffix",
    [
        "/deployments?api-version=2023-05-01",
        "/deployments?api-version=2024-10-01&$top=5",
        "/deployments/gpt-4o?api-version=2024-10-01",
    ],
)
def test_server_fails_loudly_on_untaught_deployment_requests(
    arm_server: Any, certificates: Certificates, suffix: str
) -> None:
    from azure.core.rest import HttpRequest
    from azure.mgmt.core import ARMPipelineClient
    from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy

    from tests.armserver.fixtures import StaticToken

    tenant, info = T.regulated()
    server = arm_server(tenant)
    auth = ARMChallengeAuthenticationPolicy(StaticToken(), "https://management.azure.com/.default")
    arm: ARMPipelineClient[Any, Any] = ARMPipelineClient(
        base_url=server.url, policies=[auth], connection_verify=certificates.ca_bundle
    )
    try:
        response = arm.send_request(HttpRequest("GET", f"{server.url}{info['w1']['account']}{suffix}"))
    finally:
        arm.close()
    assert response.status_code == 400 and "UnknownQueryShape" in response.text()
    assert len(server.unknown) == 1
    server.unknown.clear()  # expected here; anywhere else the fixture fails the test


def test_vault_keys_and_content_filter_policies_are_read_and_join_the_graph(
    arm_server: Any, certificates: Certificates
) -> None:
    from archgen.controls.engine import evaluate
    from archgen.model.builder import build
    from archgen.model.ids import norm_id

    tenant, info = T.regulated()
    acct = info["w1"]["account"]
    tenant.children[f"{acct.lower()}/raipolicies"] = [
        {
            "id": f"{acct}/raiPolicies/relaxed",
            "name": "relaxed",
            "type": "Microsoft.CognitiveServices/accounts/raiPolicies",
            "properties": {
                "basePolicyName": "Microsoft.DefaultV2",
                "mode": "Blocking",
                "contentFilters": [{"name": "hate", "enabled": False, "blocking": False, "source": "Prompt"}],
            },
        }
    ]
    tenant.deployments[acct.lower()][0]["properties"]["raiPolicyName"] = "relaxed"
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    kinds = {str(r["type"]).lower() for r in snap.rows}
    assert {"microsoft.keyvault/vaults/keys", "microsoft.cognitiveservices/accounts/raipolicies"} <= kinds
    children = {e.query for e in server.log if e.kind == "children"}
    assert {f"{acct.lower()}/raipolicies", f"{info['w1']['kv'].lower()}/keys"} <= children
    graph = build(snapshot.to_inventory(snap, "live"))
    vault = graph.nodes[norm_id(info["w1"]["kv"])].attrs
    assert vault.keys_collected and {(k.name, k.kty, k.key_size) for k in vault.keys} == {
        ("cmk", "RSA-HSM", 2048)
    }
    data03 = next(f for f in evaluate(graph) if f.control == "AOAI-DATA-03" and f.resource == norm_id(acct))
    assert data03.status.value == "fail" and "hate (prompt)" in data03.reason
