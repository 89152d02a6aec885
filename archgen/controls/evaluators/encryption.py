"""Encryption controls: customer-managed keys and the whole chain behind them, vault safety, transport.

The chain's requirements differ by service; each comes from the service's own page (dates in
catalogue.yaml):
- Azure OpenAI (kind OpenAI): https://learn.microsoft.com/azure/ai-foundry/openai/encrypt-data-at-rest
  (ms.date 11/26/2025): vault in the same region and tenant; soft delete and purge protection; trusted
  Microsoft services allowed through the vault firewall; Azure RBAC (Key Vault Crypto Service Encryption
  User) or access policies (get, wrap key, unwrap key) for the system- or user-assigned identity; "Only
  RSA and RSA-HSM keys of size 2048 are supported".
- Foundry (kind AIServices): https://learn.microsoft.com/azure/ai-foundry/concepts/encryption-keys-portal
  (ms.date 09/29/2025): same region; soft delete and purge protection; trusted Microsoft services; RBAC or
  access policies; RSA keys of 2048 bits minimum.
- Azure Storage: https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview: soft
  delete and purge protection; RSA or RSA-HSM keys of 2048, 3072 or 4096 bits; any region.
"""

from __future__ import annotations

from typing import Any

import msgspec

from archgen.controls.evaluators.common import (
    FAIL,
    NA,
    PASS,
    UNKNOWN,
    Verdict,
    evidence_of,
    label,
    raw,
    shown,
)
from archgen.model.graph import Graph, Node
from archgen.model.relations import Relation
from archgen.model.types import cognitive, identity, keyvault, storage


class CmkRules(msgspec.Struct, frozen=True):
    """What one service requires of its customer-managed key chain."""

    service: str
    same_region: bool
    key_types: frozenset[str]  # upper-case kty
    key_sizes: frozenset[int] | None  # exact sizes, or None for 'min_size and up'
    min_size: int


OPENAI_CMK = CmkRules("Azure OpenAI", True, frozenset({"RSA", "RSA-HSM"}), frozenset({2048}), 2048)
FOUNDRY_CMK = CmkRules("Foundry", True, frozenset({"RSA", "RSA-HSM"}), None, 2048)
STORAGE_CMK = CmkRules(
    "Azure Storage", False, frozenset({"RSA", "RSA-HSM"}), frozenset({2048, 3072, 4096}), 2048
)


def rules_for(node: Node) -> CmkRules:
    if node.type == storage.TYPE:
        return STORAGE_CMK
    return FOUNDRY_CMK if (node.kind or "").lower() == "aiservices" else OPENAI_CMK


