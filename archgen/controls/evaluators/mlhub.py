"""FDY-NET-02: a hub-based Foundry hub connected to a workload account keeps its managed network to approved
outbound traffic.

The facts come from the model (`types/mlhub.py`: a hub's `managedNetwork.isolationMode` and
`publicNetworkAccess`; `hublinks.py`: the `hub_connects_to` edges). A hub-based project's managed network is
its hub's ("a managed virtual network is created for the hub", configure-managed-network, ms.date 08/27/2025),
so a project is judged by the hub its `hubResourceId` names.
"""

from __future__ import annotations

from archgen.controls.evaluators.common import FAIL, NA, PASS, UNKNOWN, Verdict, label, raw, shown
from archgen.model.graph import Graph, Node
from archgen.model.relations import Relation
from archgen.model.types import mlhub


def _governing(graph: Graph, ws: Node, h: mlhub.Hub) -> Node | None:
    """The hub whose managed network applies to workspace `ws`: itself, or a project's hub when in the input."""
    if h.kind != "project" or not h.hub_id:
        return ws
    hub = graph.node(h.hub_id)
    return hub if hub is not None and isinstance(hub.attrs, mlhub.Hub) else None


def fdy_net_02(graph: Graph, node: Node) -> Verdict:
    """The hub (or a project's hub) has managed network isolation AllowOnlyApprovedOutbound."""
    h = node.attrs_as(mlhub.Hub)
    reached = sorted({e.target.rsplit("/", 1)[-1] for e in graph.out(node.id, Relation.HUB_CONNECTS_TO)})
    evidence: dict[str, object] = {"connections to": ", ".join(reached) or "none"}
    if h.kind not in ("hub", "project"):
        return (
            NA,
            f"{label(node)} is of kind {node.kind or 'not set'}, not a Foundry hub or project.",
            evidence,
        )
    hub = _governing(graph, node, h)
    if hub is None:
        evidence["properties.hubResourceId"] = h.hub_id
        return (
            UNKNOWN,
            f"{label(node)}: its hub is not in the input; its managed network is not known.",
            evidence,
        )
    mode = hub.attrs_as(mlhub.Hub)
    prefix = "" if hub is node else f"{hub.name}."
    evidence[f"{prefix}properties.managedNetwork.isolationMode"] = shown(mode.isolation_mode)
    evidence[f"{prefix}properties.publicNetworkAccess"] = shown(raw(hub, "properties.publicNetworkAccess"))
    whose = "" if hub is node else f" (the managed network of its hub '{hub.name}')"
    if mode.isolation == mlhub.APPROVED_ONLY:
        return PASS, f"{label(node)} allows only approved outbound traffic{whose}.", evidence
    if mode.isolation in (mlhub.INTERNET_OUTBOUND, mlhub.DISABLED):
        return (
            FAIL,
            f"{label(node)} does not restrict outbound traffic to approved destinations{whose}: isolation mode "
            f"{mode.isolation_mode}.",
            evidence,
        )
    return (
        UNKNOWN,
        f"{label(node)}: the isolation mode{whose} is {mode.isolation_mode or 'not set'}; only "
        "AllowOnlyApprovedOutbound passes.",
        evidence,
    )
