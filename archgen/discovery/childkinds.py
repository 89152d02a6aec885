"""The ARM child lists live discovery reads for a parent the expansion finds, and how one item becomes a
snapshot row (never key material; of an API Management policy only its element names; of a hub connection
only the whitelisted fields). Kept apart from `archgen.discovery.live`, which runs the reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archgen.discovery.client import CHILD_LISTS
from archgen.discovery.frontdoor_reads import FD_KINDS
from archgen.model.types.foundry import safe_connection
from archgen.model.types.gateway import policy_elements

DEPLOYMENT = "Microsoft.CognitiveServices/accounts/deployments"
RAI_POLICY = "Microsoft.CognitiveServices/accounts/raiPolicies"
KEY = "Microsoft.KeyVault/vaults/keys"
APIM_BACKEND = "Microsoft.ApiManagement/service/backends"
APIM_API = "Microsoft.ApiManagement/service/apis"
APIM_POLICY = "Microsoft.ApiManagement/service/policies"
APIM_API_POLICY = "Microsoft.ApiManagement/service/apis/policies"


# Child lists read through ARM for a parent found by the expansion: what (a `client.CHILD_LISTS` key), the
# row type they get, and the warning code when one cannot be read.
CHILD_KINDS: dict[str, tuple[str, str]] = {
    "deployments": (DEPLOYMENT, "deployments_unreadable"),
    "content filter policies": (RAI_POLICY, "content_filters_unreadable"),
    "vault keys": (KEY, "vault_keys_unreadable"),
    "gateway backends": (APIM_BACKEND, "gateway_backends_unreadable"),
    "gateway apis": (APIM_API, "gateway_policies_unreadable"),
    "gateway policies": (APIM_POLICY, "gateway_policies_unreadable"),
    "api policies": (APIM_API_POLICY, "gateway_policies_unreadable"),
    **FD_KINDS,
    "hub connections": (
        "Microsoft.MachineLearningServices/workspaces/connections",
        "hub_connections_unreadable",
    ),
}
POLICY_KINDS = frozenset({"gateway policies", "api policies"})
GATEWAY_KINDS = ("gateway backends", "gateway apis", "gateway policies")


def child_row(item: Mapping[str, Any], parent_id: str, what: str, i: int) -> dict[str, Any]:
    """One child list item as a snapshot row, as ARM returns it (never key material); of a policy only its
    element names (`policy_elements`): a policy document may hold literal secrets."""
    row = dict(item)
    row.setdefault("id", f"{parent_id}/{CHILD_LISTS[what][0]}/{row.get('name') or f'item{i}'}")
    row.setdefault("type", CHILD_KINDS[what][0])
    if what == "hub connections":  # never `credentials`: the whitelist of foundry.safe_connection
        return {**safe_connection(item), "id": row["id"], "type": row["type"]}
    if what in POLICY_KINDS:
        raw = row.get("properties")
        document = raw.get("value") if isinstance(raw, Mapping) else None
        elements = policy_elements(document)
        row = {
            "id": row["id"],
            "name": row.get("name"),
            "type": row["type"],
            "properties": {"elements": elements},
        }
    return row
