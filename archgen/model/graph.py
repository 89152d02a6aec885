"""The workload graph: typed nodes, relation edges, workloads, warnings. Immutable once built."""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import islice
from operator import eq
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from archgen.model.coverage import Gap, gaps_for_members
from archgen.model.relations import Relation
from archgen.model.types.assessments import Assessments
from archgen.model.types.defender import DefenderPlan
from archgen.model.types.monitor import DiagnosticSetting
from archgen.model.types.policy import PolicyFacts

if TYPE_CHECKING:  # types are imported by the family modules' specs; the graph needs the alias for mypy only
    from archgen.model.attrs import NodeAttrs

T = TypeVar("T")


class Node(msgspec.Struct, frozen=True):
    """A resource. `id` and `type` are lower-case; `attrs` is the family's typed record."""

    id: str
    type: str
    name: str
    kind: str | None
    subscription_id: str
    resource_group: str
    location: str | None
    tags: tuple[tuple[str, str], ...]
    attrs: NodeAttrs
    # the row as read (not copied, not written to the document): evidence quotes values from it verbatim;
    # left out of ==, hash and repr (below), as the dataclass's `field(repr=False, compare=False)` did
    raw: Mapping[str, Any] = msgspec.field(default_factory=dict)

    def attrs_as(self, cls: builtins.type[T]) -> T:
        """`attrs` as `cls`, the type the caller handles (an evaluator's resource type); a mismatch is a bug
        and raises TypeError (an evaluator's error becomes a visible finding)."""
        attrs = self.attrs
        if not isinstance(attrs, cls):
            raise TypeError(f"{self.id}: attributes are {attrs.__class__.__name__}, not {cls.__name__}")
        return attrs

    def _compared(self) -> tuple[object, ...]:
        return (
            self.id,
            self.type,
            self.name,
            self.kind,
            self.subscription_id,
            self.resource_group,
            self.location,
            self.tags,
            self.attrs,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__qualname__}(id={self.id!r}, type={self.type!r}, name={self.name!r},"
            f" kind={self.kind!r}, subscription_id={self.subscription_id!r},"
            f" resource_group={self.resource_group!r}, location={self.location!r}, tags={self.tags!r},"
            f" attrs={self.attrs!r})"
        )


class Edge(msgspec.Struct, frozen=True):
    """A relation between two node ids. `target` may be absent from the graph (a dangling reference)."""

    source: str
    target: str
    relation: Relation
    attributes: Mapping[str, Any] = msgspec.field(default_factory=dict)

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.source, self.relation.value, self.target, repr(sorted(self.attributes.items())))


def sorted_edges(edges: Iterable[Edge]) -> tuple[Edge, ...]:
    """`sorted(edges, key=Edge.sort_key)`, with the attributes' `repr` computed only for edges that tie on
    (source, relation, target), which few do: a third of the sort's time on 24,000 edges. Both sorts are
    stable, so equal keys keep their input order either way."""
    items = list(edges)
    # a Relation is a StrEnum: it orders as its value does, without the `.value` lookup per edge
    keys = [(e.source, e.relation, e.target) for e in items]
    order = sorted(range(len(items)), key=keys.__getitem__)
    out = [items[i] for i in order]
    ordered = [keys[i] for i in order]
    if not any(map(eq, ordered, islice(ordered, 1, None))):  # no two edges tie: the common case, checked in C
        return tuple(out)
    start = 0
    for i in range(1, len(out) + 1):
        if i == len(out) or keys[order[i]] != keys[order[start]]:
            if i - start > 1:
                out[start:i] = sorted(out[start:i], key=Edge.sort_key)
            start = i
    return tuple(out)


class Workload(msgspec.Struct, frozen=True):
    """One Azure OpenAI / AI Services account and the resources reachable from it."""

    id: str
    name: str
    members: tuple[str, ...]


class GraphWarning(msgspec.Struct, frozen=True):
    """Something the run skipped or could not resolve; `code` groups them in the summary."""

    code: str
    message: str
    details: tuple[tuple[str, str], ...] = ()


class BuildRecord(msgspec.Struct, frozen=True):
    """What the build learned besides the nodes, edges and workloads (see `Graph`'s attributes)."""

    warnings: Iterable[GraphWarning] = ()
    diagnostics_collected: frozenset[str] = frozenset()
    stats: Mapping[str, int] = msgspec.field(default_factory=dict)
    dangling: Iterable[tuple[str, Relation, str]] = ()
    diagnostics: Mapping[str, tuple[DiagnosticSetting, ...]] | None = None
    incomplete: Iterable[Gap] = ()
    subscription_names: Mapping[str, str] | None = None  # subscription id -> display name
    principals_collected: frozenset[str] = frozenset()
    defender_plans: Mapping[tuple[str, str], DefenderPlan] | None = None  # (subscription, plan lower) -> plan
    policy: PolicyFacts | None = None  # Azure Policy rows of the input (types.policy)
    assessments: Assessments | None = None  # Defender for Cloud recommendations (types.assessments)


