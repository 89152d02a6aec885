"""Live discovery of what guards the private endpoint's subnet: the NSG and the route table the subnet
references come through the `resources_by_id` lookup of the loopback ARG server."""

from __future__ import annotations

from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.builder import build
from archgen.model.relations import Relation
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options


def guarded_tenant() -> tuple[T.Tenant, dict[str, Any]]:
    """The regulated tenant, with the first workload's endpoint subnet guarded by an NSG and a route table;
    the second workload's subnet references an NSG that is not in the tenant."""
    tenant, info = T.regulated()
    w1, w2 = info["w1"], info["w2"]
    rg = w1["vnet"].split("/providers/", 1)[0]
    nsg = f"{rg}/providers/Microsoft.Network/networkSecurityGroups/nsg-snet-pe"
    rt = f"{rg}/providers/Microsoft.Network/routeTables/rt-snet-pe"
    missing = (
        w2["vnet"].split("/providers/", 1)[0] + "/providers/Microsoft.Network/networkSecurityGroups/gone"
    )
    for r in tenant.resources:
        for sub in r["properties"].get("subnets", []) if r["id"] in (w1["vnet"], w2["vnet"]) else ():
            sub["properties"]["privateEndpointNetworkPolicies"] = "Enabled"
            if r["id"] == w1["vnet"]:
                sub["properties"].update(networkSecurityGroup={"id": nsg}, routeTable={"id": rt})
            else:
                sub["properties"]["networkSecurityGroup"] = {"id": missing}
    deny_all = {
        "name": "DenyAllInBound",
        "properties": {
            "protocol": "*",
            "sourceAddressPrefix": "*",
            "destinationAddressPrefix": "*",
            "destinationPortRange": "*",
            "access": "Deny",
            "priority": 65500,
            "direction": "Inbound",
        },
    }
    route = {
        "addressPrefix": "0.0.0.0/0",
        "nextHopType": "VirtualAppliance",
        "nextHopIpAddress": "10.254.0.4",
    }
    tenant.resources.append(
        T.row(nsg, "Microsoft.Network/networkSecurityGroups", properties={"defaultSecurityRules": [deny_all]})
    )
    tenant.resources.append(
        T.row(
            rt, "Microsoft.Network/routeTables", properties={"routes": [{"name": "d", "properties": route}]}
        )
    )
    return tenant, {**info, "nsg": nsg, "rt": rt, "missing": missing}


def test_subnet_nsg_and_route_table_are_discovered_and_judged(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = guarded_tenant()
    server = arm_server(tenant)
    scope = live.Scope(subscriptions=(info["w1"]["sub"], info["w2"]["sub"]))
    snap = live.discover(scope, options(server, certificates))
    read = {str(r["id"]).lower() for r in snap.rows}
    assert {info["nsg"].lower(), info["rt"].lower()} <= read
    graph = build(snapshot.to_inventory(snap, "live"))
    guards = {
        (e.relation, e.target)
        for e in graph.edges
        if e.relation in (Relation.GUARDED_BY, Relation.ROUTES_VIA)
    }
    assert {(Relation.GUARDED_BY, info["nsg"].lower()), (Relation.ROUTES_VIA, info["rt"].lower())} <= guards
    assert all(target != info["missing"].lower() for _r, target in guards), (
        "not in the tenant: a warning, no edge"
    )
    verdicts = {
        (f.control, f.resource): f.status.value for f in evaluate(graph) if f.control == "AOAI-NET-06"
    }
    assert verdicts[("AOAI-NET-06", info["w1"]["account"].lower())] == "pass"
    assert verdicts[("AOAI-NET-06", info["w2"]["account"].lower())] == "unknown"
