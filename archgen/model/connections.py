"""Foundry connections join the graph: rows of `accounts/connections` and `accounts/projects/connections`
become their project's and account's attributes, and `connects_to` edges to the resources they reach.

A connection names its resource by `metadata.ResourceId` when set; otherwise its `target` URL's host is
matched to a resource of the input by the service's DNS name: `{name}.search.windows.net` (Azure AI Search,
https://learn.microsoft.com/azure/search/search-create-service-portal), `{name}.documents.azure.com`
(Azure Cosmos DB for NoSQL, https://learn.microsoft.com/azure/cosmos-db/nosql/how-to-dotnet-get-started)
and `{name}.<service>.core.windows.net` (Azure Storage,
https://learn.microsoft.com/azure/storage/common/storage-account-overview#standard-endpoints).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from archgen.model import records
from archgen.model.children import Row
from archgen.model.graph import Node
from archgen.model.relations import Relation
from archgen.model.types import cognitive, cosmos, foundry, search, storage
from archgen.model.types.gateway import host_of

# host suffix -> the type whose resource name is the host's first label
HOST_SUFFIXES: tuple[tuple[str, str], ...] = (
    (".search.windows.net", search.TYPE),
    (".documents.azure.com", cosmos.TYPE),
    (".core.windows.net", storage.TYPE),
)


def account_of(owner: str) -> str:
    """The account id of an account or project id."""
    return owner.split("/projects/", 1)[0]


def attach(
    nodes: dict[str, Node], by_type: Mapping[str, list[Row]], collected: frozenset[str] = frozenset()
) -> None:
    """Connections join their project and their account; an account's `foundry.connections_collected`
    holds when the input has a connection row of the account or of one of its projects, or when the
    account is in `collected` (the snapshot's `foundry_collected`: its lists were read, so no row means no
    connection). Rows of other accounts prove nothing about this one."""
    found: dict[str, list[foundry.Connection]] = defaultdict(list)
    for rtype in sorted(foundry.CONNECTION_TYPES):
        for r in by_type.get(rtype, ()):
            found[r.id.rsplit("/connections/", 1)[0]].append(
                foundry.parse_connection(r.id, r.row, r.properties)
            )
    uses: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in by_type.get(foundry.CAPABILITY_HOST, ()):
        uses[r.id.rsplit("/capabilityhosts/", 1)[0]].update(foundry.capability_uses(r.properties))
    projects: dict[str, list[str]] = defaultdict(list)
    for node in list(nodes.values()):
        if isinstance(node.attrs, foundry.FoundryProject):
            projects[account_of(node.id)].append(node.id)
            mine = tuple(sorted(found.get(node.id, ()), key=lambda c: c.id))
            used = tuple(sorted(uses.get(node.id, ())))
            attrs = records.replace(node.attrs, connections=mine, uses=used)
            nodes[node.id] = records.replace(node, attrs=attrs)
    by_account: dict[str, list[foundry.Connection]] = defaultdict(list)
    for owner, items in found.items():
        by_account[account_of(owner)].extend(items)
    for node in [n for n in nodes.values() if n.type == cognitive.TYPE]:
        a = node.attrs
        if not isinstance(a, cognitive.Account) or a.foundry is None:
            continue
        conns = tuple(sorted(by_account.get(node.id, ()), key=lambda c: c.id))
        joined = (conns, bool(conns) or node.id in collected, tuple(sorted(projects.get(node.id, ()))))
        if joined == (a.foundry.connections, a.foundry.connections_collected, a.foundry.projects):
            continue  # nothing joins (most accounts): the node stays as parsed, not copied into an equal one
        f = records.replace(
            a.foundry, connections=joined[0], connections_collected=joined[1], projects=joined[2]
        )
        nodes[node.id] = records.replace(node, attrs=records.replace(a, foundry=f))


def host_index(nodes: Iterable[Node]) -> dict[tuple[str, str], str]:
    """(type, lower-case name) -> id, for the types a connection's target host can name."""
    kinds = {t for _s, t in HOST_SUFFIXES}
    return {(n.type, n.name.lower()): n.id for n in nodes if n.type in kinds}


def target_of(c: foundry.Connection, index: Mapping[tuple[str, str], str]) -> str:
    """The id of the resource a connection reaches: its ResourceId, or the resource its host names."""
    if c.resource_id:
        return c.resource_id
    host = host_of(c.target) or ""
    for suffix, rtype in HOST_SUFFIXES:
        if host.endswith(suffix):
            return index.get((rtype, host.split(".", 1)[0]), "")
    return ""


def edges(nodes: Mapping[str, Node], edge: Callable[..., None]) -> None:
    """`connects_to` from the connection's account or project to the resource it reaches."""
    index = host_index(nodes.values())
    for node in nodes.values():
        a = node.attrs
        if not isinstance(a, cognitive.Account) or a.foundry is None:
            continue
        for c in a.foundry.connections:
            target = target_of(c, index)
            if target:
                attrs: dict[str, Any] = {
                    "connection": c.name,
                    "category": c.category,
                    "auth_type": c.auth_type,
                }
                edge(c.owner, Relation.CONNECTS_TO, target, **attrs)
