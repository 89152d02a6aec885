"""One small function per control: (graph, node) -> (status, reason, evidence).

Evidence maps the property path read to the value found, so a reviewer can re-check it; a `pass`
always carries the evidence it rests on. The table EVALUATORS at the end is the registry.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from archgen.controls.findings import Status
from archgen.model import props
from archgen.model.graph import Graph, Node
from archgen.model.relations import Relation
from archgen.model.types import cognitive, dns, identity, keyvault, network, storage
from archgen.model.types.common import NetworkAcls

Verdict = tuple[Status, str, dict[str, Any]]
Evaluator = Callable[[Graph, Node], Verdict]
PASS, FAIL, UNKNOWN, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE
LABEL = {cognitive.TYPE: "Account", keyvault.TYPE: "Key vault", storage.TYPE: "Storage account"}


def _label(node: Node) -> str:
    return f"{LABEL.get(node.type, 'Resource')} '{node.name}'"


def _shown(value: object) -> object:
    return "not set" if value is None else value


def _raw(node: Node, path: str) -> object:
    """The value at a property path exactly as Azure returned it ('not set' when absent)."""
    return _shown(props.get(node.raw, *path.split(".")))


def _evidence(node: Node, *paths: str) -> dict[str, Any]:
    return {path: _raw(node, path) for path in paths}


# -- network --------------------------------------------------------------------------------------
def _public_access(node: Node, pna: str | None, acls: NetworkAcls) -> Verdict:
    evidence = _evidence(node, "properties.publicNetworkAccess", "properties.networkAcls.defaultAction")
    if pna == "disabled":
        return PASS, f"{_label(node)} has public network access disabled.", evidence
    if acls.default_action == "deny":
        evidence["properties.networkAcls.ipRules"] = list(acls.ip_rules)
        evidence["properties.networkAcls.virtualNetworkRules"] = list(acls.vnet_rules)
        return (
            PASS,
            f"{_label(node)} is behind its service firewall (default action Deny, "
            f"{len(acls.ip_rules)} IP rule(s), {len(acls.vnet_rules)} virtual network rule(s)).",
            evidence,
        )
    return (
        FAIL,
        f"{_label(node)} accepts traffic from any network (publicNetworkAccess "
        f"{evidence['properties.publicNetworkAccess']}, firewall default action "
        f"{evidence['properties.networkAcls.defaultAction']}).",
        evidence,
    )


def aoai_net_01(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    return _public_access(node, a.public_network_access, a.network_acls)


def _pe_connections(graph: Graph, node: Node) -> dict[str, str]:
    """Private endpoint id -> status (lower-case), from the target's view and the endpoints' edges."""
    found = {
        e.source: str(e.attributes.get("status", "")).lower()
        for e in graph.into(node.id, Relation.PRIVATE_ENDPOINT_OF)
    }
    for c in getattr(node.attrs, "private_endpoint_connections", ()):
        found[c.private_endpoint_id] = c.status or found.get(c.private_endpoint_id, "")
    return found


def aoai_net_02(graph: Graph, node: Node) -> Verdict:
    conns = _pe_connections(graph, node)
    evidence = {
        "properties.privateEndpointConnections": {pe: s or "unknown" for pe, s in sorted(conns.items())}
    }
    approved = sorted(pe for pe, s in conns.items() if s == "approved")
    if approved:
        return PASS, f"{_label(node)} has {len(approved)} approved private endpoint connection(s).", evidence
    if conns:
        states = ", ".join(sorted({s or "unknown" for s in conns.values()}))
        return (
            FAIL,
            f"{_label(node)} has private endpoint connections but none approved ({states}).",
            evidence,
        )
    return FAIL, f"{_label(node)} has no private endpoint.", evidence


def _vnet_of_pe(graph: Graph, pe_id: str) -> str | None:
    for e in graph.out(pe_id, Relation.IN_SUBNET):
        for s in graph.out(e.target, Relation.SUBNET_OF):
            return s.target
    return None


def _in_prefixes(ip: str, prefixes: Iterable[str]) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
        return any(addr in ipaddress.ip_network(p, strict=False) for p in prefixes)
    except ValueError:
        return False


def _resolving_vnets(graph: Graph, vnet_id: str) -> dict[str, str]:
    """VNets whose private DNS zone links serve clients in `vnet_id`, with why.

    A zone link answers only queries made through Azure-provided DNS from inside the linked VNet; it does
    not travel over peering or a Virtual WAN hub (https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links,
    https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration). So a link on another
    VNet counts only when this VNet's custom DNS servers (`dhcpOptions.dnsServers`) live in that VNet and it
    is reachable through a peering or the same hub (the DNS Private Resolver / forwarder pattern).
    """
    out = {vnet_id: "the endpoint's own virtual network"}
    peers = {e.target for e in graph.out(vnet_id, Relation.PEERED_WITH)} | {
        e.source for e in graph.into(vnet_id, Relation.PEERED_WITH)
    }
    vnet = graph.attrs(vnet_id, network.VirtualNetwork)
    custom_dns = vnet.dns_servers if vnet else ()
    hubs = {e.target for e in graph.out(vnet_id, Relation.CONNECTED_TO_HUB)}
    same_hub = {e.source for h in hubs for e in graph.into(h, Relation.CONNECTED_TO_HUB)} - {vnet_id}
    for other in sorted(peers | same_hub):
        other_attrs = graph.attrs(other, network.VirtualNetwork)
        serves = other_attrs is not None and any(
            _in_prefixes(ip, other_attrs.address_prefixes) for ip in custom_dns
        )
        if serves:
            out[other] = "hosts the DNS server the endpoint's virtual network uses"
    return out


def _zones_by_name(graph: Graph) -> dict[str, list[Node]]:
    cached: dict[str, list[Node]] | None = graph.memo.get("zones_by_name")
    if cached is None:
        cached = {}
        for z in graph.of_type(dns.ZONE):
            cached.setdefault(z.name.lower(), []).append(z)
        graph.memo["zones_by_name"] = cached
    return cached


def _zone_index(graph: Graph, zone: Node) -> tuple[dict[str, dns.ARecord], frozenset[str]]:
    """A zone's A records by relative name and the set of VNets it is linked to (computed once per graph:
    a hub zone holds thousands of records and links)."""
    key = "zone:" + zone.id
    cached: tuple[dict[str, dns.ARecord], frozenset[str]] | None = graph.memo.get(key)
    if cached is None:
        attrs: dns.PrivateDnsZone = zone.attrs
        cached = (
            {r.name: r for r in reversed(attrs.a_records)},
            frozenset(lk.virtual_network for lk in attrs.links),
        )
        graph.memo[key] = cached
    return cached


def aoai_net_03(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    approved = sorted(pe for pe, s in _pe_connections(graph, node).items() if s == "approved")
    if not approved:
        return NA, f"{_label(node)} has no approved private endpoint to resolve.", {}
    wanted = dns.expected_zones(node.kind or "", a.endpoint)
    sub = a.custom_subdomain
    evidence: dict[str, Any] = {"expected_zones": list(wanted), "properties.customSubDomainName": _shown(sub)}
    if not sub:
        return (
            FAIL,
            f"{_label(node)} has no custom subdomain, so no private DNS name can point at its endpoint.",
            evidence,
        )
    fails: list[str] = []
    unknowns: list[str] = []
    proofs: dict[str, Any] = {}
    zones_by_name = _zones_by_name(graph)
    for pe_id in approved:
        pe = graph.attrs(pe_id, network.PrivateEndpoint)
        if pe is None:
            unknowns.append(f"private endpoint {pe_id} is not in the input")
            continue
        vnet = _vnet_of_pe(graph, pe_id)
        if vnet is None:
            unknowns.append(f"the subnet or virtual network of private endpoint {pe_id} is not in the input")
            continue
        if not pe.private_ips:
            unknowns.append(f"private endpoint {pe_id} has no private IP in the input")
            continue
        resolvers = _resolving_vnets(graph, vnet)
        # the kind's documented zones, plus one per FQDN the endpoint itself advertises
        needed = sorted(set(wanted) | set(dns.zones_for_fqdns(pe.fqdns)))
        evidence["expected_zones"] = sorted(set(evidence["expected_zones"]) | set(needed))
        for zone_name in needed:
            candidates = zones_by_name.get(zone_name, [])
            if not candidates:
                unknowns.append(
                    f"no private DNS zone '{zone_name}' linked to the endpoint's network is in the input"
                )
                continue
            problems: list[str] = []
            seen_any = False
            for z in candidates:
                zattrs: dns.PrivateDnsZone = z.attrs
                if not zattrs.record_sets_seen:
                    continue
                seen_any = True
                records, linked = _zone_index(graph, z)
                record = records.get(sub)
                links = sorted(v for v in resolvers if v in linked)
                if record is None:
                    problems.append(f"zone {z.name} holds no A record '{sub}'")
                elif not set(record.ipv4) & set(pe.private_ips):
                    problems.append(
                        f"A record {record.fqdn} points to {', '.join(record.ipv4) or 'nothing'}, "
                        f"not the endpoint's {', '.join(pe.private_ips)}"
                    )
                elif not links:
                    problems.append(
                        f"zone {z.name} is not linked to the endpoint's virtual network or to one whose DNS serves it"
                    )
                else:
                    proofs[f"{pe_id} / {zone_name}"] = {
                        "zone": z.id,
                        "record": record.fqdn,
                        "ipv4": list(record.ipv4),
                        "private_endpoint_ips": list(pe.private_ips),
                        "linked_vnet": links[0],
                        "why_linked_vnet_serves": resolvers[links[0]],
                    }
                    problems = []
                    break
            if f"{pe_id} / {zone_name}" in proofs:
                continue
            if not seen_any:
                unknowns.append(f"the record sets of zone '{zone_name}' are not in the input (dnsresources)")
            else:
                fails.extend(problems)
    evidence["resolution"] = proofs
    if fails:
        evidence["problems"] = sorted(set(fails))
        return (
            FAIL,
            f"The private endpoint of {_label(node).lower()} does not resolve privately: {'; '.join(sorted(set(fails)))}.",
            evidence,
        )
    if unknowns:
        evidence["missing"] = sorted(set(unknowns))
        return (
            UNKNOWN,
            f"Private name resolution of {_label(node).lower()} cannot be proven: {'; '.join(sorted(set(unknowns)))}.",
            evidence,
        )
    return (
        PASS,
        f"{_label(node)} resolves to its private endpoint through {len(proofs)} linked zone record(s).",
        evidence,
    )


def aoai_net_04(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    evidence = _evidence(node, "properties.restrictOutboundNetworkAccess", "properties.allowedFqdnList")
    if a.restrict_outbound:
        return PASS, f"{_label(node)} restricts outbound access to {len(a.allowed_fqdns)} FQDN(s).", evidence
    return (
        FAIL,
        f"{_label(node)} may call out to any destination (restrictOutboundNetworkAccess {_raw(node, 'properties.restrictOutboundNetworkAccess')}).",
        evidence,
    )


# -- identity -------------------------------------------------------------------------------------
def aoai_iam_01(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    evidence = _evidence(node, "properties.disableLocalAuth")
    if a.disable_local_auth:
        return PASS, f"{_label(node)} accepts only Microsoft Entra ID tokens (API keys disabled).", evidence
    return (
        FAIL,
        f"{_label(node)} accepts API keys (disableLocalAuth {_raw(node, 'properties.disableLocalAuth')}).",
        evidence,
    )


def aoai_iam_02(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    evidence = {
        **_evidence(node, "identity.type"),
        "identity.userAssignedIdentities": list(a.identity.user_assigned),
    }
    if a.identity.any:
        return PASS, f"{_label(node)} has a managed identity ({a.identity.type}).", evidence
    return FAIL, f"{_label(node)} has no managed identity.", evidence


def aoai_iam_03(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    evidence = _evidence(node, "properties.customSubDomainName", "properties.endpoint")
    if a.custom_subdomain:
        return PASS, f"{_label(node)} has the custom subdomain '{a.custom_subdomain}'.", evidence
    return (
        FAIL,
        f"{_label(node)} has no custom subdomain (Entra ID auth and private endpoints need one).",
        evidence,
    )


# -- encryption -----------------------------------------------------------------------------------
def aoai_enc_01(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    evidence = _evidence(
        node, "properties.encryption.keySource", "properties.encryption.keyVaultProperties.keyVaultUri"
    )
    if a.key_source == "microsoft.keyvault":
        return PASS, f"{_label(node)} encrypts at rest with customer-managed key '{a.key_name}'.", evidence
    return FAIL, f"{_label(node)} encrypts at rest with Microsoft-managed keys.", evidence


def _principal_node(graph: Graph, resource: Node, who: str) -> tuple[str | None, str | None]:
    """(node id holding the principal, principal object id) for the identity a CMK uses."""
    if who == "system":
        ident = getattr(resource.attrs, "identity", None)
        return resource.id, (ident.principal_id if ident is not None else None)
    uami = graph.attrs(who, identity.UserAssignedIdentity)
    return (who, uami.principal_id) if uami is not None else (None, None)


def cmk_chain(graph: Graph, node: Node) -> Verdict:
    """The CMK chain of an account or storage account: vault, soft delete, purge protection, key access."""
    edges = graph.out(node.id, Relation.CMK_KEY_IN)
    key_source = getattr(node.attrs, "key_source", None)
    if key_source != "microsoft.keyvault":
        return NA, f"{_label(node)} does not use a customer-managed key.", {}
    uri = getattr(node.attrs, "key_vault_uri", None)
    if not edges:
        return (
            UNKNOWN,
            f"The key vault {uri} of {_label(node).lower()} is not in the input.",
            {"key_vault_uri": uri},
        )
    e = edges[0]
    vault_node = graph.node(e.target)
    assert vault_node is not None
    v: keyvault.Vault = vault_node.attrs
    who = str(e.attributes.get("identity", "system"))
    holder, principal = _principal_node(graph, node, who)
    evidence: dict[str, Any] = {
        "key_vault": vault_node.id,
        "key_name": e.attributes.get("key_name"),
        **{
            f"vault.{path}": _raw(vault_node, path)
            for path in (
                "properties.enableSoftDelete",
                "properties.enablePurgeProtection",
                "properties.enableRbacAuthorization",
            )
        },
        "key_identity": who,
        "key_identity_principal_id": _shown(principal),
    }
    fails, unknowns = [], []
    if v.enable_soft_delete is False:
        fails.append("soft delete is off")
    elif v.enable_soft_delete is None:
        unknowns.append("the vault's soft-delete setting is not in the input")
    if not v.enable_purge_protection:
        fails.append("purge protection is off")
    if principal is None:
        unknowns.append(f"the key identity ({who}) or its principal id is not in the input")
    elif v.enable_rbac_authorization:
        grants = [
            r
            for r in graph.into(vault_node.id, Relation.ROLE_ASSIGNMENT)
            if r.source == holder and r.attributes.get("role_definition_id") in identity.KEY_CRYPTO_ROLES
        ]
        if grants:
            evidence["grant"] = {
                "role": grants[0].attributes.get("role_name"),
                "scope": grants[0].attributes.get("scope"),
            }
        elif graph.stats.get("role_assignment_rows", 0) == 0:
            unknowns.append("role assignments (authorizationresources) are not in the input")
        else:
            fails.append(f"the key identity has no key-crypto role on the RBAC vault {vault_node.name}")
    else:
        policy = next((p for p in v.access_policies if p.object_id == principal), None)
        perms = set(policy.key_permissions) if policy else set()
        evidence["access_policy_key_permissions"] = sorted(perms)
        if not ({"get", "wrapkey", "unwrapkey"} <= perms or "all" in perms):
            fails.append(
                "the vault's access policies do not give the key identity get, wrapKey and unwrapKey"
            )
    if fails:
        return (
            FAIL,
            f"The customer-managed key chain of {_label(node).lower()} is broken: {'; '.join(fails)}.",
            evidence,
        )
    if unknowns:
        return (
            UNKNOWN,
            f"The customer-managed key chain of {_label(node).lower()} cannot be proven: {'; '.join(unknowns)}.",
            evidence,
        )
    return (
        PASS,
        f"The customer-managed key chain of {_label(node).lower()} holds (vault {vault_node.name}, key identity can unwrap).",
        evidence,
    )


def aoai_enc_02(graph: Graph, node: Node) -> Verdict:
    return cmk_chain(graph, node)


# -- logging --------------------------------------------------------------------------------------
def _diagnostics(graph: Graph, node: Node, categories: set[str], what: str) -> Verdict:
    if node.id not in graph.diagnostics_collected:
        return (
            UNKNOWN,
            f"{_label(node)}: diagnostic settings were not collected (live discovery reads them through ARM).",
            {},
        )
    settings = graph.out(node.id, Relation.DIAGNOSTICS_TO)
    for e in settings:
        cats = set(e.attributes.get("categories", ()))
        if cats & categories:
            evidence = {
                "diagnostic_setting": e.attributes.get("setting"),
                "destination": e.target,
                "categories": sorted(cats),
            }
            return PASS, f"{_label(node)} sends {what} logs to {e.target.rsplit('/', 1)[-1]}.", evidence
    evidence = {"diagnostic_settings": sorted({str(e.attributes.get("setting")) for e in settings})}
    return FAIL, f"{_label(node)} has no diagnostic setting sending {what} logs.", evidence


def aoai_log_01(graph: Graph, node: Node) -> Verdict:
    return _diagnostics(graph, node, {"audit", "alllogs"}, "Audit")


# -- data handling --------------------------------------------------------------------------------
def aoai_data_01(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    value = a.capability("ContentLogging")
    evidence = {"properties.capabilities[ContentLogging]": _shown(value)}
    if value is not None and value.lower() == "false":
        return (
            PASS,
            f"{_label(node)} is approved for modified abuse monitoring (ContentLogging false).",
            evidence,
        )
    return (
        FAIL,
        f"{_label(node)} may keep prompts and completions for abuse monitoring review (no ContentLogging=false capability).",
        evidence,
    )


def aoai_data_02(graph: Graph, node: Node) -> Verdict:
    a: cognitive.Account = node.attrs
    if not a.deployments_collected:
        return (
            UNKNOWN,
            f"{_label(node)}: model deployments were not collected (live discovery reads them through ARM).",
            {},
        )
    evidence = {f"deployments[{d.name}].sku.name": d.sku or "not set" for d in a.deployments}
    if not a.deployments:
        return NA, f"{_label(node)} has no model deployment, so it processes no prompts.", evidence
    outside = sorted(d.name for d in a.deployments if d.processing == "global")
    unknown = sorted(d.name for d in a.deployments if d.processing == "unknown")
    if outside:
        return (
            FAIL,
            f"{_label(node)} has Global deployment(s) that may process prompts in any Azure region: {', '.join(outside)}.",
            evidence,
        )
    if unknown:
        return (
            UNKNOWN,
            f"{_label(node)} has deployment(s) of a type archgen does not know: {', '.join(unknown)}.",
            evidence,
        )
    scopes = sorted({d.processing for d in a.deployments})
    return (
        PASS,
        f"{_label(node)} processes prompts within its {' or '.join(scopes)} ({len(a.deployments)} deployment(s)).",
        evidence,
    )


# -- key vault ------------------------------------------------------------------------------------
def kv_net_01(graph: Graph, node: Node) -> Verdict:
    v: keyvault.Vault = node.attrs
    status, reason, evidence = _public_access(node, v.public_network_access, v.network_acls)
    consumers = sorted(
        e.source
        for e in graph.into(node.id, Relation.CMK_KEY_IN)
        if (s := graph.node(e.source)) and s.type == cognitive.TYPE
    )
    if consumers:
        evidence["cmk_for_ai_accounts"] = consumers
        reason += " Trade-off: Azure AI services is not a Key Vault trusted service, so closing this vault can break the account's customer-managed key."
    return status, reason, evidence


def kv_iam_01(graph: Graph, node: Node) -> Verdict:
    v: keyvault.Vault = node.attrs
    evidence = {
        **_evidence(node, "properties.enableRbacAuthorization"),
        "access_policies": len(v.access_policies),
    }
    if v.enable_rbac_authorization:
        return PASS, f"{_label(node)} uses Azure RBAC for data-plane access.", evidence
    return (
        FAIL,
        f"{_label(node)} uses access policies ({len(v.access_policies)}) instead of Azure RBAC.",
        evidence,
    )


def kv_enc_01(graph: Graph, node: Node) -> Verdict:
    v: keyvault.Vault = node.attrs
    evidence = _evidence(node, "properties.enablePurgeProtection")
    if v.enable_purge_protection:
        return PASS, f"{_label(node)} has purge protection.", evidence
    return FAIL, f"{_label(node)} has no purge protection: a deleted key can be purged at once.", evidence


def kv_enc_02(graph: Graph, node: Node) -> Verdict:
    v: keyvault.Vault = node.attrs
    evidence = _evidence(node, "properties.enableSoftDelete", "properties.softDeleteRetentionInDays")
    if v.enable_soft_delete:
        return PASS, f"{_label(node)} has soft delete on.", evidence
    if v.enable_soft_delete is None:
        return UNKNOWN, f"{_label(node)}: enableSoftDelete is not in the input.", evidence
    return FAIL, f"{_label(node)} has soft delete off.", evidence


def kv_log_01(graph: Graph, node: Node) -> Verdict:
    return _diagnostics(graph, node, {"auditevent", "audit", "alllogs"}, "AuditEvent")


# -- storage --------------------------------------------------------------------------------------
def st_net_01(graph: Graph, node: Node) -> Verdict:
    s: storage.StorageAccount = node.attrs
    return _public_access(node, s.public_network_access, s.network_acls)


def st_net_02(graph: Graph, node: Node) -> Verdict:
    s: storage.StorageAccount = node.attrs
    evidence = _evidence(node, "properties.allowBlobPublicAccess")
    if s.allow_blob_public_access:
        return FAIL, f"{_label(node)} allows anonymous blob access.", evidence
    return (
        PASS,
        f"{_label(node)} disallows anonymous blob access{' (not set: default false)' if s.allow_blob_public_access is None else ''}.",
        evidence,
    )


def st_iam_01(graph: Graph, node: Node) -> Verdict:
    s: storage.StorageAccount = node.attrs
    evidence = _evidence(node, "properties.allowSharedKeyAccess")
    if s.allow_shared_key_access is False:
        return (
            PASS,
            f"{_label(node)} accepts only Microsoft Entra ID authorization (shared key disabled).",
            evidence,
        )
    return (
        FAIL,
        f"{_label(node)} accepts shared keys and SAS tokens (allowSharedKeyAccess {_raw(node, 'properties.allowSharedKeyAccess')}).",
        evidence,
    )


def st_enc_01(graph: Graph, node: Node) -> Verdict:
    s: storage.StorageAccount = node.attrs
    evidence = {
        **_evidence(
            node, "properties.encryption.keySource", "properties.encryption.keyvaultproperties.keyvaulturi"
        ),
    }
    if s.key_source == "microsoft.keyvault":
        return PASS, f"{_label(node)} encrypts with customer-managed key '{s.key_name}'.", evidence
    return FAIL, f"{_label(node)} encrypts with Microsoft-managed keys.", evidence


def st_enc_03(graph: Graph, node: Node) -> Verdict:
    return cmk_chain(graph, node)


TLS_OK = {"tls1_2", "tls1_3"}


def st_enc_02(graph: Graph, node: Node) -> Verdict:
    s: storage.StorageAccount = node.attrs
    https = True if s.https_only is None else s.https_only  # default true since API 2019-04-01
    evidence = {
        **_evidence(node, "properties.minimumTlsVersion", "properties.supportsHttpsTrafficOnly"),
    }
    tls_ok = (s.minimum_tls_version or "").lower() in TLS_OK
    if tls_ok and https:
        return PASS, f"{_label(node)} requires HTTPS with {s.minimum_tls_version} or later.", evidence
    problems = []
    if not tls_ok:
        problems.append(f"minimum TLS version {_raw(node, 'properties.minimumTlsVersion')}")
    if not https:
        problems.append("plain HTTP allowed")
    return FAIL, f"{_label(node)} allows weak transport ({', '.join(problems)}).", evidence


EVALUATORS: dict[str, Evaluator] = {
    "AOAI-NET-01": aoai_net_01,
    "AOAI-NET-02": aoai_net_02,
    "AOAI-NET-03": aoai_net_03,
    "AOAI-NET-04": aoai_net_04,
    "AOAI-IAM-01": aoai_iam_01,
    "AOAI-IAM-02": aoai_iam_02,
    "AOAI-IAM-03": aoai_iam_03,
    "AOAI-ENC-01": aoai_enc_01,
    "AOAI-ENC-02": aoai_enc_02,
    "AOAI-LOG-01": aoai_log_01,
    "AOAI-DATA-01": aoai_data_01,
    "AOAI-DATA-02": aoai_data_02,
    "KV-NET-01": kv_net_01,
    "KV-IAM-01": kv_iam_01,
    "KV-ENC-01": kv_enc_01,
    "KV-ENC-02": kv_enc_02,
    "KV-LOG-01": kv_log_01,
    "ST-NET-01": st_net_01,
    "ST-NET-02": st_net_02,
    "ST-IAM-01": st_iam_01,
    "ST-ENC-01": st_enc_01,
    "ST-ENC-02": st_enc_02,
    "ST-ENC-03": st_enc_03,
}
