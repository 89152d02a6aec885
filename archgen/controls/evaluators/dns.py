"""Private name resolution controls, read from the per-(endpoint, target) fact in `archgen.model.pedns`.

- AOAI-NET-03: the account's names resolve to each approved private endpoint for that endpoint's clients.
- KV-NET-02 / ST-NET-03: the vault / storage account is reached through an approved private endpoint
  whose names resolve from the endpoint's virtual network and from the workload's virtual networks (those
  of the approved private endpoints of the accounts whose workload holds it).
"""

from __future__ import annotations

from typing import Any

from archgen.controls.evaluators.common import FAIL, NA, PASS, UNKNOWN, Verdict, label, shown
from archgen.model import pedns
from archgen.model.facts import vnet_of_endpoint
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive, dns


def _verdict(
    graph: Graph, node: Node, results: list[pedns.EndpointResolution], evidence: dict[str, Any]
) -> Verdict:
    proofs: dict[str, Any] = {}
    for r in results:
        own = r.vnet == vnet_of_endpoint(graph, r.endpoint)
        proofs.update({k if own else f"{k} (clients in {r.vnet})": v for k, v in r.proofs.items()})
    evidence["resolution"] = proofs
    fails = sorted({f for r in results for f in r.fails})
    unknowns = sorted({u for r in results for u in r.unknowns})
    text = label(node).lower()
    if fails:
        evidence["problems"] = fails
        return (
            FAIL,
            f"The private endpoint of {text} does not resolve privately: {'; '.join(fails)}.",
            evidence,
        )
    if unknowns:
        evidence["missing"] = unknowns
        return (
            UNKNOWN,
            f"Private name resolution of {text} cannot be proven: {'; '.join(unknowns)}.",
            evidence,
        )
    return (
        PASS,
        f"{label(node)} resolves to its private endpoint through {len(proofs)} linked zone record(s).",
        evidence,
    )


def aoai_net_03(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    approved = pedns.approved_endpoints(graph, node.id)
    if not approved:
        return NA, f"{label(node)} has no approved private endpoint to resolve.", {}
    sub = a.custom_subdomain
    expected = set(dns.expected_zones(node.kind or "", a.endpoint))
    evidence: dict[str, Any] = {
        "expected_zones": sorted(expected),
        "properties.customSubDomainName": shown(sub),
    }
    if not sub:
        return (
            FAIL,
            f"{label(node)} has no custom subdomain, so no private DNS name can point at its endpoint.",
            evidence,
        )
    results = [r for pe in approved if (r := pedns.endpoint_resolution(graph, pe, node.id)) is not None]
    for r in results:
        expected.update(r.zones)
    evidence["expected_zones"] = sorted(expected)
    return _verdict(graph, node, results, evidence)


def private_reach(graph: Graph, node: Node) -> Verdict:
    """KV-NET-02 / ST-NET-03: reached through an approved private endpoint that resolves privately from the
    endpoint's own virtual network and from every workload virtual network."""
    approved = pedns.approved_endpoints(graph, node.id)
    vnets = pedns.workload_vnets(graph, node.id)
    evidence: dict[str, Any] = {
        "approved_private_endpoints": approved,
        "workload_virtual_networks": vnets,
    }
    if not approved:
        return (
            FAIL,
            f"{label(node)} has no approved private endpoint (properties.privateEndpointConnections), so "
            "no client reaches it privately.",
            evidence,
        )
    results = pedns.private_reach(graph, node.id)
    evidence["expected_zones"] = sorted({z for r in results for z in r.zones})
    return _verdict(graph, node, results, evidence)
