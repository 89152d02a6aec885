"""Private name resolution of one private endpoint for one private-link target, derived once per graph.

The proof is the same for every target type: each privatelink zone the target's sub-resource needs holds
the A record of the target's name with the endpoint's private IP, and is linked, with the link in effect
(`virtualNetworkLinkState` Completed), to every virtual network whose DNS answers the clients
(`archgen.model.facts.resolution`). What differs per type is the record name and the zones:

- Azure OpenAI / AI Services accounts: the custom subdomain, zones by account kind and cloud
  (`archgen.model.types.dns.expected_zones`).
- Key Vault and Storage: the resource name, in the zones of the endpoint's sub-resources
  (`archgen.model.types.dns.ZONES_BY_GROUP`); a sub-resource without a known zone is unknown.

The clients of a vault's or storage account's endpoint are those in the endpoint's own virtual network and
in the workload's virtual networks (`workload_vnets`: those of the approved private endpoints of the
accounts whose workload holds it); `private_reach` lists the resolution for each.

Controls (AOAI-NET-03, KV-NET-02, ST-NET-03) and the site's workload page read these facts.
"""

from __future__ import annotations

from typing import Any

import msgspec

from archgen.model.facts import Resolution, endpoint_status, resolution, vnet_of_endpoint
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive, dns, network


class EndpointResolution(msgspec.Struct, frozen=True):
    """Whether clients in `vnet` resolve `target`'s names to `endpoint`'s IP.

    status: 'pass' (every needed zone proven), 'fail' (a zone disproves it), 'unknown' (evidence missing).
    `proofs` maps '<endpoint> / <zone>' to the record, IPs and linked VNets that prove it.
    """

    endpoint: str
    target: str
    vnet: str | None
    zones: tuple[str, ...]
    status: str
    proofs: dict[str, Any]
    fails: tuple[str, ...]
    unknowns: tuple[str, ...]


class _Outcome(msgspec.Struct):
    fails: list[str] = msgspec.field(default_factory=list)
    unknowns: list[str] = msgspec.field(default_factory=list)
    proofs: dict[str, Any] = msgspec.field(default_factory=dict)


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


def _check_zone(
    graph: Graph, zone: Node, sub: str, pe: network.PrivateEndpoint, res: Resolution
) -> tuple[str, str | dict[str, Any]]:
    """('pass', proof) | ('fail', problem) | ('unknown', what is missing) for one candidate zone."""
    records, _links = _zone_index(graph, zone)
    record = records.get(sub)
    if record is None:
        return "fail", f"zone {zone.name} holds no A record '{sub}'"
    if set(record.ipv4).isdisjoint(pe.private_ips):
        return "fail", (
            f"A record {record.fqdn} points to {', '.join(record.ipv4) or 'nothing'}, "
            f"not the endpoint's {', '.join(pe.private_ips)}"
        )
    status, found = _link_check(graph, zone, res)
    if status != "pass":
        return status, found
    return "pass", {
        "zone": zone.id,
        "record": record.fqdn,
        "ipv4": list(record.ipv4),
        "private_endpoint_ips": list(pe.private_ips),
        "linked_vnets": dict(found),
    }


def _link_check(graph: Graph, zone: Node, res: Resolution) -> tuple[str, Any]:
    """Whether the zone's links answer the clients of `res`: ('pass', the linked VNets of the proof) |
    ('fail', problem) | ('unknown', what is missing). The same for every endpoint whose clients resolve
    through `res.vnet` (2,000 endpoints share one hub zone), so worked out once per graph, zone and VNet."""
    table: dict[tuple[str, str], tuple[str, Any]] | None = graph.memo.get("pedns:links")
    if table is None:
        table = graph.memo["pedns:links"] = {}
    key = (zone.id, res.vnet)  # `resolution` is one per graph and VNet
    found = table.get(key)
    if found is None:
        found = table[key] = _links_of(zone, _zone_index(graph, zone)[1], res)
    return found


def _links_of(zone: Node, links: dict[str, str], res: Resolution) -> tuple[str, Any]:
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
    return "pass", {v: res.resolvers[v] for v in sorted(res.resolvers)}


def _candidates(graph: Graph, zone_name: str) -> list[Node] | str:
    """The zones called `zone_name` whose record sets were read, or what is missing; once per graph and name."""
    table: dict[str, list[Node] | str] | None = graph.memo.get("pedns:candidates")
    if table is None:
        table = graph.memo["pedns:candidates"] = {}
    found = table.get(zone_name)
    if found is None:
        named = _zones_by_name(graph).get(zone_name, [])
        if not named:
            found = f"no private DNS zone '{zone_name}' linked to the endpoint's network is in the input"
        else:
            found = [z for z in named if z.attrs_as(dns.PrivateDnsZone).record_sets_seen] or (
                f"the record sets of zone '{zone_name}' are not in the input (dnsresources)"
            )
        table[zone_name] = found
    return found


def _check_zone_name(
    graph: Graph, zone_name: str, endpoint: tuple[str, network.PrivateEndpoint, Resolution], out: _Outcome
) -> Any:
    """Check the zones called `zone_name` for one endpoint; returns the proof, or None (noted in `out`)."""
    candidates = _candidates(graph, zone_name)
    if isinstance(candidates, str):
        out.unknowns.append(candidates)
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


