"""What guards a subnet: network security groups and route tables (user-defined routes).

Property names from `specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/`:
- `networkSecurityGroup.json`: `NetworkSecurityGroupPropertiesFormat{securityRules[], defaultSecurityRules[]}`,
  each a `SecurityRule{name, properties: SecurityRulePropertiesFormat{protocol (Tcp|Udp|Icmp|Esp|*|Ah),
  sourceAddressPrefix, sourceAddressPrefixes[], destinationAddressPrefix, destinationAddressPrefixes[],
  destinationPortRange, destinationPortRanges[], access (Allow|Deny), priority (lower number first),
  direction (Inbound|Outbound)}}`.
- `routeTable.json`: `RouteTablePropertiesFormat{routes[], disableBgpRoutePropagation}`, each a
  `Route{name, properties: RoutePropertiesFormat{addressPrefix, nextHopType (VirtualNetworkGateway|
  VnetLocal|Internet|VirtualAppliance|None), nextHopIpAddress}}`.
Enums are compared lower-case.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from archgen.model import props
from archgen.model.types.spec import IconRef, ResourceType

NSG = "microsoft.network/networksecuritygroups"
ROUTE_TABLE = "microsoft.network/routetables"


class SecurityRule(msgspec.Struct, frozen=True):
    name: str
    default: bool  # from defaultSecurityRules
    direction: str  # lower-case: inbound | outbound
    access: str  # lower-case: allow | deny
    priority: int | None
    protocol: str  # lower-case: tcp | udp | icmp | esp | ah | *
    sources: tuple[str, ...]
    destinations: tuple[str, ...]
    ports: tuple[str, ...]  # destination ports or ranges

    def order(self) -> tuple[int, str]:
        """Evaluation order: the lower priority number first (a rule without one last)."""
        return (self.priority if self.priority is not None else 1 << 20, self.name)


class NetworkSecurityGroup(msgspec.Struct, frozen=True):
    rules: tuple[SecurityRule, ...]  # in evaluation order
    has_default_rules: bool  # whether the row carried defaultSecurityRules

    def inbound(self) -> tuple[SecurityRule, ...]:
        return tuple(r for r in self.rules if r.direction == "inbound")


def _one_or_many(p: Mapping[str, object], one: str, many: str) -> tuple[str, ...]:
    values = set(props.strings(p, many))
    if single := props.get_str(p, one):
        values.add(single)
    return tuple(sorted(values))


def _rule(rule: Mapping[str, object], default: bool) -> SecurityRule:
    raw = props.get(rule, "properties")
    p: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    return SecurityRule(
        name=props.get_str(rule, "name") or "",
        default=default,
        direction=props.get_enum(p, "direction") or "",
        access=props.get_enum(p, "access") or "",
        priority=props.get_int(p, "priority"),
        protocol=props.get_enum(p, "protocol") or "",
        sources=_one_or_many(p, "sourceAddressPrefix", "sourceAddressPrefixes"),
        destinations=_one_or_many(p, "destinationAddressPrefix", "destinationAddressPrefixes"),
        ports=_one_or_many(p, "destinationPortRange", "destinationPortRanges"),
    )


def parse_nsg(row: Mapping[str, object], properties: Mapping[str, object]) -> NetworkSecurityGroup:
    rules = [_rule(r, False) for r in props.items(properties, "securityRules")]
    defaults = [_rule(r, True) for r in props.items(properties, "defaultSecurityRules")]
    return NetworkSecurityGroup(
        rules=tuple(sorted(rules + defaults, key=SecurityRule.order)),
        has_default_rules=bool(defaults),
    )


class Route(msgspec.Struct, frozen=True):
    name: str
    address_prefix: str
    next_hop_type: str  # lower-case
    next_hop_ip: str | None


class RouteTable(msgspec.Struct, frozen=True):
    routes: tuple[Route, ...]  # sorted by name
    disable_bgp_route_propagation: bool | None


def parse_route_table(row: Mapping[str, object], properties: Mapping[str, object]) -> RouteTable:
    routes = [
        Route(
            name=props.get_str(r, "name") or "",
            address_prefix=props.get_str(r, "properties", "addressPrefix") or "",
            next_hop_type=props.get_enum(r, "properties", "nextHopType") or "",
            next_hop_ip=props.get_str(r, "properties", "nextHopIpAddress"),
        )
        for r in props.items(properties, "routes")
    ]
    return RouteTable(
        routes=tuple(sorted(routes, key=lambda r: (r.name, r.address_prefix))),
        disable_bgp_route_propagation=props.get_bool(properties, "disableBgpRoutePropagation"),
    )


NSG_SPEC = ResourceType(
    arm_type=NSG,
    label="Network security group",
    noun="Network security group",
    parse=parse_nsg,
    icon=IconRef("diagrams.azure.networking", "NetworkSecurityGroups", None, "Network security group"),
)
ROUTE_TABLE_SPEC = ResourceType(
    arm_type=ROUTE_TABLE,
    label="Route table",
    noun="Route table",
    parse=parse_route_table,
    icon=IconRef("diagrams.azure.networking", "RouteTables", None, "Route table"),
)
