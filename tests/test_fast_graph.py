"""The graph stage's shortcuts (issue 14, sixth round) give what the code they replace gives, on hostile
input: the graph built from the builder's member ids, its out-index cut from the sorted edges; the walk that
plans each node's steps once from the node's own edges; the interfaces' endpoint key matched once per set of
keys; the spec references added without repacking their attributes; the epilogue that reads the accounts
found once. Each is compared with the code it replaced, attribute by attribute."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.model import builder, children, props
from archgen.model.builder import iter_rows
from archgen.model.graph import BuildRecord, Edge, Graph, GraphWarning, Node, Workload
from archgen.model.relations import Relation
from archgen.model.types import cognitive, monitor, network
from archgen.model.types.assessments import Assessments
from archgen.model.types.policy import PolicyFacts
from archgen.model.workloads import Walker
from benchmarks.generate import generate_rows
from tests.reference_graph import build_as_before
from tests.test_fast_build import _Frozen, _walk_reference

R = Relation


def graph_reference(
    nodes: Iterable[Node], edges: Iterable[Edge], workloads: Iterable[Workload], record: BuildRecord
) -> dict[str, Any]:
    """`Graph.__init__` as it was: nodes sorted by a key function, edges by `Edge.sort_key`, the indexes
    appended edge by edge and node by node."""
    node_map = {n.id: n for n in sorted(nodes, key=lambda n: n.id)}
    edge_list = tuple(sorted(edges, key=Edge.sort_key))
    out: dict[str, list[Edge]] = defaultdict(list)
    inn: dict[str, list[Edge]] = defaultdict(list)
    by_type: dict[str, list[Node]] = defaultdict(list)
    for e in edge_list:
        out[e.source].append(e)
        inn[e.target].append(e)
    for n in node_map.values():
        by_type[n.type].append(n)
    ordered = tuple(sorted(workloads, key=lambda w: w.id))
    members: dict[str, tuple[str, ...]] = {}
    for w in ordered:
        members.setdefault(w.id, w.members)
    return {
        "nodes": list(node_map.items()),
        "edges": edge_list,
        "workloads": ordered,
        "members": members,
        "warnings": tuple(sorted(set(record.warnings), key=lambda w: (w.code, w.message))),
        "diagnostics_collected": record.diagnostics_collected,
        "diagnostics": dict(record.diagnostics or {}),
        "subscription_names": sorted((record.subscription_names or {}).items()),
        "defender_plans": sorted((record.defender_plans or {}).items()),
        "policy": record.policy or PolicyFacts(),
        "assessments": record.assessments or Assessments(),
        "stats": dict(record.stats),
        "principals_collected": record.principals_collected,
        "dangling": tuple(sorted(record.dangling)),
        "incomplete": tuple(record.incomplete),
        "out": dict(out),
        "into": dict(inn),
        "of_type": dict(by_type),
    }


def attributes(graph: Graph) -> dict[str, Any]:
    """Every attribute of a graph and what its indexes answer, for each node id and edge end."""
    ends = {e.source for e in graph.edges} | {e.target for e in graph.edges} | set(graph.nodes)
    assert graph.memo == {}
    return {
        "nodes": list(graph.nodes.items()),
        "edges": graph.edges,
        "workloads": graph.workloads,
        "members": {w.id: graph.members_of(w.id) for w in graph.workloads},
        "warnings": graph.warnings,
        "diagnostics_collected": graph.diagnostics_collected,
        "diagnostics": graph.diagnostics,
        "subscription_names": list(graph.subscription_names.items()),
        "defender_plans": list(graph.defender_plans.items()),
        "policy": graph.policy,
        "assessments": graph.assessments,
        "stats": graph.stats,
        "principals_collected": graph.principals_collected,
        "dangling": graph.dangling,
        "incomplete": graph.incomplete,
        "out": {i: graph.out(i) for i in ends if graph.out(i)},
        "into": {i: graph.into(i) for i in ends if graph.into(i)},
        "of_type": {t: graph.of_type(t) for t in {n.type for n in graph.nodes.values()}},
    }


# ids that sort and compare oddly: case, non-ASCII, a lone surrogate, the empty id, a prefix of another
_IDS = st.sampled_from(["a", "B", "b", "a/b", "ab", "é", "\u0130", "\u0131", "\ud800", "", " a"])
_NODE_TYPES = st.sampled_from([cognitive.TYPE, network.VIRTUAL_NETWORK, network.SUBNET, "x"])
_ATTRS = st.dictionaries(
    st.sampled_from(["a", "b", "scope"]),
    st.one_of(st.integers(-(2**70), 2**70), st.text(max_size=2), st.lists(st.integers(0, 1), max_size=2)),
    max_size=2,
)


def _node(rid: str, rtype: str) -> Node:
    return Node(rid, rtype, rid, None, "", "", None, (), monitor.Workspace(None, None, None))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_IDS, _NODE_TYPES, st.booleans()), max_size=8),
    st.lists(st.tuples(_IDS, st.sampled_from(list(Relation)), _IDS, _ATTRS), max_size=14),
    st.lists(st.tuples(_IDS, st.lists(_IDS, max_size=3)), max_size=4),
    st.lists(st.tuples(st.sampled_from(["b", "a"]), st.text(max_size=2)), max_size=4),
    st.lists(st.tuples(_IDS, st.sampled_from(list(Relation)), _IDS), max_size=3),
)
def test_the_builders_graph_equals_the_graph_built_as_before(
    picks: list[tuple[str, str, bool]],
    ends: list[tuple[str, Relation, str, dict[str, Any]]],
    seeds: list[tuple[str, list[str]]],
    warned: list[tuple[str, str]],
    dangling: list[tuple[str, Relation, str]],
) -> None:
    nodes = [_node(rid, rtype) for rid, rtype, _member in picks]
    by_id = {n.id: n for n in nodes}  # the builder's nodes: one per id
    members = {rid for rid, _rtype, member in picks if member}
    edges = [Edge(s, t, r, a) for s, r, t, a in ends]
    workloads = [Workload(w, w, tuple(m)) for w, m in seeds]
    record = BuildRecord(
        [GraphWarning(c, m) for c, m in warned],
        frozenset(members),
        {"nodes": len(members), "edges": len(edges)},
        dangling,
        subscription_names={"b": "B", "a": "A"},
    )
    expected = graph_reference([by_id[i] for i in members], edges, workloads, record)
    assert attributes(Graph.of_build(by_id, members, edges, workloads, record)) == expected
    assert attributes(Graph([by_id[i] for i in members], edges, workloads, record)) == expected
    assert attributes(Graph(nodes, edges, workloads, record)) == graph_reference(
        nodes, edges, workloads, record
    )


def _attach_nic_ips_reference(nodes: dict[str, Node], by_type: children.ByType) -> None:
    """`children.attach_nic_ips` as it was: the endpoint looked up in every row, its IPs set per row."""
    for r in by_type.get(network.NETWORK_INTERFACE, ()):
        pe = nodes.get(props.ref_id(r.properties, "privateEndpoint", "id"))
        if pe is None or not isinstance(pe.attrs, network.PrivateEndpoint):
            continue
        _pe_id, _subnet, ips = network.nic_private_ips(r.properties)
        if ips:
            children._replace(nodes, pe, private_ips=tuple(sorted(set(pe.attrs.private_ips) | set(ips))))


_ROWS = generate_rows(3, 1, 0)
_PE_IDS = [str(r["id"]) for r in _ROWS if r["type"] == network.PRIVATE_ENDPOINT]
_VAULT = next(str(r["id"]) for r in _ROWS if r["type"] == "microsoft.keyvault/vaults")
# how an interface may name its endpoint: the key in any case, twice, after other keys, of the wrong type
_PE_KEYS = [
    "privateEndpoint",
    "PrivateEndpoint",
    "PRIVATEENDPOINT",
    "privateendpoint",
    "privateEndpoint\u0131",
]
_PE_VALUES = st.one_of(
    st.sampled_from([*_PE_IDS, _VAULT, _PE_IDS[0].upper() + "/", " " + _PE_IDS[1], "/", "", "\ud800"]).map(
        lambda i: {"id": i}
    ),
    st.sampled_from([None, [], "x", 3, {"ID": _PE_IDS[2]}, {"iD": 4}]),
)


@st.composite
def _interface(draw: st.DrawFn) -> dict[str, Any]:
    ip = draw(st.sampled_from(["10.0.0.4", "10.0.0.5", "10.1.0.4", "", "\u0661"]))
    properties: dict[Any, Any] = {}
    for key in draw(st.lists(st.sampled_from([*_PE_KEYS, "ipConfigurations", "k", "\u212a"]), max_size=3)):
        properties[key] = draw(_PE_VALUES) if key != "ipConfigurations" else []
    properties["ipConfigurations"] = [{"properties": {"privateIPAddress": ip}}]
    shape = draw(st.sampled_from(["dict", "mapping", "null", "list"]))
    wrapped = {"dict": properties, "mapping": _Frozen(properties), "null": None, "list": [properties]}[shape]
    n = draw(st.integers(0, 10**6))
    rid = f"/subscriptions/6513270e-269e-4d37-b2a7-4de452e6b438/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic-{n}"
    return {"id": rid, "type": "Microsoft.Network/networkInterfaces", "properties": wrapped}


@settings(max_examples=300, deadline=None)
@given(st.lists(_interface(), max_size=8))
def test_interfaces_give_endpoints_the_ips_they_gave_row_by_row(nics: list[dict[str, Any]]) -> None:
    b = builder._Builder(iter_rows([*_ROWS, *nics]))
    b.ingest()
    b.build_nodes()
    nodes = {i: n for i, n in b.nodes.items()}
    fast, reference = dict(nodes), dict(nodes)
    children.attach_nic_ips(fast, b.by_type)
    _attach_nic_ips_reference(reference, b.by_type)
    assert list(fast.items()) == list(reference.items())
    rows = b.by_type[network.NETWORK_INTERFACE]
    expected = [(props.ref_id(r.properties, "privateEndpoint", "id"), r) for r in rows]
    assert children.endpoint_refs(rows) == [(i, r) for i, r in expected if i]


_KINDS = st.sampled_from(["OpenAI", "openai", "AIServices", "TextAnalytics", "", None, 3])


@st.composite
def _tenant(draw: st.DrawFn) -> list[Any]:
    """The generated tenant with hostile changes: rows dropped (dangling references), account kinds of
    every sort, odd interfaces, conflicting duplicates, a subnet whose id is '/'."""
    rows = copy.deepcopy(_ROWS)
    keep = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    out: list[Any] = [r for r, k in zip(rows, keep, strict=True) if k or r["type"].endswith("/accounts")]
    for r in out:
        if r["type"].endswith("/accounts") and draw(st.booleans()):
            r["kind"] = draw(_KINDS)
    out.extend(draw(st.lists(_interface(), max_size=3)))
    for r in draw(st.lists(st.sampled_from(rows), max_size=3)):
        out.append({**r, "id": r["id"].upper(), "properties": {"changed": draw(st.integers(0, 1))}})
    if draw(st.booleans()):
        vnet = next(r for r in rows if r["type"] == network.VIRTUAL_NETWORK)
        out.append({**vnet, "id": vnet["id"] + "x", "properties": {"subnets": [{"name": "s", "id": "/"}]}})
    return out


@settings(max_examples=150, deadline=None)
@given(_tenant())
def test_the_graph_stage_builds_what_it_built_before(rows: list[Any]) -> None:
    _same_graph(rows)


@pytest.mark.parametrize("accounts", [1, 12])
def test_a_generated_tenant_builds_what_it_built_before(accounts: int) -> None:
    _same_graph(generate_rows(accounts, 3, 0))


def _same_graph(rows: list[Any]) -> None:
    fast = attributes(builder._Builder(iter_rows(rows, "t.json")).build())
    with (
        patch.object(children, "attach_nic_ips", _attach_nic_ips_reference),
        patch.object(Walker, "walk", _walk_reference),
    ):
        assert fast == build_as_before(builder._Builder(iter_rows(rows, "t.json")), graph_reference)
