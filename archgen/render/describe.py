"""Graph + findings -> a plain-data diagram description: clusters, nodes with badges, labelled edges.

The description is what the golden tests pin; the Graphviz and draw.io writers only lay it out. Nesting
mirrors Azure (subscription > resource group > virtual network > subnet, private endpoints inside their
subnet). Keys are derived from resource ids (never from names), so two subnets called `default` never
collide and the same graph always gives the same description. The data classes and text rules are in
`description`, the findings index in `verdicts`, the edges' wording in `edges`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

from archgen.controls.catalogue import Catalogue
from archgen.controls.findings import Finding, Status
from archgen.model.access import access_of
from archgen.model.graph import Graph, Node
from archgen.model.ids import parse_id
from archgen.model.relations import RELATIONS, Relation
from archgen.model.types import cognitive, dns, netpolicy, network
from archgen.model.types.identity import GRANT_ORDER
from archgen.naming import short_hash
from archgen.render import icons
from archgen.render.assembly import IN_SUBNET_DRAWN, Builder
from archgen.render.description import (
    LABEL_MAX,
    NAME_MAX,
    Badge,
    DCluster,
    DEdge,
    Description,
    DNode,
    clean,
    node_key,
    short_subscription,
    to_plain,
)
from archgen.render.edges import edge, exposures
from archgen.render.verdicts import Verdicts, tone, verdicts_of

R = Relation
SUBNET_GUARDS = (R.GUARDED_BY, R.ROUTES_VIA)
PE_LIMIT = 6  # private endpoints drawn per subnet before the rest are collapsed into one node
ESTATE_DETAIL_LIMIT = 60  # estate nodes drawn in full; above it each workload is drawn as its account

# Tags a reviewer asks about, shown under a resource's name when present (key: value).
SHOWN_TAGS = ("data-classification", "owner")


# -- nodes ------------------------------------------------------------------------------------------
def _details(graph: Graph, node: Node) -> tuple[str, ...]:
    a = node.attrs
    if isinstance(a, network.PrivateEndpoint) and a.private_ips:
        return (clean(", ".join(a.private_ips), LABEL_MAX),)
    if isinstance(a, network.VirtualNetwork | network.Subnet) and a.address_prefixes:
        return (clean(", ".join(a.address_prefixes), LABEL_MAX),)
    if isinstance(a, network.VirtualHub) and a.address_prefix:
        return (clean(a.address_prefix, LABEL_MAX),)
    if isinstance(a, cognitive.Account):
        pna = a.public_network_access or "not set"
        return (clean(f"public network: {pna}", LABEL_MAX),)
    if isinstance(a, dns.PrivateDnsZone):
        return (f"{len(a.a_records)} A record(s) · {len(a.links)} VNet link(s)",)
    return ()


def _dnode(graph: Graph, node: Node, verdicts: Verdicts, members: Sequence[str] | None = None) -> DNode:
    key = icons.icon_key(node.type, node.kind)
    badges = verdicts.badges(members if members is not None else [node.id])
    return DNode(
        key=node_key(node.id),
        label=clean(node.name) or "(unnamed)",
        title=icons.icon(key).title,
        icon=key,
        details=_details(graph, node),
        badges=badges,
        tone=tone(badges),
        resource_id=node.id,
        tags=tuple(clean(f"{k}: {v}", LABEL_MAX) for k, v in node.tags if k.lower() in SHOWN_TAGS),
    )


def _pes_by_subnet(g: Graph, view_ids: Sequence[str], view: set[str]) -> dict[str, list[str]]:
    """Subnet id -> the private endpoints of the view in it."""
    pes_in: dict[str, list[str]] = defaultdict(list)
    for rid in view_ids:
        node = g.nodes[rid]
        if node.type in IN_SUBNET_DRAWN:
            for e in g.out(rid, R.IN_SUBNET):
                if e.target in view:
                    pes_in[e.target].append(rid)
    return pes_in


def _collapse_pes(b: Builder, pes_in: Mapping[str, list[str]], view: set[str]) -> dict[str, str]:
    """Draw the private endpoints past PE_LIMIT in a subnet as one group node; PE id -> group key."""
    g = b.graph
    collapsed_pe: dict[str, str] = {}
    for subnet, pes in sorted(pes_in.items()):
        if len(pes) <= PE_LIMIT:
            continue
        ordered = sorted(pes, key=lambda p: (_pe_ok(g, p), g.nodes[p].name, p))
        kept, folded = ordered[: PE_LIMIT - 1], ordered[PE_LIMIT - 1 :]
        group = "g" + short_hash(subnet, 12)
        states = sorted({_pe_state(g, p) for p in folded})
        b.add(
            DNode(
                key=group,
                label=f"{len(folded)} more private endpoints",
                title="Private endpoints (collapsed)",
                icon=icons.GROUP,
                details=(clean("status: " + ", ".join(states), LABEL_MAX),),
            ),
            b.path_of(g.nodes[subnet], view),
        )
        for p in folded:
            collapsed_pe[p] = group
        b.collapsed.append(
            f"{len(folded)} of the {len(pes)} private endpoints in subnet {clean(g.nodes[subnet].name)} "
            f"are drawn as one node ({len(kept)} shown)."
        )
    return collapsed_pe


def _place_edges(
    b: Builder, view: set[str], key_of: Callable[[str], str], exposed: Mapping[str, str]
) -> None:
    """The view's relations, each once, a collapsed end drawn as its group node."""
    g = b.graph
    for e in g.edges:
        if e.source not in view or e.target not in view:
            continue
        if e.relation is R.IN_SUBNET and g.nodes[e.target].type == network.SUBNET:
            subnet_drawn = node_key(e.target) in b.nodes
            if not subnet_drawn or b.placement.get(key_of(e.source), ())[-1:] == (e.target,):
                continue
        d = edge(g, e, b.verdicts, set(exposed))
        if d is None:
            if e.relation in (R.SUBNET_OF, R.ROLE_ASSIGNMENT):  # nested, or told by its `calls` edge
                continue
            d = DEdge(node_key(e.source), node_key(e.target), RELATIONS[e.relation].words, "solid", "neutral")
        src = key_of(next(r for r in (e.source, e.target) if node_key(r) == d.source))
        dst = key_of(next(r for r in (e.source, e.target) if node_key(r) == d.target))
        if src not in b.nodes or dst not in b.nodes:
            continue
        if src != d.source or dst != d.target:  # a collapsed end: one edge for the group
            d = DEdge(src, dst, d.label, d.style, d.tone, d.both)
        b.add_edge(d)


