"""The workload page's "Network path" rows: each approved private endpoint of the account, its subnet,
the subnet's network policies, its NSG and the inbound rules that admit traffic, its route table.

Plain strings from the model (`archgen.model.netpath`); the template escapes every one (`cell`).
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model.graph import Graph
from archgen.model.netpath import NetworkPath, default_hop, network_paths


@dataclass(frozen=True, slots=True)
class PathRow:
    endpoint: str
    subnet: str
    policies: str
    nsg: str
    admits: tuple[str, ...]  # inbound allow rules, in priority order
    route: str


def _name(resource_id: str | None, absent: str) -> str:
    return resource_id.rsplit("/", 1)[-1] if resource_id else absent


def _nsg(p: NetworkPath) -> str:
    if p.nsg_id is None:
        return "none"
    name = _name(p.nsg_id, "")
    if p.nsg is None:
        return f"{name} (not in the input)"
    applies = {True: "applies", False: "does not apply (network policies)", None: "policies unknown"}
    return f"{name}: {applies[p.nsg_applies]}"


def _admits(p: NetworkPath) -> tuple[str, ...]:
    if p.nsg is None:
        return ()
    return tuple(
        f"{r.name} ({r.priority}): {', '.join(r.sources) or '?'} → port {', '.join(r.ports) or '?'}"
        for r in p.nsg.inbound()
        if r.access == "allow"
    )


def _route(p: NetworkPath) -> str:
    if p.route_table_id is None:
        return "none"
    name = _name(p.route_table_id, "")
    if p.route_table is None:
        return f"{name} (not in the input)"
    applies = "" if p.udr_applies else " (does not apply to the endpoint: network policies)"
    return f"{name}: 0.0.0.0/0 {default_hop(p.route_table)}{applies}"


def path_rows(graph: Graph, account_id: str) -> list[PathRow]:
    return [
        PathRow(
            endpoint=_name(p.endpoint_id, ""),
            subnet=_name(p.subnet_id, "not in the input"),
            policies=p.policies or "not set",
            nsg=_nsg(p),
            admits=_admits(p),
            route=_route(p),
        )
        for p in network_paths(graph, account_id)
    ]