def aoai_enc_01(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    evidence = evidence_of(
        node, "properties.encryption.keySource", "properties.encryption.keyVaultProperties.keyVaultUri"
    )
    if a.key_source == "microsoft.keyvault":
        return PASS, f"{label(node)} encrypts at rest with customer-managed key '{a.key_name}'.", evidence
    return FAIL, f"{label(node)} encrypts at rest with Microsoft-managed keys.", evidence


def st_enc_01(graph: Graph, node: Node) -> Verdict:
    s = node.attrs_as(storage.StorageAccount)
    evidence = evidence_of(
        node, "properties.encryption.keySource", "properties.encryption.keyvaultproperties.keyvaulturi"
    )
    if s.key_source == "microsoft.keyvault":
        return PASS, f"{label(node)} encrypts with customer-managed key '{s.key_name}'.", evidence
    return FAIL, f"{label(node)} encrypts with Microsoft-managed keys.", evidence


def _principal_node(graph: Graph, resource: Node, who: str) -> tuple[str | None, str | None]:
    """(node id holding the principal, principal object id) for the identity a CMK uses."""
    if who == "system":
        ident = getattr(resource.attrs, "identity", None)
        return resource.id, (ident.principal_id if ident is not None else None)
    uami = graph.attrs(who, identity.UserAssignedIdentity)
    return (who, uami.principal_id) if uami is not None else (None, None)


class _Chain(msgspec.Struct):
    fails: list[str]
    unknowns: list[str]
    evidence: dict[str, Any]


def _check_vault_safety(v: keyvault.Vault, chain: _Chain) -> None:
    if v.enable_soft_delete is False:
        chain.fails.append("soft delete is off")
    elif v.enable_soft_delete is None:
        chain.unknowns.append("the vault's soft-delete setting is not in the input")
    if not v.enable_purge_protection:
        chain.fails.append("purge protection is off")


def _check_vault_network(vault: Node, v: keyvault.Vault, chain: _Chain) -> None:
    closed = v.public_network_access == "disabled" or v.network_acls.default_action == "deny"
    if closed and v.network_acls.bypass != "azureservices":
        chain.fails.append(
            f"the vault's firewall does not allow trusted Microsoft services "
            f"(networkAcls.bypass {raw(vault, 'properties.networkAcls.bypass')}), which the service needs to reach the key"
        )


def _check_region(node: Node, vault: Node, rules: CmkRules, chain: _Chain) -> None:
    if not rules.same_region:
        return
    if not node.location or not vault.location:
        chain.unknowns.append("the location of the resource or of its vault is not in the input")
    elif node.location.replace(" ", "") != vault.location.replace(" ", ""):
        chain.fails.append(
            f"the vault is in {vault.location}, not in the resource's region {node.location} "
            f"({rules.service} requires the same region)"
        )


def _check_key(v: keyvault.Vault, key_name: str | None, rules: CmkRules, chain: _Chain) -> None:
    if not v.keys_collected:
        chain.unknowns.append("the key's type and size were not collected (the vault's keys list)")
        return
    key = v.key(key_name)
    if key is None:
        chain.fails.append(f"the vault holds no key named '{key_name}'")
        return
    chain.evidence["key"] = {
        "kty": shown(key.kty),
        "keySize": shown(key.key_size),
        "attributes.enabled": shown(key.enabled),
        "attributes.exp": shown(key.expires),
        "rotationPolicy": "set" if key.rotation_policy else "not set",
    }
    if key.enabled is False:
        chain.fails.append(f"key '{key.name}' is disabled")
    kty = (key.kty or "").upper()
    size_ok = key.key_size is not None and (
        key.key_size in rules.key_sizes if rules.key_sizes is not None else key.key_size >= rules.min_size
    )
    if kty not in rules.key_types or not size_ok:
        allowed = (
            ", ".join(str(s) for s in sorted(rules.key_sizes)) if rules.key_sizes else f"{rules.min_size}+"
        )
        chain.fails.append(
            f"key '{key.name}' is {key.kty or 'of unknown type'} {key.key_size or '?'}, while {rules.service} "
            f"supports {' and '.join(sorted(rules.key_types))} keys of size {allowed}"
        )


def _check_access(graph: Graph, node: Node, vault: Node, v: keyvault.Vault, who: str, chain: _Chain) -> None:
    holder, principal = _principal_node(graph, node, who)
    chain.evidence["key_identity"] = who
    chain.evidence["key_identity_principal_id"] = shown(principal)
    if principal is None:
        chain.unknowns.append(f"the key identity ({who}) or its principal id is not in the input")
    elif v.enable_rbac_authorization:
        grants = [
            r
            for r in graph.into(vault.id, Relation.ROLE_ASSIGNMENT)
            if r.source == holder and r.attributes.get("role_definition_id") in identity.KEY_CRYPTO_ROLES
        ]
        if grants:
            chain.evidence["grant"] = {
                "role": grants[0].attributes.get("role_name"),
                "scope": grants[0].attributes.get("scope"),
            }
        elif principal.lower() not in graph.principals_collected:
            chain.unknowns.append(
                f"the role assignments of the key identity's principal {principal} were not read "
                "(authorizationresources)"
            )
        else:
            chain.fails.append(f"the key identity has no key-crypto role on the RBAC vault {vault.name}")
    else:
        policy = next((p for p in v.access_policies if p.object_id == principal), None)
        perms = set(policy.key_permissions) if policy else set()
        chain.evidence["access_policy_key_permissions"] = sorted(perms)
        if not ({"get", "wrapkey", "unwrapkey"} <= perms or "all" in perms):
            chain.fails.append(
                "the vault's access policies do not give the key identity get, wrapKey and unwrapKey"
            )


# The vault's properties a chain quotes, as `vault.<path>`: read together (one `evidence_of`).
_VAULT_PATHS = (
    "properties.enableSoftDelete",
    "properties.enablePurgeProtection",
    "properties.enableRbacAuthorization",
    "properties.publicNetworkAccess",
    "properties.networkAcls.defaultAction",
    "properties.networkAcls.bypass",
)
_VAULT_KEYS = tuple(f"vault.{path}" for path in _VAULT_PATHS)


def cmk_chain(graph: Graph, node: Node) -> Verdict:
    """The CMK chain of an account or storage account: vault, key, identity, network, region."""
    if getattr(node.attrs, "key_source", None) != "microsoft.keyvault":
        return NA, f"{label(node)} does not use a customer-managed key.", {}
    edges = graph.out(node.id, Relation.CMK_KEY_IN)
    uri = getattr(node.attrs, "key_vault_uri", None)
    vault = graph.node(edges[0].target) if edges else None
    if vault is None:
        return (
            UNKNOWN,
            f"The key vault {uri} of {label(node).lower()} is not in the input.",
            {"key_vault_uri": uri},
        )
    v = vault.attrs_as(keyvault.Vault)
    e = edges[0]
    rules = rules_for(node)
    chain = _Chain(
        [], [], {"key_vault": vault.id, "key_name": e.attributes.get("key_name"), "rules": rules.service}
    )
    chain.evidence.update(zip(_VAULT_KEYS, evidence_of(vault, *_VAULT_PATHS).values(), strict=True))
    chain.evidence["locations"] = {"resource": shown(node.location), "vault": shown(vault.location)}
    _check_vault_safety(v, chain)
    _check_vault_network(vault, v, chain)
    _check_region(node, vault, rules, chain)
    _check_key(v, str(e.attributes.get("key_name") or ""), rules, chain)
    _check_access(graph, node, vault, v, str(e.attributes.get("identity", "system")), chain)
    text = label(node).lower()
    if chain.fails:
        return (
            FAIL,
            f"The customer-managed key chain of {text} is broken: {'; '.join(chain.fails)}.",
            chain.evidence,
        )
    if chain.unknowns:
        return (
            UNKNOWN,
            f"The customer-managed key chain of {text} cannot be proven: {'; '.join(chain.unknowns)}.",
            chain.evidence,
        )
    return (
        PASS,
        f"The customer-managed key chain of {text} holds (vault {vault.name}, supported key, key identity can unwrap).",
        chain.evidence,
    )


def kv_enc_01(graph: Graph, node: Node) -> Verdict:
    v = node.attrs_as(keyvault.Vault)
    evidence = evidence_of(node, "properties.enablePurgeProtection")
    if v.enable_purge_protection:
        return PASS, f"{label(node)} has purge protection.", evidence
    return FAIL, f"{label(node)} has no purge protection: a deleted key can be purged at once.", evidence


def kv_enc_02(graph: Graph, node: Node) -> Verdict:
    v = node.attrs_as(keyvault.Vault)
    evidence = evidence_of(node, "properties.enableSoftDelete", "properties.softDeleteRetentionInDays")
    if v.enable_soft_delete:
        return PASS, f"{label(node)} has soft delete on.", evidence
    if v.enable_soft_delete is None:
        return UNKNOWN, f"{label(node)}: enableSoftDelete is not in the input.", evidence
    return FAIL, f"{label(node)} has soft delete off.", evidence


TLS_OK = {"tls1_2", "tls1_3"}


def st_enc_02(graph: Graph, node: Node) -> Verdict:
    s = node.attrs_as(storage.StorageAccount)
    https = True if s.https_only is None else s.https_only  # default true since API 2019-04-01
    evidence = evidence_of(node, "properties.minimumTlsVersion", "properties.supportsHttpsTrafficOnly")
    tls_ok = (s.minimum_tls_version or "").lower() in TLS_OK
    if tls_ok and https:
        return PASS, f"{label(node)} requires HTTPS with {s.minimum_tls_version} or later.", evidence
    problems = []
    if not tls_ok:
        problems.append(f"minimum TLS version {raw(node, 'properties.minimumTlsVersion')}")
    if not https:
        problems.append("plain HTTP allowed")
    return FAIL, f"{label(node)} allows weak transport ({', '.join(problems)}).", evidence
