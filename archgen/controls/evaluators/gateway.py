"""Gateway controls: a gateway in front of the account that clients can walk around (AOAI-NET-08), and the
web application firewall of an Application Gateway or Front Door in front of it (AOAI-NET-09).

Which gateways front the account is a model fact (`archgen.model.gateways.fronts_of`); whether the account is
reachable from the internet is AOAI-NET-01's verdict (`network.public_access`), reused, not recomputed.
"""

from __future__ import annotations

from typing import Any

from archgen.controls.evaluators.common import FAIL, NA, PASS, UNKNOWN, Verdict, label
from archgen.controls.evaluators.network import public_access
from archgen.model.gateways import Front, fronts_of, gateway_gaps, waf_mode
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive, label_of
from archgen.model.types.frontdoor import PROFILE as FRONT_DOOR
from archgen.model.types.gateway import APP_GATEWAY, ApiManagement

WAF_CAPABLE = frozenset({APP_GATEWAY, FRONT_DOOR})


def _name(graph: Graph, node_id: str) -> str:
    node = graph.node(node_id)
    return node.name if node is not None else node_id.rsplit("/", 1)[-1]


def _shown(graph: Graph, f: Front) -> str:
    node = graph.node(f.gateway)
    noun = label_of(node.type) if node is not None else "Gateway"
    through = f" through '{_name(graph, f.through)}'" if f.through else ""
    return f"{noun} '{_name(graph, f.gateway)}'{through}"


def _gateway_evidence(graph: Graph, fronts: tuple[Front, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fronts:
        entry: dict[str, Any] = {"via": f.via, "url": f.url}
        if f.through:
            entry["through"] = f.through
        apim = graph.attrs(f.gateway, ApiManagement)
        if apim is not None:
            entry["virtualNetworkType"] = apim.virtual_network_type or "not set"
            entry["publicNetworkAccess"] = apim.public_network_access or "not set"
            entry["exposure"] = apim.exposure() or "not stated"
        out[f.gateway] = entry
    return {"gateways": out}


def _none_found(graph: Graph, node: Node, what: str) -> Verdict:
    """Not applicable when no gateway fronts the account, unless a gateway lookup or read failed."""
    gaps = gateway_gaps(graph)
    if gaps:
        reason = "; ".join(g.text() for g in gaps)
        return UNKNOWN, f"{label(node)}: no {what} found to front it, but {reason}.", {}
    return NA, f"{label(node)}: no {what} in the input fronts it.", {}


def aoai_net_08(graph: Graph, node: Node) -> Verdict:
    """A gateway fronts the account, and the account is not reachable around it from the internet."""
    fronts = fronts_of(graph, node.id)
    if not fronts:
        return _none_found(graph, node, "gateway")
    a = node.attrs_as(cognitive.Account)
    status, reason, evidence = public_access(node, a.public_network_access, a.network_acls)
    evidence = {**evidence, **_gateway_evidence(graph, fronts)}
    names = ", ".join(sorted({_shown(graph, f) for f in fronts}))
    if status == FAIL:
        return FAIL, f"{label(node)} is fronted by {names}, but clients can bypass it: {reason}", evidence
    if status == PASS:
        return (
            PASS,
            f"{label(node)} is fronted by {names} and not open to the internet directly: {reason}",
            evidence,
        )
    return (
        UNKNOWN,
        f"{label(node)} is fronted by {names}; whether it can be reached around it: {reason}",
        evidence,
    )


def aoai_net_09(graph: Graph, node: Node) -> Verdict:
    """Every Application Gateway and Front Door in front of the account has a WAF in Prevention mode."""
    fronts = [f for f in fronts_of(graph, node.id) if (g := graph.node(f.gateway)) and g.type in WAF_CAPABLE]
    if not fronts:
        return _none_found(graph, node, "WAF-capable gateway (Application Gateway, Front Door)")
    evidence = _gateway_evidence(graph, fronts_of(graph, node.id))
    results: dict[str, list[str]] = {FAIL: [], UNKNOWN: [], PASS: []}
    for f in fronts:
        mode, waf = waf_mode(graph, f.gateway)
        evidence["gateways"][f.gateway]["waf"] = {**waf, "mode": mode}
        shown = _shown(graph, f)
        if mode == "prevention":
            results[PASS].append(f"{shown}: WAF in Prevention mode")
        elif mode == "unknown":
            results[UNKNOWN].append(
                f"{shown}: its WAF policy, security policies or mode are not in the input"
            )
        else:
            results[FAIL].append(f"{shown}: WAF {'in Detection mode' if mode == 'detection' else mode}")
    status = next(s for s in (FAIL, UNKNOWN, PASS) if results[s])  # fronts is not empty
    return status, f"{label(node)}: " + "; ".join(sorted(results[status])) + ".", evidence
