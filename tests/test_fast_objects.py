"""The builder's edge set keeps each edge it is given once, as `Edge(...)` built it, frozen."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.model.edgeset import EdgeSet
from archgen.model.graph import Edge
from archgen.model.relations import Relation

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**100), max_value=2**100) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
_ATTRIBUTES = st.dictionaries(st.text(max_size=6), _JSON, max_size=4)


def test_a_made_edge_is_frozen() -> None:
    edges = EdgeSet()
    edges.add("a", next(iter(Relation)), "b", {})
    made = edges.edges[0]
    with pytest.raises(AttributeError):
        made.source = "c"  # type: ignore[misc]


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
