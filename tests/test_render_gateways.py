"""The diagram's treatment of gateways: an API Management instance in a virtual network is drawn inside its
subnet, and the role its identity holds on the account is told on the `fronts` edge, not by a parallel
`RBAC` edge whose label would stack on it."""

from __future__ import annotations

from pathlib import Path

from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.model.builder import build
from archgen.render import describe
from archgen.render.describe import DCluster

SAMPLES = Path(__file__).resolve().parent.parent / "archgen" / "samples"


def clusters_of(clusters: tuple[DCluster, ...]) -> list[DCluster]:
    out: list[DCluster] = []
    for c in clusters:
        out.extend((c, *clusters_of(c.clusters)))
    return out


def regulated() -> describe.Description:
    graph = build(load_files([SAMPLES / "regulated-vwan.json"]))
    return describe.describe_workload(graph, evaluate(graph), graph.workloads[0].id)


def test_internal_apim_is_drawn_inside_its_subnet_in_its_vnet() -> None:
    desc = regulated()
    vnet = next(
        c for c in clusters_of(desc.clusters) if c.label.startswith("Virtual network vnet-aoai-claims")
    )
    subnet = next(c for c in clusters_of((vnet,)) if c.label.startswith("Subnet snet-apim"))
    assert {desc.node(k).label for k in subnet.nodes} == {"apim-claims-prod-weu"}
    assert not [e for e in desc.edges if e.label == "in subnet"], "the nesting says it"


def test_apim_role_is_on_its_fronts_edge_and_no_parallel_rbac_edge_is_drawn() -> None:
    desc = regulated()
    apim = next(n.key for n in desc.nodes if n.label == "apim-claims-prod-weu")
    labels = {e.label for e in desc.edges if apim in (e.source, e.target)}
    assert not [label for label in labels if label.startswith("RBAC")]
    (fronts,) = [label for label in labels if label.startswith("fronts")]
    assert fronts.startswith("fronts · RBAC Cognitive Services OpenAI User · ")
