"""FDY-NET-01's judgement of an injected agent subnet, from the subnet as its virtual network's row gives it.

What Microsoft asks of it ("Set up private networking for Foundry Agent Service", ms.date 2025-10-21,
https://learn.microsoft.com/azure/ai-foundry/agents/how-to/virtual-networks):

- delegation: "If you bring your existing virtual network and subnet with the *Microsoft.App/environments*
  delegation, the minimized size of your subnet should be /27 (32 addresses). We recommend a subnet size of
  /24 (256 addresses)"; the known limitations call it "the delegated Agent subnet ... due to the delegation
  of the subnet to `Microsoft.App/environment`". archgen requires the delegation `Microsoft.App/environments`
  (the service name of the note and of the page's troubleshooting error) and at least 32 IPv4 addresses;
- exclusivity: "The agent subnet cannot be shared by multiple Azure AI Foundry resources. Each AI Foundry
  must use a dedicated agent subnet" (judged among the AI Services accounts of the input).

The page requires no network security group on the agent subnet, so its NSG and route table are shown as
evidence, never as the reason for a verdict. The subnet's `delegations[].properties.serviceName` come from
`virtualNetwork.json` (`SubnetPropertiesFormat`, `ServiceDelegationPropertiesFormat`).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from archgen.controls.evaluators.common import FAIL, PASS, UNKNOWN, Verdict, label
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive, network

DELEGATION = "microsoft.app/environments"
MIN_ADDRESSES = 32  # a /27


def _addresses(prefixes: tuple[str, ...]) -> int | None:
    """IPv4 addresses of the subnet's prefixes; None when one of them is not a prefix."""
    total = 0
    for p in prefixes:
        try:
            net = ipaddress.ip_network(p.strip(), strict=False)
        except ValueError:
            return None
        total += net.num_addresses if net.version == 4 else 0
    return total


def _sharers(graph: Graph, node: Node, subnet: str) -> list[str]:
    """The other AI Services accounts of the input that inject agents into the same subnet."""
    return sorted(name for other, name in _injectors(graph).get(subnet, ()) if other != node.id)


def _injectors(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """Agent subnet -> (id, name) of each account injecting agents into it, once per graph (each account
    scanned every account of the input: quadratic in the accounts)."""
    found: dict[str, list[tuple[str, str]]] | None = graph.memo.get("agent_subnet_injectors")
    if found is None:
        found = graph.memo["agent_subnet_injectors"] = {}
        for other in graph.of_type(cognitive.TYPE):
            f = other.attrs.foundry if isinstance(other.attrs, cognitive.Account) else None
            for subnet in dict.fromkeys(f.agent_subnets if f is not None else ()):
                found.setdefault(subnet, []).append((other.id, other.name))
    return found


def _facts(subnet: network.Subnet | None) -> dict[str, Any]:
    if subnet is None:
        return {"in input": False}
    return {
        "delegations": list(subnet.delegations),
        "addressPrefixes": list(subnet.address_prefixes),
        "networkSecurityGroup": (subnet.network_security_group or "none").rsplit("/", 1)[-1],
        "routeTable": (subnet.route_table or "none").rsplit("/", 1)[-1],
    }


def _problems(graph: Graph, node: Node, sid: str, subnet: network.Subnet) -> tuple[list[str], list[str]]:
    """(what fails, what cannot be judged) for one agent subnet."""
    name = sid.rsplit("/", 1)[-1]
    fails: list[str] = []
    unread: list[str] = []
    if DELEGATION not in subnet.delegations:
        shown = ", ".join(subnet.delegations) or "none"
        fails.append(f"subnet {name} is not delegated to Microsoft.App/environments (delegations: {shown})")
    size = _addresses(subnet.address_prefixes)
    if size is None or not subnet.address_prefixes:
        unread.append(f"subnet {name} has no address prefix archgen can read")
    elif size < MIN_ADDRESSES:
        fails.append(f"subnet {name} has {size} IPv4 addresses, fewer than the /27 (32) minimum")
    sharers = _sharers(graph, node, sid)
    if sharers:
        fails.append(f"subnet {name} is also the agent subnet of {', '.join(sharers)}")
    return fails, unread


def judge(graph: Graph, node: Node, evidence: dict[str, Any], subnets: tuple[str, ...]) -> Verdict:
    """The verdict on the account's injected agent subnet(s)."""
    fails: list[str] = []
    unread: list[str] = []
    for sid in subnets:
        subnet = graph.attrs(sid, network.Subnet)
        evidence[f"agent subnet {sid.rsplit('/', 1)[-1]}"] = _facts(subnet)
        if subnet is None:
            unread.append(
                f"subnet {sid.rsplit('/', 1)[-1]} is not in the input (its virtual network was not read)"
            )
            continue
        f, u = _problems(graph, node, sid, subnet)
        fails += f
        unread += u
    if fails:
        return FAIL, f"{label(node)} injects its agents, but {'; '.join(fails)}.", evidence
    if unread:
        return UNKNOWN, f"{label(node)} injects its agents, but {'; '.join(unread)}.", evidence
    return (
        PASS,
        f"{label(node)} injects its agents into a dedicated subnet delegated to Microsoft.App/environments "
        f"of at least /27 ({', '.join(s.rsplit('/', 1)[-1] for s in subnets)}).",
        evidence,
    )
