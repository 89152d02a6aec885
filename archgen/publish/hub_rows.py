"""The hub-based Foundry rows of a workload page's "Foundry projects and connections" section.

Every value is a fact of the model (`mlhub.Hub`, the `hub_connects_to` edges); the template escapes each cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model.graph import Graph
from archgen.model.relations import Relation
from archgen.model.types import mlhub


@dataclass(frozen=True, slots=True)
class HubRow:
    hub: str
    kind: str
    isolation_mode: str  # the managed network's isolation mode (a project's: its hub's)
    public_access: str
    connections: str  # the hub's connections that reach the account


def _mode(graph: Graph, h: mlhub.Hub) -> str:
    if h.kind != "project" or not h.hub_id:
        return h.isolation_mode or "not set"
    hub = graph.node(h.hub_id)
    if hub is None or not isinstance(hub.attrs, mlhub.Hub):
        return "its hub is not in the input"
    return f"{hub.attrs.isolation_mode or 'not set'} (hub {hub.name})"


def hub_rows(graph: Graph, account_id: str) -> tuple[HubRow, ...]:
    """The hubs and hub-based projects whose connections reach the account, by name."""
    names: dict[str, set[str]] = {}
    for e in graph.into(account_id, Relation.HUB_CONNECTS_TO):
        names.setdefault(e.source, set()).add(str(e.attributes.get("connection")))
    rows = []
    for hid, conns in names.items():
        node = graph.node(hid)
        if node is None or not isinstance(node.attrs, mlhub.Hub):
            continue
        h = node.attrs
        rows.append(
            HubRow(
                hub=node.name,
                kind=node.kind or "not set",
                isolation_mode=_mode(graph, h),
                public_access=h.public_network_access or "not set",
                connections=", ".join(sorted(conns)),
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.hub.lower(), r.hub)))