def _place_internet(b: Builder, exposed: Mapping[str, str]) -> None:
    if not exposed:
        return
    b.add(
        DNode(key="internet", label="Internet", title="Public endpoints", icon=icons.INTERNET, tone="fail"),
        (),
    )
    for rid, label in sorted(exposed.items()):
        b.add_edge(DEdge("internet", node_key(rid), label, "bold", "fail"))


def _place_callers(b: Builder, view_ids: Sequence[str]) -> None:
    """Who holds roles on each workload account, grouped by what they grant and principal type (one node
    per account, never one per user); from `archgen.model.access`, derived once in the model."""
    for rid in view_ids:
        if b.graph.nodes[rid].type != cognitive.TYPE:
            continue
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for a in access_of(b.graph, rid):
            for grant in a.grants if a.grants is not None else ("unknown role",):
                counts[grant][a.principal_type] += 1
        if not counts:
            continue
        order = [*GRANT_ORDER, "unknown role"]
        details = tuple(
            f"{g}: " + ", ".join(f"{n} {t}" for t, n in sorted(counts[g].items()))
            for g in order
            if g in counts
        )
        key = "who" + short_hash(rid, 12)
        b.add(
            DNode(
                key=key, label="Who has access", title="Role assignments", icon=icons.CALLERS, details=details
            ),
            (),
        )
        b.add_edge(DEdge(key, node_key(rid), RELATIONS[R.GRANTED_ON].words, "dashed", "neutral"))


