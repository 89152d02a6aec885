"""The resource type table: one spec per ARM type that becomes a node, one line each.

Adding a linked type touches: its family module here (the parser and its `ResourceType` spec: label,
references, walk rules, lookups, icon), one line in TYPES, a `.kql` file in
`archgen/discovery/queries/` if discovery needs a new reverse lookup, fixture rows and a test.
Meta-tests (tests/test_types.py) fail when a spec lacks a label, an icon, a fixture, or walk rules
that name known relations.
"""

from __future__ import annotations

from archgen.model.types import (
    assessments,
    callers,
    cognitive,
    cosmos,
    defender,
    dns,
    foundry,
    frontdoor,
    gateway,
    identity,
    keyvault,
    mlhub,
    monitor,
    netpolicy,
    network,
    policy,
    roledefs,
    search,
    storage,
)
from archgen.model.types.spec import NodeParser, ResourceType

# ARM type (lower-case) -> spec. One screen, no discovery magic.
TYPES: dict[str, ResourceType] = {
    s.arm_type: s
    for s in (
        cognitive.SPEC,
        keyvault.SPEC,
        storage.SPEC,
        search.SPEC,
        cosmos.SPEC,
        foundry.PROJECT_SPEC,
        mlhub.SPEC,
        network.PRIVATE_ENDPOINT_SPEC,
        network.VIRTUAL_NETWORK_SPEC,
        network.SUBNET_SPEC,
        network.VIRTUAL_HUB_SPEC,
        network.VIRTUAL_WAN_SPEC,
        netpolicy.NSG_SPEC,
        netpolicy.ROUTE_TABLE_SPEC,
        dns.SPEC,
        identity.SPEC,
        monitor.WORKSPACE_SPEC,
        monitor.EVENTHUB_SPEC,
        gateway.APIM_SPEC,
        gateway.APP_GATEWAY_SPEC,
        gateway.WAF_POLICY_SPEC,
        frontdoor.FRONT_DOOR_SPEC,
        frontdoor.FD_WAF_POLICY_SPEC,
        callers.WEB_SITE_SPEC,
        callers.CONTAINER_APP_SPEC,
    )
}

# Types parsed from their own row; the others (subnets, zones) the builder assembles from other rows.
NODE_PARSERS: dict[str, NodeParser] = {t: s.parse for t, s in TYPES.items() if s.parse is not None}
DERIVED_NODE_TYPES = frozenset(t for t, s in TYPES.items() if s.parse is None)

# A subscription as Resource Graph's resourcecontainers table holds it; its `name` is the display name.
SUBSCRIPTION = "microsoft.resources/subscriptions"

# Rows read for relations and attributes only; they never become nodes.
AUXILIARY_TYPES = frozenset(
    {
        cognitive.DEPLOYMENT,
        cognitive.RAI_POLICY,
        keyvault.KEY,
        search.SHARED_PRIVATE_LINK,
        foundry.ACCOUNT_CONNECTION,
        foundry.PROJECT_CONNECTION,
        foundry.CAPABILITY_HOST,
        mlhub.CONNECTION,
        gateway.APIM_BACKEND,
        frontdoor.ORIGIN,
        frontdoor.ORIGIN_GROUP,
        frontdoor.SECURITY_POLICY,
        network.NETWORK_INTERFACE,
        network.HUB_CONNECTION,
        dns.VNET_LINK,
        dns.A_RECORD,
        identity.ROLE_ASSIGNMENT,
        roledefs.ROLE_DEFINITION,
        monitor.DIAGNOSTIC_SETTING,
        SUBSCRIPTION,
        defender.PRICING,
        assessments.TYPE,
        *policy.TYPES,
    }
)

NODE_TYPES = frozenset(TYPES)


def spec_of(node_type: str) -> ResourceType | None:
    return TYPES.get(node_type)


def label_of(node_type: str) -> str:
    spec = TYPES.get(node_type)
    return spec.label if spec is not None else node_type


def noun_of(node_type: str) -> str:
    spec = TYPES.get(node_type)
    return spec.noun if spec is not None else "Resource"
