"""The workload walk: from one account, what belongs to its workload (the spec's walk rules), plus the DNS
side (VNets hosting the DNS servers the workload's VNets use, and the zones of the account's names linked
to any of those VNets). The walk never enters another account, so shared hubs, zones and vaults never
merge two workloads."""

from __future__ import annotations

import ipaddress
from collections import deque
from collections.abc import Callable, Mapping
from operator import itemgetter

from archgen.model.facts import in_prefixes
from archgen.model.graph import Edge, Node
from archgen.model.relations import Relation
from archgen.model.types import TYPES, cognitive, dns, network

R = Relation
# Node types a role assignment edge may point at (data-plane targets the controls reason about).
ROLE_TARGET_TYPES = frozenset(t for t, spec in TYPES.items() if spec.role_target)
# A walk step (`Walker.plan`): the relation, the other end, whether it is an account, the reference when the
# other end is absent (dangling); a plan is (the steps, the steps taken when the walk came through a peering)
Step = tuple[Relation, str, bool, tuple[str, Relation, str] | None]
Plan = tuple[tuple[Step, ...], tuple[Step, ...]]


def _rule_positions(
    walk: tuple[tuple[Relation, str], ...],
) -> tuple[dict[Relation, int], dict[Relation, int]]:
    """Relation -> the position of the first walk rule that follows it, out and in."""
    out: dict[Relation, int] = {}
    inn: dict[Relation, int] = {}
    for at, (relation, direction) in enumerate(walk):
        (out if direction == "out" else inn).setdefault(relation, at)
    return out, inn


