"""The graph stage as it was before issue 14's sixth round (`_Builder.build_edges`' reference loop and
`_Builder.build`'s epilogue), kept as the reference the shortcuts are compared with (tests/test_fast_graph.py).
`build_as_before` returns what `Graph.__init__` as it was would hold, through the caller's `reference`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archgen.model import builder, connections, gateways, hublinks, props
from archgen.model.builder import R
from archgen.model.coverage import gaps_of
from archgen.model.dangling import dangling_warnings
from archgen.model.graph import BuildRecord, Edge, GraphWarning, Workload
from archgen.model.ids import norm_enum
from archgen.model.lookups import RefLookups
from archgen.model.relations import Relation
from archgen.model.types import (
    AUXILIARY_TYPES,
    TYPES,
    assessments,
    cognitive,
    defender,
    identity,
    network,
    policy,
)
from archgen.model.types.spec import Ref
from archgen.model.workloads import Walker


def build_edges_as_before(b: builder._Builder) -> None:
    """Each reference added through `_Builder.edge`, its attributes repacked as keywords."""
    b.account_ids = sorted(n.id for n in b.nodes.values() if n.type == cognitive.TYPE)
    index = RefLookups(b.nodes, b.account_ids)
    pe_refs: list[Ref] = []
    for n in list(b.nodes.values()):
        spec = TYPES.get(n.type)
        if spec is None:
            continue
        for ref in spec.references(n.id, n.attrs, index):
            if ref.relation is R.PRIVATE_ENDPOINT_OF:
                pe_refs.append(ref)
                continue
            b.edge(ref.source, ref.relation, ref.target, **ref.attributes)
            if ref.relation is R.DNS_ZONE_LINKED_TO:
                b.zones_linked_to[ref.target].append(ref.source)
    b.private_endpoint_edges(pe_refs)
    connections.edges(b.nodes, b.edge)
    hublinks.edges(b.nodes, b.edge)
    for r in b.by_type.get(network.HUB_CONNECTION, ()):
        vnet = props.ref_id(r.properties, "remoteVirtualNetwork", "id")
        b.edge(vnet, R.CONNECTED_TO_HUB, r.id.rsplit("/hubvirtualnetworkconnections/", 1)[0])
    b.dns_record_edges()
    gateways.fronts_edges(b.nodes.values(), b.edge)
    b.role_edges()
    gateways.caller_edges(b.nodes.values(), b.inn, b.edge)
    b.diagnostic_edges()


def _note_other_kinds(b: builder._Builder, seeds: set[str]) -> None:
    others = sorted(
        (n.kind or "(no kind)", n.name, n.id)
        for n in b.nodes.values()
        if n.type == cognitive.TYPE and n.id not in seeds
    )
    b.stats["accounts_other_kinds"] = len(others)
    for kind, name, rid in others:
        b.warnings.append(
            GraphWarning(
                "account_kind_not_assessed",
                f"{rid}: account '{name}' of kind {kind} is not an Azure OpenAI or AI Services "
                "account; archgen does not assess it",
                (("resource", rid), ("kind", kind)),
            )
        )


def _kept(e: Edge, union: set[str]) -> bool:
    return e.target in union and (e.source in union or e.relation is R.GRANTED_ON)


def build_as_before(b: builder._Builder, reference: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    b.ingest()
    b.build_nodes()
    build_edges_as_before(b)
    seeds = sorted(
        n.id
        for n in b.nodes.values()
        if n.type == cognitive.TYPE and norm_enum(n.kind) in cognitive.WORKLOAD_KINDS
    )
    _note_other_kinds(b, set(seeds))
    dangling: set[tuple[str, Relation, str]] = set()
    walker = Walker(b.nodes, b.out, b.inn, b.zones_linked_to, b.edge)
    workloads = []
    union: set[str] = set()
    for seed in seeds:
        members = walker.walk(seed, dangling)
        union |= members
        workloads.append(Workload(seed, b.nodes[seed].name, tuple(sorted(members))))
    b.warnings.extend(dangling_warnings(dangling, b.nodes))
    edges = [e for e in b.edges.edges if _kept(e, union)]
    kept_rows = sum(1 for rid, r in b.rows.items() if rid in union or r.type in AUXILIARY_TYPES)
    b.stats["rows_outside_workloads"] = len(b.rows) - kept_rows
    b.stats["nodes"] = len(union)
    b.stats["edges"] = len(edges)
    b.stats["workloads"] = len(workloads)
    b.stats["dangling_references"] = len(dangling)
    b.stats["role_assignment_rows"] = len(b.by_type.get(identity.ROLE_ASSIGNMENT, ()))
    collected = (b.inv.diagnostics_collected or frozenset()) | {i for i in b.diagnostics if i in union}
    record = BuildRecord(
        b.warnings,
        frozenset(collected),
        b.stats,
        dangling,
        subscription_names=b.subscription_names(),
        defender_plans=defender.plans_by_subscription(b.by_type.get(defender.PRICING, ())),
        assessments=assessments.Assessments.of(
            b.by_type.get(assessments.TYPE, ()), b.inv.assessments_collected
        ),
        policy=policy.PolicyFacts.of(
            (r for t in policy.TYPES for r in b.by_type.get(t, ())), b.mgs(), b.inv.as_of
        ),
        diagnostics={
            i: tuple(sorted(v, key=lambda d: d.name)) for i, v in b.diagnostics.items() if i in union
        },
        incomplete=gaps_of(b.inv.incomplete),
        principals_collected=(b.inv.principals_collected or frozenset()) | b.assigned,
    )
    return reference((b.nodes[i] for i in union), edges, workloads, record)
