"""What one hop of the expansion looks up: the lookup kinds, the frontier of keys, the result.

Kept apart from the expansion itself (`archgen.discovery.expand`) so that a new lookup is one line in
LOOKUPS plus its `.kql` file in `archgen/discovery/queries/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archgen.discovery.snapshot import QueryRecord

# "Grouping queries ... keep the group size below 300" (subscriptions per request):
# https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests#grouping-queries
SUBSCRIPTION_BATCH = 300
# Budget for one query's text. Microsoft documents no number for Resource Graph's query-length limit
# (see docs/discovery.md); archgen keeps every query under this many characters and splits id lists
# into as many batches as that takes.
MAX_QUERY_CHARS = 12_000

WORKLOAD_KINDS = frozenset({"openai", "aiservices"})
ACCOUNT = "microsoft.cognitiveservices/accounts"
VAULT = "microsoft.keyvault/vaults"
VNET = "microsoft.network/virtualnetworks"
PRINCIPALS = "role_assignments_by_principal"
ASSESSED = "assessments_by_resource"

# VNet roles, strongest first: a workload's own VNet (its peerings are followed), a VNet peered with
# one (its custom DNS servers are looked up), a VNet holding such a DNS server (the resolver: its hub
# connections and DNS zone links are looked up, as for the other two).
WORKLOAD_VNET, PEER_VNET, RESOLVER_VNET = 3, 2, 1

# Lookup kinds, in the order a hop runs them: (query file, placeholder, table).
LOOKUPS: tuple[tuple[str, str, str], ...] = (
    ("resources_by_id", "ids", "resources"),
    ("vaults_by_name", "names", "resources"),
    ("dns_links_by_vnet", "vnet_ids", "resources"),
    ("dns_links_by_zone", "zone_ids", "resources"),
    ("a_records_by_ip", "ips", "dnsresources"),
    ("vnets_by_dns_server", "ip_conditions", "resources"),
    ("hub_connections_by_vnet", "vnet_ids", "resources"),
    ("role_assignments_by_principal", "principal_ids", "authorizationresources"),
    ("role_assignments_by_scope", "scopes", "authorizationresources"),
    ("role_definitions_by_name", "names", "authorizationresources"),
    ("search_services_by_shared_link", "account_ids", "resources"),
    ("gateways_by_subscription", "subscription_ids", "resources"),
    ("hubs_by_subscription", "subscription_ids", "resources"),
    ("callers_by_principal", "principal_ids", "resources"),
    ("callers_by_user_identity", "principal_ids", "resources"),
    ("subscriptions_by_id", "subscription_ids", "resourcecontainers"),
    ("defender_plans_by_subscription", "subscription_ids", "securityresources"),
    ("policy_assignments_by_scope", "scopes", "policyresources"),
    ("policy_definitions_by_id", "ids", "policyresources"),
    ("policy_exemptions_by_assignment", "assignment_ids", "policyresources"),
    ("policy_states_by_resource", "resource_ids", "policyresources"),
    ("assessments_by_resource", "resource_ids", "securityresources"),
)

# -- the expansion -------------------------------------------------------------------------------


@dataclass(slots=True)
class Frontier:
    """Keys to look up in the next hop, per lookup kind (see LOOKUPS)."""

    keys: dict[str, set[str]] = field(default_factory=lambda: {name: set() for name, _, _ in LOOKUPS})
    diagnostics: set[str] = field(default_factory=set)

    def empty(self) -> bool:
        return not self.diagnostics and not any(self.keys.values())


@dataclass(slots=True)
class Result:
    rows: list[Any]
    queries: list[QueryRecord]
    warnings: list[dict[str, str]]
    diagnostics_collected: list[str] | None
    stats: dict[str, Any]
    incomplete: list[dict[str, Any]] = field(default_factory=list)
    # principal ids whose role assignments the by-principal lookup read (its failed batches left out)
    principals_collected: list[str] | None = None
    # AI Services accounts whose Foundry lists were all read (ARM; see foundryreads.FoundryReads.collected)
    foundry_collected: list[str] | None = None
    # workload resource ids whose Defender for Cloud assessments query answered (its failed batches left out)
    assessments_collected: list[str] | None = None


def collected_keys(requested: set[str], incomplete: list[dict[str, Any]], name: str) -> list[str]:
    """The keys of lookup `name` that were queried and answered: requested minus those of failed batches."""
    failed = {k for g in incomplete if g.get("query") == name for k in g.get("keys", ())}
    return sorted({k.lower() for k in requested - failed})
