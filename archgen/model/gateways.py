"""What fronts an account: API Management backends and Application Gateway backend pools matched to the
account's endpoint hosts by value (the `fronts` relation), and the facts controls and the site read.

An account answers on `<customSubDomainName>.openai.azure.com`, `.cognitiveservices.azure.com` and
`.services.ai.azure.com` (the three names whose private DNS zones a Foundry account needs:
https://learn.microsoft.com/azure/ai-foundry/agents/how-to/virtual-networks, ms.date 2025-10-21, the
catalogue's `foundry_dns` source; custom subdomains:
https://learn.microsoft.com/azure/ai-services/cognitive-services-custom-subdomains), and on the hosts of its
`endpoint` / `endpoints` properties (`cognitiveservices.json` 2024-10-01 `AccountProperties`). Hosts are
compared lower-case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec

from archgen.model import frontdoor, props, records
from archgen.model.children import ByType
from archgen.model.coverage import ARM, LOOKUP, Gap
from archgen.model.graph import Edge, Graph, Node
from archgen.model.relations import Relation
from archgen.model.types import cognitive
from archgen.model.types.callers import App
from archgen.model.types.frontdoor import FrontDoor
from archgen.model.types.gateway import (
    APIM,
    APIM_API,
    APIM_API_POLICY,
    APIM_BACKEND,
    APIM_POLICY,
    APP_GATEWAY,
    MI_AUTH,
    ApiManagement,
    AppGateway,
    Backend,
    WafPolicy,
    host_of,
    parse_backend,
)
from archgen.model.types.identity import CALL

EdgeSink = Callable[..., None]
LOOKUP_QUERY = "gateways_by_subscription"
ARM_READS = ("gateway_backends", "gateway_apis")  # the reads whose failure can hide a fronting backend
ACCOUNT_DOMAINS = ("openai.azure.com", "cognitiveservices.azure.com", "services.ai.azure.com")


def account_hosts(node: Node) -> frozenset[str]:
    """Every host name the account answers on (lower-case)."""
    a = node.attrs
    hosts: set[str] = set()
    if isinstance(a, cognitive.Account):
        if a.custom_subdomain:
            hosts.update(f"{a.custom_subdomain}.{d}" for d in ACCOUNT_DOMAINS)
        if (h := host_of(a.endpoint)) is not None:
            hosts.add(h)
    endpoints = props.get(node.raw, "properties", "endpoints")
    if isinstance(endpoints, Mapping):
        hosts.update(h for v in endpoints.values() if isinstance(v, str) and (h := host_of(v)))
    return frozenset(hosts)


def _service_of(rid: str) -> str:
    """The API Management instance a child row belongs to (`.../service/{name}/...`)."""
    head, _, rest = rid.partition("/providers/microsoft.apimanagement/service/")
    return f"{head}/providers/microsoft.apimanagement/service/{rest.split('/', 1)[0]}" if rest else ""


def _policy_scopes(by_type: ByType) -> dict[str, tuple[bool, list[str]]]:
    """Instance -> (policies read, where `authentication-managed-identity` appears)."""
    out: dict[str, tuple[bool, list[str]]] = {}
    for rtype, where in ((APIM_POLICY, "global"), (APIM_API_POLICY, "api")):
        for r in by_type.get(rtype, ()):
            _read, found = out.setdefault(_service_of(r.id), (True, []))
            if MI_AUTH in props.strings(r.properties, "elements"):
                found.append(
                    "global policy"
                    if where == "global"
                    else f"API {r.id.split('/apis/', 1)[1].split('/')[0]}"
                )
    return out


def attach_backends(nodes: dict[str, Node], by_type: ByType) -> None:
    """API Management child rows read through ARM join their instance's attributes: backends, the APIs'
    `serviceUrl` (an API can name its backend URL itself) and the policies' element names."""
    found: dict[str, list[Backend]] = defaultdict(list)
    for r in by_type.get(APIM_BACKEND, ()):
        if (b := parse_backend(r.row)) is not None:
            found[_service_of(r.id)].append(b)
    for r in by_type.get(APIM_API, ()):
        if url := props.get_str(r.properties, "serviceUrl"):
            name = props.get_str(r.row, "name") or r.id.rsplit("/", 1)[-1]
            found[_service_of(r.id)].append(Backend(name, url, host_of(url), "API"))
    listed_backends = {_service_of(r.id) for r in by_type.get(APIM_BACKEND, ())}
    policies = _policy_scopes(by_type)
    for service_id in sorted(set(found) | set(policies)):
        node = nodes.get(service_id)
        if node is None or not isinstance(node.attrs, ApiManagement):
            continue
        read, mi = policies.get(service_id, (False, []))
        attrs = records.replace(
            node.attrs,
            backends=tuple(sorted(found.get(service_id, ()), key=lambda b: (b.name, b.url))),
            backends_read=service_id in listed_backends,
            policies_read=read,
            mi_auth_in=tuple(sorted(set(mi))),
        )
        nodes[service_id] = records.replace(node, attrs=attrs)
    frontdoor.attach_front_doors(nodes, by_type)


