"""AOAI-NET-03: the account's name resolves to its private endpoint for the clients of that endpoint.

The resolution fact (which virtual networks' zone links answer the endpoint's clients) comes from
`archgen.model.facts`; this module checks the zones, records and links against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archgen.controls.evaluators.common import FAIL, NA, PASS, UNKNOWN, Verdict, label, shown
from archgen.model.facts import Resolution, endpoint_status, resolution, vnet_of_endpoint
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive, dns, network


def _zones_by_name(graph: Graph) -> dict[str, list[Node]]:
    cached: dict[str, list[Node]] | None = graph.memo.get("zones_by_name")
    if cached is None:
        cached = {}
        for z in graph.of_type(dns.ZONE):
            cached.setdefault(z.name.lower(), []).append(z)
        graph.memo["zones_by_name"] = cached
    return cached


def _zone_index(graph: Graph, zone: Node) -> tuple[dict[str, dns.ARecord], dict[str, str]]:
    """A zone's A records by relative name and its links (VNet -> link state), once per graph: a hub zone
    holds thousands of records and links."""
    key = "zone:" + zone.id
    cached: tuple[dict[str, dns.ARecord], dict[str, str]] | None = graph.memo.get(key)
    if cached is None:
        attrs = zone.attrs_as(dns.PrivateDnsZone)
        cached = (
            {r.name: r for r in reversed(attrs.a_records)},
            {lk.virtual_network: lk.state or "" for lk in attrs.links},
        )
        graph.memo[key] = cached
    return cached


@dataclass
class _Outcome:
    fails: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    proofs: dict[str, Any] = field(default_factory=dict)


def _check_zone(
    graph: Graph, zone: Node, sub: str, pe: network.PrivateEndpoint, res: Resolution
) -> tuple[str, str | dict[str, Any]]:
    """('pass', proof) | ('fail', problem) | ('unknown', what is missing) for one candidate zone."""
    records, links = _zone_index(graph, zone)
    record = records.get(sub)
    if record is None:
        return "fail", f"zone {zone.name} holds no A record '{sub}'"
    if not set(record.ipv4) & set(pe.private_ips):
        return "fail", (
            f"A record {record.fqdn} points to {', '.join(record.ipv4) or 'nothing'}, "
            f"not the endpoint's {', '.join(pe.private_ips)}"
        )
    missing = sorted(v for v in res.resolvers if v not in links)
    if missing:
        return "fail", (
            f"zone {zone.name} is not linked to {', '.join(missing)}, whose DNS answers the endpoint's clients"
        )
    not_done = sorted(f"{v} ({links[v]})" for v in res.resolvers if links[v] not in ("completed", ""))
    if not_done:
        return (
            "fail",
            f"zone {zone.name}'s link is not in effect (virtualNetworkLinkState not Completed): {', '.join(not_done)}",
        )
    unstated = sorted(v for v in res.resolvers if links[v] == "")
    if unstated:
        return "unknown", f"the state of zone {zone.name}'s link to {', '.join(unstated)} is not in the input"
    return "pass", {
        "zone": zone.id,
        "record": record.fqdn,
        "ipv4": list(record.ipv4),
        "private_endpoint_ips": list(pe.private_ips),
        "linked_vnets": {v: res.resolvers[v] for v in sorted(res.resolvers)},
    }


def _check_endpoint(graph: Graph, node: Node, pe_id: str, sub: str, out: _Outcome) -> list[str]:
    """Check one approved endpoint; returns the zone names it needs."""
    pe = graph.attrs(pe_id, network.PrivateEndpoint)
    if pe is None:
        out.unknowns.append(f"private endpoint {pe_id} is not in the input")
        return []
    vnet = vnet_of_endpoint(graph, pe_id)
    if vnet is None:
        out.unknowns.append(f"the subnet or virtual network of private endpoint {pe_id} is not in the input")
        return []
    if not pe.private_ips:
        out.unknowns.append(f"private endpoint {pe_id} has no private IP in the input")
        return []
    res = resolution(graph, vnet)
    if res.unplaced:
        out.unknowns.append(
            f"the endpoint's virtual network uses DNS server(s) {', '.join(res.unplaced)} that sit in no "
            "virtual network of the input"
        )
    if not res.resolvers:
        return []
    a = node.attrs_as(cognitive.Account)
    needed = sorted(set(dns.expected_zones(node.kind or "", a.endpoint)) | set(dns.zones_for_fqdns(pe.fqdns)))
    for zone_name in needed:
        proof = _check_zone_name(graph, zone_name, (sub, pe, res), out)
        if proof is not None:
            out.proofs[f"{pe_id} / {zone_name}"] = proof
    return needed


def _check_zone_name(
    graph: Graph,
    zone_name: str,
    endpoint: tuple[str, network.PrivateEndpoint, Resolution],
    out: _Outcome,
) -> Any:
    """Check the zones called `zone_name` for one endpoint; returns the proof, or None (noted in `out`)."""
    candidates = [
        z for z in _zones_by_name(graph).get(zone_name, []) if z.attrs_as(dns.PrivateDnsZone).record_sets_seen
    ]
    if not _zones_by_name(graph).get(zone_name):
        out.unknowns.append(
            f"no private DNS zone '{zone_name}' linked to the endpoint's network is in the input"
        )
        return None
    if not candidates:
        out.unknowns.append(f"the record sets of zone '{zone_name}' are not in the input (dnsresources)")
        return None
    sub, pe, res = endpoint
    results = [_check_zone(graph, z, sub, pe, res) for z in candidates]
    proof = next((r for s, r in results if s == "pass"), None)
    if proof is None:
        if any(s == "unknown" for s, _ in results):
            out.unknowns.extend(str(r) for s, r in results if s == "unknown")
        else:
            out.fails.extend(str(r) for _s, r in results)
    return proof


def aoai_net_03(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    approved = sorted(pe for pe, s in endpoint_status(graph, node.id).items() if s == "approved")
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
    out = _Outcome()
    for pe_id in approved:
        expected.update(_check_endpoint(graph, node, pe_id, sub, out))
    evidence["expected_zones"] = sorted(expected)
    evidence["resolution"] = out.proofs
    text = label(node).lower()
    if out.fails:
        evidence["problems"] = sorted(set(out.fails))
        return (
            FAIL,
            f"The private endpoint of {text} does not resolve privately: {'; '.join(sorted(set(out.fails)))}.",
            evidence,
        )
    if out.unknowns:
        evidence["missing"] = sorted(set(out.unknowns))
        return (
            UNKNOWN,
            f"Private name resolution of {text} cannot be proven: {'; '.join(sorted(set(out.unknowns)))}.",
            evidence,
        )
    return (
        PASS,
        f"{label(node)} resolves to its private endpoint through {len(out.proofs)} linked zone record(s).",
        evidence,
    )
