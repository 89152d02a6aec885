"""Foundry read live (real SDK, loopback ARM): an AI Services account's connections, projects and project
connections come from ARM, the resources the connections name join through Resource Graph, and the
`credentials` ARM may return for key or SAS connections are never kept (not in a row, the snapshot, the
graph document or a finding)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.discovery.foundryreads import connection_row
from archgen.document import document_data
from archgen.model.builder import build
from archgen.model.ids import norm_id
from archgen.model.types.foundry import FoundryProject, safe_connection
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options

SECRET = "sv=2025-05-05&sig=TOPSECRETsignatureNEVERkept"
KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0-never-kept"


def _tenant() -> tuple[Any, dict[str, str]]:
    tenant, info = T.regulated()
    acct = info["w1"]["account"]
    sub, rg = info["w1"]["sub"], "rg-ai-prod"
    row = next(r for r in tenant.resources if str(r["id"]).lower() == acct.lower())
    row["kind"] = "AIServices"
    row["properties"] = {
        **row["properties"],
        "allowProjectManagement": True,
        "publicNetworkAccess": "Disabled",
        "disableLocalAuth": True,
    }
    search = T.rid(sub, rg, "Microsoft.Search/searchServices", "srch-foundry-kb")
    cosmos = T.rid(sub, rg, "Microsoft.DocumentDB/databaseAccounts", "cosmos-foundry-threads")
    tenant.resources.append(
        T.row(search, "Microsoft.Search/searchServices", properties={"publicNetworkAccess": "enabled"})
    )
    tenant.resources.append(
        T.row(
            cosmos,
            "Microsoft.DocumentDB/databaseAccounts",
            kind="GlobalDocumentDB",
            properties={"publicNetworkAccess": "Disabled", "disableLocalAuth": True},
        )
    )
    project = f"{acct}/projects/proj-claims"
    tenant.children[f"{acct.lower()}/projects"] = [
        {
            "id": project,
            "name": "proj-claims",
            "type": "Microsoft.CognitiveServices/accounts/projects",
            "location": "swedencentral",
            "identity": {"type": "SystemAssigned", "principalId": "0d2f4b6a-8c1e-4a3c-9e5f-7b9d1f3a5c70"},
            "properties": {"displayName": "Claims", "isDefault": True, "endpoints": {"AI Foundry API": "x"}},
        }
    ]
    tenant.children[f"{acct.lower()}/connections"] = [
        {
            "id": f"{acct}/connections/st-files",
            "name": "st-files",
            "type": "Microsoft.CognitiveServices/accounts/connections",
            "properties": {
                "category": "AzureBlob",
                "target": "https://stexternalfiles.blob.core.windows.net/",
                "authType": "SAS",
                "credentials": {"sas": SECRET},
                "metadata": {"containerName": "files", "note": SECRET},
            },
        }
    ]
    tenant.children[f"{project.lower()}/connections"] = [
        {
            "id": f"{project}/connections/srch-kb",
            "name": "srch-kb",
            "type": "Microsoft.CognitiveServices/accounts/projects/connections",
            "properties": {
                "category": "CognitiveSearch",
                "target": "https://srch-foundry-kb.search.windows.net",
                "authType": "ApiKey",
                "credentials": {"key": KEY},
                "metadata": {"ApiType": "Azure", "ResourceId": search},
            },
        },
        {
            "id": f"{project}/connections/cosmos-threads",
            "name": "cosmos-threads",
            "type": "Microsoft.CognitiveServices/accounts/projects/connections",
            "properties": {
                "category": "CosmosDb",
                "target": "https://cosmos-foundry-threads.documents.azure.com:443/",
                "authType": "AAD",
                "metadata": {"ApiType": "Azure", "ResourceId": cosmos},
            },
        },
    ]
    tenant.children[f"{project.lower()}/capabilityhosts"] = [
        {
            "id": f"{project}/capabilityHosts/agents",
            "name": "agents",
            "type": "Microsoft.CognitiveServices/accounts/projects/capabilityHosts",
            "properties": {
                "capabilityHostKind": "Agents",
                "threadStorageConnections": ["cosmos-threads"],
                "vectorStoreConnections": ["srch-kb"],
                "storageConnections": ["st-files"],
                "customerSubnet": "ignored",
                "provisioningState": "Succeeded",
            },
        }
    ]
    return tenant, {"account": acct, "sub": sub, "search": search, "cosmos": cosmos, "project": project}


def test_foundry_read_live_joins_the_data_tier_and_keeps_no_credentials(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = _tenant()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["sub"],)), options(server, certificates))
    acct = info["account"].lower()
    children = {e.query for e in server.log if e.kind == "children"}
    assert {f"{acct}/connections", f"{acct}/projects", f"{info['project'].lower()}/connections"} <= children
    ids = {norm_id(r.get("id")) for r in snap.rows}
    assert {norm_id(info["search"]), norm_id(info["cosmos"]), norm_id(info["project"])} <= ids
    graph = build(snapshot.to_inventory(snap, "live"))
    findings = evaluate(graph)
    everything = snapshot.dumps(snap) + json.dumps(document_data(graph, findings, load()), default=str)
    assert SECRET not in everything and KEY not in everything
    assert "credentials" not in snapshot.dumps(snap)
    members = set(graph.members_of(acct))
    assert {norm_id(info["search"]), norm_id(info["cosmos"]), norm_id(info["project"])} <= members
    proj = graph.attrs(norm_id(info["project"]), FoundryProject)
    assert proj is not None and set(proj.uses) == {
        ("cosmos-threads", "agent threads"),
        ("srch-kb", "vector stores"),
        ("st-files", "agent files"),
    }
    got = {(f.control, f.resource): f for f in findings}
    iam = got[("FDY-IAM-01", acct)]
    assert iam.status.value == "fail"
    assert "srch-kb (ApiKey)" in iam.reason and "st-files (SAS)" in iam.reason
    assert "cosmos-threads" not in iam.reason
    assert got[("COSMOS-IAM-01", norm_id(info["cosmos"]))].status.value == "pass"
    assert got[("SRCH-NET-01", norm_id(info["search"]))].status.value == "fail"


def test_empty_foundry_lists_read_pass_the_connection_control(
    arm_server: Any, certificates: Certificates
) -> None:
    """ARM answers with empty lists: the snapshot records the account as read (`foundry_collected`), so no
    connection is evidence that nothing authenticates with a key, on the live run and on its replay."""
    tenant, info = _tenant()
    acct = info["account"].lower()
    for key in (f"{info['project'].lower()}/connections", f"{acct}/projects", f"{acct}/connections"):
        tenant.children[key] = []
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["sub"],)), options(server, certificates))
    assert f"{acct}/connections" in {e.query for e in server.log if e.kind == "children"}
    assert snap.foundry_collected == [acct]
    replayed = snapshot.Snapshot.model_validate_json(snapshot.dumps(snap))
    findings = {(f.control, f.resource): f for f in evaluate(build(snapshot.to_inventory(replayed, "live")))}
    assert findings[("FDY-IAM-01", acct)].status.value == "pass"


def test_a_refused_foundry_read_is_a_warning_and_nothing_half_read_is_kept(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = _tenant()
    acct = info["account"].lower()
    server = arm_server(tenant)
    server.forbidden_children.add(f"{acct}/connections")
    snap = live.discover(live.Scope(subscriptions=(info["sub"],)), options(server, certificates))
    assert [w["code"] for w in snap.warnings] == ["foundry_unreadable"]
    assert acct in snap.warnings[0]["message"]
    assert not [r for r in snap.rows if "/projects/" in str(r.get("id", "")).lower()]
    assert snap.foundry_collected == []
    findings = {(f.control, f.resource): f for f in evaluate(build(snapshot.to_inventory(snap, "live")))}
    assert findings[("FDY-IAM-01", acct)].status.value == "unknown"


def _connection(extra: dict[str, Any], secret: str) -> dict[str, Any]:
    return {
        "id": "/subscriptions/x/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a/connections/c",
        "name": "c",
        "type": "Microsoft.CognitiveServices/accounts/connections",
        "properties": {
            **{f"x-{k}": v for k, v in extra.items()},
            "authType": "ApiKey",
            "category": "CognitiveSearch",
            "credentials": {"key": secret, "nested": {"clientSecret": secret}},
            "metadata": {"ResourceId": "/subscriptions/x/resourcegroups/r", "token": secret},
        },
        "secretOnTop": secret,
    }


KEYS = st.text(min_size=1, max_size=12)
VALUES = st.one_of(st.text(max_size=20), st.booleans(), st.integers())


@given(
    extra=st.dictionaries(KEYS, VALUES, max_size=6),
    secret=st.text(min_size=8, max_size=30).filter(lambda s: s.strip() == s and len(set(s)) > 3),
)
def test_safe_connection_never_keeps_credentials_or_unknown_fields(
    extra: dict[str, Any], secret: str
) -> None:
    kept = safe_connection(_connection(extra, secret))
    # a secret that is part of what is rightly kept (the id or type: 'Cognitiv', say) proves nothing
    assume(secret not in json.dumps(safe_connection(_connection(extra, "\x00"))))
    assert secret not in json.dumps(kept)
    assert set(kept) <= {"id", "name", "type", "properties"}
    assert set(kept["properties"]) <= {
        "category",
        "target",
        "authType",
        "isSharedToAll",
        "peRequirement",
        "peStatus",
        "metadata",
    }


def test_a_listed_item_lands_under_the_resource_whose_list_returned_it() -> None:
    acct = "/subscriptions/x/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a"
    other = "/subscriptions/x/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/b/connections/c"
    # the spec's own example lists `.../accounts/account-1/linkedaccounts/connection-1`
    linked = acct + "/linkedaccounts/c2"
    assert connection_row({"id": other, "name": "c"}, acct, "t")["id"] == f"{acct}/connections/c"
    assert connection_row({"id": linked, "name": "c2"}, acct, "t")["id"] == f"{acct}/connections/c2"
    own = acct + "/connections/c3"
    assert connection_row({"id": own, "name": "c3"}, acct, "t")["id"] == own


def test_the_agent_subnet_network_is_read_by_id_and_judged(
    arm_server: Any, certificates: Certificates
) -> None:
    """The account's agent subnet names a virtual network nothing else leads to: discovery reads it by id
    (batched `resources_by_id`), with the subnet's NSG, and FDY-NET-01 judges its delegation."""
    tenant, info = _tenant()
    sub, acct = info["sub"], info["account"]
    vnet = T.rid(sub, "rg-ai-net", "Microsoft.Network/virtualNetworks", "vnet-agents")
    nsg = T.rid(sub, "rg-ai-net", "Microsoft.Network/networkSecurityGroups", "nsg-agents")
    subnet = f"{vnet}/subnets/snet-agents"
    row = next(r for r in tenant.resources if str(r["id"]).lower() == acct.lower())
    row["properties"]["networkInjections"] = [
        {"scenario": "agent", "subnetArmId": subnet, "useMicrosoftManagedNetwork": False}
    ]
    agents = {
        "addressPrefix": "10.60.0.0/28",
        "networkSecurityGroup": {"id": nsg},
        "delegations": [{"name": "aca", "properties": {"serviceName": "Microsoft.App/environments"}}],
    }
    tenant.resources.append(
        T.row(
            vnet,
            "Microsoft.Network/virtualNetworks",
            properties={
                "addressSpace": {"addressPrefixes": ["10.60.0.0/24"]},
                "subnets": [{"name": "snet-agents", "id": subnet, "properties": agents}],
            },
        )
    )
    tenant.resources.append(
        T.row(nsg, "Microsoft.Network/networkSecurityGroups", properties={"securityRules": []})
    )
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(sub,)), options(server, certificates))
    ids = {norm_id(r.get("id")) for r in snap.rows}
    assert {norm_id(vnet), norm_id(nsg)} <= ids
    graph = build(snapshot.to_inventory(snap, "live"))
    assert norm_id(subnet) in set(graph.members_of(acct.lower()))
    got = {(f.control, f.resource): f for f in evaluate(graph)}
    net = got[("FDY-NET-01", acct.lower())]
    assert net.status.value == "fail" and "fewer than the /27" in net.reason
    assert net.evidence["agent subnet snet-agents"]["networkSecurityGroup"] == "nsg-agents"
