"""Hub-based Foundry joins the graph: rows of `workspaces/connections` become their hub's attributes, and a
hub connection that reaches an Azure OpenAI / AI Services account becomes a `hub_connects_to` edge.

A connection names the account by `metadata.ResourceId` (matched case-insensitively to the account's id), or by
its `target` URL's host being one of the hosts the account answers on (`gateways.account_hosts`: the
`customSubDomainName` hosts and `endpoint`). Connection rows reach the model only through
`foundry.safe_connection` (no `credentials`); archgen never reads a secret.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from archgen.model import records
from archgen.model.children import Row
from archgen.model.gateways import account_hosts
from archgen.model.graph import Node
from archgen.model.relations import Relation
from archgen.model.types import cognitive, foundry, mlhub
from archgen.model.types.gateway import host_of


def attach(nodes: dict[str, Node], by_type: Mapping[str, list[Row]]) -> None:
    """Each hub's connections, from the rows of `workspaces/connections` whose id is under the hub's id."""
    found: dict[str, list[foundry.Connection]] = defaultdict(list)
    for r in by_type.get(mlhub.CONNECTION, ()):
        found[r.id.rsplit("/connections/", 1)[0]].append(foundry.parse_connection(r.id, r.row, r.properties))
    for node in list(nodes.values()):
        if isinstance(node.attrs, mlhub.Hub) and node.id in found:
            conns = tuple(sorted(found[node.id], key=lambda c: c.id))
            nodes[node.id] = records.replace(node, attrs=records.replace(node.attrs, connections=conns))


def edges(nodes: Mapping[str, Node], edge: Callable[..., None]) -> None:
    """`hub_connects_to` from a hub to each account one of its connections reaches."""
    hubs = [n for n in nodes.values() if isinstance(n.attrs, mlhub.Hub) and n.attrs.connections]
    if not hubs:  # the accounts' hosts are worked out only when some connection may name one
        return
    accounts = [n for n in nodes.values() if n.type == cognitive.TYPE]
    by_host = {h: n.id for n in accounts for h in account_hosts(n)}
    ids = {n.id for n in accounts}
    for node in hubs:
        for c in node.attrs_as(mlhub.Hub).connections:
            target = c.resource_id if c.resource_id in ids else by_host.get(host_of(c.target) or "", "")
            if target:
                edge(node.id, Relation.HUB_CONNECTS_TO, target, connection=c.name, category=c.category)
