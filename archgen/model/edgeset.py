"""The builder's edges, each (source, relation, target, attributes) once, in the order first added.

Two edges are the same when their attributes' `repr(sorted(items))` are equal too; that `repr` is
computed only for edges that share (source, relation, target) with an edge already added, which few do
(about 5 % of the builder's time went to formatting every edge's attributes for its key).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from archgen.model.graph import Edge
from archgen.model.relations import Relation


def attributes_key(e: Edge) -> str:
    """What tells apart two edges of one (source, relation, target)."""
    return repr(sorted(e.attributes.items()))


class EdgeSet:
    """Edges in insertion order, with the edges leaving (`out`) and entering (`inn`) each node id."""

    def __init__(self) -> None:
        self.edges: list[Edge] = []
        self.out: defaultdict[str, list[Edge]] = defaultdict(list)
        self.inn: defaultdict[str, list[Edge]] = defaultdict(list)
        # (source, relation, target) -> its first edge, then the attribute keys of all of them on a tie
        self._first: dict[tuple[str, Relation, str], Edge] = {}
        self._keys: dict[tuple[str, Relation, str], set[str]] = {}

    def add(self, source: str, relation: Relation, target: str, attributes: dict[str, Any]) -> None:
        """Add the edge unless the same one is already there."""
        triple = (source, relation, target)
        first = self._first.get(triple)
        e = Edge(source, target, relation, attributes)
        if first is None:
            self._first[triple] = e
        else:
            keys = self._keys.get(triple)
            if keys is None:
                keys = self._keys[triple] = {attributes_key(first)}
            key = attributes_key(e)
            if key in keys:
                return
            keys.add(key)
        self.edges.append(e)
        self.out[source].append(e)
        self.inn[target].append(e)
