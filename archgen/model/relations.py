"""The relations of the workload graph: one table, each with its ends, its meaning and its diagram wording.

`docs/graph-document.md`'s relation table is generated from RELATIONS (`python -m archgen.model.relations`
prints it; a test checks the document is current), and the diagram labels its edges with `words`.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


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
    SHARED_PRIVATE_LINK_TO = "shared_private_link_to"
    GRANTED_ON = "granted_on"
    GUARDED_BY = "guarded_by"
    ROUTES_VIA = "routes_via"
    PROJECT_OF = "project_of"
    CONNECTS_TO = "connects_to"
    FRONTS = "fronts"
    PROTECTED_BY = "protected_by"
    CALLS = "calls"
    AGENTS_IN_SUBNET = "agents_in_subnet"
    HUB_CONNECTS_TO = "hub_connects_to"


class RelationSpec(msgspec.Struct, frozen=True):
    """What a relation means: its ends, the sentence for the docs, where it is read, the diagram words."""

    relation: Relation
    ends: str  # 'source → target' in words
    description: str
    read_from: str
    words: str  # the diagram's edge label


R = Relation
RELATIONS: dict[Relation, RelationSpec] = {
    s.relation: s
    for s in (
        RelationSpec(
            R.PRIVATE_ENDPOINT_OF,
            "private endpoint → resource",
            "A private endpoint connects to the resource (attributes: group_ids, status).",
            "PE `privateLinkServiceConnections[]` / `manualPrivateLinkServiceConnections[]`, and the target's "
            "`privateEndpointConnections[]` (whose status wins); `group_ids`, `status`",
            "private link",
        ),
        RelationSpec(
            R.IN_SUBNET,
            "private endpoint / API Management → subnet",
            "A private endpoint has its network interface in the subnet; an API Management instance in a virtual "
            "network (Internal or External) is deployed into it.",
            "`properties.subnet.id`; APIM `virtualNetworkConfiguration.subnetResourceId`",
            "in subnet",
        ),
        RelationSpec(
            R.SUBNET_OF,
            "subnet → virtual network",
            "A subnet belongs to the virtual network.",
            "id prefix",
            "subnet of",
        ),
        RelationSpec(
            R.PEERED_WITH,
            "virtual network → virtual network",
            "A virtual network has a peering to the remote virtual network (attribute: state).",
            "`virtualNetworkPeerings[].properties.remoteVirtualNetwork.id`; `state`",
            "peering",
        ),
        RelationSpec(
            R.CONNECTED_TO_HUB,
            "virtual network → Virtual WAN hub",
            "A virtual network is connected to a Virtual WAN hub.",
            "`virtualHubs/hubVirtualNetworkConnections` `remoteVirtualNetwork.id`",
            "hub connection",
        ),
        RelationSpec(
            R.HUB_IN_WAN,
            "Virtual WAN hub → Virtual WAN",
            "A Virtual WAN hub belongs to the Virtual WAN.",
            "`virtualHubs` `virtualWan.id`",
            "in Virtual WAN",
        ),
        RelationSpec(
            R.USES_DNS_SERVERS_IN,
            "virtual network → virtual network",
            "A virtual network's custom DNS servers (dhcpOptions.dnsServers) are in the target virtual network, "
            "reached through a peering or the same Virtual WAN hub (attribute: servers).",
            "`dhcpOptions.dnsServers` inside the target's address space, the two reached through a peering or "
            "the same hub; `servers`",
            "DNS servers in",
        ),
        RelationSpec(
            R.DNS_ZONE_LINKED_TO,
            "private DNS zone → virtual network",
            "A private DNS zone is linked to the virtual network (attribute: registration_enabled).",
            "`virtualNetworkLinks` `virtualNetwork.id`; `registration_enabled`",
            "DNS zone link",
        ),
        RelationSpec(
            R.DNS_RECORD_FOR,
            "private DNS zone → private endpoint",
            "A private DNS zone holds an A record with one of the private endpoint's IPs (attribute: fqdn).",
            "an A record whose IPv4 is one of the PE's IPs and whose host label is one of the PE's FQDNs; "
            "`fqdn`, `ip`",
            "A record",
        ),
        RelationSpec(
            R.USES_IDENTITY,
            "resource → user-assigned identity",
            "A resource has the user-assigned managed identity attached.",
            "`identity.userAssignedIdentities` keys",
            "runs as",
        ),
        RelationSpec(
            R.CMK_KEY_IN,
            "account / storage → key vault",
            "A resource encrypts at rest with a customer-managed key held in the key vault.",
            "`keyVaultUri` matched to the vault's `vaultUri`; `key_name`, `key_version`, `identity`",
            "CMK",
        ),
        RelationSpec(
            R.STORES_DATA_IN,
            "account → storage",
            "An account keeps its data in the customer-owned storage account.",
            "`userOwnedStorage[].resourceId`",
            "stores data",
        ),
        RelationSpec(
            R.NETWORK_RULE_ALLOWS,
            "account / vault / storage / search → subnet",
            "A service firewall admits traffic from the subnet (virtual network rule).",
            "`networkAcls.virtualNetworkRules[].id`",
            "firewall admits",
        ),
        RelationSpec(
            R.TRUSTED_ACCESS_FROM,
            "storage → account",
            "A storage account's resource instance rule admits the account.",
            "`networkAcls.resourceAccessRules[].resourceId` (wildcards matched)",
            "trusted access",
        ),
        RelationSpec(
            R.ROLE_ASSIGNMENT,
            "identity or resource (its system identity) → account / vault / storage",
            "A principal (identity, or a resource's system identity) holds a role on the resource.",
            "`authorizationresources` whose principal is in the graph and whose scope is the resource or a "
            "parent; `role_definition_id`, `role_name`, `scope`",
            "RBAC",
        ),
        RelationSpec(
            R.DIAGNOSTICS_TO,
            "resource → workspace / storage / Event Hubs namespace",
            "A resource's diagnostic setting sends logs to the destination (attribute: categories).",
            "diagnostic settings; `categories`, `setting`",
            "diagnostics",
        ),
        RelationSpec(
            R.SHARED_PRIVATE_LINK_TO,
            "search service → account",
            "An Azure AI Search service reaches the account through a shared private link (attributes: "
            "group_id, status).",
            "`searchServices/sharedPrivateLinkResources` `privateLinkResourceId`; `group_id`, `status`",
            "shared private link",
        ),
        RelationSpec(
            R.GRANTED_ON,
            "role assignment → account",
            "A role assignment at the account or a scope above it (resource group, subscription, management "
            "group) gives its principal a role on the workload account (attributes: principal_id, "
            "principal_type, role_definition_id, role_name, scope, grants; `grants` is null for a role "
            "archgen does not know). The source is the assignment's id, not a node.",
            "`authorizationresources` `microsoft.authorization/roleassignments` whose `properties.scope` is "
            "on the account's scope chain; `principalId`, `principalType`, `roleDefinitionId`, `scope`",
            "granted on",
        ),
        RelationSpec(
            R.GUARDED_BY,
            "subnet → network security group",
            "A network security group is associated with the subnet (whether it filters traffic to the subnet's "
            "private endpoints depends on the subnet's `privateEndpointNetworkPolicies`).",
            "subnet `properties.networkSecurityGroup.id`",
            "NSG",
        ),
        RelationSpec(
            R.ROUTES_VIA,
            "subnet → route table",
            "A route table (user-defined routes) is associated with the subnet (whether its routes apply to the "
            "subnet's private endpoints depends on the subnet's `privateEndpointNetworkPolicies`).",
            "subnet `properties.routeTable.id`",
            "UDR",
        ),
        RelationSpec(
            R.PROJECT_OF,
            "Foundry project → account / Foundry hub",
            "A Foundry project is a child of the AI Services account (`accounts/projects`), or a hub-based "
            "project names its hub (`Microsoft.MachineLearningServices/workspaces` of kind Project).",
            "id prefix of `Microsoft.CognitiveServices/accounts/projects` (ARM `Projects - List`); a kind Project "
            "workspace's `hubResourceId`",
            "project of",
        ),
        RelationSpec(
            R.CONNECTS_TO,
            "account / Foundry project → connected resource",
            "A Foundry connection of the account or project reaches the resource (attributes: connection, "
            "category, auth_type; never credentials).",
            "`accounts/connections`, `accounts/projects/connections` `metadata.ResourceId`, or the host of "
            "`target` matched to a search service, Cosmos DB or storage account; `category`, `authType`",
            "connection",
        ),
        RelationSpec(
            R.FRONTS,
            "API Management / Application Gateway / Front Door → account / API Management",
            "A gateway forwards requests to the target: an API Management backend whose URL's host is one of the "
            "account's endpoint hosts, or an Application Gateway backend pool address or a Front Door origin "
            "whose host is the account's or the API Management gateway's host (attributes: via, url; Front Door: "
            "reach, whether the origin is reached over an approved Private Link).",
            "APIM `backends` (ARM) `properties.url`; Application Gateway `backendAddressPools[].properties."
            "backendAddresses[].fqdn`; Front Door `originGroups/{g}/origins` (ARM) `hostName`, "
            "`sharedPrivateLinkResource.status`; matched case-insensitively to the account's `<customSubDomainName>` hosts, "
            "`endpoint` and `endpoints`, or the APIM `gatewayUrl` / `hostnameConfigurations[].hostName`",
            "fronts",
        ),
        RelationSpec(
            R.PROTECTED_BY,
            "Application Gateway / Front Door → WAF policy",
            "A web application firewall policy is attached to the Application Gateway, or linked by a security "
            "policy of the Front Door profile.",
            "`firewallPolicy.id`; Front Door `securityPolicies` (ARM) `parameters.wafPolicy.id`",
            "WAF policy",
        ),
        RelationSpec(
            R.CALLS,
            "App Service / Functions app / Container App → account",
            "An app's managed identity (system- or user-assigned) is the principal of a role assignment that lets it "
            "call the model on the account (attributes: role_name, scope).",
            "the app's `identity.principalId` / `userAssignedIdentities[].principalId` equal to the `principalId` "
            "of a `granted_on` assignment whose role grants *call the model*",
            "calls",
        ),
        RelationSpec(
            R.AGENTS_IN_SUBNET,
            "AI Services account → subnet",
            "The account injects its Foundry agents into the subnet (Standard Setup with private networking).",
            "`networkInjections[]` of `scenario` agent: `subnetArmId`",
            "agents in subnet",
        ),
        RelationSpec(
            R.HUB_CONNECTS_TO,
            "Foundry hub → account",
            "A connection of a hub-based Foundry hub (`Microsoft.MachineLearningServices/workspaces`) reaches the "
            "account (attributes: connection, category; never credentials).",
            "`workspaces/connections` `metadata.ResourceId` equal to the account's id, or the host of `target` "
            "equal to one of the account's hosts (`customSubDomainName`, `endpoint`)",
            "hub connection",
        ),
    )
}


def markdown_table() -> str:
    """The relation table of docs/graph-document.md."""
    lines = ["| relation | source → target | read from |", "|---|---|---|"]
    lines += [f"| `{s.relation.value}` | {s.ends} | {s.read_from} |" for s in RELATIONS.values()]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a maintainer's helper
    print(markdown_table())
