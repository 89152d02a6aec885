"""What discovery reads of an Azure Front Door (Standard/Premium) profile through ARM, beside the API Management
reads: its origin groups and security policies (first round, when the profile is found), then each origin
group's origins (second round). Paths and api-version: `archgen.discovery.armreads.CHILD_LISTS`; property
names: `archgen.model.types.frontdoor`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archgen.model.types.frontdoor import FRONT_DOOR_SKUS, ORIGIN_GROUP, PROFILE

# what (a CHILD_LISTS key) -> (row type, warning code when it cannot be read)
FD_KINDS: dict[str, tuple[str, str]] = {
    "front door origin groups": ("Microsoft.Cdn/profiles/originGroups", "front_door_origins_unreadable"),
    "front door origins": ("Microsoft.Cdn/profiles/originGroups/origins", "front_door_origins_unreadable"),
    "front door security policies": (
        "Microsoft.Cdn/profiles/securityPolicies",
        "front_door_security_policies_unreadable",
    ),
}
PROFILE_KINDS = ("front door origin groups", "front door security policies")
# Child rows of the first round whose own children are read in a second round: row type -> what.
SECOND_ROUND: dict[str, str] = {
    "microsoft.apimanagement/service/apis": "api policies",
    ORIGIN_GROUP: "front door origins",
}


def is_front_door(rtype: str, row: Mapping[str, Any]) -> bool:
    """A Front Door Standard/Premium profile (a classic CDN profile has no origin groups to read)."""
    sku = row.get("sku")
    name = sku.get("name") if isinstance(sku, Mapping) else None
    return rtype == PROFILE and str(name or "").lower() in FRONT_DOOR_SKUS
