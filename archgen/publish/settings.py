"""A resource's security-relevant settings in words, read from its typed attributes (workload pages)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from archgen.model import props, records
from archgen.model.graph import Node
from archgen.model.types import cognitive, dns, network

# Attribute fields that are noise in the components table (ids already shown, or long lists).
_SKIPPED_FIELDS = frozenset(
    {
        "endpoint",
        "key_version",
        "network_interfaces",
        "principal_id",
        "user_assigned",
        "deployments_collected",
    }
)


def short_ref(value: str) -> str:
    """A resource id shown by its last segment (the resource's name); other text unchanged."""
    if value.startswith("/subscriptions/") and "/" in value:
        return value.rstrip("/").rsplit("/", 1)[-1]
    return value


def _show(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return short_ref(value) or "(empty)"
    return str(value)


_LABELS = {
    "subnet_id": "subnet",
    "disable_local_auth": "local auth (API keys) disabled",
    "https_only": "HTTPS only",
}
# Fields shown only when set (their absence is already said by another field, e.g. key source).
_ONLY_WHEN_SET = frozenset({"key_vault_uri", "key_name", "key_identity", "key_identity_client_id"})


def _connection_text(x: network.LinkServiceConnection) -> str:
    groups = ", ".join(x.group_ids) or "?"
    manual = " (manual)" if x.manual else ""
    return f"{short_ref(x.target_id)} [{groups}]: {x.status or 'unknown'}{manual}"


def _vnet_link_text(x: dns.VnetLink) -> str:
    auto = ", auto-registration" if x.registration_enabled else ""
    return f"{short_ref(x.virtual_network)} ({x.state or 'state unknown'}{auto})"


def _a_record_text(x: dns.ARecord) -> str:
    return f"{x.fqdn} -> {', '.join(x.ipv4) or 'no address'}"


def _deployment_text(x: cognitive.Deployment) -> str:
    model = " ".join(str(v) for v in (x.model, x.model_version) if v)
    return f"{x.name} ({x.sku or 'type not set'}, {model or 'model not set'})"


def _peering_text(x: network.Peering) -> str:
    return f"{short_ref(x.remote_id)} ({x.state or 'state unknown'})"


# How one element of a list-valued attribute reads, by its class.
_ITEM_TEXT: dict[type, Callable[[Any], str]] = {
    network.LinkServiceConnection: _connection_text,
    dns.VnetLink: _vnet_link_text,
    dns.ARecord: _a_record_text,
    cognitive.Deployment: _deployment_text,
    network.Peering: _peering_text,
}


def item_text(x: object) -> str:
    """One element of a list-valued attribute, in words."""
    text = _ITEM_TEXT.get(type(x))
    if text is not None:
        return text(x)
    return short_ref(x) if isinstance(x, str) else type(x).__name__


# Enum-valued attributes are normalised to lower case for comparison; the page shows them as Azure
# returned them, read from the row at these property paths.
_RAW_PATHS: dict[str, tuple[str, ...]] = {
    "public_network_access": ("properties", "publicNetworkAccess"),
    "key_source": ("properties", "encryption", "keySource"),
    "identity": ("identity", "type"),
    "network_acls default_action": ("properties", "networkAcls", "defaultAction"),
    "network_acls bypass": ("properties", "networkAcls", "bypass"),
    "private_endpoint_network_policies": ("properties", "privateEndpointNetworkPolicies"),
}


def _as_returned(node: Node, field: str, value: object) -> object:
    path = _RAW_PATHS.get(field)
    raw = props.get(node.raw, *path) if path else None
    return raw if isinstance(raw, str) and raw else value


def settings(node: Node, skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The security-relevant settings of a node as (label, value) pairs, from its typed attributes."""
    attrs = node.attrs
    if attrs is None or not records.is_record(attrs):
        return []
    out: list[tuple[str, str]] = []
    for name in records.field_names(type(attrs)):
        if name in _SKIPPED_FIELDS or name in skip:
            continue
        value: Any = _as_returned(node, name, getattr(attrs, name))
        if value is None and name in _ONLY_WHEN_SET:
            continue
        out.extend(_field_pairs(node, name, value))
    return out


def _capabilities(value: Any) -> list[tuple[str, str]]:
    shown = [f"{k}={v}" for k, v in value if k.lower() in ("contentlogging", "customermanagedkey")]
    return [("capabilities", ", ".join(shown))] if shown else []


def _connection_states(value: Any) -> list[tuple[str, str]]:
    if not value:
        return []
    states = Counter(c.status or "unknown" for c in value)
    return [("private endpoint connections", ", ".join(f"{n} {s}" for s, n in sorted(states.items())))]


def _access_policies(value: Any) -> list[tuple[str, str]]:
    return [("access policies", str(len(value)))]


# Fields summarised rather than listed: field name -> its (label, value) pairs.
_SUMMARISED: dict[str, Callable[[Any], list[tuple[str, str]]]] = {
    "capabilities": _capabilities,
    "private_endpoint_connections": _connection_states,
    "access_policies": _access_policies,
}


def _field_pairs(node: Node, name: str, value: Any) -> list[tuple[str, str]]:
    """The (label, value) pairs of one attribute field (none, one, or one per field of a nested value)."""
    summarise = _SUMMARISED.get(name)
    if summarise is not None:
        return summarise(value)
    label = _LABELS.get(name, name.replace("_", " "))
    if records.is_record(value):
        if name == "identity":
            return [("identity", _show(_as_returned(node, "identity", getattr(value, "type", None))))]
        return _nested_pairs(node, name, label, value)
    if isinstance(value, tuple):
        return [(label, "; ".join(item_text(x) for x in value))] if value else []
    return [(label, _show(value))]


def _nested_pairs(node: Node, name: str, label: str, value: Any) -> list[tuple[str, str]]:
    """One pair per field of a nested dataclass value (an empty tuple field is left out)."""
    out: list[tuple[str, str]] = []
    for sub in records.field_names(type(value)):
        sv = _as_returned(node, f"{name} {sub}", getattr(value, sub))
        sub_label = f"{label} {sub.replace('_', ' ')}"
        if isinstance(sv, tuple):
            if sv:
                out.append((sub_label, ", ".join(_show(x) for x in sv)))
        else:
            out.append((sub_label, _show(sv)))
    return out


def evidence_pairs(evidence: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Evidence as (property path, value) pairs; structured values as compact JSON."""
    out = []
    for key in sorted(evidence):
        value = evidence[key]
        if isinstance(value, str):
            text = value
        elif value is None:
            text = "null"
        else:
            text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
        out.append((key, text))
    return out
