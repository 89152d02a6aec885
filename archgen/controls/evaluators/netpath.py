"""What guards the account's private endpoint subnets: an NSG that applies, and what it admits inbound.

The paths (endpoint -> subnet -> NSG / route table, and whether the subnet's network policies make them
apply) come from the model (`archgen.model.netpath`); these evaluators only judge them. An NSG rule set is
evaluated as Azure does: inbound rules (custom and default) in priority order, the lower number first, the
first rule that matches the traffic decides (`networkSecurityGroup.json` 2024-05-01, `priority`: "The
lower the priority number, the higher the priority of the rule").
"""

from __future__ import annotations

import ipaddress
from typing import Any

from archgen.controls.evaluators.common import FAIL, NA, PASS, UNKNOWN, Verdict, label
from archgen.model.graph import Graph, Node
from archgen.model.netpath import NetworkPath, default_hop, network_paths
from archgen.model.types.netpolicy import SecurityRule

# Sources that stand for any Internet client: the `Internet` service tag, `*` and the whole address space.
INTERNET_SOURCES = frozenset({"*", "internet", "any", "0.0.0.0/0", "::/0"})
HTTPS = 443


def _name(resource_id: str | None) -> str:
    return resource_id.rsplit("/", 1)[-1] if resource_id else "none"


def path_evidence(p: NetworkPath) -> dict[str, Any]:
    return {
        "subnet": p.subnet_id or "not in the input",
        "privateEndpointNetworkPolicies": p.policies or "not set",
        "networkSecurityGroup": p.nsg_id or "none",
        "nsg_in_input": p.nsg is not None,
        "routeTable": p.route_table_id or "none",
        "default_route": default_hop(p.route_table) if p.route_table is not None else "not read",
    }


def _evidence(paths: tuple[NetworkPath, ...]) -> dict[str, Any]:
    return {"network_path": {p.endpoint_id: path_evidence(p) for p in paths}}


def _nsg_verdict(p: NetworkPath) -> tuple[str, str]:
    """(status, sentence) of AOAI-NET-06 for one endpoint."""
    pe = f"private endpoint '{_name(p.endpoint_id)}'"
    if p.subnet_id is None:
        return UNKNOWN, f"the subnet of {pe} is not in the input"
    subnet = f"subnet '{_name(p.subnet_id)}'"
    if p.nsg_id is None:
        return FAIL, f"{subnet} of {pe} has no network security group"
    if p.nsg_applies is False:
        return FAIL, (
            f"NSG '{_name(p.nsg_id)}' is attached to {subnet} but privateEndpointNetworkPolicies is "
            f"'{p.policies}': the NSG does not apply to the private endpoint"
        )
    if p.nsg_applies is None:
        return UNKNOWN, f"privateEndpointNetworkPolicies of {subnet} is {p.policies or 'not set'}"
    if p.nsg is None:
        return UNKNOWN, f"NSG '{_name(p.nsg_id)}' of {subnet} is referenced but not in the input"
    return PASS, f"NSG '{_name(p.nsg_id)}' applies to {pe} in {subnet}"


def _combine(node: Node, results: list[tuple[str, str]], evidence: dict[str, Any], noun: str) -> Verdict:
    for status in (FAIL, UNKNOWN):
        hits = sorted({text for s, text in results if s == status})
        if hits:
            return status, f"{label(node)}: " + "; ".join(hits) + ".", evidence
    return PASS, f"{label(node)}: " + "; ".join(sorted({t for _, t in results})) + f" ({noun}).", evidence


def aoai_net_06(graph: Graph, node: Node) -> Verdict:
    """Each approved private endpoint's subnet has an NSG, and network policies make it apply."""
    paths = network_paths(graph, node.id)
    if not paths:
        return NA, f"{label(node)} has no approved private endpoint (see AOAI-NET-02).", {}
    results = [_nsg_verdict(p) for p in paths]
    return _combine(node, results, _evidence(paths), "network policies enabled for NSGs")


def _port_443(port: str) -> bool:
    if port == "*":
        return True
    low, _, high = port.partition("-")
    try:
        return int(low) <= HTTPS <= int(high or low)
    except ValueError:
        return False


def _reaches(dest: str, ips: tuple[str, ...]) -> bool:
    """Whether a destination prefix covers the endpoint (`*`, the VirtualNetwork tag, a CIDR holding its IP;
    a CIDR counts when the endpoint's IPs are unknown)."""
    if dest.lower() in ("*", "any", "virtualnetwork"):
        return True
    try:
        net = ipaddress.ip_network(dest, strict=False)
    except ValueError:
        return False
    return not ips or any(_in(ip, net) for ip in ips)


def _in(ip: str, net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    try:
        return ipaddress.ip_address(ip) in net
    except ValueError:
        return False


def internet_rule(rules: tuple[SecurityRule, ...], ips: tuple[str, ...]) -> SecurityRule | None:
    """The first inbound rule (in priority order) that matches TCP 443 from the Internet to the endpoint."""
    for r in rules:
        if r.direction != "inbound" or r.protocol not in ("tcp", "*"):
            continue
        if not any(s.lower() in INTERNET_SOURCES for s in r.sources):
            continue
        if any(_port_443(p) for p in r.ports) and any(_reaches(d, ips) for d in r.destinations):
            return r
    return None


def _rules_verdict(p: NetworkPath) -> tuple[str, str] | None:
    """(status, sentence) of AOAI-NET-07 for one endpoint; None when no NSG applies to it."""
    if p.nsg_id is None or p.nsg_applies is False:
        return None
    nsg = f"NSG '{_name(p.nsg_id)}'"
    if p.nsg is None or p.nsg_applies is None:
        return UNKNOWN, f"{nsg} is not in the input or its network policies are unknown"
    rule = internet_rule(p.nsg.rules, p.private_ips)
    if rule is None:
        if not p.nsg.has_default_rules:
            return UNKNOWN, f"{nsg} matches no Internet traffic and its default rules are not in the input"
        return PASS, f"{nsg} has no rule matching Internet traffic"
    if rule.access == "allow":
        return FAIL, (
            f"{nsg} rule '{rule.name}' (priority {rule.priority}) admits inbound traffic from "
            f"{', '.join(rule.sources)} on port {', '.join(rule.ports)} to the private endpoint"
        )
    return PASS, f"{nsg} denies Internet traffic first with rule '{rule.name}' (priority {rule.priority})"


def aoai_net_07(graph: Graph, node: Node) -> Verdict:
    """No NSG that applies to the account's private endpoints admits inbound Internet traffic on 443."""
    paths = network_paths(graph, node.id)
    results = [v for p in paths if (v := _rules_verdict(p)) is not None]
    if not results:
        return NA, f"{label(node)} has no private endpoint subnet whose NSG applies (see AOAI-NET-06).", {}
    return _combine(node, results, _evidence(paths), "inbound rules checked in priority order")
