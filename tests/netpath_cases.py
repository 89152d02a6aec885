"""Fixtures for what guards the private endpoint's subnet (AOAI-NET-06, AOAI-NET-07), named by expected outcome."""

from __future__ import annotations

from typing import Any

from tests import factory as f

Rows = list[f.Row]
NSG = f.rid("Microsoft.Network", "networkSecurityGroups", "nsg-snet-pe")
ROUTE_TABLE = f.rid("Microsoft.Network", "routeTables", "rt-snet-pe")
FIREWALL_IP = "10.0.64.4"


def rule(
    name: str, priority: int, access: str, source: str = "*", port: str = "*", **extra: Any
) -> dict[str, Any]:
    props = {
        "protocol": extra.pop("protocol", "*"),
        "sourceAddressPrefix": source,
        "sourcePortRange": "*",
        "destinationAddressPrefix": extra.pop("destination", "*"),
        "destinationPortRange": port,
        "access": access,
        "priority": priority,
        "direction": extra.pop("direction", "Inbound"),
        **extra,
    }
    return {"name": name, "properties": props}


# Azure's default inbound rules (networkSecurityGroup.json `defaultSecurityRules`; names and priorities as
# the network security groups overview lists them).
DEFAULT_RULES = [
    rule("AllowVnetInBound", 65000, "Allow", "VirtualNetwork", destination="VirtualNetwork"),
    rule("AllowAzureLoadBalancerInBound", 65001, "Allow", "AzureLoadBalancer"),
    rule("DenyAllInBound", 65500, "Deny"),
]


def nsg(*rules: dict[str, Any], defaults: bool = True) -> f.Row:
    props = {"securityRules": list(rules), "defaultSecurityRules": DEFAULT_RULES if defaults else []}
    return f.row(NSG, "microsoft.network/networksecuritygroups", props)


def route_table(next_hop: str = "VirtualAppliance", ip: str | None = FIREWALL_IP) -> f.Row:
    route = {"addressPrefix": "0.0.0.0/0", "nextHopType": next_hop}
    if ip is not None:
        route["nextHopIpAddress"] = ip
    props = {
        "routes": [{"name": "default-to-firewall", "properties": route}],
        "disableBgpRoutePropagation": True,
    }
    return f.row(ROUTE_TABLE, "microsoft.network/routetables", props)


def subnet_with(policies: str | None, nsg_id: str | None = NSG, route_table_id: str | None = None) -> f.Row:
    """The factory's VNet whose private endpoint subnet carries these network settings."""
    vnet = f.vnet()
    props = vnet["properties"]["subnets"][0]["properties"]
    if policies is not None:
        props["privateEndpointNetworkPolicies"] = policies
    if nsg_id is not None:
        props["networkSecurityGroup"] = {"id": nsg_id}
    if route_table_id is not None:
        props["routeTable"] = {"id": route_table_id}
    return vnet


def endpoint(vnet: f.Row | None, *more: f.Row) -> Rows:
    rows = [f.account(pe_status="Approved", publicNetworkAccess="Disabled"), f.private_endpoint()]
    return rows + ([vnet] if vnet is not None else []) + list(more)


VNET_ONLY_443 = rule("AllowVnetHttpsInBound", 100, "Allow", "10.42.0.0/22", "443", protocol="Tcp")


def net06_pass_nsg_applies() -> Rows:
    return endpoint(subnet_with("Enabled"), nsg(VNET_ONLY_443))


def net06_pass_nsg_only_policy() -> Rows:
    return endpoint(subnet_with("NetworkSecurityGroupEnabled"), nsg(VNET_ONLY_443))


def net06_fail_policies_disabled() -> Rows:
    return endpoint(subnet_with("Disabled"), nsg(VNET_ONLY_443))


def net06_fail_route_table_only_policy() -> Rows:
    return endpoint(subnet_with("RouteTableEnabled"), nsg(VNET_ONLY_443))


def net06_fail_no_nsg() -> Rows:
    return endpoint(subnet_with("Enabled", nsg_id=None))


def net06_unknown_nsg_not_in_input() -> Rows:
    return endpoint(subnet_with("Enabled"))


def net06_unknown_subnet_not_in_input() -> Rows:
    return endpoint(None, nsg(VNET_ONLY_443))


def net06_na_no_private_endpoint() -> Rows:
    return [f.account()]


def net07_pass_vnet_only_then_deny_all() -> Rows:
    return endpoint(subnet_with("Enabled"), nsg(VNET_ONLY_443))


def net07_pass_internet_denied_first() -> Rows:
    return endpoint(
        subnet_with("Enabled"),
        nsg(rule("DenyInternet", 100, "Deny", "Internet"), rule("AllowAnyHttps", 200, "Allow", "*", "443")),
    )


def net07_fail_internet_https() -> Rows:
    return endpoint(subnet_with("Enabled"), nsg(rule("AllowInternetHttps", 100, "Allow", "Internet", "443")))


def net07_fail_any_source_any_port() -> Rows:
    return endpoint(subnet_with("Enabled"), nsg(rule("AllowAll", 4000, "Allow", "0.0.0.0/0", "*")))


def net07_unknown_default_rules_not_in_input() -> Rows:
    return endpoint(subnet_with("Enabled"), nsg(VNET_ONLY_443, defaults=False))


def net07_unknown_nsg_not_in_input() -> Rows:
    return endpoint(subnet_with("Enabled"))


def net07_na_policies_disabled() -> Rows:
    return endpoint(subnet_with("Disabled"), nsg(rule("AllowInternetHttps", 100, "Allow", "Internet", "443")))