# node type -> its walk rules' positions by relation, out and in (`Walker.plan`)
RULES = {t: _rule_positions(spec.walk) for t, spec in TYPES.items()}
NO_RULES: tuple[dict[Relation, int], dict[Relation, int]] = ({}, {})


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
        # node id -> its walk plan (`plan`), shared by every workload whose walk reaches the node
        self.plans: dict[str, Plan] = {}
        self.planned = False  # `plan_all` done

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

    def plan(self, node_id: str) -> Plan:
        """The steps the walk rules of a node's type take from it, in the order the rules list them (each
        rule's edges in insertion order), derived from the node's own edges, not by a lookup per rule."""
        node = self.nodes[node_id]
        cached = self.plans[node_id] = self.steps(node, self.followed(node_id, node.type))
        return cached

    def plan_all(self) -> None:
        """`plan` of every node with an edge a rule follows, from one pass over each index: the walks of
        thousands of workloads visit most nodes once, and a pass per index costs less than one per node."""
        found: dict[str, list[tuple[int, Relation, str, Edge]]] = {}
        for direction, index in enumerate((self.out, self.inn)):
            for end, edges in index.items():
                node = self.nodes.get(end)
                positions = RULES.get(node.type, NO_RULES)[direction] if node is not None else None
                if not positions:
                    continue
                for e in edges:
                    if (at := positions.get(e.relation)) is not None:
                        other = e.target if direction == 0 else e.source
                        found.setdefault(end, []).append((at, e.relation, other, e))
        for end, items in found.items():
            if len(items) > 1:
                items.sort(key=itemgetter(0))  # stable: one rule's edges keep their order
            self.plans[end] = self.steps(self.nodes[end], items)
        self.planned = True

    def steps(self, node: Node, followed: list[tuple[int, Relation, str, Edge]]) -> Plan:
        """The plan of a node from the edges its rules follow (`followed`, in rule order)."""
        steps: list[Step] = []
        for _at, relation, other, e in followed:
            target = self.nodes.get(other)
            if target is None:
                steps.append((relation, other, False, (e.source, relation, e.target)))
            elif relation is not R.ROLE_ASSIGNMENT or target.type in ROLE_TARGET_TYPES:
                steps.append((relation, other, target.type == cognitive.TYPE, None))
        every = tuple(steps)
        # one hop of peering: reached through a peering, a VNet's own peerings (a hub's other spokes) are not
        # this workload's
        peered = every
        if node.type == network.VIRTUAL_NETWORK:
            peered = tuple(s for s in every if s[0] is not R.PEERED_WITH)
        return every, peered

    def followed(self, node_id: str, node_type: str) -> list[tuple[int, Relation, str, Edge]]:
        """(rule position, relation, other end, edge) of each edge of the node a walk rule follows, by rule."""
        out_at, in_at = RULES.get(node_type, NO_RULES)
        found: list[tuple[int, Relation, str, Edge]] = []
        if out_at:
            for e in self.out.get(node_id, ()):
                if (at := out_at.get(e.relation)) is not None:
                    found.append((at, e.relation, e.target, e))
        if in_at:
            for e in self.inn.get(node_id, ()):
                if (at := in_at.get(e.relation)) is not None:
                    found.append((at, e.relation, e.source, e))
        if len(found) > 1:
            found.sort(key=itemgetter(0))  # stable: one rule's edges keep their order
        return found

    def walk(self, seed: str, dangling: set[tuple[str, Relation, str]]) -> set[str]:
        if not self.planned:
            self.plan_all()
        members = {seed}
        queue: deque[tuple[str, Relation | None]] = deque([(seed, None)])
        plans = self.plans
        while queue:
            current, via = queue.popleft()
            every, peered = plans.get(current) or self.plan(current)
            for relation, other, account, missing in peered if via is R.PEERED_WITH else every:
                if missing is not None:
                    dangling.add(missing)
                elif other not in members and (not account or other == seed):
                    members.add(other)
                    queue.append((other, relation))
        self.add_zones(seed, members)
        return members

    def add_edge(self, source: str, relation: Relation, target: str, **attributes: object) -> None:
        """Add an edge through the builder; an end whose walk rules follow the relation is planned again."""
        self.edge(source, relation, target, **attributes)
        for end, direction in ((source, "out"), (target, "in")):
            node = self.nodes.get(end)
            if node is not None and relation in RULES.get(node.type, NO_RULES)[direction == "in"]:
                self.plans.pop(end, None)

    def add_zones(self, seed: str, members: set[str]) -> None:
        """Add the DNS side: VNets hosting the DNS servers the workload's VNets use, and the zones of the
        account kind's names that are linked to any of those VNets. The zones the workload's endpoints name
        are worked out only for a linked zone that is not one of the account kind's."""
        account = self.nodes[seed]
        wanted = set(dns.expected_zones(account.kind or "", account.attrs_as(cognitive.Account).endpoint))
        vnets: set[str] = set()
        endpoints: list[network.PrivateEndpoint] = []
        for m in members:  # one look at each member: its endpoints, its VNets
            node = self.nodes[m]
            if node.type == network.PRIVATE_ENDPOINT:
                endpoints.append(node.attrs_as(network.PrivateEndpoint))
            elif node.type == network.VIRTUAL_NETWORK:
                vnets.add(m)
        self.add_resolvers(members, vnets)
        for v in vnets:
            for zone_id in self.zones_linked_to.get(v, ()):
                name = self.nodes[zone_id].name.lower()
                if name not in wanted and endpoints:
                    for pe in endpoints:
                        wanted.update(dns.zones_for_fqdns(pe.fqdns))
                        wanted.update(
                            dns.zones_for_connections((c.target_id, c.group_ids) for c in pe.connections)
                        )
                    endpoints = []
                if name in wanted:
                    members.add(zone_id)

    def add_resolvers(self, members: set[str], vnets: set[str]) -> None:
        """The VNets hosting the DNS servers the workload's VNets use (and their hubs) join the workload."""
        for v in list(vnets):
            for resolver, hub in self.resolver_vnets(v):
                servers = [
                    ip
                    for ip in self.nodes[v].attrs_as(network.VirtualNetwork).dns_servers
                    if in_prefixes(ip, self.nodes[resolver].attrs_as(network.VirtualNetwork).address_prefixes)
                ]
                self.add_edge(v, R.USES_DNS_SERVERS_IN, resolver, servers=servers)
                members.add(resolver)
                vnets.add(resolver)
                if hub:
                    members.add(hub)

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
