"""Networking: private endpoints, network interfaces, virtual networks and subnets, Virtual WAN hubs.

Property names from `specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/`:
- `privateEndpoint.json`: `subnet.id`, `privateLinkServiceConnections[]` and
  `manualPrivateLinkServiceConnections[]` `.properties{privateLinkServiceId,groupIds,
  privateLinkServiceConnectionState{status}}`, `customDnsConfigs[]{fqdn,ipAddresses[]}`,
  `ipConfigurations[]{properties{groupId,memberName,privateIPAddress}}`, `networkInterfaces[].id`.
- `networkInterface.json`: `ipConfigurations[].properties{privateIPAddress,subnet.id}`, `privateEndpoint.id`.
- `virtualNetwork.json`: `addressSpace.addressPrefixes`, `dhcpOptions.dnsServers`, `subnets[]{name,
  properties{addressPrefix,addressPrefixes,networkSecurityGroup.id,routeTable.id,
  privateEndpointNetworkPolicies}}`, `virtualNetworkPeerings[].properties{remoteVirtualNetwork.id,peeringState}`.
- `virtualWan.json`: `virtualHubs` `properties{virtualWan.id,addressPrefix}`;
  `virtualHubs/hubVirtualNetworkConnections` `properties.remoteVirtualNetwork.id`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import norm_id
from archgen.model.relations import Relation
from archgen.model.types.spec import IconRef, Lookup, Ref, RefIndex, ResourceType

PRIVATE_ENDPOINT = "microsoft.network/privateendpoints"
NETWORK_INTERFACE = "microsoft.network/networkinterfaces"
VIRTUAL_NETWORK = "microsoft.network/virtualnetworks"
SUBNET = "microsoft.network/virtualnetworks/subnets"
VIRTUAL_HUB = "microsoft.network/virtualhubs"
HUB_CONNECTION = "microsoft.network/virtualhubs/hubvirtualnetworkconnections"
VIRTUAL_WAN = "microsoft.network/virtualwans"


class LinkServiceConnection(msgspec.Struct, frozen=True):
    target_id: str
    group_ids: tuple[str, ...]
    status: str  # lower-case
    manual: bool


class PrivateEndpoint(msgspec.Struct, frozen=True):
    subnet_id: str
    connections: tuple[LinkServiceConnection, ...]
    private_ips: tuple[str, ...]
    fqdns: tuple[str, ...]  # lower-case, from customDnsConfigs
    network_interfaces: tuple[str, ...]


_PRIVATE_ENDPOINT = props.Fields(
    "privateLinkServiceConnections", "manualPrivateLinkServiceConnections", "customDnsConfigs",
    "ipConfigurations", "subnet", "networkInterfaces",
)  # fmt: skip
_LINK_CONNECTION = props.Fields("privateLinkServiceId", "groupIds", "privateLinkServiceConnectionState")
_DNS_CONFIG = props.Fields("ipAddresses", "fqdn")


def parse_private_endpoint(row: Mapping[str, object], properties: Mapping[str, object]) -> PrivateEndpoint:
    auto, manual_conns, dns_configs, ip_configs, subnet, nics = _PRIVATE_ENDPOINT(properties)
    conns = []
    for manual, key in ((False, auto), (True, manual_conns)):
        for conn in props.as_maps(key):
            target, groups, state = _LINK_CONNECTION(props.get(conn, "properties"))
            if target := norm_id(target):
                group_ids = tuple(g.lower() for g in props.as_strings(groups))
                conns.append(
                    LinkServiceConnection(target, group_ids, props.get_enum(state, "status") or "", manual)
                )
    ips: set[str] = set()
    fqdns: set[str] = set()
    for cfg in props.as_maps(dns_configs):
        addresses, fqdn = _DNS_CONFIG(cfg)
        ips.update(props.as_strings(addresses))
        if fqdn := props.as_str(fqdn):
            fqdns.add(fqdn.lower().rstrip("."))
    for cfg in props.as_maps(ip_configs):
        if ip := props.get_str(cfg, "properties", "privateIPAddress"):
            ips.add(ip)
    return PrivateEndpoint(
        subnet_id=props.ref_id(subnet, "id"),
        connections=tuple(sorted(conns, key=lambda c: (c.target_id, c.manual, c.group_ids))),
        private_ips=tuple(sorted(ips)),
        fqdns=tuple(sorted(fqdns)),
        network_interfaces=tuple(sorted({i for n in props.as_maps(nics) if (i := props.ref_id(n, "id"))})),
    )


def nic_private_ips(properties: Mapping[str, object]) -> tuple[str, str, tuple[str, ...]]:
    """(private endpoint id, subnet id, private IPs) of a network interface row."""
    ips = []
    subnet = ""
    for cfg in props.items(properties, "ipConfigurations"):
        if ip := props.get_str(cfg, "properties", "privateIPAddress"):
            ips.append(ip)
        subnet = subnet or props.ref_id(cfg, "properties", "subnet", "id")
    return props.ref_id(properties, "privateEndpoint", "id"), subnet, tuple(sorted(set(ips)))


def nic_ips(properties: Mapping[str, object]) -> tuple[str, ...]:
    """`nic_private_ips(properties)[2]` alone: the private IPs, without reading the endpoint and subnet ids
    (the builder knows an interface's endpoint already and does not want its subnet)."""
    configs = props.items(properties, "ipConfigurations")
    return tuple(sorted({ip for c in configs if (ip := props.get_str(c, "properties", "privateIPAddress"))}))


class Peering(msgspec.Struct, frozen=True):
    remote_id: str
    state: str | None  # lower-case: connected | initiated | disconnected


class VirtualNetwork(msgspec.Struct, frozen=True):
    address_prefixes: tuple[str, ...]
    dns_servers: tuple[str, ...]
    peerings: tuple[Peering, ...]


_VIRTUAL_NETWORK = props.Fields("virtualNetworkPeerings", "addressSpace", "dhcpOptions")


def parse_virtual_network(row: Mapping[str, object], properties: Mapping[str, object]) -> VirtualNetwork:
    peers, space, dhcp = _VIRTUAL_NETWORK(properties)
    peerings = []
    for peer in props.as_maps(peers):
        remote = props.ref_id(peer, "properties", "remoteVirtualNetwork", "id")
        if remote:
            peerings.append(Peering(remote, props.get_enum(peer, "properties", "peeringState")))
    return VirtualNetwork(
        address_prefixes=props.strings(space, "addressPrefixes"),
        dns_servers=props.strings(dhcp, "dnsServers"),
        peerings=tuple(sorted(peerings, key=lambda p: p.remote_id)),
    )


class Subnet(msgspec.Struct, frozen=True):
    address_prefixes: tuple[str, ...]
    network_security_group: str | None
    route_table: str | None
    private_endpoint_network_policies: str | None
    # lower-case `delegations[].properties.serviceName` (virtualNetwork.json `ServiceDelegationPropertiesFormat`)
    delegations: tuple[str, ...] = ()


_SUBNET = props.Fields(
    "addressPrefixes", "addressPrefix", "networkSecurityGroup", "routeTable", "privateEndpointNetworkPolicies",
    "delegations",
)  # fmt: skip


def parse_subnet(properties: Mapping[str, object]) -> Subnet:
    many, one, nsg, route_table, policies, delegations = _SUBNET(properties)
    prefixes = set(props.as_strings(many))
    if one := props.as_str(one):
        prefixes.add(one)
    return Subnet(
        address_prefixes=tuple(sorted(prefixes)),
        network_security_group=props.ref_id(nsg, "id") or None,
        route_table=props.ref_id(route_table, "id") or None,
        private_endpoint_network_policies=props.as_enum(policies),
        delegations=tuple(sorted({d.lower() for x in props.as_maps(delegations) if (d := _service(x))})),
    )


def _service(delegation: object) -> str:
    return props.get_str(delegation, "properties", "serviceName") or ""


class VirtualHub(msgspec.Struct, frozen=True):
    virtual_wan: str | None
    address_prefix: str | None


def parse_virtual_hub(row: Mapping[str, object], properties: Mapping[str, object]) -> VirtualHub:
    return VirtualHub(
        virtual_wan=props.ref_id(properties, "virtualWan", "id") or None,
        address_prefix=props.get_str(properties, "addressPrefix"),
    )


class VirtualWan(msgspec.Struct, frozen=True):
    wan_type: str | None


def parse_virtual_wan(row: Mapping[str, object], properties: Mapping[str, object]) -> VirtualWan:
    return VirtualWan(wan_type=props.get_str(properties, "type"))


R = Relation


def pe_references(node_id: str, pe: PrivateEndpoint, index: RefIndex) -> Iterable[Ref]:
    refs = [Ref(node_id, R.IN_SUBNET, pe.subnet_id)]
    for c in pe.connections:
        refs.append(
            Ref(node_id, R.PRIVATE_ENDPOINT_OF, c.target_id, {"group_ids": c.group_ids, "status": c.status})
        )
    return refs


def subnet_references(node_id: str, s: Subnet, index: RefIndex) -> Iterable[Ref]:
    yield Ref(node_id, R.SUBNET_OF, node_id.rsplit("/subnets/", 1)[0])
    if s.network_security_group:
        yield Ref(node_id, R.GUARDED_BY, s.network_security_group)
    if s.route_table:
        yield Ref(node_id, R.ROUTES_VIA, s.route_table)


def vnet_references(node_id: str, v: VirtualNetwork, index: RefIndex) -> Iterable[Ref]:
    for p in v.peerings:
        yield Ref(node_id, R.PEERED_WITH, p.remote_id, {"state": p.state or "unknown"})


def hub_references(node_id: str, h: VirtualHub, index: RefIndex) -> Iterable[Ref]:
    if h.virtual_wan:
        yield Ref(node_id, R.HUB_IN_WAN, h.virtual_wan)


PRIVATE_ENDPOINT_SPEC = ResourceType(
    arm_type=PRIVATE_ENDPOINT,
    label="Private endpoint",
    noun="Private endpoint",
    parse=parse_private_endpoint,
    references=pe_references,
    walk=((R.IN_SUBNET, "out"), (R.DNS_RECORD_FOR, "in")),
    lookups=(Lookup("a_records_by_ip", lambda _i, pe: pe.private_ips),),
    # an endpoint whose row names no IP (a DNS zone group leaves customDnsConfigs empty): its NICs hold it
    also_reads=lambda _i, pe: () if pe.private_ips else pe.network_interfaces,
    icon=IconRef(
        "diagrams.azure.network", "PrivateEndpoint", "networking/Private_Endpoint.svg", "Private endpoint"
    ),
)
# Subnets are assembled by the builder from their virtual network's row.
SUBNET_SPEC = ResourceType(
    arm_type=SUBNET,
    label="Subnet",
    noun="Subnet",
    references=subnet_references,
    walk=((R.SUBNET_OF, "out"), (R.GUARDED_BY, "out"), (R.ROUTES_VIA, "out")),
    icon=IconRef("diagrams.azure.networking", "Subnet", "networking/Subnet.svg", "Subnet"),
)
VIRTUAL_NETWORK_SPEC = ResourceType(
    arm_type=VIRTUAL_NETWORK,
    label="Virtual network",
    noun="Virtual network",
    parse=parse_virtual_network,
    references=vnet_references,
    walk=((R.PEERED_WITH, "out"), (R.PEERED_WITH, "in"), (R.CONNECTED_TO_HUB, "out")),
    lookups=(
        Lookup("dns_links_by_vnet", lambda vnet_id, _v: (vnet_id,)),
        Lookup("hub_connections_by_vnet", lambda vnet_id, _v: (vnet_id,)),
    ),
    icon=IconRef(
        "diagrams.azure.networking", "VirtualNetworks", "networking/Virtual_Networks.svg", "Virtual network"
    ),
)
VIRTUAL_HUB_SPEC = ResourceType(
    arm_type=VIRTUAL_HUB,
    label="Virtual WAN hub",
    noun="Virtual WAN hub",
    parse=parse_virtual_hub,
    references=hub_references,
    walk=((R.HUB_IN_WAN, "out"),),
    icon=IconRef("diagrams.azure.networking", "VirtualWanHub", None, "Virtual WAN hub"),
)
VIRTUAL_WAN_SPEC = ResourceType(
    arm_type=VIRTUAL_WAN,
    label="Virtual WAN",
    noun="Virtual WAN",
    parse=parse_virtual_wan,
    icon=IconRef("diagrams.azure.networking", "VirtualWans", "networking/Virtual_WANs.svg", "Virtual WAN"),
)
