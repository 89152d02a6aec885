"""The diagram description (plain data, before Graphviz): goldens per sample, nesting, collapse, ghosts.

Regenerate the goldens with `UPDATE_GOLDEN=1 pytest tests/test_render_describe.py` after checking the
rendered PNGs by eye.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from archgen.controls.engine import evaluate
from archgen.controls.findings import Finding
from archgen.discovery.files import load_files
from archgen.model import records
from archgen.model.builder import build
from archgen.model.graph import BuildRecord, Edge, Graph, Workload
from archgen.model.relations import Relation
from archgen.model.types import network
from archgen.naming import workload_slugs
from archgen.render import describe
from archgen.render.describe import DCluster, Description

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("regulated-vwan", "estate", "quickstart", "hostile-names")
GOLDEN = Path(__file__).resolve().parent / "golden" / "render"


def sample(name: str) -> tuple[Graph, list[Finding]]:
    graph = build(load_files([ROOT / "archgen" / "samples" / f"{name}.json"]))
    return graph, evaluate(graph)


def all_clusters(clusters: tuple[DCluster, ...]) -> list[DCluster]:
    out: list[DCluster] = []
    for c in clusters:
        out.append(c)
        out.extend(all_clusters(c.clusters))
    return out


def plain_descriptions(name: str) -> dict[str, Any]:
    graph, findings = sample(name)
    slugs = workload_slugs(graph)
    estate = describe.describe_estate(graph, findings)
    return {
        "workloads": {
            slugs[w.id]: describe.to_plain(describe.describe_workload(graph, findings, w.id))
            for w in graph.workloads
        },
        "estate": describe.to_plain(estate) if estate else None,
    }


@pytest.mark.parametrize("name", SAMPLES)
def test_description_matches_golden(name: str) -> None:
    got = plain_descriptions(name)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(got))


def test_regulated_vwan_nests_pe_in_subnet_in_vnet_and_hub_in_connectivity_subscription() -> None:
    graph, findings = sample("regulated-vwan")
    desc = describe.describe_workload(graph, findings, graph.workloads[0].id)
    by_label = {c.label: c for c in all_clusters(desc.clusters)}
    subnet = next(c for label, c in by_label.items() if label.startswith("Subnet snet-privateendpoints"))
    # the account's endpoint and the vault's, drawn alike in the endpoint subnet
    assert sorted(desc.node(k).label for k in subnet.nodes) == [
        "pe-aoai-claims-prod-weu",
        "pe-kv-aoai-claims-prod",
    ]
    connectivity = next(
        c
        for label, c in by_label.items()
        if label.startswith("Subscription Contoso Connectivity Hub (c4e2a8f1")
    )
    names = {desc.node(k).label for c in all_clusters((connectivity,)) for k in c.nodes}
    assert {"vhub-weu", "vwan-contoso", "privatelink.openai.azure.com", "vnet-dns-resolver-weu"} <= names


def test_regulated_vwan_labels_edges_in_reviewer_words() -> None:
    graph, findings = sample("regulated-vwan")
    desc = describe.describe_workload(graph, findings, graph.workloads[0].id)
    labels = {e.label for e in desc.edges}
    assert {"private link · Approved", "CMK · key aoai-cmk", "A record 10.42.1.4"} <= labels
    internet = {e.label: e for e in desc.edges if e.source == "internet"}
    assert internet["public network access · SAS / shared key"].tone == "fail"


def test_badges_carry_counts_as_text() -> None:
    graph, findings = sample("regulated-vwan")
    desc = describe.describe_workload(graph, findings, graph.workloads[0].id)
    storage = next(n for n in desc.nodes if n.label == "staoaiclaimsft")
    assert [b.text for b in storage.badges] == [
        "NET ✔1 ✘2 ?0",
        "IAM ✔0 ✘1 ?0",
        "ENC ✔1 ✘1 ?0",
        "LOG ✔1 ✘0 ?0",
    ]
    assert storage.tone == "fail"


def test_two_subnets_named_default_get_distinct_clusters() -> None:
    graph, findings = sample("estate")
    desc = describe.describe_estate(graph, findings)
    assert desc is not None
    defaults = [c for c in all_clusters(desc.clusters) if c.label.startswith("Subnet default")]
    assert len(defaults) == 2 and defaults[0].key != defaults[1].key


def test_estate_pending_private_link_is_dashed_warn() -> None:
    graph, findings = sample("estate")
    desc = describe.describe_estate(graph, findings)
    assert desc is not None
    pending = [e for e in desc.edges if "Pending" in e.label]
    assert pending and all(e.style == "dashed" and e.tone == "warn" for e in pending)


def test_single_workload_has_no_estate() -> None:
    graph, findings = sample("quickstart")
    assert describe.describe_estate(graph, findings) is None


def test_subscription_display_name_is_used_when_known() -> None:
    graph, findings = sample("quickstart")
    sub = next(iter(graph.nodes.values())).subscription_id
    desc = describe.describe_workload(graph, findings, graph.workloads[0].id, {sub: "Sandbox"})
    assert desc.clusters[0].label == f"Subscription Sandbox ({sub[:8]}…)"


def with_many_pes(count: int) -> tuple[Graph, list[Finding]]:
    """regulated-vwan plus `count` extra approved private endpoints in the same subnet."""
    graph, findings = sample("regulated-vwan")
    pe_id = next(n.id for n in graph.nodes.values() if n.type == network.PRIVATE_ENDPOINT)
    pe = graph.nodes[pe_id]
    nodes = list(graph.nodes.values())
    edges = list(graph.edges)
    workload = graph.workloads[0]
    extra = []
    for i in range(count):
        new_id = f"{pe_id}-{i:03d}"
        nodes.append(records.replace(pe, id=new_id, name=f"{pe.name}-{i:03d}"))
        extra.append(new_id)
        for e in graph.out(pe_id):
            edges.append(Edge(new_id, e.target, e.relation, e.attributes))
    members = (*workload.members, *extra)
    g = Graph(
        nodes, edges, [Workload(workload.id, workload.name, members)], BuildRecord(dangling=graph.dangling)
    )
    return g, findings


def test_many_private_endpoints_in_one_subnet_are_collapsed_and_said() -> None:
    graph, findings = with_many_pes(20)
    desc = describe.describe_workload(graph, findings, graph.workloads[0].id)
    pes = [n for n in desc.nodes if n.title == "Private endpoint"]
    groups = [n for n in desc.nodes if n.title == "Private endpoints (collapsed)"]
    assert len(pes) == describe.PE_LIMIT - 1 and len(groups) == 1
    # the sample's two endpoints (account, vault) and the 20 added ones
    assert groups[0].label == f"{22 - (describe.PE_LIMIT - 1)} more private endpoints"
    assert desc.collapsed and "22 private endpoints" in desc.collapsed[0]
    assert any(e.source == groups[0].key and e.label == "private link · Approved" for e in desc.edges)


def test_dangling_reference_becomes_a_ghost_node() -> None:
    graph, findings = sample("regulated-vwan")
    account = graph.workloads[0].id
    missing = account.rsplit("/providers/", 1)[0] + "/providers/microsoft.keyvault/vaults/kv-gone"
    g = Graph(
        graph.nodes.values(),
        graph.edges,
        graph.workloads,
        BuildRecord(dangling=[(account, Relation.CMK_KEY_IN, missing)]),
    )
    desc = describe.describe_workload(g, findings, account)
    ghost = next(n for n in desc.nodes if n.tone == "ghost")
    assert ghost.label == "kv-gone" and ghost.title == "Key vault · not in input"
    edge = next(e for e in desc.edges if e.target == ghost.key)
    assert (edge.style, edge.tone, edge.label) == ("dashed", "ghost", "CMK · not in input")


def test_long_names_are_truncated_with_an_ellipsis() -> None:
    assert describe.clean("x" * 200) == "x" * (describe.NAME_MAX - 1) + "…"
    assert describe.clean("a\nb\tc\x00d") == "a b cd"


def test_description_is_deterministic() -> None:
    graph, findings = sample("estate")
    one: Description | None = describe.describe_estate(graph, findings)
    two = describe.describe_estate(graph, list(reversed(findings)))
    assert one == two


def test_describe_never_reuses_a_node_key_for_two_resources() -> None:
    graph, findings = sample("estate")
    desc = describe.describe_estate(graph, findings)
    assert desc is not None
    assert len({n.key for n in desc.nodes}) == len(desc.nodes)
    ids = [n.resource_id for n in desc.nodes if n.resource_id]
    assert len(set(ids)) == len(ids)


def test_estate_of_100_workloads_is_collapsed_into_tables_per_subscription_and_said() -> None:
    from archgen.model.builder import iter_rows
    from benchmarks.generate import generate_rows

    graph = build(iter_rows(generate_rows(accounts=100, subscriptions=20, rows_target=3000), "bench"))
    desc = describe.describe_estate(graph, evaluate(graph))
    assert desc is not None and len(graph.workloads) == 100
    groups = [n for n in desc.nodes if n.title == "Workloads (collapsed)"]
    assert sum(len(g.rows) for g in groups) == 100
    assert len(desc.nodes) < 100
    assert desc.collapsed and desc.collapsed[0].startswith("The 100 workloads are drawn as one table")
