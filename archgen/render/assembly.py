"""Assembling a diagram description: nodes placed in their Azure scope, edges kept once, clusters nested."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from archgen.model.graph import Graph, Node
from archgen.model.netpath import subnet_guards
from archgen.model.relations import Relation
from archgen.model.types import gateway, network
from archgen.naming import short_hash
from archgen.render.description import (
    LABEL_MAX,
    DCluster,
    DEdge,
    Description,
    DNode,
    clean,
    short_subscription,
)
from archgen.render.verdicts import Verdicts

R = Relation
# Resources drawn inside the subnet their `in_subnet` edge names (the edge itself is then not drawn).
IN_SUBNET_DRAWN = (network.PRIVATE_ENDPOINT, gateway.APIM)


class Builder:
    """A description being assembled: nodes with their cluster path, edges once each."""

    def __init__(
        self, graph: Graph, verdicts: Verdicts, subscription_names: Mapping[str, str] | None
    ) -> None:
        self.graph = graph
        self.verdicts = verdicts
        self.names = subscription_names
        self.nodes: dict[str, DNode] = {}
        self.placement: dict[str, tuple[str, ...]] = {}  # node key -> cluster path (scope ids)
        self.edges: dict[tuple[str, str, str], DEdge] = {}
        self.collapsed: list[str] = []

    def add(self, dnode: DNode, path: tuple[str, ...]) -> None:
        self.nodes[dnode.key] = dnode
        self.placement[dnode.key] = path

    def add_edge(self, edge: DEdge) -> None:
        if edge.source == edge.target:
            return
        ends = (edge.source, edge.target) if not edge.both else tuple(sorted((edge.source, edge.target)))
        key = (ends[0], ends[1], edge.label)
        if key not in self.edges:
            self.edges[key] = DEdge(ends[0], ends[1], edge.label, edge.style, edge.tone, edge.both)

    def path_of(self, node: Node, view: set[str]) -> tuple[str, ...]:
        """Scope ids from subscription down to the node's innermost container in this view."""
        g = self.graph
        base: tuple[str, ...] = (f"/subscriptions/{node.subscription_id}",)
        if node.resource_group:
            base += (f"/subscriptions/{node.subscription_id}/resourcegroups/{node.resource_group}",)
        if node.type == network.VIRTUAL_NETWORK:
            return (*base, node.id)
        if node.type == network.SUBNET:
            vnets = [e.target for e in g.out(node.id, R.SUBNET_OF) if e.target in view]
            return (*base, *vnets[:1], node.id)
        if node.type in IN_SUBNET_DRAWN:
            for e in g.out(node.id, R.IN_SUBNET):
                if e.target in view:
                    subnet = g.nodes[e.target]
                    return self.path_of(subnet, view)
        return base

    def clusters(self) -> tuple[tuple[DCluster, ...], tuple[str, ...]]:
        tree: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for key, path in self.placement.items():
            tree[path].append(key)
        scopes: set[tuple[str, ...]] = set()
        for path in tree:
            for i in range(1, len(path) + 1):
                scopes.add(path[:i])

        def build(prefix: tuple[str, ...]) -> DCluster:
            children = sorted(p for p in scopes if len(p) == len(prefix) + 1 and p[: len(prefix)] == prefix)
            level, label = self.scope_label(prefix[-1], len(prefix))
            return DCluster(
                key="c" + short_hash("/".join(prefix), 12),
                label=label,
                level=level,
                nodes=tuple(sorted(tree.get(prefix, []), key=self.node_order)),
                clusters=tuple(sorted((build(c) for c in children), key=lambda c: (c.level, c.label, c.key))),
            )

        roots = sorted(p for p in scopes if len(p) == 1)
        top = tuple(sorted(tree.get((), []), key=self.node_order))
        return tuple(sorted((build(r) for r in roots), key=lambda c: (c.label, c.key))), top

    def node_order(self, key: str) -> tuple[str, str, str]:
        n = self.nodes[key]
        return (n.icon, n.label, key)

    def scope_label(self, scope: str, depth: int) -> tuple[str, str]:
        if depth == 1:
            sub = scope.rsplit("/", 1)[-1]
            return "subscription", f"Subscription {short_subscription(sub, self.names)}"
        if depth == 2:
            return "resource_group", f"Resource group {clean(scope.rsplit('/', 1)[-1])}"
        node = self.graph.nodes.get(scope)
        name = clean(node.name) if node else clean(scope.rsplit("/", 1)[-1])
        prefixes = ""
        if node is not None and isinstance(node.attrs, network.VirtualNetwork | network.Subnet):
            prefixes = clean(", ".join(node.attrs.address_prefixes), LABEL_MAX)
        if node is not None and node.type == network.SUBNET:
            guards = "".join(f" · {clean(w, LABEL_MAX)}" for w in subnet_guards(self.graph, node.id))
            return "subnet", f"Subnet {name}" + (f" · {prefixes}" if prefixes else "") + guards
        return "virtual_network", f"Virtual network {name}" + (f" · {prefixes}" if prefixes else "")

    def finish(self, title: str, subtitle: str) -> Description:
        clusters, top = self.clusters()
        nodes = tuple(sorted(self.nodes.values(), key=lambda n: n.key))
        edges = tuple(sorted(self.edges.values(), key=lambda e: (e.source, e.target, e.label)))
        used = tuple(sorted({n.icon for n in nodes}))
        return Description(title, subtitle, nodes, clusters, top, edges, tuple(self.collapsed), used)
