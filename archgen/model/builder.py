"""Rows in, workload graph out: normalise rows, build typed nodes, derive relations, find workloads.

The builder is pure (no I/O) and linear in the number of rows: every join is a dictionary lookup.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from archgen.model import access, children, conflicts, connections, gateways, hublinks, joins, props, rowscan
from archgen.model.attrs import NODE_ATTR_CLASSES
from archgen.model.children import Row
from archgen.model.coverage import gaps_of
from archgen.model.dangling import dangling_warnings
from archgen.model.edgeset import EdgeSet
from archgen.model.graph import BuildRecord, Graph, GraphWarning, Node, Workload
from archgen.model.ids import norm_enum, norm_id, norm_type
from archgen.model.inventory import Inventory, SourcedRow
from archgen.model.lookups import RefLookups
from archgen.model.relations import Relation
from archgen.model.types import (
    AUXILIARY_TYPES,
    NODE_PARSERS,
    SUBSCRIPTION,
    TYPES,
    assessments,
    cognitive,
    defender,
    identity,
    monitor,
    network,
    policy,
)
from archgen.model.types.spec import Ref, no_references
from archgen.model.workloads import Walker

R = Relation
STATUS_NAMES = {
    "approved": "Approved",
    "pending": "Pending",
    "rejected": "Rejected",
    "disconnected": "Disconnected",
}


def status_name(value: str) -> str:
    return STATUS_NAMES.get(value, value.capitalize() if value else "Unknown")


class _Builder:
    def __init__(self, inventory: Inventory) -> None:
        self.inv = inventory
        self.warnings: list[GraphWarning] = [
            GraphWarning(w.get("code", "discovery"), w.get("message", ""), ()) for w in inventory.warnings
        ]
        self.stats: Counter[str] = Counter()
        self.rows: dict[str, Row] = {}
        self.by_type: dict[str, list[Row]] = defaultdict(list)
        self.nodes: dict[str, Node] = {}
        self.edges = EdgeSet()  # each edge once; `out` and `inn` index it by node
        self.out, self.inn = self.edges.out, self.edges.inn
        self.zones_linked_to: dict[str, list[str]] = defaultdict(list)
        self.diagnostics: dict[str, list[monitor.DiagnosticSetting]] = defaultdict(list)
        self.account_ids: list[str] = []
        self.conflicting: dict[str, list[Row]] = {}
        self.assigned: set[str] = set()  # principal ids holding an assignment in the rows

    # -- 1. rows -------------------------------------------------------------------------------
    def skip(self, code: str, message: str) -> None:
        self.stats[code] += 1
        self.warnings.append(GraphWarning(code, message))

    def ingest(self) -> None:
        count = self.inv.row_count()
        if count:
            self.stats["rows_read"] += 0  # the counter's place among the stats, as when counted row by row
        rowscan.ingest(self.inv.blocks, self.rows, self.by_type, self.ingest_row, self.duplicate)
        if count:
            self.stats["rows_read"] += count
        self.resolve_conflicts()

    def ingest_row(self, sourced: SourcedRow) -> None:
        """Read one row, tolerantly (`rowscan.ingest` reads plain rows inline, with the same result)."""
        row = sourced.row
        if type(row) is not dict and not isinstance(row, Mapping):
            self.skip("row_skipped", f"{sourced.source}: {sourced.path}: not a JSON object, skipped")
            return
        rid_raw, rtype_raw, raw = props.id_type_properties(row)
        rid, rtype = norm_id(rid_raw), norm_type(rtype_raw)
        if not rid:
            self.skip("row_skipped", f"{sourced.source}: {sourced.path}: row without an 'id', skipped")
            return
        if not rtype:
            self.skip("row_skipped", f"{sourced.source}: {sourced.path}: row without a 'type', skipped")
            return
        if type(raw) is not dict and not isinstance(raw, Mapping):
            shown = "null" if raw is None else type(raw).__name__
            self.skip(
                "properties_ignored",
                f"{sourced.source}: {sourced.path}.properties: {shown} where an object was expected, "
                "treated as absent",
            )
            raw = {}
        seen = self.rows.get(rid)
        if seen is None:
            self.rows[rid] = r = Row(rid, rtype, row, raw)
            self.by_type[rtype].append(r)
        else:
            self.duplicate(seen, Row(rid, rtype, row, raw))

    def duplicate(self, seen: Row, again: Row) -> None:
        """A second row of a resource: a plain duplicate, or a conflict when its properties differ."""
        self.stats["duplicate_rows"] += 1
        if again.properties != seen.properties and conflicts.differing_properties(
            seen.properties, again.properties
        ):  # `!=` first: the cheap test
            self.conflicting.setdefault(again.id, [seen]).append(again)

    def resolve_conflicts(self) -> None:
        """Rows of one resource that disagree: keep one independently of input order, and say so."""
        replaced: list[tuple[Row, Row]] = []
        for rid in sorted(self.conflicting):
            candidates = self.conflicting[rid]
            kept = candidates[conflicts.pick([c.row for c in candidates])]
            first = self.rows[rid]
            if kept is not first:
                replaced.append((first, kept))
                self.rows[rid] = kept
            paths = sorted(
                {p for c in candidates for p in conflicts.differing_properties(kept.properties, c.properties)}
            )
            shown = ", ".join(paths[: conflicts.MAX_PATHS]) + (
                ", ..." if len(paths) > conflicts.MAX_PATHS else ""
            )
            self.stats["conflicting_rows"] += len(candidates)
            self.warnings.append(
                GraphWarning(
                    "conflicting_rows",
                    f"{rid}: {len(candidates)} rows disagree on {shown}; its findings are unknown "
                    "until the input holds one version",
                    (("resource", rid), ("properties", ", ".join(paths))),
                )
            )
        if replaced:  # one pass per type: a `list.remove` per replaced row was quadratic
            gone = {id(first) for first, _kept in replaced}
            for t in {first.type for first, _kept in replaced}:
                self.by_type[t] = [r for r in self.by_type[t] if id(r) not in gone]
            for _first, kept in replaced:
                self.by_type[kept.type].append(kept)

    # -- 2. nodes ------------------------------------------------------------------------------
    def add_node(self, rid: str, rtype: str, row: Mapping[str, Any], attrs: object) -> None:
        if not isinstance(attrs, NODE_ATTR_CLASSES):  # a parser returning another class is a bug
            raise TypeError(
                f"the parser of {rtype} returned {attrs.__class__.__name__}, not a NodeAttrs class"
            )
        self.nodes[rid] = children.make_node(rid, rtype, row, attrs)

    def build_nodes(self) -> None:
        for rtype, parser in NODE_PARSERS.items():
            for r in self.by_type.get(rtype, ()):
                try:
                    attrs = parser(r.row, r.properties)
                except Exception as exc:  # a parser bug must be visible, never a silent skip
                    self.skip("row_skipped", f"{r.id}: could not be read ({type(exc).__name__}: {exc})")
                    continue
                self.add_node(r.id, rtype, r.row, attrs)
        for node in (*children.subnets(self.by_type), *children.zones(self.by_type)):
            self.nodes[node.id] = node
        children.attach_nic_ips(self.nodes, self.by_type)
        children.attach_deployments(self.nodes, self.by_type, self.inv.deployments_collected or frozenset())
        children.attach_keys(self.nodes, self.by_type)
        children.attach_shared_links(self.nodes, self.by_type)
        connections.attach(self.nodes, self.by_type, self.inv.foundry_collected or frozenset())
        hublinks.attach(self.nodes, self.by_type)
        gateways.attach_backends(self.nodes, self.by_type)

    # -- 3. relations --------------------------------------------------------------------------
    def edge(self, source: str, relation: Relation, target: str, **attributes: Any) -> None:
        if not source or not target or source == target:
            return
        self.edges.add(source, relation, target, attributes)

    def build_edges(self) -> None:
        """Relations: what each type's spec says its properties reference, then the joins across types
        (A records by IP, role assignments by principal and scope, diagnostic settings, hub connections)."""
        self.account_ids = sorted(n.id for n in self.nodes.values() if n.type == cognitive.TYPE)
        index = RefLookups(self.nodes, self.account_ids)
        pe_refs: list[Ref] = []
        add = self.edges.add
        for n in list(self.nodes.values()):
            spec = TYPES.get(n.type)
            if spec is None or spec.references is no_references:
                continue
            for ref in spec.references(n.id, n.attrs, index):
                source, relation, target = ref.source, ref.relation, ref.target
                if relation is R.PRIVATE_ENDPOINT_OF:
                    pe_refs.append(ref)
                    continue
                if source and target and source != target:  # `edge`, without repacking the attributes
                    add(source, relation, target, dict(ref.attributes))
                if relation is R.DNS_ZONE_LINKED_TO:
                    self.zones_linked_to[target].append(source)
        self.private_endpoint_edges(pe_refs)
        connections.edges(self.nodes, self.edge)
        hublinks.edges(self.nodes, self.edge)
        for r in self.by_type.get(network.HUB_CONNECTION, ()):
            vnet = props.ref_id(r.properties, "remoteVirtualNetwork", "id")
            self.edge(vnet, R.CONNECTED_TO_HUB, r.id.rsplit("/hubvirtualnetworkconnections/", 1)[0])
        self.dns_record_edges()
        gateways.fronts_edges(self.nodes.values(), self.edge)
        self.role_edges()
        gateways.caller_edges(self.nodes.values(), self.inn, self.edge)
        self.diagnostic_edges()

    def private_endpoint_edges(self, refs: list[Ref]) -> None:
        """One edge per (endpoint, target): the endpoint's view first, the target's view winning."""
        merged: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}
        mine: list[Ref] = []
        theirs: list[Ref] = []
        for r in refs:  # one pass: `r not in mine` would compare every pair (quadratic in endpoints)
            source = self.nodes.get(r.source)
            (mine if source is not None and source.type == network.PRIVATE_ENDPOINT else theirs).append(r)
        for r in mine:
            merged[(r.source, r.target)] = (tuple(r.attributes["group_ids"]), str(r.attributes["status"]))
        for r in theirs:
            prior = merged.get((r.source, r.target))
            groups = tuple(r.attributes["group_ids"]) or (prior[0] if prior else ())
            merged[(r.source, r.target)] = (
                groups,
                str(r.attributes["status"]) or (prior[1] if prior else ""),
            )
        for (pe, target), (groups, status) in merged.items():
            self.edge(pe, R.PRIVATE_ENDPOINT_OF, target, group_ids=list(groups), status=status_name(status))

    def dns_record_edges(self) -> None:
        joins.dns_record_edges(self.nodes.values(), self.edge)

    def role_edges(self) -> None:
        assignments = joins.role_edges(self.nodes.values(), self.by_type, self.edge, self.skip)
        self.assigned = {a.principal_id for a in assignments}
        access.access_edges(self.account_ids, assignments, self.by_type, self.edge)

    def diagnostic_edges(self) -> None:
        for r in self.by_type.get(monitor.DIAGNOSTIC_SETTING, ()):
            ds = monitor.parse_diagnostic_setting(r.id, r.properties)
            if ds is None:
                self.skip("row_skipped", f"{r.id}: diagnostic setting id names no resource, skipped")
                continue
            self.diagnostics[ds.resource_id].append(ds)
            if not ds.destinations:
                self.warnings.append(
                    GraphWarning(
                        "diagnostic_setting_without_destination",
                        f"{ds.resource_id}: diagnostic setting '{ds.name}' has no destination",
                    )
                )
            for dest in ds.destinations:
                self.edge(
                    ds.resource_id, R.DIAGNOSTICS_TO, dest, categories=list(ds.categories), setting=ds.name
                )

    # -- 4. workloads --------------------------------------------------------------------------
    def subscription_names(self) -> dict[str, str]:
        """Subscription id -> display name, from `microsoft.resources/subscriptions` rows."""
        out = {}
        for r in self.by_type.get(SUBSCRIPTION, ()):
            sub = (props.get_str(r.row, "subscriptionId") or r.id.rsplit("/", 1)[-1]).lower()
            if name := props.get_str(r.row, "name"):
                out[sub] = name
        return out

    def mgs(self) -> dict[str, tuple[str, ...]]:
        """Subscription scope -> its management group scopes, from `microsoft.resources/subscriptions` rows."""
        return {
            f"/subscriptions/{r.id.rsplit('/', 1)[-1]}": access.management_groups(r.row)
            for r in self.by_type.get(SUBSCRIPTION, ())
        }

    def note_other_kinds(self, seeds: set[str]) -> None:
        """Accounts of kinds archgen does not judge (LUIS, TextAnalytics, ...) are named, never dropped silently."""
        others = sorted(
            (n.kind or "(no kind)", n.name, n.id)
            for n in map(self.nodes.__getitem__, self.account_ids)
            if n.id not in seeds
        )
        self.stats["accounts_other_kinds"] = len(others)
        for kind, name, rid in others:
            self.warnings.append(
                GraphWarning(
                    "account_kind_not_assessed",
                    f"{rid}: account '{name}' of kind {kind} is not an Azure OpenAI or AI Services "
                    "account; archgen does not assess it",
                    (("resource", rid), ("kind", kind)),
                )
            )

    def build(self) -> Graph:
        self.ingest()
        self.build_nodes()
        self.build_edges()
        seeds = [i for i in self.account_ids if norm_enum(self.nodes[i].kind) in cognitive.WORKLOAD_KINDS]
        self.note_other_kinds(set(seeds))
        dangling: set[tuple[str, Relation, str]] = set()
        walker = Walker(self.nodes, self.out, self.inn, self.zones_linked_to, self.edge)
        workloads = []
        union: set[str] = set()
        for seed in seeds:
            members = walker.walk(seed, dangling)
            union |= members
            workloads.append(Workload(seed, self.nodes[seed].name, tuple(sorted(members))))
        self.warnings.extend(dangling_warnings(dangling, self.nodes))
        granted = R.GRANTED_ON  # a `granted_on` edge starts at a role assignment id, not a node
        edges = [
            e for e in self.edges.edges if e.target in union and (e.source in union or e.relation is granted)
        ]
        kept_rows = sum(len(self.by_type.get(t, ())) for t in AUXILIARY_TYPES) + sum(
            1 for i in union if (r := self.rows.get(i)) is not None and r.type not in AUXILIARY_TYPES
        )  # each row is once in by_type: the union's rows plus the auxiliary ones, without a pass over all
        self.stats["rows_outside_workloads"] = len(self.rows) - kept_rows
        self.stats["nodes"] = len(union)
        self.stats["edges"] = len(edges)
        self.stats["workloads"] = len(workloads)
        self.stats["dangling_references"] = len(dangling)
        self.stats["role_assignment_rows"] = len(self.by_type.get(identity.ROLE_ASSIGNMENT, ()))
        # Diagnostic settings count as read for a resource only when the input says so (a snapshot's
        # `diagnostics_collected`) or holds a setting of that very resource.
        kept = {  # one setting needs no sort
            i: tuple(v) if len(v) < 2 else tuple(sorted(v, key=lambda d: d.name))
            for i, v in self.diagnostics.items()
            if i in union
        }
        collected = (self.inv.diagnostics_collected or frozenset()) | set(kept)
        record = BuildRecord(
            self.warnings,
            frozenset(collected),
            self.stats,
            dangling,
            subscription_names=self.subscription_names(),
            defender_plans=defender.plans_by_subscription(self.by_type.get(defender.PRICING, ())),
            assessments=assessments.Assessments.of(
                self.by_type.get(assessments.TYPE, ()), self.inv.assessments_collected
            ),
            policy=policy.PolicyFacts.of(
                (r for t in policy.TYPES for r in self.by_type.get(t, ())), self.mgs(), self.inv.as_of
            ),
            diagnostics=kept,
            incomplete=gaps_of(self.inv.incomplete),
            principals_collected=(self.inv.principals_collected or frozenset()) | self.assigned,
        )
        return Graph.of_build(self.nodes, union, edges, workloads, record)


def build(inventory: Inventory) -> Graph:
    """Build the workload graph from an inventory of rows."""
    return _Builder(inventory).build()


def iter_rows(rows: Iterable[Mapping[str, Any]], source: str = "<memory>") -> Inventory:
    """An inventory from plain rows (for tests and benchmarks): one block, row `i` at path `[i]`."""
    from archgen.model.inventory import RowBlock

    return Inventory([RowBlock(list(rows), source)])
