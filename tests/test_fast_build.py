"""The builder's shortcuts (issue 14, fifth round) give what the code they replace gives: the tolerant
lookups with one dict lookup per key, the edge set that formats attributes only on ties, the count of
rows outside workloads without a pass over every row, and the walk that groups a node's edges once."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.discovery.files import load_files
from archgen.model import builder, props
from archgen.model.builder import iter_rows
from archgen.model.edgeset import EdgeSet
from archgen.model.graph import Edge
from archgen.model.relations import Relation
from archgen.model.types import AUXILIARY_TYPES, TYPES, cognitive, network
from archgen.model.workloads import ROLE_TARGET_TYPES, Walker
from archgen.pipeline import sample_names, sample_path
from benchmarks.generate import generate_rows


class _Frozen(Mapping[Any, Any]):
    """A Mapping that is not a dict (the lookups' non-dict branch)."""

    def __init__(self, data: dict[Any, Any]) -> None:
        self._data = data

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Any:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _get_reference(obj: object, *path: str) -> Any:
    """props.get as it was: `key in cur` then `cur[key]`."""
    cur: Any = obj
    for key in path:
        if type(cur) is not dict and not isinstance(cur, Mapping):
            return None
        if key in cur:
            cur = cur[key]
            continue
        low = key.lower()
        for k, v in cur.items():
            if isinstance(k, str) and k.lower() == low:
                cur = v
                break
        else:
            return None
    return cur


def _items_reference(obj: object, *path: str) -> list[Any]:
    value = _get_reference(obj, *path)
    return [e for e in value if type(e) is dict or isinstance(e, Mapping)] if isinstance(value, list) else []


_KEY = st.one_of(st.sampled_from(["id", "Id", "ID", "name", "İd", "ıd", "k"]), st.integers(0, 2), st.none())
_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=3)
)
_TREE = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(_KEY, inner, max_size=4),
        st.dictionaries(_KEY, inner, max_size=3).map(_Frozen),
    ),
    max_leaves=12,
)
_PATH = st.lists(st.sampled_from(["id", "ID", "name", "NAME", "k", "ıd", "İd"]), min_size=1, max_size=3)


@settings(max_examples=600)
@given(_TREE, _PATH)
def test_lookups_give_what_the_two_lookup_code_gave(tree: Any, path: list[str]) -> None:
    assert props.get(tree, *path) is _get_reference(tree, *path)
    assert props.items(tree, *path) == _items_reference(tree, *path)
    got = props.get_str(tree, *path)
    value = _get_reference(tree, *path)
    assert got == (value if isinstance(value, str) and value else None)


_REL = st.sampled_from([Relation.PRIVATE_ENDPOINT_OF, Relation.ROLE_ASSIGNMENT, Relation.GRANTED_ON])
_ATTRS = st.dictionaries(
    st.sampled_from(["a", "b", "scope"]),
    st.one_of(st.integers(0, 2), st.text(max_size=2), st.lists(st.integers(0, 1), max_size=2)),
    max_size=2,
)
_ADD = st.tuples(st.sampled_from(["s1", "s2"]), _REL, st.sampled_from(["t1", "t2"]), _ATTRS)


@settings(max_examples=400)
@given(st.lists(_ADD, max_size=30))
def test_edge_set_keeps_what_the_repr_keyed_dict_kept(
    adds: list[tuple[str, Relation, str, dict[str, Any]]],
) -> None:
    reference: dict[tuple[str, Relation, str, str], Edge] = {}
    edges = EdgeSet()
    for source, relation, target, attributes in adds:
        key = (source, relation, target, repr(sorted(attributes.items())))
        reference.setdefault(key, Edge(source, target, relation, dict(attributes)))
        edges.add(source, relation, target, dict(attributes))
    assert edges.edges == list(reference.values())
    assert {k: v for k, v in edges.out.items() if v} == _index(reference.values(), "source")
    assert {k: v for k, v in edges.inn.items() if v} == _index(reference.values(), "target")


def _index(edges: Any, end: str) -> dict[str, list[Edge]]:
    out: dict[str, list[Edge]] = {}
    for e in edges:
        out.setdefault(getattr(e, end), []).append(e)
    return out


def _inventories() -> list[Any]:
    out = [load_files([sample_path(name)]) for name in sample_names()]
    out.append(iter_rows(generate_rows(12, 3, 0), "gen.json"))
    sub = "/subscriptions/00000000-0000-0000-0000-000000000001"
    rows = generate_rows(3, 1, 0)
    doubled = [{**r, "id": str(r["id"]).upper(), "properties": {"changed": True}} for r in rows[:6]]
    auxiliary = [
        {"id": f"{sub}/providers/{t}/x{i}", "type": t, "properties": {}}
        for i, t in enumerate(AUXILIARY_TYPES)
    ]
    subnets = [str(n["id"]) for r in rows for n in r.get("properties", {}).get("subnets", ()) if "id" in n]
    # a row of an auxiliary type under the id of a node that joins a workload (a subnet) is counted once
    clash = [{"id": i, "type": "Microsoft.Network/networkInterfaces", "properties": {}} for i in subnets]
    assert clash
    out.append(iter_rows([*rows, *doubled, *auxiliary, *clash], "conflicts.json"))
    return out


@pytest.mark.parametrize("inventory", _inventories())
def test_rows_outside_workloads_counts_as_the_pass_over_every_row(inventory: Any) -> None:
    b = builder._Builder(inventory)
    graph = b.build()
    kept = sum(1 for rid, r in b.rows.items() if rid in graph.nodes or r.type in AUXILIARY_TYPES)
    assert graph.stats["rows_outside_workloads"] == len(b.rows) - kept


def _walk_reference(w: Walker, seed: str, dangling: set[tuple[str, Relation, str]]) -> set[str]:
    """Walker.walk as it was: each rule's edges looked up with `related`."""
    members = {seed}
    queue: deque[tuple[str, Relation | None]] = deque([(seed, None)])
    while queue:
        current, via = queue.popleft()
        node = w.nodes[current]
        spec = TYPES.get(node.type)
        for relation, direction in spec.walk if spec is not None else ():
            if node.type == network.VIRTUAL_NETWORK and via is Relation.PEERED_WITH is relation:
                continue
            for e in w.related(current, relation, direction):
                other = e.target if direction == "out" else e.source
                target = w.nodes.get(other)
                if target is None:
                    dangling.add((e.source, relation, e.target))
                    continue
                if other in members or (target.type == cognitive.TYPE and other != seed):
                    continue
                if relation is Relation.ROLE_ASSIGNMENT and target.type not in ROLE_TARGET_TYPES:
                    continue
                members.add(other)
                queue.append((other, relation))
    w.add_zones(seed, members)
    return members


@pytest.mark.parametrize("inventory", _inventories())
def test_walk_with_edges_grouped_per_node_finds_the_same_members(inventory: Any) -> None:
    walks = []
    for walk in (Walker.walk, _walk_reference):
        b = builder._Builder(inventory)
        b.ingest()
        b.build_nodes()
        b.build_edges()
        walker = Walker(b.nodes, b.out, b.inn, b.zones_linked_to, b.edge)
        seeds = sorted(n.id for n in b.nodes.values() if n.type == cognitive.TYPE)
        dangling: set[tuple[str, Relation, str]] = set()
        walks.append(([walk(walker, s, dangling) for s in seeds], dangling, [repr(e) for e in b.edges.edges]))
    assert walks[0] == walks[1]
