"""Graph + findings -> a plain-data diagram description: clusters, nodes with badges, labelled edges.

The description is what the golden tests pin; the Graphviz and draw.io writers only lay it out. Nesting
mirrors Azure (subscription > resource group > virtual network > subnet, private endpoints inside their
subnet). Keys are derived from resource ids (never from names), so two subnets called `default` never
collide and the same graph always gives the same description. Strings are raw here (unescaped, but
truncated and stripped of control characters); each writer escapes for its own format.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from archgen.controls.catalogue import DOMAINS, Catalogue
from archgen.controls.catalogue import load as load_catalogue
from archgen.controls.findings import Finding, Status
from archgen.model.graph import Edge, Graph, Node
from archgen.model.ids import parse_id
from archgen.model.relations import RELATIONS, Relation
from archgen.model.types import cognitive, dns, network
from archgen.naming import short_hash
from archgen.render import icons

R = Relation
NAME_MAX = 38
LABEL_MAX = 52
PE_LIMIT = 6  # private endpoints drawn per subnet before the rest are collapsed into one node
ESTATE_DETAIL_LIMIT = 60  # estate nodes drawn in full; above it each workload is drawn as its account

# Tags a reviewer asks about, shown under a resource's name when present (key: value).
SHOWN_TAGS = ("data-classification", "owner")

DOMAIN_ABBREV: dict[str, str] = {
    "network": "NET",
    "identity": "IAM",
    "encryption": "ENC",
    "logging": "LOG",
    "data": "DATA",
}


@dataclass(frozen=True, slots=True)
class Badge:
    """One control domain's verdicts on a node. `text` carries the counts, so colour is never alone."""

    domain: str
    passed: int
    failed: int
    unknown: int

    @property
    def tone(self) -> str:
        return "fail" if self.failed else "unknown" if self.unknown else "pass"

    @property
    def text(self) -> str:
        return f"{DOMAIN_ABBREV[self.domain]} ✔{self.passed} ✘{self.failed} ?{self.unknown}"


@dataclass(frozen=True, slots=True)
class DNode:
    key: str
    label: str
    title: str  # what it is ("Azure OpenAI", "Private endpoint")
    icon: str  # key of icons.ICONS
    details: tuple[str, ...] = ()
    badges: tuple[Badge, ...] = ()
    tone: str = "none"  # worst verdict on the node: fail | unknown | pass | none | ghost
    resource_id: str = ""
    rows: tuple[tuple[str, tuple[Badge, ...]], ...] = ()  # collapsed groups: (member name, its badges)
    tags: tuple[str, ...] = ()  # "key: value" of SHOWN_TAGS


@dataclass(frozen=True, slots=True)
class DCluster:
    key: str
    label: str
    level: str  # subscription | resource_group | virtual_network | subnet
    nodes: tuple[str, ...] = ()
    clusters: tuple[DCluster, ...] = ()


@dataclass(frozen=True, slots=True)
class DEdge:
    source: str
    target: str
    label: str
    style: str  # solid | dashed | dotted | bold
    tone: str  # neutral | fail | warn | ghost
    both: bool = False


@dataclass(frozen=True, slots=True)
class Description:
    title: str
    subtitle: str
    nodes: tuple[DNode, ...]
    clusters: tuple[DCluster, ...]
    top_level: tuple[str, ...]  # node keys outside every cluster
    edges: tuple[DEdge, ...]
    collapsed: tuple[str, ...] = ()
    icons_used: tuple[str, ...] = field(default=())

    def node(self, key: str) -> DNode:
        for n in self.nodes:
            if n.key == key:
                return n
        raise KeyError(key)