class Graph:
    """Nodes, edges and workloads with adjacency indexes for the evaluators and renderers."""

    def __init__(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        workloads: Iterable[Workload],
        record: BuildRecord | None = None,
    ) -> None:
        self._fill(
            {n.id: n for n in sorted(nodes, key=lambda n: n.id)},
            sorted_edges(edges),
            tuple(sorted(workloads, key=lambda w: w.id)),
            record or BuildRecord(),
        )

    @classmethod
    def of_build(
        cls,
        nodes: Mapping[str, Node],
        members: Iterable[str],
        edges: Iterable[Edge],
        workloads: Iterable[Workload],
        record: BuildRecord,
    ) -> Graph:
        """`Graph((nodes[i] for i in members), edges, workloads, record)`, for the builder: the member ids
        sorted as strings, not nodes by a key function."""
        graph = cls.__new__(cls)
        graph._fill(
            {i: nodes[i] for i in sorted(members)},
            sorted_edges(edges),
            tuple(sorted(workloads, key=lambda w: w.id)),
            record,
        )
        return graph

    def _fill(
        self,
        nodes: dict[str, Node],
        edges: tuple[Edge, ...],
        workloads: tuple[Workload, ...],
        record: BuildRecord,
    ) -> None:
        """The attributes and indexes, from nodes in id order and edges and workloads sorted."""
        warnings, diagnostics_collected, stats = record.warnings, record.diagnostics_collected, record.stats
        dangling, diagnostics, incomplete = record.dangling, record.diagnostics, record.incomplete
        self.nodes: dict[str, Node] = nodes
        self.edges: tuple[Edge, ...] = edges
        self.workloads: tuple[Workload, ...] = workloads
        self._members: dict[str, tuple[str, ...]] = {}  # workload id -> members (the first of an id)
        for w in self.workloads:
            self._members.setdefault(w.id, w.members)
        self.warnings: tuple[GraphWarning, ...] = tuple(
            sorted(set(warnings), key=lambda w: (w.code, w.message))
        )
        # resource ids whose diagnostic settings were read: only for them is "no setting" evidence
        self.diagnostics_collected = diagnostics_collected
        # the diagnostic settings of each resource, whether or not their destinations are in the input
        self.diagnostics: dict[str, tuple[DiagnosticSetting, ...]] = dict(diagnostics or {})
        # subscription id (lower-case) -> display name, from resourcecontainers rows
        self.subscription_names: dict[str, str] = dict(sorted((record.subscription_names or {}).items()))
        # Defender for Cloud pricing rows by (subscription id, plan name lower-case); see types.defender
        self.defender_plans: dict[tuple[str, str], DefenderPlan] = dict(
            sorted((record.defender_plans or {}).items())
        )
        self.policy: PolicyFacts = record.policy or PolicyFacts()
        self.assessments: Assessments = record.assessments or Assessments()
        self.stats = dict(stats)
        # principal ids (lower-case) whose role assignments were read: only for them is "no grant" evidence
        self.principals_collected = record.principals_collected
        # references from workload members to resources absent from the input: (source, relation, target)
        self.dangling: tuple[tuple[str, Relation, str], ...] = tuple(sorted(dangling))
        # coverage gaps of a live discovery (archgen.model.coverage); empty = the discovery was complete
        self.incomplete: tuple[Gap, ...] = tuple(incomplete)
        self._by_type: dict[str, list[Node]] = defaultdict(list)
        for n in self.nodes.values():
            self._by_type[n.type].append(n)
        # indexes that consumers (evaluators, renderers) derive once per graph, keyed by their own names
        self.memo: dict[str, Any] = {}
        self._out: dict[str, list[Edge]] = defaultdict(list)
        self._in: dict[str, list[Edge]] = defaultdict(list)
        for e in edges:
            self._out[e.source].append(e)
            self._in[e.target].append(e)

    def node(self, node_id: str) -> Node | None:
        return self.nodes.get(node_id)

    def out(self, node_id: str, relation: Relation | None = None) -> list[Edge]:
        """Edges leaving `node_id`, optionally of one relation."""
        edges = self._out.get(node_id, [])
        return edges if relation is None else [e for e in edges if e.relation is relation]

    def into(self, node_id: str, relation: Relation | None = None) -> list[Edge]:
        """Edges arriving at `node_id`, optionally of one relation."""
        edges = self._in.get(node_id, [])
        return edges if relation is None else [e for e in edges if e.relation is relation]

    def of_type(self, node_type: str) -> list[Node]:
        """Nodes of one type, in id order."""
        return self._by_type.get(node_type, [])

    def gaps_for(self, workload_id: str) -> tuple[Gap, ...]:
        """The coverage gaps that may hide part of this workload (see coverage.gaps_for_members)."""
        if not self.incomplete:
            return ()
        return gaps_for_members(self.incomplete, self.members_of(workload_id))

    def members_of(self, workload_id: str) -> tuple[str, ...]:
        """The members of the workload seeded by `workload_id` (empty when it seeds none)."""
        return self._members.get(workload_id, ())

    def attrs(self, node_id: str, cls: type[T]) -> T | None:
        """The typed attributes of a node when they are of `cls`."""
        node = self.nodes.get(node_id)
        return node.attrs if node is not None and isinstance(node.attrs, cls) else None