def _place_dangling(b: Builder, view: set[str], key_of: Callable[[str], str]) -> None:
    """References from the view to resources absent from the input, drawn as ghost nodes."""
    for source, relation, target in b.graph.dangling:
        if source not in view or relation in SUBNET_GUARDS:  # a subnet's guards are in its cluster label
            continue
        parsed = parse_id(target)
        ghost = "x" + short_hash(target, 12)
        ikey = icons.icon_key(parsed.type) if parsed else icons.GHOST
        b.add(
            DNode(
                key=ghost,
                label=clean(parsed.name if parsed else target),
                title=f"{icons.icon(ikey).title if ikey != icons.GENERIC else 'Resource'} · not in input",
                icon=icons.GHOST,
                tone="ghost",
                resource_id=target,
            ),
            (),
        )
        b.add_edge(
            DEdge(key_of(source), ghost, f"{RELATIONS[relation].words} · not in input", "dashed", "ghost")
        )


def _place_detail(b: Builder, view_ids: Sequence[str]) -> None:
    """Draw every resource of the view with its edges, the Internet exposure and dangling references."""
    g = b.graph
    view = set(view_ids)
    # subnets are clusters; draw the subnet itself only when an edge needs it or it holds nothing
    pes_in = _pes_by_subnet(g, view_ids, view)
    exposed = exposures(view_ids, b.verdicts)
    collapsed_pe = _collapse_pes(b, pes_in, view)
    for rid in view_ids:
        node = g.nodes[rid]
        if rid in collapsed_pe:
            continue
        if node.type == network.SUBNET and pes_in.get(rid) and not _subnet_needed(g, rid, view):
            continue
        if node.type in (netpolicy.NSG, netpolicy.ROUTE_TABLE):  # shown in the subnet's cluster label
            continue
        b.add(_dnode(g, node, b.verdicts), b.path_of(node, view))

    def key_of(rid: str) -> str:
        return collapsed_pe.get(rid) or node_key(rid)

    _place_edges(b, view, key_of, exposed)
    _place_internet(b, exposed)
    _place_callers(b, view_ids)
    _place_dangling(b, view, key_of)


def _pe_state(graph: Graph, pe: str) -> str:
    states = {str(e.attributes.get("status") or "Unknown") for e in graph.out(pe, R.PRIVATE_ENDPOINT_OF)}
    return "/".join(sorted(states)) or "no target"


def _pe_ok(graph: Graph, pe: str) -> bool:
    return _pe_state(graph, pe).lower() == "approved"


def _subnet_needed(graph: Graph, subnet: str, view: set[str]) -> bool:
    for e in graph.into(subnet):
        if e.relation not in (R.IN_SUBNET,) and e.source in view:
            return True
    return any(
        e.relation not in (R.SUBNET_OF, *SUBNET_GUARDS) and e.target in view for e in graph.out(subnet)
    )


def _summary(verdicts: Verdicts, resources: set[str]) -> str:
    counts = verdicts.counts(resources)
    return (
        f"controls ✔ {counts[Status.PASS]} pass · ✘ {counts[Status.FAIL]} fail · "
        f"? {counts[Status.UNKNOWN]} unknown"
    )


