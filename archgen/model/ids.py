"""Azure resource ids, types and URIs, normalised once so that nothing else compares raw strings.

Azure ids are case-insensitive and Azure is inconsistent about their casing (`resourceGroups` vs
`resourcegroups`, an account whose resource-group casing changes once it has deployments):
https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
("Resource names are case-insensitive unless noted"). Every id, type and URI is lower-cased here.
"""

from __future__ import annotations

import re
from functools import lru_cache

import msgspec

_SEGMENT_SPACE = re.compile(r"\s*/\s*")


def norm_id(value: object) -> str:
    """Lower-case an id, strip whitespace around it and around each segment, and a trailing slash.

    `.../virtualHubs/vhub-weu /hubVirtualNetworkConnections/c` and `.../virtualHubs/vhub-weu` must
    name the same hub: a name with trailing whitespace otherwise gives its children a parent id that
    matches no node. Whitespace inside a name is kept. '' when not a string.
    """
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if " " in text or not text.isprintable():  # the fast path: no whitespace at all
        text = _SEGMENT_SPACE.sub("/", text)
    return text.rstrip("/").lower()


def norm_type(value: object) -> str:
    """Lower-case an ARM type such as `Microsoft.CognitiveServices/accounts`."""
    if not isinstance(value, str):
        return ""
    return value.strip().lower()


def norm_uri(value: object) -> str:
    """Lower-case a URI and drop its trailing slash: Key Vault URIs come with and without it."""
    if not isinstance(value, str):
        return ""
    return value.strip().rstrip("/").lower()


def norm_enum(value: object) -> str:
    """Lower-case an enum value (`Enabled`, `enabled`, `Microsoft.Keyvault`, `Microsoft.KeyVault`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return ""
    return value.strip().lower()


class ResourceId(msgspec.Struct, frozen=True):
    """A parsed ARM id: `/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{type}/{name}]...`."""

    id: str
    subscription_id: str
    resource_group: str
    type: str
    name: str

    @property
    def parent(self) -> str:
        """The id of the parent resource (for a child), of the resource group, or of the subscription."""
        if self.type in ("microsoft.resources/subscriptions",):
            return ""
        sub = f"/subscriptions/{self.subscription_id}"
        if self.type == "microsoft.resources/resourcegroups":
            return sub
        if self.type.count("/") == 1:  # a top-level resource: its resource group (or subscription)
            return f"{sub}/resourcegroups/{self.resource_group}" if self.resource_group else sub
        cut = self.id.rfind("/", 0, self.id.rfind("/"))
        return self.id[:cut]


@lru_cache(maxsize=65536)
def parse_id(value: str) -> ResourceId | None:
    """Parse a normalised resource id; None when it is not of ARM's shape."""
    rid = norm_id(value)
    parts = rid.split("/")
    # '', 'subscriptions', sub, 'resourcegroups', rg, 'providers', ns, type, name, [type, name]...
    if len(parts) < 3 or parts[0] != "" or parts[1] != "subscriptions" or not parts[2]:
        return None
    sub = parts[2]
    if len(parts) == 3:
        return ResourceId(rid, sub, "", "microsoft.resources/subscriptions", sub)
    rg = ""
    rest = parts[3:]
    if rest[0] == "resourcegroups":
        if len(rest) < 2 or not rest[1]:
            return None
        rg = rest[1]
        rest = rest[2:]
        if not rest:
            return ResourceId(rid, sub, rg, "microsoft.resources/resourcegroups", rg)
    return _provider_id(rid, sub, rg, rest)


def _provider_id(rid: str, sub: str, rg: str, rest: list[str]) -> ResourceId | None:
    """parse_id's tail: 'providers', namespace, then (type, name) pairs."""
    if len(rest) < 4 or rest[0] != "providers":
        return None
    ns = rest[1]
    pairs = rest[2:]
    if len(pairs) % 2 or not all(pairs):
        return None
    types = pairs[0::2]
    names = pairs[1::2]
    return ResourceId(rid, sub, rg, ns + "/" + "/".join(types), names[-1])


def scopes_of(resource_id: str) -> tuple[str, ...]:
    """The id itself and each scope above it: parent resources, resource group, subscription."""
    parsed = parse_id(resource_id)
    if parsed is None:
        return (norm_id(resource_id),)
    parent = parsed.parent
    if not parent or len(parent) >= len(parsed.id):  # a parent is a strictly shorter id: no cycle
        return (parsed.id,)
    return (parsed.id, *_scopes_above(parent))


@lru_cache(maxsize=65536)
def _scopes_above(parent: str) -> tuple[str, ...]:
    """scopes_of a parent, computed once: the thousands of resources of one resource group share it
    (the role-assignment join asks for the scopes of every resource)."""
    return scopes_of(parent)
