"""`graph.make_edge` and `graph.node_of` (issue 14, seventh round) build what `Edge(...)` and `Node(...)` build:
the builder's edges and nodes are made by setting their slots directly instead of through the frozen
dataclass's `__init__` (`object.__setattr__` per field)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.model import records
from archgen.model.edgeset import EdgeSet
from archgen.model.graph import Edge, Node, make_edge, node_of
from archgen.model.relations import Relation

_TEXT = st.one_of(st.text(), st.sampled_from(["", "/", "\ud800", "İd", "/subscriptions/X/resourceGroups/y"]))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**100), max_value=2**100) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
_ATTRIBUTES = st.dictionaries(st.text(max_size=6), _JSON, max_size=4)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT, st.sampled_from(list(Relation)), _ATTRIBUTES)
def test_make_edge_builds_what_the_constructor_builds(
    source: str, target: str, relation: Relation, attributes: dict[str, Any]
) -> None:
    fast, reference = (
        make_edge(source, target, relation, attributes),
        Edge(source, target, relation, attributes),
    )
    assert type(fast) is Edge
    for name in records.field_names(Edge):  # the very objects given, field by field
        assert getattr(fast, name) is getattr(reference, name)
    assert fast == reference and repr(fast) == repr(reference) and fast.sort_key() == reference.sort_key()


def test_a_made_edge_is_frozen() -> None:
    edge = make_edge("a", "b", next(iter(Relation)), {})
    with pytest.raises(AttributeError):
        edge.source = "c"  # type: ignore[misc]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(list(Relation)[:3]), _ATTRIBUTES), max_size=12)
)
def test_edge_set_keeps_the_edges_the_constructor_gave(
    adds: list[tuple[str, Relation, dict[str, Any]]],
) -> None:
    edges = EdgeSet()
    seen: dict[tuple[str, Relation, str], set[str]] = {}
    expected = []
    for source, relation, attributes in adds:
        key = repr(sorted(attributes.items()))
        if key not in seen.setdefault((source, relation, "t"), set()):
            seen[(source, relation, "t")].add(key)
            expected.append(Edge(source, "t", relation, attributes))
        edges.add(source, relation, "t", attributes)
    assert edges.edges == expected
    assert all(type(e) is Edge for e in edges.edges)


_OPTIONAL_TEXT = st.none() | _TEXT
_TAGS = st.lists(st.tuples(st.text(max_size=4), st.text(max_size=4)), max_size=3).map(tuple)
_ATTRS = st.sampled_from([None, object(), "not attributes", 2**90])  # kept as given, whatever it is
_ROWS = st.dictionaries(st.text(max_size=6), _JSON, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.tuples(_TEXT, _TEXT, _TEXT, _OPTIONAL_TEXT, _TEXT, _TEXT, _OPTIONAL_TEXT, _TAGS, _ATTRS, _ROWS))
def test_node_of_builds_what_the_constructor_builds(fields: Any) -> None:
    fast, reference = node_of(fields), Node(*fields)
    assert type(fast) is Node
    for name in records.field_names(Node):  # the very objects given, field by field
        assert getattr(fast, name) is getattr(reference, name)
    assert fast == reference and repr(fast) == repr(reference)
    with pytest.raises(AttributeError):
        fast.name = "other"  # type: ignore[misc]