def clean(text: str, limit: int = NAME_MAX) -> str:
    """One line, no control or unassigned characters, format characters (U+202E, U+200B) shown as
    `<U+XXXX>`, at most `limit` characters (ellipsis when cut)."""
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if ch in "\t\n\r\v\f\x85\u2028\u2029":
            out.append(" ")
        elif cat in ("Cc", "Cs", "Co", "Cn") or ch in "\ufffe\uffff":
            continue
        elif cat == "Cf":  # bidi overrides, zero-width characters: shown, so a name cannot spoof another
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    one = " ".join("".join(out).split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def short_subscription(sub: str, names: Mapping[str, str] | None) -> str:
    if names and (name := names.get(sub) or names.get(sub.lower())):
        return f"{clean(name)} ({sub[:8]}…)"
    return f"{sub[:8]}…" if len(sub) > 8 else sub


def node_key(resource_id: str) -> str:
    return "n" + short_hash(resource_id, 12)


def to_plain(desc: Description) -> dict[str, Any]:
    """The description as JSON-ready data (badge text included), for golden files."""
    data = asdict(desc)
    for n, plain in zip(desc.nodes, data["nodes"], strict=True):
        plain["badges"] = [b.text for b in n.badges]
        plain["rows"] = [[name, [b.text for b in badges]] for name, badges in n.rows]
    return data


# -- findings ---------------------------------------------------------------------------------------
class _Verdicts:
    """Findings indexed by resource and by (control, resource), with each control's domain."""

    def __init__(self, findings: Sequence[Finding], catalogue: Catalogue) -> None:
        self.by_resource: dict[str, list[Finding]] = defaultdict(list)
        self.status: dict[tuple[str, str], Status] = {}
        self.domain: dict[str, str] = {}
        for f in findings:
            self.by_resource[f.resource].append(f)
            self.status[(f.control, f.resource)] = f.status
            if f.control not in self.domain:
                try:
                    self.domain[f.control] = catalogue.control(f.control).domain
                except KeyError:
                    self.domain[f.control] = "data"

        # what the catalogue says the diagram draws for a failing control
        self.exposures: dict[str, tuple[str, bool]] = {}
        self.overlays: dict[str, list[str]] = defaultdict(list)
        for c in catalogue.controls:
            if c.diagram is None:
                continue
            self.overlays[c.diagram.overlay].append(c.id)
            if c.diagram.overlay in ("exposure", "shared-key"):  # both put their phrase on the Internet edge
                self.exposures[c.id] = (c.diagram.phrase or c.title, c.diagram.opens_network)

    def failed(self, control: str, resource: str) -> bool:
        return self.status.get((control, resource)) is Status.FAIL

    def failed_overlay(self, overlay: str, resource: str) -> bool:
        """Whether a control drawn as `overlay` fails on the resource."""
        return any(self.failed(c, resource) for c in self.overlays.get(overlay, ()))

    def counts(self, resources: set[str]) -> dict[Status, int]:
        """Findings per status over `resources` (each resource's own findings, read from the index)."""
        counts = {s: 0 for s in Status}
        for rid in resources:
            for f in self.by_resource.get(rid, ()):
                counts[f.status] += 1
        return counts

    def badges(self, resources: Sequence[str]) -> tuple[Badge, ...]:
        counts: dict[str, list[int]] = {d: [0, 0, 0] for d in DOMAINS}
        for rid in resources:
            for f in self.by_resource.get(rid, ()):
                slot = {Status.PASS: 0, Status.FAIL: 1, Status.UNKNOWN: 2}.get(f.status)
                if slot is not None:
                    counts.setdefault(self.domain[f.control], [0, 0, 0])[slot] += 1
        return tuple(Badge(d, *c) for d, c in counts.items() if d in DOMAIN_ABBREV and any(c))


# The index of the last findings list: describing N workloads of one graph indexes its findings once, not
# N times (46 s at 2,000 workloads). Keyed by identity and length, as the caller passes the same list.
_LAST: list[tuple[Sequence[Finding], int, Catalogue, _Verdicts]] = []


def _verdicts(findings: Sequence[Finding], catalogue: Catalogue | None) -> _Verdicts:
    cat = catalogue or load_catalogue()
    if _LAST:
        f, n, c, v = _LAST[0]
        if f is findings and n == len(findings) and c is cat:
            return v
    verdicts = _Verdicts(findings, cat)
    _LAST[:] = [(findings, len(findings), cat, verdicts)]
    return verdicts


def _tone(badges: Sequence[Badge]) -> str:
    tones = {b.tone for b in badges}
    for t in ("fail", "unknown", "pass"):
        if t in tones:
            return t
    return "none"


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


def _dnode(graph: Graph, node: Node, verdicts: _Verdicts, members: Sequence[str] | None = None) -> DNode:
    key = icons.icon_key(node.type, node.kind)
    badges = verdicts.badges(members if members is not None else [node.id])
    return DNode(
        key=node_key(node.id),
        label=clean(node.name) or "(unnamed)",
        title=icons.icon(key).title,
        icon=key,
        details=_details(graph, node),
        badges=badges,
        tone=_tone(badges),
        resource_id=node.id,
        tags=tuple(clean(f"{k}: {v}", LABEL_MAX) for k, v in node.tags if k.lower() in SHOWN_TAGS),
    )


# -- edges ------------------------------------------------------------------------------------------
def _edge(graph: Graph, e: Edge, verdicts: _Verdicts, exposed: set[str]) -> DEdge | None:
    """One relation in reader's words. None for relations the nesting already shows."""
    s, t, at = node_key(e.source), node_key(e.target), e.attributes
    rel = e.relation
    if rel is R.PRIVATE_ENDPOINT_OF:
        status = str(at.get("status") or "Unknown")
        if status.lower() == "approved":
            return DEdge(s, t, f"private link · {clean(status)}", "solid", "neutral")
        tone = "warn" if status.lower() == "pending" else "fail"
        return DEdge(s, t, clean(f"private link · {status} (no traffic)", LABEL_MAX), "dashed", tone)
    if rel is R.SHARED_PRIVATE_LINK_TO:
        status = str(at.get("status") or "Unknown")
        ok = status.lower() == "approved"
        label = clean(f"shared private link · {status}" + ("" if ok else " (no traffic)"), LABEL_MAX)
        return DEdge(s, t, label, "solid" if ok else "dashed", "neutral" if ok else "warn")
    if rel is R.DNS_RECORD_FOR:
        label = f"A record {at.get('ip') or ''}".strip()
        broken = any(
            verdicts.failed_overlay("dns", pe.target) for pe in graph.out(e.target, R.PRIVATE_ENDPOINT_OF)
        )
        if broken:
            return DEdge(s, t, clean(label + " · not resolvable", LABEL_MAX), "bold", "fail")
        return DEdge(s, t, clean(label, LABEL_MAX), "solid", "neutral")
    if rel is R.DNS_ZONE_LINKED_TO:
        auto = " · auto-registration" if at.get("registration_enabled") else ""
        return DEdge(s, t, f"DNS zone link{auto}", "solid", "neutral")
    if rel is R.PEERED_WITH:
        state = str(at.get("state") or "unknown")
        ok = state.lower() == "connected"
        label = clean(f"peering · {state.capitalize()}", LABEL_MAX)
        return DEdge(s, t, label, "solid" if ok else "dashed", "neutral" if ok else "warn", both=True)
    if rel is R.CONNECTED_TO_HUB:
        return DEdge(s, t, "hub connection", "solid", "neutral")
    if rel is R.HUB_IN_WAN:
        return DEdge(s, t, "in Virtual WAN", "solid", "neutral")
    if rel is R.USES_DNS_SERVERS_IN:
        servers = at.get("servers") or []
        shown = ", ".join(str(x) for x in servers) if isinstance(servers, list | tuple) else ""
        return DEdge(s, t, clean(f"DNS servers {shown}".strip(), LABEL_MAX), "dotted", "neutral")
    if rel is R.USES_IDENTITY:
        return DEdge(s, t, "runs as", "dotted", "neutral")
    if rel is R.CMK_KEY_IN:
        label = f"CMK · key {at.get('key_name') or '?'}"
        if verdicts.failed_overlay("cmk-chain", e.source):
            return DEdge(s, t, clean(label + " · chain broken", LABEL_MAX), "bold", "fail")
        return DEdge(s, t, clean(label, LABEL_MAX), "solid", "neutral")
    if rel in (R.STORES_DATA_IN, R.TRUSTED_ACCESS_FROM):
        # drawn in the direction data flows: account -> storage
        account, store = (e.source, e.target) if rel is R.STORES_DATA_IN else (e.target, e.source)
        label = "stores data" if rel is R.STORES_DATA_IN else "trusted access (instance rule)"
        if verdicts.failed_overlay("shared-key", store) and store not in exposed:
            return DEdge(node_key(account), node_key(store), label + " · SAS / shared key", "bold", "fail")
        return DEdge(node_key(account), node_key(store), label, "solid", "neutral")
    if rel is R.NETWORK_RULE_ALLOWS:
        return DEdge(t, s, "firewall admits subnet", "solid", "neutral")
    if rel is R.ROLE_ASSIGNMENT:
        return DEdge(s, t, clean(f"RBAC · {at.get('role_name') or 'role'}", LABEL_MAX), "dotted", "neutral")
    if rel is R.DIAGNOSTICS_TO:
        cats = at.get("categories") or []
        what = ", ".join(str(c) for c in cats) if isinstance(cats, list | tuple) and cats else "logs"
        return DEdge(s, t, clean(f"diagnostics · {what}", LABEL_MAX), "dotted", "neutral")
    return None  # IN_SUBNET, SUBNET_OF: shown by nesting


def _exposures(view: Sequence[str], verdicts: _Verdicts) -> dict[str, str]:
    """Resource id -> Internet edge label, for resources a failing network control exposes."""
    out: dict[str, str] = {}
    for rid in view:
        phrases: list[str] = []
        opens = False
        for control, (phrase, network_open) in verdicts.exposures.items():
            if verdicts.failed(control, rid):
                opens = opens or network_open
                if phrase not in phrases:
                    phrases.append(phrase)
        if opens:
            out[rid] = clean(" · ".join(phrases), LABEL_MAX)
    return out


# -- assembly ---------------------------------------------------------------------------------------
class _Builder:
    def __init__(
        self, graph: Graph, verdicts: _Verdicts, subscription_names: Mapping[str, str] | None
    ) -> None:
        self.graph = graph
        self.verdicts = verdicts
        self.names = subscription_names
        self.nodes: dict[str, DNode] = {}
        self.placement: dict[str, tuple[str, ...]] = {}  # node key -> cluster path (scope ids)
        self.edges: dict[tuple[str, str, str], DEdge] = {}
        self.collapsed: list[str] = []

    def add(self, dnode: DNode, path: tuple[str, ...]) -> None:
        self.nodes[dnode.key] = dnode
        self.placement[dnode.key] = path

    def add_edge(self, edge: DEdge) -> None:
        if edge.source == edge.target:
            return
        ends = (edge.source, edge.target) if not edge.both else tuple(sorted((edge.source, edge.target)))
        key = (ends[0], ends[1], edge.label)
        if key not in self.edges:
            self.edges[key] = DEdge(ends[0], ends[1], edge.label, edge.style, edge.tone, edge.both)

    def path_of(self, node: Node, view: set[str]) -> tuple[str, ...]:
        """Scope ids from subscription down to the node's innermost container in this view."""
        g = self.graph
        base: tuple[str, ...] = (f"/subscriptions/{node.subscription_id}",)
        if node.resource_group:
            base += (f"/subscriptions/{node.subscription_id}/resourcegroups/{node.resource_group}",)
        if node.type == network.VIRTUAL_NETWORK:
            return (*base, node.id)
        if node.type == network.SUBNET:
            vnets = [e.target for e in g.out(node.id, R.SUBNET_OF) if e.target in view]
            return (*base, *vnets[:1], node.id)
        if node.type == network.PRIVATE_ENDPOINT:
            for e in g.out(node.id, R.IN_SUBNET):
                if e.target in view:
                    subnet = g.nodes[e.target]
                    return self.path_of(subnet, view)
        return base

    def clusters(self) -> tuple[tuple[DCluster, ...], tuple[str, ...]]:
        tree: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for key, path in self.placement.items():
            tree[path].append(key)
        scopes: set[tuple[str, ...]] = set()
        for path in tree:
            for i in range(1, len(path) + 1):
                scopes.add(path[:i])

        def build(prefix: tuple[str, ...]) -> DCluster:
            children = sorted(p for p in scopes if len(p) == len(prefix) + 1 and p[: len(prefix)] == prefix)
            level, label = self.scope_label(prefix[-1], len(prefix))
            return DCluster(
                key="c" + short_hash("/".join(prefix), 12),
                label=label,
                level=level,
                nodes=tuple(sorted(tree.get(prefix, []), key=self.node_order)),
                clusters=tuple(sorted((build(c) for c in children), key=lambda c: (c.level, c.label, c.key))),
            )

        roots = sorted(p for p in scopes if len(p) == 1)
        top = tuple(sorted(tree.get((), []), key=self.node_order))
        return tuple(sorted((build(r) for r in roots), key=lambda c: (c.label, c.key))), top

    def node_order(self, key: str) -> tuple[str, str, str]:
        n = self.nodes[key]
        return (n.icon, n.label, key)

    def scope_label(self, scope: str, depth: int) -> tuple[str, str]:
        if depth == 1:
            sub = scope.rsplit("/", 1)[-1]
            return "subscription", f"Subscription {short_subscription(sub, self.names)}"
        if depth == 2:
            return "resource_group", f"Resource group {clean(scope.rsplit('/', 1)[-1])}"
        node = self.graph.nodes.get(scope)
        name = clean(node.name) if node else clean(scope.rsplit("/", 1)[-1])
        prefixes = ""
        if node is not None and isinstance(node.attrs, network.VirtualNetwork | network.Subnet):
            prefixes = clean(", ".join(node.attrs.address_prefixes), LABEL_MAX)
        if node is not None and node.type == network.SUBNET:
            return "subnet", f"Subnet {name}" + (f" · {prefixes}" if prefixes else "")
        return "virtual_network", f"Virtual network {name}" + (f" · {prefixes}" if prefixes else "")

    def finish(self, title: str, subtitle: str) -> Description:
        clusters, top = self.clusters()
        nodes = tuple(sorted(self.nodes.values(), key=lambda n: n.key))
        edges = tuple(sorted(self.edges.values(), key=lambda e: (e.source, e.target, e.label)))
        used = tuple(sorted({n.icon for n in nodes}))
        return Description(title, subtitle, nodes, clusters, top, edges, tuple(self.collapsed), used)


def _place_detail(b: _Builder, view_ids: Sequence[str]) -> None:
    """Draw every resource of the view with its edges, the Internet exposure and dangling references."""
    g = b.graph
    view = set(view_ids)
    # subnets are clusters; draw the subnet itself only when an edge needs it or it holds nothing
    pes_in: dict[str, list[str]] = defaultdict(list)
    for rid in view_ids:
        node = g.nodes[rid]
        if node.type == network.PRIVATE_ENDPOINT:
            for e in g.out(rid, R.IN_SUBNET):
                if e.target in view:
                    pes_in[e.target].append(rid)
    exposed = _exposures(view_ids, b.verdicts)
    collapsed_pe: dict[str, str] = {}  # PE id -> key of the group node standing for it
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
        del kept
    for rid in view_ids:
        node = g.nodes[rid]
        if rid in collapsed_pe:
            continue
        if node.type == network.SUBNET and pes_in.get(rid) and not _subnet_needed(g, rid, view):
            continue
        b.add(_dnode(g, node, b.verdicts), b.path_of(node, view))

    def key_of(rid: str) -> str:
        return collapsed_pe.get(rid) or node_key(rid)

    for e in g.edges:
        if e.source not in view or e.target not in view:
            continue
        if e.relation is R.IN_SUBNET and g.nodes[e.target].type == network.SUBNET:
            subnet_drawn = node_key(e.target) in b.nodes
            if not subnet_drawn or b.placement.get(key_of(e.source), ())[-1:] == (e.target,):
                continue
        d = _edge(g, e, b.verdicts, set(exposed))
        if d is None:
            if e.relation is R.SUBNET_OF:
                continue
            d = DEdge(node_key(e.source), node_key(e.target), RELATIONS[e.relation].words, "solid", "neutral")
        src = key_of(next(r for r in (e.source, e.target) if node_key(r) == d.source))
        dst = key_of(next(r for r in (e.source, e.target) if node_key(r) == d.target))
        if src not in b.nodes or dst not in b.nodes:
            continue
        if src != d.source or dst != d.target:  # a collapsed end: one edge for the group
            d = DEdge(src, dst, d.label, d.style, d.tone, d.both)
        b.add_edge(d)
    if exposed:
        b.add(
            DNode(
                key="internet", label="Internet", title="Public endpoints", icon=icons.INTERNET, tone="fail"
            ),
            (),
        )
        for rid, label in sorted(exposed.items()):
            b.add_edge(DEdge("internet", node_key(rid), label, "bold", "fail"))
    for source, relation, target in g.dangling:
        if source not in view:
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


def _pe_state(graph: Graph, pe: str) -> str:
    states = {str(e.attributes.get("status") or "Unknown") for e in graph.out(pe, R.PRIVATE_ENDPOINT_OF)}
    return "/".join(sorted(states)) or "no target"


def _pe_ok(graph: Graph, pe: str) -> bool:
    return _pe_state(graph, pe).lower() == "approved"


def _subnet_needed(graph: Graph, subnet: str, view: set[str]) -> bool:
    for e in graph.into(subnet):
        if e.relation not in (R.IN_SUBNET,) and e.source in view:
            return True
    return any(e.relation is not R.SUBNET_OF and e.target in view for e in graph.out(subnet))


def _summary(verdicts: _Verdicts, resources: set[str]) -> str:
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
    b = _Builder(graph, _verdicts(findings, catalogue), subscription_names)
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
    b = _Builder(graph, _verdicts(findings, catalogue), subscription_names)
    union = sorted({m for w in graph.workloads for m in w.members if m in graph.nodes})
    title = f"Estate · {len(graph.workloads)} workloads"
    subtitle = f"{len(union)} resources · {_summary(b.verdicts, set(union))}"
    if len(union) <= ESTATE_DETAIL_LIMIT:
        _place_detail(b, union)
        return b.finish(title, subtitle)
    counts: dict[str, int] = defaultdict(int)
    for w in graph.workloads:
        for m in w.members:
            counts[m] += 1
    shared = sorted(m for m, c in counts.items() if c > 1 and m in graph.nodes)
    accounts = {w.id for w in graph.workloads}
    view = set(shared) | accounts
    hidden = 0
    for rid in shared:
        node = graph.nodes[rid]
        b.add(_dnode(graph, node, b.verdicts), b.path_of(node, view))
    by_subscription: dict[str, list[tuple[str, str, list[str]]]] = defaultdict(list)
    for w in graph.workloads:
        account = graph.nodes.get(w.id)
        if account is None:
            continue
        own = [m for m in w.members if m not in shared]
        hidden += len(own)
        by_subscription[account.subscription_id].append((w.id, clean(w.name) or "(unnamed)", own))
    for sub, entries in sorted(by_subscription.items()):
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
                tone=_tone(badges),
                rows=rows,
            ),
            (f"/subscriptions/{sub}",),
        )
        users: dict[str, int] = defaultdict(int)
        for wid, _, _ in entries:
            workload = next(w for w in graph.workloads if w.id == wid)
            for m in set(workload.members) & set(shared):
                users[m] += 1
        for m, n in sorted(users.items()):
            b.add_edge(DEdge(group, node_key(m), f"used by {n}", "dotted", "neutral"))
    for e in graph.edges:
        if e.source in shared and e.target in shared:
            d2 = _edge(graph, e, b.verdicts, set())
            if d2 is not None:
                b.add_edge(d2)
    b.collapsed.append(
        f"The {len(graph.workloads)} workloads are drawn as one table per subscription "
        f"({len(by_subscription)} tables, one row of badges per workload): {hidden} resources private to "
        f"one workload are counted in the badges and drawn in each workload's own diagram; "
        f"{len(shared)} shared resources are drawn once."
    )
    return b.finish(title, subtitle)
