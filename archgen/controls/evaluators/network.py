"""Network controls: public access, service firewalls, the trusted-services bypass, private endpoints,
outbound restriction.

Sources: https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks (AI services
firewall, trusted services), https://learn.microsoft.com/azure/ai-services/cognitive-services-data-loss-prevention
(outbound allow-list), https://learn.microsoft.com/azure/storage/common/storage-network-security-resource-instances
(resource instance rules), cited with their dates in catalogue.yaml.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from archgen.controls.evaluators.common import (
    FAIL,
    NA,
    PASS,
    UNKNOWN,
    Verdict,
    evidence_of,
    label,
    raw,
    wide_ip_rules,
    workload_members,
)
from archgen.model.facts import endpoint_status
from archgen.model.graph import Graph, Node
from archgen.model.relations import Relation
from archgen.model.types import cognitive, keyvault, storage
from archgen.model.types.common import NetworkAcls


def _bypass_note(acls: NetworkAcls) -> str:
    if acls.bypass == "azureservices":
        return " Trusted Azure services can still reach it through the bypass (networkAcls.bypass AzureServices)."
    return ""


def public_access(node: Node, pna: str | None, acls: NetworkAcls) -> Verdict:
    """Public network access: disabled, firewalled with narrow rules, perimeter-controlled or open."""
    evidence = evidence_of(
        node,
        "properties.publicNetworkAccess",
        "properties.networkAcls.defaultAction",
        "properties.networkAcls.bypass",
    )
    if pna == "securedbyperimeter":
        return (
            UNKNOWN,
            f"{label(node)} is governed by a network security perimeter (publicNetworkAccess "
            f"{evidence['properties.publicNetworkAccess']}); archgen does not read the perimeter's access "
            "rules, so who can reach it is not proven.",
            evidence,
        )
    if pna == "disabled":
        return PASS, f"{label(node)} has public network access disabled.{_bypass_note(acls)}", evidence
    if acls.default_action == "deny":
        evidence["properties.networkAcls.ipRules"] = list(acls.ip_rules)
        evidence["properties.networkAcls.virtualNetworkRules"] = list(acls.vnet_rules)
        wide, bad = wide_ip_rules(acls.ip_rules)
        if wide:
            return (
                FAIL,
                f"{label(node)} has a service firewall with IP rules wider than archgen's /24 threshold, "
                f"admitting large internet ranges: {', '.join(wide)}.",
                evidence,
            )
        if bad:
            return (
                UNKNOWN,
                f"{label(node)} has IP rules archgen cannot read as addresses ({', '.join(bad)}).",
                evidence,
            )
        return (
            PASS,
            f"{label(node)} is behind its service firewall (default action Deny, "
            f"{len(acls.ip_rules)} IP rule(s), {len(acls.vnet_rules)} virtual network rule(s)).{_bypass_note(acls)}",
            evidence,
        )
    return (
        FAIL,
        f"{label(node)} accepts traffic from any network (publicNetworkAccess "
        f"{evidence['properties.publicNetworkAccess']}, firewall default action "
        f"{evidence['properties.networkAcls.defaultAction']}).",
        evidence,
    )


def aoai_net_01(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    return public_access(node, a.public_network_access, a.network_acls)


def aoai_net_05(graph: Graph, node: Node) -> Verdict:
    """The trusted-services bypass: evaluated before the default action, so it opens a closed account."""
    a = node.attrs_as(cognitive.Account)
    evidence = evidence_of(node, "properties.publicNetworkAccess", "properties.networkAcls.bypass")
    open_to_all = a.public_network_access not in ("disabled", "securedbyperimeter") and (
        a.network_acls.default_action != "deny"
    )
    if open_to_all:
        return (
            NA,
            f"{label(node)} admits every network, so there is no network rule to bypass (see AOAI-NET-01).",
            evidence,
        )
    if a.network_acls.bypass == "azureservices":
        return (
            FAIL,
            f"{label(node)} lets trusted Azure services through its network rules (networkAcls.bypass "
            f"{raw(node, 'properties.networkAcls.bypass')}).",
            evidence,
        )
    if a.network_acls.bypass == "none":
        return PASS, f"{label(node)} lets no Azure service bypass its network rules (bypass None).", evidence
    return (
        UNKNOWN,
        f"{label(node)} does not state networkAcls.bypass in the input, so whether trusted Azure services "
        "can bypass its network rules is not proven.",
        evidence,
    )


def aoai_net_02(graph: Graph, node: Node) -> Verdict:
    conns = endpoint_status(graph, node.id)
    evidence = {
        "properties.privateEndpointConnections": {pe: s or "unknown" for pe, s in sorted(conns.items())}
    }
    approved = sorted(pe for pe, s in conns.items() if s == "approved")
    if approved:
        absent = [pe for pe in approved if graph.node(pe) is None]
        note = (
            f" ({len(absent)} of them recorded only on the account: the endpoint is not in the input)"
            if absent
            else ""
        )
        return (
            PASS,
            f"{label(node)} has {len(approved)} approved private endpoint connection(s){note}.",
            evidence,
        )
    if conns:
        states = ", ".join(sorted({s or "unknown" for s in conns.values()}))
        return (
            FAIL,
            f"{label(node)} has private endpoint connections but none approved ({states}).",
            evidence,
        )
    return FAIL, f"{label(node)} has no private endpoint.", evidence


# Hosts of Microsoft's own services that an outbound allow-list may name without naming a customer
# resource (identity and management endpoints per cloud). Any customer-nameable host (storage, vaults,
# search services, other accounts) must belong to a resource of the workload.
MICROSOFT_SERVICE_HOSTS = frozenset(
    {
        "login.microsoftonline.com",
        "login.microsoftonline.us",
        "login.chinacloudapi.cn",
        "management.azure.com",
        "management.usgovcloudapi.net",
        "management.chinacloudapi.cn",
        "graph.microsoft.com",
    }
)
STORAGE_SERVICES = ("blob", "dfs", "file", "queue", "table", "web")
STORAGE_SUFFIXES = ("core.windows.net", "core.usgovcloudapi.net", "core.chinacloudapi.cn")
ACCOUNT_SUFFIXES = (
    "openai.azure.com",
    "cognitiveservices.azure.com",
    "services.ai.azure.com",
    "openai.azure.us",
    "cognitiveservices.azure.us",
    "openai.azure.cn",
    "cognitiveservices.azure.cn",
)


def _hosts_of(node: Node) -> set[str]:
    """The host names a workload resource answers on."""
    name = node.name.lower()
    if node.type == storage.TYPE:
        return {f"{name}.{svc}.{sfx}" for svc in STORAGE_SERVICES for sfx in STORAGE_SUFFIXES}
    if node.type == keyvault.TYPE:
        uri = getattr(node.attrs, "vault_uri", None)
        return {urlsplit(uri).hostname or ""} if uri else set()
    if node.type == cognitive.TYPE:
        sub = getattr(node.attrs, "custom_subdomain", None) or name
        endpoint = getattr(node.attrs, "endpoint", None)
        hosts = {f"{sub}.{sfx}" for sfx in ACCOUNT_SUFFIXES}
        if endpoint:
            hosts.add((urlsplit(endpoint).hostname or "").lower())
        return hosts
    return set()


def _workload_hosts(graph: Graph, account_id: str) -> dict[str, str]:
    key = "hosts:" + account_id
    cached: dict[str, str] | None = graph.memo.get(key)
    if cached is None:
        cached = {}
        for member in sorted(workload_members(graph, account_id)):
            node = graph.nodes[member]
            for host in _hosts_of(node):
                cached.setdefault(host, node.id)
        graph.memo[key] = cached
    return cached


def aoai_net_04(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    evidence: dict[str, Any] = evidence_of(
        node, "properties.restrictOutboundNetworkAccess", "properties.allowedFqdnList"
    )
    if not a.restrict_outbound:
        return (
            FAIL,
            f"{label(node)} may call out to any destination (restrictOutboundNetworkAccess "
            f"{raw(node, 'properties.restrictOutboundNetworkAccess')}).",
            evidence,
        )
    hosts = _workload_hosts(graph, node.id)
    judged: dict[str, str] = {}
    for fqdn in a.allowed_fqdns:
        host = fqdn.strip().rstrip(".").lower()
        if host in hosts:
            judged[fqdn] = f"workload resource {hosts[host]}"
        elif host in MICROSOFT_SERVICE_HOSTS:
            judged[fqdn] = "Microsoft service endpoint"
        else:
            judged[fqdn] = "not a resource of this workload"
    evidence["allowed_fqdns"] = judged
    others = sorted(f for f, why in judged.items() if why == "not a resource of this workload")
    if others:
        return (
            FAIL,
            f"{label(node)} restricts outbound access, but its allow-list names destinations outside the "
            f"workload: {', '.join(others)}.",
            evidence,
        )
    return (
        PASS,
        f"{label(node)} restricts outbound access to {len(a.allowed_fqdns)} FQDN(s), each a workload "
        "resource or a Microsoft service endpoint.",
        evidence,
    )


def kv_net_01(graph: Graph, node: Node) -> Verdict:
    v = node.attrs_as(keyvault.Vault)
    status, reason, evidence = public_access(node, v.public_network_access, v.network_acls)
    consumers = sorted(e.source for e in graph.into(node.id, Relation.CMK_KEY_IN))
    if consumers:
        evidence["customer_managed_key_for"] = consumers
        closed = v.public_network_access == "disabled" or v.network_acls.default_action == "deny"
        if closed and v.network_acls.bypass != "azureservices":
            reason += (
                " It holds a customer-managed key, and Microsoft's CMK pages require trusted Microsoft services"
                " to be allowed through the vault firewall; this vault does not allow them (see the CMK chain controls)."
            )
    return status, reason, evidence


def st_net_01(graph: Graph, node: Node) -> Verdict:
    s = node.attrs_as(storage.StorageAccount)
    status, reason, evidence = public_access(node, s.public_network_access, s.network_acls)
    wildcard = sorted(r for r in s.resource_access_rules if "*" in r)
    if s.resource_access_rules:
        evidence["properties.networkAcls.resourceAccessRules"] = list(s.resource_access_rules)
    if wildcard and s.public_network_access != "disabled":
        return (
            FAIL,
            f"{label(node)} has resource instance rules with a wildcard that admit every resource of that "
            f"type in the scope, in any subscription of the tenant: {', '.join(wildcard)}.",
            evidence,
        )
    return status, reason, evidence


def st_net_02(graph: Graph, node: Node) -> Verdict:
    s = node.attrs_as(storage.StorageAccount)
    evidence = evidence_of(node, "properties.allowBlobPublicAccess")
    if s.allow_blob_public_access is False:
        return PASS, f"{label(node)} disallows anonymous blob access.", evidence
    if s.allow_blob_public_access is None:
        return (
            FAIL,
            f"{label(node)} does not set allowBlobPublicAccess, which permits anonymous access to "
            "containers configured for it.",
            evidence,
        )
    return FAIL, f"{label(node)} allows anonymous blob access.", evidence
