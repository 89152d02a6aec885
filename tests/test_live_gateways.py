"""Live discovery of the gateways in front of an account: API Management instances and Application Gateways
come from one `gateways_by_subscription` query per batch of workload subscriptions, the instances' backends
from ARM (`{service}/backends`), through the real SDK against the loopback server."""

from __future__ import annotations

import json
from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.builder import build
from archgen.model.relations import Relation
from archgen.model.types.gateway import ApiManagement
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options


def fronted_tenant() -> tuple[T.Tenant, dict[str, Any]]:
    """The regulated tenant; the first workload's account is fronted by an internal-VNet APIM (backend URL =
    the account's endpoint, host in upper case); an APIM in the second subscription fronts another host;
    an APIM in a subscription with no workload is never looked at."""
    tenant, info = T.regulated()
    w1, w2 = info["w1"], info["w2"]
    apims = {
        "front": (T.rid(w1["sub"], "rg-apim", "Microsoft.ApiManagement/service", "apim-claims"), w1),
        "other": (T.rid(w2["sub"], "rg-apim", "Microsoft.ApiManagement/service", "apim-other"), w2),
        "outside": (
            T.rid(info["conn"]["sub"], "rg-apim", "Microsoft.ApiManagement/service", "apim-hub"),
            None,
        ),
    }
    for key, (apim, _w) in apims.items():
        name = apim.rsplit("/", 1)[-1]
        tenant.resources.append(
            T.row(
                apim,
                "Microsoft.ApiManagement/service",
                sku={"name": "Developer", "capacity": 1},
                properties={
                    "gatewayUrl": f"https://{name}.azure-api.net",
                    "virtualNetworkType": "Internal",
                    "publicNetworkAccess": "Enabled",
                },
            )
        )
        url = (
            f"https://{w1['name'].upper()}.openai.azure.com/openai"
            if key == "front"
            else "https://x.example/"
        )
        tenant.children[f"{apim.lower()}/backends"] = [
            {
                "id": f"{apim}/backends/aoai",
                "name": "aoai",
                "type": "Microsoft.ApiManagement/service/backends",
                "properties": {"url": url, "protocol": "http"},
            }
        ]
    return tenant, {**info, "apims": {k: v[0] for k, v in apims.items()}}


def test_gateway_is_discovered_in_one_query_per_batch_and_fronts_the_account(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = fronted_tenant()
    server = arm_server(tenant)
    scope = live.Scope(subscriptions=(info["w1"]["sub"], info["w2"]["sub"]))
    snap = live.discover(scope, options(server, certificates))
    gateway_queries = [q for q in snap.queries if q.name == "gateways_by_subscription"]
    assert len(gateway_queries) == 1, "both workload subscriptions in one batch"
    read = {str(r["id"]).lower() for r in snap.rows}
    assert {info["apims"]["front"].lower(), info["apims"]["other"].lower()} <= read
    assert info["apims"]["outside"].lower() not in read, "only the workload subscriptions are looked up"
    assert f"{info['apims']['front'].lower()}/backends/aoai" in read
    children = {e.query for e in server.log if e.kind == "children" and "/backends" in (e.query or "")}
    assert children == {f"{info['apims'][k].lower()}/backends" for k in ("front", "other")}
    graph = build(snapshot.to_inventory(snap, "live"))
    fronts = {(e.source, e.target) for e in graph.edges if e.relation is Relation.FRONTS}
    assert fronts == {(info["apims"]["front"].lower(), info["w1"]["account"].lower())}
    verdicts = {
        (f.control, f.resource): f.status.value for f in evaluate(graph) if f.control == "AOAI-NET-08"
    }
    assert verdicts == {
        ("AOAI-NET-08", info["w1"]["account"].lower()): "pass",
        ("AOAI-NET-08", info["w2"]["account"].lower()): "not_applicable",
    }


OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"


def test_app_calling_the_model_is_found_by_its_identity_in_one_query(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = fronted_tenant()
    w1 = info["w1"]
    principal = T.guid("app-claims", "principal")
    app = T.rid(w1["sub"], "rg-apps", "Microsoft.Web/sites", "app-claims")
    other = T.rid(w1["sub"], "rg-apps", "Microsoft.Web/sites", "app-unrelated")
    tenant.resources.append(
        T.row(
            app,
            "Microsoft.Web/sites",
            kind="app,linux",
            identity={"type": "SystemAssigned", "principalId": principal},
            properties={"defaultHostName": "app-claims.azurewebsites.net"},
        )
    )
    tenant.resources.append(
        T.row(
            other,
            "Microsoft.Web/sites",
            kind="app",
            identity={"type": "SystemAssigned", "principalId": T.guid("x")},
        )
    )
    scope = w1["account"]
    tenant.authorizationresources.append(T.role_assignment(scope, principal, OPENAI_USER))
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(w1["sub"],)), options(server, certificates))
    assert len([q for q in snap.queries if q.name == "callers_by_principal"]) == 1
    read = {str(r["id"]).lower() for r in snap.rows}
    assert app.lower() in read and other.lower() not in read
    graph = build(snapshot.to_inventory(snap, "live"))
    calls = {(e.source, e.target) for e in graph.edges if e.relation is Relation.CALLS}
    assert calls == {(app.lower(), w1["account"].lower())}


SECRET = "s3cr3t-literal-key-0123456789"


def test_apim_policies_are_read_as_element_names_only(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = fronted_tenant()
    apim = info["apims"]["front"]
    api = f"{apim}/apis/claims-openai"
    tenant.children[f"{apim.lower()}/apis"] = [
        {
            "id": api,
            "name": "claims-openai",
            "type": "Microsoft.ApiManagement/service/apis",
            "properties": {
                "path": "openai",
                "serviceUrl": "https://api.contoso.example/",
                "protocols": ["https"],
            },
        }
    ]
    tenant.children[f"{apim.lower()}/policies"] = [
        {
            "id": f"{apim}/policies/policy",
            "name": "policy",
            "type": "Microsoft.ApiManagement/service/policies",
            "properties": {
                "format": "xml",
                "value": f'<policies><inbound><set-header name="k"><value>{SECRET}</value></set-header></inbound></policies>',
            },
        }
    ]
    tenant.children[f"{api.lower()}/policies"] = [
        {
            "id": f"{api}/policies/policy",
            "name": "policy",
            "type": "Microsoft.ApiManagement/service/apis/policies",
            "properties": {
                "format": "xml",
                "value": '<policies><inbound><base /><authentication-managed-identity resource="https://cognitiveservices.azure.com" /></inbound></policies>',
            },
        }
    ]
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert SECRET not in json.dumps(snap.rows), "a policy's text never reaches the snapshot"
    policies = {
        str(r["id"]).lower(): r["properties"] for r in snap.rows if "/policies/" in str(r["id"]).lower()
    }
    assert policies == {
        f"{apim.lower()}/policies/policy": {"elements": ["inbound", "policies", "set-header", "value"]},
        f"{api.lower()}/policies/policy": {
            "elements": ["authentication-managed-identity", "base", "inbound", "policies"]
        },
    }
    graph = build(snapshot.to_inventory(snap, "live"))
    attrs = graph.attrs(apim.lower(), ApiManagement)
    assert attrs is not None and attrs.mi_auth_in == ("API claims-openai",) and attrs.policies_read
