"""The code the sixth round's second evaluation pass replaced (issue 14), kept to test the fast paths against:
the per-endpoint private name resolution of `archgen.model.pedns` as it was (nothing shared between endpoints
but the zone index), `PolicyFacts`' scope chain worked out on every call and its exemptions scanned for
each coverage, and the accounts sharing an agent subnet found by scanning every account for each account."""

from __future__ import annotations

from typing import Any

from archgen.model import pedns
from archgen.model.facts import Resolution, resolution, vnet_of_endpoint
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive, dns, network
from archgen.model.types import policy as p


def _check_zone(
    graph: Graph, zone: Node, sub: str, pe: network.PrivateEndpoint, res: Resolution
) -> tuple[str, str | dict[str, Any]]:
    records, links = pedns._zone_index(graph, zone)
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


def _check_zone_name(
    graph: Graph, zone_name: str, endpoint: tuple[str, network.PrivateEndpoint, Resolution], out: Any
) -> Any:
    named = pedns._zones_by_name(graph).get(zone_name, [])
    if not named:
        out.unknowns.append(
            f"no private DNS zone '{zone_name}' linked to the endpoint's network is in the input"
        )
        return None
    candidates = [z for z in named if z.attrs_as(dns.PrivateDnsZone).record_sets_seen]
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


def _outcome(graph: Graph, target: Node, pe_id: str, vnet: str | None) -> tuple[set[str], Any]:
    out = pedns._Outcome()
    pe = graph.attrs(pe_id, network.PrivateEndpoint)
    if pe is None:
        out.unknowns.append(f"private endpoint {pe_id} is not in the input")
        return set(), out
    if vnet is None:
        out.unknowns.append(f"the subnet or virtual network of private endpoint {pe_id} is not in the input")
        return set(), out
    if not pe.private_ips:
        out.unknowns.append(f"private endpoint {pe_id} has no private IP in the input")
        return set(), out
    res = resolution(graph, vnet)
    if res.unplaced:
        out.unknowns.append(
            f"the endpoint's virtual network uses DNS server(s) {', '.join(res.unplaced)} that sit in no "
            "virtual network of the input"
        )
    zones, unmapped = pedns.needed_zones(target, pe)
    if unmapped:
        out.unknowns.append(f"no documented privatelink zone for sub-resource(s) {', '.join(unmapped)}")
    name = pedns.record_name(target)
    if not res.resolvers or name is None:
        return zones, out
    if not zones and not unmapped:
        out.unknowns.append(f"private endpoint {pe_id} names no sub-resource of the target")
    for zone_name in sorted(zones):
        proof = _check_zone_name(graph, zone_name, (name, pe, res), out)
        if proof is not None:
            out.proofs[f"{pe_id} / {zone_name}"] = proof
    return zones, out


def endpoint_resolution(
    graph: Graph, pe_id: str, target_id: str, client_vnet: str | None = None
) -> pedns.EndpointResolution | None:
    target = graph.node(target_id)
    if target is None:
        return None
    vnet = client_vnet or vnet_of_endpoint(graph, pe_id)
    zones, out = _outcome(graph, target, pe_id, vnet)
    status = "fail" if out.fails else "unknown" if out.unknowns else "pass"
    return pedns.EndpointResolution(
        endpoint=pe_id,
        target=target_id,
        vnet=vnet,
        zones=tuple(sorted(zones)),
        status=status,
        proofs=out.proofs,
        fails=tuple(sorted(set(out.fails))),
        unknowns=tuple(sorted(set(out.unknowns))),
    )


def collected(facts: p.PolicyFacts, resource_id: str) -> bool:
    chain = set(facts.scopes(resource_id))
    return any(a.scope in chain for a in facts.assignments)


def on_chain(facts: p.PolicyFacts, resource_id: str) -> list[p.Assignment]:
    chain = set(facts.scopes(resource_id))
    return [
        a
        for a in facts.assignments
        if a.scope in chain and not any(p._under(resource_id, n) for n in a.not_scopes)
    ]


def coverage(facts: p.PolicyFacts, resource_id: str, guid: str) -> tuple[p.Coverage, ...]:
    out = []
    for a in on_chain(facts, resource_id):
        if a.definition_id.endswith("/policydefinitions/" + guid):
            out.append(facts._direct(resource_id, a))
        elif "/policysetdefinitions/" in a.definition_id:
            out.extend(facts._through_set(resource_id, a, guid))
    return tuple(sorted(out, key=lambda c: (p.ORDER.index(c.state), c.assignment_id)))


def sharers(graph: Graph, node: Node, subnet: str) -> list[str]:
    """`agentsubnet._sharers` as it was: every account of the input scanned for each account and subnet."""
    out = []
    for other in graph.of_type(cognitive.TYPE):
        f = other.attrs.foundry if isinstance(other.attrs, cognitive.Account) else None
        if other.id != node.id and f is not None and subnet in f.agent_subnets:
            out.append(other.name)
    return sorted(out)


def exempt(facts: p.PolicyFacts, resource_id: str, a: p.Assignment, reference_id: str) -> p.Exemption | None:
    """`PolicyFacts._exempt` as it was: every exemption scanned for each resource, assignment and member."""
    found = [
        e
        for e in facts.exemptions
        if e.assignment_id == a.id
        and p._under(resource_id, e.scope)
        and (not e.reference_ids or reference_id in e.reference_ids)
    ]
    return next((e for e in found if not p.expired(e, facts.as_of)), found[0] if found else None)
