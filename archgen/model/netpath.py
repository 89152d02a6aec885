"""What guards a private endpoint's subnet: its NSG, its route table, and whether either applies.

Derived once here and read by controls, render and publish.

A subnet's `privateEndpointNetworkPolicies` decides whether the subnet's network security group and route
table apply to the private endpoints in it: "By default, network policies are disabled for a subnet ... To
use network policies like user-defined routes and network security group support, network policy support
must be enabled for the subnet. This setting only applies to private endpoints in the subnet"; the values
are `Disabled`, `Enabled`, `NetworkSecurityGroupEnabled` and `RouteTableEnabled` ("You can enable network
policies either for network security groups only, for user-defined routes only, or for both").
Source: https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
(ms.date 07/26/2023); the four values also in the SDK enum `VirtualNetworkPrivateEndpointNetworkPolicy`
(https://learn.microsoft.com/dotnet/api/azure.resourcemanager.network.models.virtualnetworkprivateendpointnetworkpolicy).
A value archgen does not know, or none, leaves both undecided (None).
"""

from __future__ import annotations

import msgspec

from archgen.model.facts import endpoint_status
from archgen.model.graph import Graph
from archgen.model.types import netpolicy, network

# privateEndpointNetworkPolicies (lower-case) -> (NSG applies, route table applies)
POLICY_EFFECT: dict[str, tuple[bool, bool]] = {
    "disabled": (False, False),
    "enabled": (True, True),
    "networksecuritygroupenabled": (True, False),
    "routetableenabled": (False, True),
}


class NetworkPath(msgspec.Struct, frozen=True):
    """One approved private endpoint of an account and what guards its subnet.

    `subnet` is None when the endpoint or its subnet is not in the input; `nsg` / `route_table` hold the
    referenced ids (None when the subnet has none), `*_in_input` whether that resource's row was read.
    """

    endpoint_id: str
    private_ips: tuple[str, ...]
    subnet_id: str | None
    policies: str | None  # lower-case privateEndpointNetworkPolicies, None when the subnet is unknown
    nsg_id: str | None
    nsg: netpolicy.NetworkSecurityGroup | None
    route_table_id: str | None
    route_table: netpolicy.RouteTable | None

    @property
    def nsg_applies(self) -> bool | None:
        effect = POLICY_EFFECT.get(self.policies or "")
        return effect[0] if effect is not None else None

    @property
    def udr_applies(self) -> bool | None:
        effect = POLICY_EFFECT.get(self.policies or "")
        return effect[1] if effect is not None else None


def _path(graph: Graph, pe_id: str) -> NetworkPath:
    pe = graph.attrs(pe_id, network.PrivateEndpoint)
    subnet_id = pe.subnet_id if pe is not None and pe.subnet_id else None
    subnet = graph.attrs(subnet_id, network.Subnet) if subnet_id else None
    nsg_id = subnet.network_security_group if subnet is not None else None
    rt_id = subnet.route_table if subnet is not None else None
    return NetworkPath(
        endpoint_id=pe_id,
        private_ips=pe.private_ips if pe is not None else (),
        subnet_id=subnet_id if subnet is not None else None,
        policies=subnet.private_endpoint_network_policies if subnet is not None else None,
        nsg_id=nsg_id,
        nsg=graph.attrs(nsg_id, netpolicy.NetworkSecurityGroup) if nsg_id else None,
        route_table_id=rt_id,
        route_table=graph.attrs(rt_id, netpolicy.RouteTable) if rt_id else None,
    )


def network_paths(graph: Graph, account_id: str) -> tuple[NetworkPath, ...]:
    """The account's approved private endpoints, each with what guards its subnet (sorted by endpoint)."""
    key = "netpath:" + account_id
    cached: tuple[NetworkPath, ...] | None = graph.memo.get(key)
    if cached is None:
        approved = sorted(pe for pe, s in endpoint_status(graph, account_id).items() if s == "approved")
        cached = tuple(_path(graph, pe) for pe in approved)
        graph.memo[key] = cached
    return cached


def subnet_guards(graph: Graph, subnet_id: str) -> list[str]:
    """Short words for a subnet's guards: 'NSG <name>', 'UDR → <next hop>' (for labels and badges)."""
    subnet = graph.attrs(subnet_id, network.Subnet)
    if subnet is None:
        return []
    words = []
    if subnet.network_security_group:
        absent = "" if graph.node(subnet.network_security_group) is not None else " (not in input)"
        words.append("NSG " + subnet.network_security_group.rsplit("/", 1)[-1] + absent)
    if subnet.route_table:
        rt = graph.attrs(subnet.route_table, netpolicy.RouteTable)
        words.append("UDR → " + (default_hop(rt) if rt is not None else "route table not in input"))
    return words


def default_hop(rt: netpolicy.RouteTable) -> str:
    """Where the route table sends 0.0.0.0/0: 'through firewall/NVA <ip>', the next hop type, or 'no default
    route'."""
    for r in rt.routes:
        if r.address_prefix == "0.0.0.0/0":
            if r.next_hop_type == "virtualappliance":
                return f"through firewall/NVA {r.next_hop_ip or 'unknown IP'}"
            return r.next_hop_type or "unknown next hop"
    return "no default route"