def record_name(target: Node) -> str | None:
    """The A record's relative name for a target: an account's custom subdomain, else the resource name."""
    if isinstance(target.attrs, cognitive.Account):
        sub = target.attrs.custom_subdomain
        return sub.lower() if sub else None
    return target.name.lower()


def _group_ids(pe: network.PrivateEndpoint, target_id: str) -> set[str]:
    return {g for c in pe.connections if c.target_id == target_id for g in c.group_ids}


def needed_zones(target: Node, pe: network.PrivateEndpoint) -> tuple[set[str], list[str]]:
    """(zones the endpoint's clients need for `target`, sub-resources with no known zone)."""
    if isinstance(target.attrs, cognitive.Account):
        kind_zones = set(dns.expected_zones(target.kind or "", target.attrs.endpoint))
        return kind_zones | set(dns.zones_for_fqdns(pe.fqdns)), []
    zones: set[str] = set()
    unmapped: list[str] = []
    for group in sorted(_group_ids(pe, target.id)):
        found = dns.ZONES_BY_GROUP.get((target.type, group))
        if found:
            zones.update(found)
        else:
            unmapped.append(group)
    return zones, unmapped


def _outcome(graph: Graph, target: Node, pe_id: str, vnet: str | None) -> tuple[set[str], _Outcome]:
    out = _Outcome()
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
    zones, unmapped = needed_zones(target, pe)
    if unmapped:
        out.unknowns.append(f"no documented privatelink zone for sub-resource(s) {', '.join(unmapped)}")
    name = record_name(target)
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
) -> EndpointResolution | None:
    """The resolution of `target_id` through `pe_id` for clients in `client_vnet` (default: the endpoint's
    own virtual network); None when the target is not in the input. Computed once per graph."""
    target = graph.node(target_id)
    if target is None:
        return None
    vnet = client_vnet or vnet_of_endpoint(graph, pe_id)
    table: dict[tuple[str, str, str | None], EndpointResolution] | None = graph.memo.get("pedns:resolved")
    if table is None:  # one table (a key per resolution was a new string of three ids to hash on each call)
        table = graph.memo["pedns:resolved"] = {}
    key = (pe_id, target_id, vnet)
    cached = table.get(key)
    if cached is None:
        zones, out = _outcome(graph, target, pe_id, vnet)
        status = "fail" if out.fails else "unknown" if out.unknowns else "pass"
        cached = EndpointResolution(
            endpoint=pe_id,
            target=target_id,
            vnet=vnet,
            zones=tuple(sorted(zones)),
            status=status,
            proofs=out.proofs,
            fails=tuple(sorted(set(out.fails))),
            unknowns=tuple(sorted(set(out.unknowns))),
        )
        table[key] = cached
    return cached


def approved_endpoints(graph: Graph, node_id: str) -> list[str]:
    """The approved private endpoints of a private-link target, sorted (worked out once per graph and node;
    each call returns a list of its own)."""
    table: dict[str, list[str]] | None = graph.memo.get("pedns:approved")
    if table is None:
        table = graph.memo["pedns:approved"] = {}
    found = table.get(node_id)
    if found is None:
        found = table[node_id] = sorted(
            pe for pe, s in endpoint_status(graph, node_id).items() if s == "approved"
        )
    return list(found)


def workload_vnets(graph: Graph, node_id: str) -> list[str]:
    """The virtual networks of the approved private endpoints of the accounts whose workload holds `node_id`
    (worked out once per graph and node; each call returns a list of its own)."""
    table: dict[str, list[str]] | None = graph.memo.get("pedns:workload_vnets")
    if table is None:
        table = graph.memo["pedns:workload_vnets"] = {}
    found = table.get(node_id)
    if found is None:
        found = table[node_id] = _workload_vnets(graph, node_id)
    return list(found)


def _workload_vnets(graph: Graph, node_id: str) -> list[str]:
    index: dict[str, list[str]] | None = graph.memo.get("pedns:workloads_of")
    if index is None:  # member -> the workloads holding it, once per graph
        index = {}
        for w in graph.workloads:
            for m in graph.members_of(w.id):
                index.setdefault(m, []).append(w.id)
        graph.memo["pedns:workloads_of"] = index
    vnets: set[str] = set()
    for w_id in index.get(node_id, ()):
        vnets.update(
            v for pe in approved_endpoints(graph, w_id) if (v := vnet_of_endpoint(graph, pe)) is not None
        )
    return sorted(vnets)


def private_reach(graph: Graph, target_id: str) -> list[EndpointResolution]:
    """For each approved private endpoint of a vault or storage account: its resolution for clients in the
    endpoint's own virtual network, then in each other workload virtual network."""
    vnets = workload_vnets(graph, target_id)
    results = []
    for pe in approved_endpoints(graph, target_id):
        own = vnet_of_endpoint(graph, pe)
        for vnet in [own, *(v for v in vnets if v != own)]:
            r = endpoint_resolution(graph, pe, target_id, vnet)
            if r is not None:
                results.append(r)
    return results
