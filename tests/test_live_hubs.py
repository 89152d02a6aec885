"""Live discovery of hub-based Foundry: hubs and hub-based projects come from one `hubs_by_subscription` query
per batch of workload subscriptions, their connections from ARM (`{workspace}/connections`, 2025-09-01) only
for the workspaces found, through the real SDK against the loopback server; credentials never reach a row."""

from __future__ import annotations

import json
from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.builder import build
from archgen.model.relations import Relation
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options

ML = "Microsoft.MachineLearningServices/workspaces"
SECRET = "dGhpcy1rZXktbXVzdC1uZXZlci1iZS1zdG9yZWQ="


def _hub(rid_: str, kind: str, mode: str | None) -> dict[str, Any]:
    props: dict[str, Any] = {"publicNetworkAccess": "Enabled"}
    if mode:
        props["managedNetwork"] = {"isolationMode": mode}
    return T.row(rid_, ML, kind=kind, properties=props, identity={"type": "SystemAssigned"})


def hub_tenant() -> tuple[T.Tenant, dict[str, Any]]:
    """The regulated tenant; in the first workload's subscription a hub with internet outbound connects to the
    account (by target host, with an ApiKey connection whose list carries credentials) and a plain ML
    workspace (kind Default) is listed but its connections are never read; a hub in the connectivity subscription is never looked at."""
    tenant, info = T.regulated()
    w1 = info["w1"]
    hubs = {
        "hub": T.rid(w1["sub"], "rg-hub", ML, "hub-claims"),
        "default": T.rid(w1["sub"], "rg-hub", ML, "mlw-legacy"),
        "outside": T.rid(info["conn"]["sub"], "rg-hub", ML, "hub-platform"),
    }
    tenant.resources += [
        _hub(hubs["hub"], "Hub", "AllowInternetOutbound"),
        _hub(hubs["default"], "Default", None),
        _hub(hubs["outside"], "Hub", "AllowOnlyApprovedOutbound"),
    ]
    tenant.children[f"{hubs['hub'].lower()}/connections"] = [
        {
            "id": f"{hubs['hub']}/connections/aoai",
            "name": "aoai",
            "type": f"{ML}/connections",
            "properties": {
                "category": "AzureOpenAI",
                "target": f"https://{w1['name']}.openai.azure.com/",
                "authType": "ApiKey",
                "credentials": {"key": SECRET},
                "metadata": {"ApiType": "Azure", "DeploymentApiVersion": "2024-10-21"},
            },
        }
    ]
    return tenant, {**info, "hubs": hubs}


def test_hubs_are_found_in_one_query_per_batch_and_their_connections_link_the_account(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = hub_tenant()
    server = arm_server(tenant)
    w1, w2 = info["w1"], info["w2"]
    snap = live.discover(live.Scope(subscriptions=(w1["sub"], w2["sub"])), options(server, certificates))
    assert len([q for q in snap.queries if q.name == "hubs_by_subscription"]) == 1
    read = {str(r["id"]).lower() for r in snap.rows}
    hubs = {k: v.lower() for k, v in info["hubs"].items()}
    assert hubs["hub"] in read and f"{hubs['hub']}/connections/aoai" in read
    assert hubs["outside"] not in read, "only the workload subscriptions are looked up"
    children = {
        e.query for e in server.log if e.kind == "children" and "machinelearningservices" in (e.query or "")
    }
    assert children == {f"{hubs['hub']}/connections"}, "connections are read only for the hubs found"
    assert SECRET not in json.dumps(snap.rows)
    graph = build(snapshot.to_inventory(snap, "live"))
    links = {(e.source, e.target) for e in graph.edges if e.relation is Relation.HUB_CONNECTS_TO}
    assert links == {(hubs["hub"], w1["account"].lower())}
    verdicts = {(f.resource, f.status.value) for f in evaluate(graph) if f.control == "FDY-NET-02"}
    assert verdicts == {(hubs["hub"], "fail")}
