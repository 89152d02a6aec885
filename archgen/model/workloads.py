"""The workload walk: from one account, what belongs to its workload (the spec's walk rules), plus the DNS
side (VNets hosting the DNS servers the workload's VNets use, and the zones of the account's names linked
to any of those VNets). The walk never enters another account, so shared hubs, zones and vaults never
merge two workloads."""

from __future__ import annotations

import ipaddress
from collections import deque
from collections.abc import Callable, Mapping

from archgen.model.facts import in_prefixes
from archgen.model.graph import Edge, Node
from archgen.model.relations import Relation
from archgen.model.types import TYPES, cognitive, dns, network

R = Relation
# Node types a role assignment edge may point at (data-plane targets the controls reason about).
ROLE_TARGET_TYPES = frozenset(t for t, spec in TYPES.items() if spec.role_target)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class Walker:
    """Walks workloads over the builder's adjacency; adds the `uses_dns_servers_in` edges it finds."""

    def __init__(
        self,
        nodes: Mapping[str, Node],
        out: Mapping[str, list[Edge]],
        inn: Mapping[str, list[Edge]],
        zones_linked_to: Mapping[str, list[str]],
        edge: Callable[..., None],
    ) -> None:
        self.nodes = nodes
        self.out = out
        self.inn = inn
        self.zones_linked_to = zones_linked_to
        self.edge = edge
        self.resolver_cache: dict[str, list[tuple[str, str]]] = {}
        # (node, direction) -> (edge count when grouped, its edges by relation): a hub's thousands of
        # peerings are grouped once, not scanned by every workload's walk that passes through the hub
        self.grouped: dict[tuple[str, str], tuple[int, dict[Relation, list[Edge]]]] = {}

    def by_relation(self, node_id: str, direction: str) -> dict[Relation, list[Edge]]:
        """The edges leaving (`out`) or arriving at (`in`) a node by relation, each in insertion order."""
        edges = self.out.get(node_id, ()) if direction == "out" else self.inn.get(node_id, ())
        cached = self.grouped.get((node_id, direction))
        if cached is None or cached[0] != len(edges):  # edges added since (the walk adds DNS edges)
            grouped: dict[Relation, list[Edge]] = {}
            for e in edges:
                grouped.setdefault(e.relation, []).append(e)
            cached = self.grouped[(node_id, direction)] = (len(edges), grouped)
        return cached[1]

    def related(self, node_id: str, relation: Relation, direction: str) -> list[Edge]:
        """The edges of one relation leaving (`out`) or arriving at (`in`) a node, in insertion order."""
        return self.by_relation(node_id, direction).get(relation, [])

    def walk(self, seed: str, dangling: set[tuple[str, Relation, str]]) -> set[str]:
        members = {seed}
        queue: deque[tuple[str, Relation | None]] = deque([(seed, None)])
        while queue:
            current, via = queue.popleft()
            node = self.nodes[current]
            spec = TYPES.get(node.type)
            # a node's edges are grouped once per node, not looked up per walk rule (no edge is added
            # while the rules of one node are followed)
            out, inn = self.by_relation(current, "out"), self.by_relation(current, "in")
            # one hop of peering: a hub's other spokes are not this workload's
            peered = node.type == network.VIRTUAL_NETWORK and via is R.PEERED_WITH
            for relation, direction in spec.walk if spec is not None else ():
                edges = (out if direction == "out" else inn).get(relation)
                if not edges or (peered and relation is R.PEERED_WITH):
                    continue
                for e in edges:
                    other = e.target if direction == "out" else e.source
                    target = self.nodes.get(other)
                    if target is None:
                        dangling.add((e.source, relation, e.target))
                        continue
                    if other in members or (target.type == cognitive.TYPE and other != seed):
                        continue
                    if relation is R.ROLE_ASSIGNMENT and target.type not in ROLE_TARGET_TYPES:
                        continue
                    members.add(other)
                    queue.append((other, relation))
        self.add_zones(seed, members)
        return members

    def add_zones(self, seed: str, members: set[str]) -> None:
        """Add the DNS side: VNets hosting the DNS servers the workload's VNets use, and the zones of the
        account kind's names that are linked to any of those VNets."""
        account = self.nodes[seed]
        wanted = set(dns.expected_zones(account.kind or "", account.attrs_as(cognitive.Account).endpoint))
        for m in members:
            if self.nodes[m].type == network.PRIVATE_ENDPOINT:
                pe = self.nodes[m].attrs_as(network.PrivateEndpoint)
                wanted.update(dns.zones_for_fqdns(pe.fqdns))
                wanted.update(dns.zones_for_connections((c.target_id, c.group_ids) for c in pe.connections))
        vnets = {m for m in members if self.nodes[m].type == network.VIRTUAL_NETWORK}
        for v in list(vnets):
            for resolver, hub in self.resolver_vnets(v):
                servers = [
                    ip
                    for ip in self.nodes[v].attrs_as(network.VirtualNetwork).dns_servers
                    if in_prefixes(ip, self.nodes[resolver].attrs_as(network.VirtualNetwork).address_prefixes)
                ]
                self.edge(v, R.USES_DNS_SERVERS_IN, resolver, servers=servers)
                members.add(resolver)
                vnets.add(resolver)
                if hub:
                    members.add(hub)
        for v in vnets:
            for zone_id in self.zones_linked_to.get(v, ()):
                if self.nodes[zone_id].name.lower() in wanted:
                    members.add(zone_id)

    def resolver_vnets(self, vnet_id: str) -> list[tuple[str, str]]:
        """(VNet, hub or '') pairs: VNets reachable from `vnet_id` through a peering or the same Virtual WAN
        hub whose address space holds one of `vnet_id`'s custom DNS servers. Cached per VNet."""
        cached = self.resolver_cache.get(vnet_id)
        if cached is not None:
            return cached
        found: list[tuple[str, str]] = []
        attrs = self.nodes[vnet_id].attrs_as(network.VirtualNetwork)
        servers = [ip for ip in attrs.dns_servers if _is_ip(ip)]
        if servers:
            for other, hub in sorted(self._near(vnet_id).items()):
                node = self.nodes.get(other)
                if (
                    node is not None
                    and isinstance(node.attrs, network.VirtualNetwork)
                    and any(in_prefixes(ip, node.attrs.address_prefixes) for ip in servers)
                ):
                    found.append((other, hub))
        self.resolver_cache[vnet_id] = found
        return found

    def _near(self, vnet_id: str) -> dict[str, str]:
        """VNet -> hub ('' for a peering): the VNets one peering or one shared Virtual WAN hub away."""
        near: dict[str, str] = {}
        for e in self.out.get(vnet_id, []):
            if e.relation is R.PEERED_WITH:
                near.setdefault(e.target, "")
            elif e.relation is R.CONNECTED_TO_HUB:
                for c in self.inn.get(e.target, []):
                    if c.relation is R.CONNECTED_TO_HUB and c.source != vnet_id:
                        near.setdefault(c.source, e.target)
        for e in self.inn.get(vnet_id, []):
            if e.relation is R.PEERED_WITH:
                near.setdefault(e.source, "")
        return near
