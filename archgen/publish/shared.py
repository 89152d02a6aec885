"""What a page of a large estate shows: shared resources trimmed to one workload, and the navigation.

A private DNS zone or hub network shared by 2,000 workloads listed its 2,000 records and 200 peerings on
every workload's page (209 kB a page, 402 MB in all), and the navigation listed every workload on every
page: both made the site quadratic in workloads. Here a workload's page shows what concerns it, with the
shared resource's totals as counts, and above NAV_WORKLOADS one page lists the workloads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup

from archgen.controls.findings import Status
from archgen.model.graph import Edge, Graph, Node
from archgen.model.relations import Relation
from archgen.model.types import cognitive, dns, network
from archgen.publish.escape import as_markup
from archgen.publish.pages import SiteModel, WorkloadView
from archgen.publish.settings import item_text, settings

# Up to this many workloads, each has its own entry in the navigation and a row on the home page;
# above it the navigation holds one page listing them all in a filterable table, and the home page the
# workloads with most failures (one nav entry per workload on every page made the build quadratic).
NAV_WORKLOADS = 30


def workloads_in_nav(site: SiteModel) -> bool:
    return len(site.workloads) <= NAV_WORKLOADS


def home_workloads(site: SiteModel) -> list[WorkloadView]:
    """The workloads listed on the home page: all, or the NAV_WORKLOADS with most failures, then unknowns."""
    if workloads_in_nav(site):
        return site.workloads
    ranked = sorted(
        site.workloads,
        key=lambda w: (-w.total[Status.FAIL], -w.total[Status.UNKNOWN], w.workload.name.lower()),
    )
    return ranked[:NAV_WORKLOADS]


def _dns_records_into(graph: Graph) -> dict[str, list[Edge]]:
    """The `dns_record_for` edges by target, once per graph (`graph.into(m, relation)` scanned every edge
    into a shared member, such as a hub network, for every workload page: quadratic in workloads)."""
    cached: dict[str, list[Edge]] | None = graph.memo.get("publish.dns_records_into")
    if cached is None:
        cached = {}
        for e in graph.edges:
            if e.relation is Relation.DNS_RECORD_FOR:
                cached.setdefault(e.target, []).append(e)
        graph.memo["publish.dns_records_into"] = cached
    return cached


def _own_records(graph: Graph, zone: Node, attrs: dns.PrivateDnsZone, members: set[str]) -> list[dns.ARecord]:
    """A zone's A records that concern a workload: those pointing at its private endpoints, and those named
    after its accounts (a record with a wrong address is evidence too)."""
    records_into = _dns_records_into(graph)
    fqdns = {
        str(e.attributes.get("fqdn")) for m in members for e in records_into.get(m, ()) if e.source == zone.id
    }
    labels = set()
    for m in members:
        node = graph.nodes.get(m)
        if node is not None and isinstance(node.attrs, cognitive.Account):
            labels.add(node.name.lower())
            if node.attrs.custom_subdomain:
                labels.add(node.attrs.custom_subdomain.lower())
    return [r for r in attrs.a_records if r.fqdn in fqdns or r.name in labels]


def zone_settings(graph: Graph, zone: Node, members: set[str]) -> list[tuple[str, str | Markup]]:
    """A private DNS zone as a workload page shows it: the workload's own records and links, and the
    zone's totals as counts (a zone shared by 2,000 workloads listed its 2,000 records on every page)."""
    attrs = zone.attrs
    assert isinstance(attrs, dns.PrivateDnsZone)
    links = [link for link in attrs.links if link.virtual_network in members]
    records = _own_records(graph, zone, attrs, members)
    others = (len(attrs.links) - len(links), len(attrs.a_records) - len(records))
    if not any(others):  # nothing of other workloads: the zone as every other resource is shown
        return [*settings(zone)]
    out: list[tuple[str, str | Markup]] = [*settings(zone, skip=frozenset({"links", "a_records"}))]
    out.append(("links to this workload's networks", "; ".join(item_text(x) for x in links) or "none"))
    out.append(("A records of this workload", "; ".join(item_text(x) for x in records) or "none"))
    out.append(
        (
            "in the whole zone",
            as_markup(
                f"{len(attrs.links)} link(s) and {len(attrs.a_records)} A record(s), of which "
                f"{others[0]} and {others[1]} concern other resources: all are listed in the graph "
                "document, on the [Evidence](../evidence.md) page"
            ),
        )
    )
    return out


def vnet_settings(vnet: Node, members: set[str]) -> list[tuple[str, str | Markup]]:
    """A virtual network as a workload page shows it: its peerings with the workload's networks, and
    the total as a count (a hub peered with 200 spokes listed them all on every workload's page)."""
    attrs = vnet.attrs
    assert isinstance(attrs, network.VirtualNetwork)
    own = [p for p in attrs.peerings if p.remote_id in members]
    if len(own) == len(attrs.peerings):
        return [*settings(vnet)]
    out: list[tuple[str, str | Markup]] = [*settings(vnet, skip=frozenset({"peerings"}))]
    out.append(("peerings with this workload's networks", "; ".join(item_text(x) for x in own) or "none"))
    out.append(
        (
            "in the whole network",
            as_markup(
                f"{len(attrs.peerings)} peering(s), of which {len(attrs.peerings) - len(own)} with networks "
                "of other workloads: all are listed in the graph document, on the [Evidence](../evidence.md) page"
            ),
        )
    )
    return out


def workload_settings(graph: Graph, view: WorkloadView) -> Callable[[Node], Sequence[tuple[str, object]]]:
    """`settings` for one workload's page: shared private DNS zones and virtual networks trimmed to what
    concerns the workload, so a page's size does not grow with the estate."""
    members = {n.id for n in view.nodes}

    def one(node: Node) -> Sequence[tuple[str, object]]:
        if isinstance(node.attrs, dns.PrivateDnsZone):
            return zone_settings(graph, node, members)
        if isinstance(node.attrs, network.VirtualNetwork):
            return vnet_settings(node, members)
        return settings(node)

    return one
