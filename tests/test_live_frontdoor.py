"""Live discovery of Azure Front Door in front of an account: Standard/Premium profiles and Front Door WAF
policies come from the same `gateways_by_subscription` query per batch of workload subscriptions (a classic CDN
profile does not), the origin groups and security policies from ARM when the profile is found, each origin
group's origins in a second round; through the real SDK against the loopback server."""

from __future__ import annotations

from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.builder import build
from archgen.model.relations import Relation
from archgen.model.types.frontdoor import FrontDoor
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options


def front_door_tenant(mode: str = "Prevention") -> tuple[T.Tenant, dict[str, Any]]:
    """The regulated tenant; a Premium Front Door in the first workload's subscription has a Private Link
    origin on the first account's host (upper case) and a security policy linking a WAF policy in `mode`;
    a classic CDN profile beside it is never read."""
    tenant, info = T.regulated()
    w1 = info["w1"]
    profile = T.rid(w1["sub"], "rg-edge", "Microsoft.Cdn/profiles", "afd-claims")
    classic = T.rid(w1["sub"], "rg-edge", "Microsoft.Cdn/profiles", "cdn-static")
    waf = T.rid(
        w1["sub"], "rg-edge", "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", "wafclaims"
    )
    tenant.resources.append(
        T.row(profile, "Microsoft.Cdn/profiles", kind="frontdoor", sku={"name": "Premium_AzureFrontDoor"})
    )
    tenant.resources.append(
        T.row(classic, "Microsoft.Cdn/profiles", kind="cdn", sku={"name": "Standard_Microsoft"})
    )
    tenant.resources.append(
        T.row(
            waf,
            "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies",
            sku={"name": "Premium_AzureFrontDoor"},
            properties={"policySettings": {"enabledState": "Enabled", "mode": mode}},
        )
    )
    group = f"{profile}/originGroups/og-aoai"
    tenant.children[f"{profile.lower()}/origingroups"] = [
        {"id": group, "name": "og-aoai", "type": "Microsoft.Cdn/profiles/originGroups", "properties": {}}
    ]
    tenant.children[f"{group.lower()}/origins"] = [
        {
            "id": f"{group}/origins/aoai",
            "name": "aoai",
            "type": "Microsoft.Cdn/profiles/originGroups/origins",
            "properties": {
                "hostName": f"{w1['name'].upper()}.openai.azure.com",
                "enabledState": "Enabled",
                "sharedPrivateLinkResource": {
                    "privateLink": {"id": w1["account"]},
                    "groupId": "account",
                    "privateLinkLocation": "swedencentral",
                    "status": "Approved",
                },
            },
        }
    ]
    tenant.children[f"{profile.lower()}/securitypolicies"] = [
        {
            "id": f"{profile}/securityPolicies/sp-claims",
            "name": "sp-claims",
            "type": "Microsoft.Cdn/profiles/securityPolicies",
            "properties": {"parameters": {"type": "WebApplicationFirewall", "wafPolicy": {"id": waf}}},
        }
    ]
    return tenant, {**info, "profile": profile, "classic": classic, "waf": waf}


def test_front_door_is_found_with_its_origins_and_waf_and_fronts_the_account(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = front_door_tenant()
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert len([q for q in snap.queries if q.name == "gateways_by_subscription"]) == 1
    read = {str(r["id"]).lower() for r in snap.rows}
    profile = info["profile"].lower()
    assert {profile, info["waf"].lower(), f"{profile}/origingroups/og-aoai/origins/aoai"} <= read
    assert info["classic"].lower() not in read, "a classic CDN profile is not a Front Door"
    children = {e.query for e in server.log if e.kind == "children" and "microsoft.cdn" in (e.query or "")}
    assert children == {
        f"{profile}/origingroups",
        f"{profile}/securitypolicies",
        f"{profile}/origingroups/og-aoai/origins",
    }
    graph = build(snapshot.to_inventory(snap, "live"))
    account = info["w1"]["account"].lower()
    fronts = {
        (e.source, e.target, e.attributes.get("reach")) for e in graph.edges if e.relation is Relation.FRONTS
    }
    assert fronts == {(profile, account, "over Private Link (approved)")}
    attrs = graph.attrs(profile, FrontDoor)
    assert attrs is not None and attrs.waf_policies == (info["waf"].lower(),)
    verdicts = {f.control: f.status.value for f in evaluate(graph) if f.resource == account}
    assert verdicts["AOAI-NET-09"] == "pass"


def test_front_door_waf_in_detection_fails(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = front_door_tenant(mode="Detection")
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    graph = build(snapshot.to_inventory(snap, "live"))
    account = info["w1"]["account"].lower()
    verdicts = {f.control: f.status.value for f in evaluate(graph) if f.resource == account}
    assert verdicts["AOAI-NET-09"] == "fail"


def test_an_unanswered_origins_read_leaves_the_bypass_unknown(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = front_door_tenant()
    server = arm_server(tenant)
    group = f"{info['profile'].lower()}/origingroups/og-aoai/origins"
    server.failing_children = {group}  # Azure answers 503 to every try of the origins list
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    graph = build(snapshot.to_inventory(snap, "live"))
    assert not [e for e in graph.edges if e.relation is Relation.FRONTS]
    account = info["w1"]["account"].lower()
    verdicts = {f.control: f.status.value for f in evaluate(graph) if f.resource == account}
    assert verdicts["AOAI-NET-08"] == "unknown"
