"""Relations in the reader's words on the diagram: label, line style and tone, one small function each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from archgen.model.graph import Edge, Graph
from archgen.model.relations import Relation
from archgen.model.types.foundry import SECRET_AUTH
from archgen.render.description import LABEL_MAX, DEdge, clean, node_key
from archgen.render.verdicts import Verdicts

R = Relation


@dataclass(frozen=True, slots=True)
class EdgeContext:
    """What styling an edge reads besides the edge: the graph, the verdicts, the exposed resources."""

    graph: Graph
    verdicts: Verdicts
    exposed: set[str]


def _private_link(e: Edge, ctx: EdgeContext) -> DEdge:
    s, t = node_key(e.source), node_key(e.target)
    status = str(e.attributes.get("status") or "Unknown")
    if status.lower() == "approved":
        return DEdge(s, t, f"private link · {clean(status)}", "solid", "neutral")
    tone = "warn" if status.lower() == "pending" else "fail"
    return DEdge(s, t, clean(f"private link · {status} (no traffic)", LABEL_MAX), "dashed", tone)


def _shared_private_link(e: Edge, ctx: EdgeContext) -> DEdge:
    status = str(e.attributes.get("status") or "Unknown")
    ok = status.lower() == "approved"
    label = clean(f"shared private link · {status}" + ("" if ok else " (no traffic)"), LABEL_MAX)
    return DEdge(
        node_key(e.source),
        node_key(e.target),
        label,
        "solid" if ok else "dashed",
        "neutral" if ok else "warn",
    )


def _dns_record(e: Edge, ctx: EdgeContext) -> DEdge:
    s, t = node_key(e.source), node_key(e.target)
    label = f"A record {e.attributes.get('ip') or ''}".strip()
    broken = any(
        ctx.verdicts.failed_overlay("dns", pe.target) for pe in ctx.graph.out(e.target, R.PRIVATE_ENDPOINT_OF)
    )
    if broken:
        return DEdge(s, t, clean(label + " · not resolvable", LABEL_MAX), "bold", "fail")
    return DEdge(s, t, clean(label, LABEL_MAX), "solid", "neutral")


def _dns_zone_link(e: Edge, ctx: EdgeContext) -> DEdge:
    auto = " · auto-registration" if e.attributes.get("registration_enabled") else ""
    return DEdge(node_key(e.source), node_key(e.target), f"DNS zone link{auto}", "solid", "neutral")


def _peering(e: Edge, ctx: EdgeContext) -> DEdge:
    state = str(e.attributes.get("state") or "unknown")
    ok = state.lower() == "connected"
    label = clean(f"peering · {state.capitalize()}", LABEL_MAX)
    style, tone = ("solid", "neutral") if ok else ("dashed", "warn")
    return DEdge(node_key(e.source), node_key(e.target), label, style, tone, both=True)


def _dns_servers(e: Edge, ctx: EdgeContext) -> DEdge:
    servers = e.attributes.get("servers") or []
    shown = ", ".join(str(x) for x in servers) if isinstance(servers, list | tuple) else ""
    label = clean(f"DNS servers {shown}".strip(), LABEL_MAX)
    return DEdge(node_key(e.source), node_key(e.target), label, "dotted", "neutral")


def _cmk(e: Edge, ctx: EdgeContext) -> DEdge:
    s, t = node_key(e.source), node_key(e.target)
    label = f"CMK · key {e.attributes.get('key_name') or '?'}"
    if ctx.verdicts.failed_overlay("cmk-chain", e.source):
        return DEdge(s, t, clean(label + " · chain broken", LABEL_MAX), "bold", "fail")
    return DEdge(s, t, clean(label, LABEL_MAX), "solid", "neutral")


def _data_flow(e: Edge, ctx: EdgeContext) -> DEdge:
    """Drawn in the direction data flows: account -> storage."""
    stores = e.relation is R.STORES_DATA_IN
    account, store = (e.source, e.target) if stores else (e.target, e.source)
    label = "stores data" if stores else "trusted access (instance rule)"
    if ctx.verdicts.failed_overlay("shared-key", store) and store not in ctx.exposed:
        return DEdge(node_key(account), node_key(store), label + " · SAS / shared key", "bold", "fail")
    return DEdge(node_key(account), node_key(store), label, "solid", "neutral")


def _role_assignment(e: Edge, ctx: EdgeContext) -> DEdge | None:
    """Dotted; None when a `calls` or `fronts` edge already joins the two (they name the role), so two
    parallel edges do not stack their labels."""
    if any(c.target == e.target for r in (R.CALLS, R.FRONTS) for c in ctx.graph.out(e.source, r)):
        return None
    label = clean(f"RBAC · {e.attributes.get('role_name') or 'role'}", LABEL_MAX)
    return DEdge(node_key(e.source), node_key(e.target), label, "dotted", "neutral")


def _fronts(e: Edge, ctx: EdgeContext) -> DEdge:
    """A gateway's backend, with the roles the gateway's identity holds on the target (their own edge is not
    drawn); bold when a control drawn as `bypass` fails on the account behind it."""
    s, t = node_key(e.source), node_key(e.target)
    roles = sorted(
        {
            str(r.attributes.get("role_name") or "role")
            for r in ctx.graph.out(e.source, R.ROLE_ASSIGNMENT)
            if r.target == e.target
        }
    )
    rbac = f"RBAC {', '.join(roles)} · " if roles else ""
    label = f"fronts · {rbac}{e.attributes.get('via') or 'backend'}"
    if ctx.verdicts.failed_overlay("bypass", e.target):
        return DEdge(s, t, clean(label + " · bypassable", LABEL_MAX), "bold", "fail")
    return DEdge(s, t, clean(label, LABEL_MAX), "solid", "neutral")


def _calls(e: Edge, ctx: EdgeContext) -> DEdge:
    label = clean(f"calls · {e.attributes.get('role_name') or 'role'}", LABEL_MAX)
    return DEdge(node_key(e.source), node_key(e.target), label, "solid", "neutral")


def _diagnostics(e: Edge, ctx: EdgeContext) -> DEdge:
    cats = e.attributes.get("categories") or []
    what = ", ".join(str(c) for c in cats) if isinstance(cats, list | tuple) and cats else "logs"
    label = clean(f"diagnostics · {what}", LABEL_MAX)
    return DEdge(node_key(e.source), node_key(e.target), label, "dotted", "neutral")


def _connection(e: Edge, ctx: EdgeContext) -> DEdge:
    """A Foundry connection, drawn toward the data it reaches; bold red when it holds a key or SAS."""
    auth = str(e.attributes.get("auth_type") or "not set")
    label = clean(f"connection {e.attributes.get('connection') or ''} · {auth}", LABEL_MAX)
    s, t = node_key(e.source), node_key(e.target)
    if auth.lower() in SECRET_AUTH:
        return DEdge(s, t, label, "bold", "fail")
    return DEdge(s, t, label, "solid", "neutral")


def _fixed(label: str, style: str, reverse: bool = False) -> Callable[[Edge, EdgeContext], DEdge]:
    """A relation drawn always the same way (`reverse`: from target to source)."""

    def draw(e: Edge, ctx: EdgeContext) -> DEdge:
        s, t = node_key(e.source), node_key(e.target)
        return DEdge(t, s, label, style, "neutral") if reverse else DEdge(s, t, label, style, "neutral")

    return draw


# Relation -> how it is drawn. IN_SUBNET and SUBNET_OF are absent: the nesting shows them.
EDGE_STYLES: dict[Relation, Callable[[Edge, EdgeContext], DEdge | None]] = {
    R.PRIVATE_ENDPOINT_OF: _private_link,
    R.SHARED_PRIVATE_LINK_TO: _shared_private_link,
    R.DNS_RECORD_FOR: _dns_record,
    R.DNS_ZONE_LINKED_TO: _dns_zone_link,
    R.PEERED_WITH: _peering,
    R.CONNECTED_TO_HUB: _fixed("hub connection", "solid"),
    R.HUB_IN_WAN: _fixed("in Virtual WAN", "solid"),
    R.USES_DNS_SERVERS_IN: _dns_servers,
    R.USES_IDENTITY: _fixed("runs as", "dotted"),
    R.CMK_KEY_IN: _cmk,
    R.STORES_DATA_IN: _data_flow,
    R.TRUSTED_ACCESS_FROM: _data_flow,
    R.NETWORK_RULE_ALLOWS: _fixed("firewall admits subnet", "solid", reverse=True),
    R.ROLE_ASSIGNMENT: _role_assignment,
    R.DIAGNOSTICS_TO: _diagnostics,
    R.PROJECT_OF: _fixed("Foundry project", "solid", reverse=True),
    R.CONNECTS_TO: _connection,
    R.FRONTS: _fronts,
    R.PROTECTED_BY: _fixed("WAF policy", "solid"),
    R.CALLS: _calls,
    R.AGENTS_IN_SUBNET: _fixed("agents in subnet", "solid"),
    R.HUB_CONNECTS_TO: _fixed("Foundry hub connection", "solid", reverse=True),
}


def edge(graph: Graph, e: Edge, verdicts: Verdicts, exposed: set[str]) -> DEdge | None:
    """One relation in reader's words. None for relations the nesting already shows."""
    draw = EDGE_STYLES.get(e.relation)
    return None if draw is None else draw(e, EdgeContext(graph, verdicts, exposed))


def exposures(view: Sequence[str], verdicts: Verdicts) -> dict[str, str]:
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
