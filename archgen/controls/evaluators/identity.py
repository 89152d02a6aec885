"""Identity controls: local (key) authentication, managed identity, custom subdomain, vault RBAC, shared keys."""

from __future__ import annotations

from archgen.controls.evaluators.common import FAIL, PASS, Verdict, evidence_of, label, raw
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive, keyvault, storage


def aoai_iam_01(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    evidence = evidence_of(node, "properties.disableLocalAuth")
    if a.disable_local_auth:
        return PASS, f"{label(node)} accepts only Microsoft Entra ID tokens (API keys disabled).", evidence
    return (
        FAIL,
        f"{label(node)} accepts API keys (disableLocalAuth {raw(node, 'properties.disableLocalAuth')}).",
        evidence,
    )


def aoai_iam_02(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    evidence = {
        **evidence_of(node, "identity.type"),
        "identity.userAssignedIdentities": list(a.identity.user_assigned),
    }
    if a.identity.any:
        return PASS, f"{label(node)} has a managed identity ({a.identity.type}).", evidence
    return FAIL, f"{label(node)} has no managed identity.", evidence


def aoai_iam_03(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    evidence = evidence_of(node, "properties.customSubDomainName", "properties.endpoint")
    if a.custom_subdomain:
        return PASS, f"{label(node)} has the custom subdomain '{a.custom_subdomain}'.", evidence
    return (
        FAIL,
        f"{label(node)} has no custom subdomain (Entra ID auth and private endpoints need one).",
        evidence,
    )


def kv_iam_01(graph: Graph, node: Node) -> Verdict:
    v = node.attrs_as(keyvault.Vault)
    evidence = {
        **evidence_of(node, "properties.enableRbacAuthorization"),
        "access_policies": len(v.access_policies),
    }
    if v.enable_rbac_authorization:
        return PASS, f"{label(node)} uses Azure RBAC for data-plane access.", evidence
    return (
        FAIL,
        f"{label(node)} uses access policies ({len(v.access_policies)}) instead of Azure RBAC.",
        evidence,
    )


def st_iam_01(graph: Graph, node: Node) -> Verdict:
    s = node.attrs_as(storage.StorageAccount)
    evidence = evidence_of(node, "properties.allowSharedKeyAccess")
    if s.allow_shared_key_access is False:
        return (
            PASS,
            f"{label(node)} accepts only Microsoft Entra ID authorization (shared key disabled).",
            evidence,
        )
    return (
        FAIL,
        f"{label(node)} accepts shared keys and SAS tokens (allowSharedKeyAccess {raw(node, 'properties.allowSharedKeyAccess')}).",
        evidence,
    )
