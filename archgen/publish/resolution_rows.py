"""The workload page's "Private name resolution" rows: for the account and for each vault and storage
account of the workload, each approved private endpoint, the virtual network whose clients resolve, the
privatelink zones needed and the outcome.

Plain strings from the model's facts (`archgen.model.pedns`); the template escapes every one (`cell`).
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model import pedns
from archgen.model.graph import Graph
from archgen.model.types import keyvault, noun_of, storage

TARGET_TYPES = (keyvault.TYPE, storage.TYPE)
OUTCOME = {"pass": "resolves privately", "fail": "does not resolve", "unknown": "cannot be proven"}


@dataclass(frozen=True, slots=True)
class ResolutionRow:
    target: str  # "<noun> <name>"
    endpoint: str
    clients: str  # the virtual network whose clients resolve
    zones: tuple[str, ...]
    outcome: str
    details: tuple[str, ...]  # the record proven, or what fails or is missing


def _name(resource_id: str | None) -> str:
    return resource_id.rsplit("/", 1)[-1] if resource_id else "not in the input"


def _row(graph: Graph, r: pedns.EndpointResolution) -> ResolutionRow:
    node = graph.nodes[r.target]
    proven = tuple(
        f"{p['record']} → {', '.join(p['ipv4'])}" for _k, p in sorted(r.proofs.items()) if r.status == "pass"
    )
    return ResolutionRow(
        target=f"{noun_of(node.type)} {node.name}",
        endpoint=_name(r.endpoint),
        clients=_name(r.vnet),
        zones=r.zones,
        outcome=OUTCOME[r.status],
        details=proven or r.fails or r.unknowns,
    )


def resolution_rows(graph: Graph, account_id: str) -> list[ResolutionRow]:
    rows = [
        _row(graph, r)
        for pe in pedns.approved_endpoints(graph, account_id)
        if (r := pedns.endpoint_resolution(graph, pe, account_id)) is not None
    ]
    for member in sorted(graph.members_of(account_id)):
        node = graph.nodes.get(member)
        if node is None or node.type not in TARGET_TYPES:
            continue
        results = pedns.private_reach(graph, member)
        rows.extend(_row(graph, r) for r in results)
        if not pedns.approved_endpoints(graph, member):
            rows.append(
                ResolutionRow(f"{noun_of(node.type)} {node.name}", "none approved", "", (), "not private", ())
            )
    return rows