def describe_workload(
    graph: Graph,
    findings: Sequence[Finding],
    workload_id: str,
    subscription_names: Mapping[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> Description:
    """The diagram of one workload: its members, nested as in Azure, with badges and exposure edges."""
    workload = next((w for w in graph.workloads if w.id == workload_id), None)
    if workload is None:
        raise KeyError(f"no workload {workload_id!r} in the graph")
    b = Builder(graph, verdicts_of(findings, catalogue), subscription_names or graph.subscription_names)
    members = [m for m in workload.members if m in graph.nodes]
    _place_detail(b, sorted(members))
    account = graph.nodes.get(workload.id)
    kind = icons.icon(icons.icon_key(account.type, account.kind)).title if account else "Workload"
    return b.finish(
        f"Workload {clean(workload.name, 60)}",
        f"{kind} · {len(members)} resource{'' if len(members) == 1 else 's'} · {_summary(b.verdicts, set(members))}",
    )


def describe_estate(
    graph: Graph,
    findings: Sequence[Finding],
    subscription_names: Mapping[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> Description | None:
    """All workloads with shared resources drawn once; None when there are fewer than two workloads.

    Up to ESTATE_DETAIL_LIMIT resources everything is drawn; above it each workload becomes its account
    node (badges summing every member's findings) linked to the shared resources it uses.
    """
    if len(graph.workloads) < 2:
        return None
    b = Builder(graph, verdicts_of(findings, catalogue), subscription_names or graph.subscription_names)
    union = sorted({m for w in graph.workloads for m in w.members if m in graph.nodes})
    title = f"Estate · {len(graph.workloads)} workloads"
    subtitle = f"{len(union)} resources · {_summary(b.verdicts, set(union))}"
    if len(union) <= ESTATE_DETAIL_LIMIT:
        _place_detail(b, union)
    else:
        _place_overview(b)
    return b.finish(title, subtitle)


def _place_overview(b: Builder) -> None:
    """The large estate: shared resources once, each subscription's workloads as one table node."""
    graph = b.graph
    counts: dict[str, int] = defaultdict(int)
    for w in graph.workloads:
        for m in w.members:
            counts[m] += 1
    shared = sorted(m for m, c in counts.items() if c > 1 and m in graph.nodes)
    view = set(shared) | {w.id for w in graph.workloads}
    for rid in shared:
        node = graph.nodes[rid]
        b.add(_dnode(graph, node, b.verdicts), b.path_of(node, view))
    hidden = 0
    by_subscription: dict[str, list[tuple[str, str, list[str]]]] = defaultdict(list)
    for w in graph.workloads:
        account = graph.nodes.get(w.id)
        if account is None:
            continue
        own = [m for m in w.members if m not in shared]
        hidden += len(own)
        by_subscription[account.subscription_id].append((w.id, clean(w.name) or "(unnamed)", own))
    for sub, entries in sorted(by_subscription.items()):
        _place_workload_table(b, sub, entries, set(shared))
    for e in graph.edges:
        if e.source in shared and e.target in shared:
            d2 = edge(graph, e, b.verdicts, set())
            if d2 is not None:
                b.add_edge(d2)
    b.collapsed.append(
        f"The {len(graph.workloads)} workloads are drawn as one table per subscription "
        f"({len(by_subscription)} tables, one row of badges per workload): {hidden} resources private to "
        f"one workload are counted in the badges and drawn in each workload's own diagram; "
        f"{len(shared)} shared resources are drawn once."
    )


def _place_workload_table(
    b: Builder, sub: str, entries: Sequence[tuple[str, str, list[str]]], shared: set[str]
) -> None:
    """One subscription's workloads as one node (a row of badges each), linked to the shared resources."""
    graph = b.graph
    group = "w" + short_hash(sub, 12)
    everything = [m for _, _, own in entries for m in own]
    first = graph.nodes[entries[0][0]]
    badges = b.verdicts.badges(everything)
    rows = tuple(sorted((name, b.verdicts.badges(own)) for _, name, own in entries))
    b.add(
        DNode(
            key=group,
            label=f"{len(entries)} workload{'s' if len(entries) > 1 else ''}",
            title="Workloads (collapsed)",
            icon=icons.icon_key(first.type, first.kind),
            details=(f"{len(everything)} own resources",),
            badges=badges,
            tone=tone(badges),
            rows=rows,
        ),
        (f"/subscriptions/{sub}",),
    )
    users: dict[str, int] = defaultdict(int)
    for wid, _, _ in entries:
        workload = next(w for w in graph.workloads if w.id == wid)
        for m in set(workload.members) & shared:
            users[m] += 1
    for m, n in sorted(users.items()):
        b.add_edge(DEdge(group, node_key(m), f"used by {n}", "dotted", "neutral"))


__all__ = [
    "ESTATE_DETAIL_LIMIT",
    "LABEL_MAX",
    "NAME_MAX",
    "PE_LIMIT",
    "Badge",
    "DCluster",
    "DEdge",
    "DNode",
    "Description",
    "clean",
    "describe_estate",
    "describe_workload",
    "node_key",
    "short_subscription",
    "to_plain",
]
