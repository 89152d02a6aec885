"""The relations of the workload graph: one enumeration, each with its direction and meaning."""

from __future__ import annotations

from enum import StrEnum


class Relation(StrEnum):
    """Edge kinds; values are the document's `relation` strings (source -> target)."""

    PRIVATE_ENDPOINT_OF = "private_endpoint_of"
    IN_SUBNET = "in_subnet"
    SUBNET_OF = "subnet_of"
    PEERED_WITH = "peered_with"
    CONNECTED_TO_HUB = "connected_to_hub"
    HUB_IN_WAN = "hub_in_wan"
    USES_DNS_SERVERS_IN = "uses_dns_servers_in"
    DNS_ZONE_LINKED_TO = "dns_zone_linked_to"
    DNS_RECORD_FOR = "dns_record_for"
    USES_IDENTITY = "uses_identity"
    CMK_KEY_IN = "cmk_key_in"
    STORES_DATA_IN = "stores_data_in"
    NETWORK_RULE_ALLOWS = "network_rule_allows"
    TRUSTED_ACCESS_FROM = "trusted_access_from"
    ROLE_ASSIGNMENT = "role_assignment"
    DIAGNOSTICS_TO = "diagnostics_to"


DESCRIPTIONS: dict[Relation, str] = {
    Relation.PRIVATE_ENDPOINT_OF: "A private endpoint connects to the resource (attributes: group_ids, status).",
    Relation.IN_SUBNET: "A private endpoint has its network interface in the subnet.",
    Relation.SUBNET_OF: "A subnet belongs to the virtual network.",
    Relation.PEERED_WITH: "A virtual network has a peering to the remote virtual network (attribute: state).",
    Relation.CONNECTED_TO_HUB: "A virtual network is connected to a Virtual WAN hub.",
    Relation.HUB_IN_WAN: "A Virtual WAN hub belongs to the Virtual WAN.",
    Relation.USES_DNS_SERVERS_IN: (
        "A virtual network's custom DNS servers (dhcpOptions.dnsServers) are in the target virtual network, "
        "reached through a peering or the same Virtual WAN hub (attribute: servers)."
    ),
    Relation.DNS_ZONE_LINKED_TO: "A private DNS zone is linked to the virtual network (attribute: registration_enabled).",
    Relation.DNS_RECORD_FOR: "A private DNS zone holds an A record with one of the private endpoint's IPs (attribute: fqdn).",
    Relation.USES_IDENTITY: "A resource has the user-assigned managed identity attached.",
    Relation.CMK_KEY_IN: "A resource encrypts at rest with a customer-managed key held in the key vault.",
    Relation.STORES_DATA_IN: "An account keeps its data in the customer-owned storage account.",
    Relation.NETWORK_RULE_ALLOWS: "A service firewall admits traffic from the subnet (virtual network rule).",
    Relation.TRUSTED_ACCESS_FROM: "A storage account's resource instance rule admits the account.",
    Relation.ROLE_ASSIGNMENT: "A principal (identity, or a resource's system identity) holds a role on the resource.",
    Relation.DIAGNOSTICS_TO: "A resource's diagnostic setting sends logs to the destination (attribute: categories).",
}
