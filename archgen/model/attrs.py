"""`NodeAttrs`: the typed attributes a node may carry, one record per resource type
(a frozen `msgspec.Struct`), or None.

A node's `attrs` is narrowed with `isinstance` (`graph.attrs(id, cls)` does it for a lookup), so mypy
checks what controls, render and publish read. A new resource type adds its record here.
"""

from __future__ import annotations

from archgen.model.types import (
    callers,
    cognitive,
    cosmos,
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
    search,
    storage,
)

NodeAttrs = (
    cognitive.Account
    | keyvault.Vault
    | storage.StorageAccount
    | search.SearchService
    | cosmos.CosmosAccount
    | foundry.FoundryProject
    | mlhub.Hub
    | network.PrivateEndpoint
    | network.VirtualNetwork
    | network.Subnet
    | network.VirtualHub
    | network.VirtualWan
    | netpolicy.NetworkSecurityGroup
    | netpolicy.RouteTable
    | dns.PrivateDnsZone
    | identity.UserAssignedIdentity
    | monitor.Workspace
    | monitor.EventHubNamespace
    | gateway.ApiManagement
    | gateway.AppGateway
    | gateway.WafPolicy
    | frontdoor.FrontDoor
    | frontdoor.FrontDoorWafPolicy
    | callers.App
    | None
)

# The same classes, for `isinstance` where a parser's result (typed `object`) becomes a node's attrs.
NODE_ATTR_CLASSES = (
    cognitive.Account,
    keyvault.Vault,
    storage.StorageAccount,
    search.SearchService,
    cosmos.CosmosAccount,
    foundry.FoundryProject,
    mlhub.Hub,
    network.PrivateEndpoint,
    network.VirtualNetwork,
    network.Subnet,
    network.VirtualHub,
    network.VirtualWan,
    netpolicy.NetworkSecurityGroup,
    netpolicy.RouteTable,
    dns.PrivateDnsZone,
    identity.UserAssignedIdentity,
    monitor.Workspace,
    monitor.EventHubNamespace,
    gateway.ApiManagement,
    gateway.AppGateway,
    gateway.WafPolicy,
    frontdoor.FrontDoor,
    frontdoor.FrontDoorWafPolicy,
    callers.App,
)