def _hosts_index(nodes: list[Node]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(account host -> account ids, API Management gateway host -> instance ids)."""
    accounts: dict[str, list[str]] = defaultdict(list)
    gateways: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        if n.type == cognitive.TYPE:
            for h in account_hosts(n):
                accounts[h].append(n.id)
        elif isinstance(n.attrs, ApiManagement):
            for h in n.attrs.hosts:
                gateways[h].append(n.id)
    return accounts, gateways


def fronts_edges(nodes: Iterable[Node], edge: EdgeSink) -> None:
    """`fronts` edges: APIM -> account by backend URL; Application Gateway -> account or APIM by FQDN; Front
    Door -> account or APIM by origin host."""
    nodes = list(nodes)
    fronting = [n for n in nodes if isinstance(n.attrs, ApiManagement | AppGateway | FrontDoor)]
    if not fronting:  # the hosts are worked out only when something may front them
        return
    accounts, gateways = _hosts_index(nodes)
    for n in fronting:
        if isinstance(n.attrs, ApiManagement):  # one edge per account, naming every backend that reaches it
            reach: dict[str, list[Backend]] = defaultdict(list)
            for b in n.attrs.backends:
                for target in accounts.get(b.host or "", ()):
                    reach[target].append(b)
            for target, found in sorted(reach.items()):
                via, urls = "; ".join(b.via() for b in found), ", ".join(sorted({b.url for b in found}))
                edge(n.id, Relation.FRONTS, target, via=via, url=urls)
        elif isinstance(n.attrs, AppGateway):
            for h in n.attrs.backend_hosts:
                for target in (*accounts.get(h, ()), *gateways.get(h, ())):
                    edge(n.id, Relation.FRONTS, target, via="backend pool", url=h)
    frontdoor.front_door_edges(fronting, accounts, gateways, edge)


def caller_edges(nodes: Iterable[Node], into: Mapping[str, list[Edge]], edge: EdgeSink) -> None:
    """`calls` edges: an app (App Service / Functions, Container App) whose system- or user-assigned identity
    is the principal of a role assignment that lets it call the model on the account (`granted_on` edges,
    drawn first)."""
    apps: dict[str, list[str]] = defaultdict(list)
    accounts: list[str] = []
    for n in nodes:
        if isinstance(n.attrs, App):
            ident = n.attrs.identity
            for principal in ({ident.principal_id} - {None}) | set(ident.user_assigned_principals):
                apps[str(principal)].append(n.id)
        elif n.type == cognitive.TYPE:
            accounts.append(n.id)
    for account in accounts:
        for e in into.get(account, ()):
            if e.relation is not Relation.GRANTED_ON or CALL not in (e.attributes.get("grants") or ()):
                continue
            for app in apps.get(str(e.attributes.get("principal_id", "")).lower(), ()):
                edge(
                    app,
                    Relation.CALLS,
                    account,
                    role_name=e.attributes.get("role_name", ""),
                    scope=e.attributes.get("scope", ""),
                )


class Front(msgspec.Struct, frozen=True):
    """One gateway in front of an account, directly or through the API Management it fronts."""

    gateway: str  # node id
    via: str
    url: str
    through: str | None  # the API Management instance in between, for an Application Gateway in front of it


def fronts_of(graph: Graph, account_id: str) -> tuple[Front, ...]:
    """The gateways in front of an account (sorted by gateway id), derived once per graph."""
    key = "fronts:" + account_id
    cached: tuple[Front, ...] | None = graph.memo.get(key)
    if cached is None:
        found: list[Front] = []
        for e in graph.into(account_id, Relation.FRONTS):
            found.append(
                Front(e.source, str(e.attributes.get("via", "")), str(e.attributes.get("url", "")), None)
            )
            source = graph.node(e.source)
            if source is not None and source.type == APIM:
                for e2 in graph.into(e.source, Relation.FRONTS):
                    found.append(
                        Front(
                            e2.source,
                            str(e2.attributes.get("via", "")),
                            str(e2.attributes.get("url", "")),
                            e.source,
                        )
                    )
        cached = tuple(sorted(set(found), key=lambda f: (f.gateway, f.through or "", f.url)))
        graph.memo[key] = cached
    return cached


def _policy_mode(graph: Graph, policy_id: str) -> tuple[str, dict[str, Any]]:
    evidence: dict[str, Any] = {"firewallPolicy.id": policy_id}
    policy = graph.attrs(policy_id, WafPolicy)
    if policy is None:
        return "unknown", {**evidence, "policy_in_input": False}
    evidence["policySettings.state"] = policy.state or "not set"
    evidence["policySettings.mode"] = policy.mode or "not set"
    return ("disabled" if policy.state == "disabled" else policy.mode or "unknown"), evidence


def gateway_gaps(graph: Graph) -> tuple[Gap, ...]:
    """The coverage gaps that may hide a gateway in front of an account: a failed or truncated gateway lookup
    (or an unnamed lookup gap), or an API Management backends / APIs list Azure failed to answer."""
    return tuple(
        g
        for g in graph.incomplete
        if (g.kind == LOOKUP and g.query in (LOOKUP_QUERY, ""))
        or (g.kind == ARM and g.query in (*ARM_READS, *frontdoor.ARM_READS))
    )


def waf_mode(graph: Graph, gateway_id: str) -> tuple[str, dict[str, Any]]:
    """An Application Gateway's or Front Door's WAF mode ('prevention' | 'detection' | 'disabled' | 'none' | 'unknown')
    and the evidence: the attached policy wins over the gateway's own WAF configuration."""
    if (fd := graph.attrs(gateway_id, FrontDoor)) is not None:
        return frontdoor.front_door_waf(graph, fd)
    g = graph.attrs(gateway_id, AppGateway)
    if g is None:
        return "unknown", {}
    if g.firewall_policy:
        return _policy_mode(graph, g.firewall_policy)
    evidence = {
        "webApplicationFirewallConfiguration.enabled": g.waf_enabled,
        "webApplicationFirewallConfiguration.firewallMode": g.waf_mode or "not set",
    }
    if g.waf_enabled is None:
        return "none", evidence
    return ((g.waf_mode or "unknown") if g.waf_enabled else "disabled"), evidence


__all__ = [
    "APIM",
    "APP_GATEWAY",
    "Front",
    "account_hosts",
    "attach_backends",
    "fronts_edges",
    "fronts_of",
    "waf_mode",
]
