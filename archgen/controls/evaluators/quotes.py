"""The property values the controls quote, read once per resource before the controls run (issue 14).

Several controls quote the same property of a resource (`properties.publicNetworkAccess` by the public
access, bypass and firewall controls, say); each used to walk the row again for each control. The engine
now reads, for each workload member, every path the controls of its type quote (`PATHS`), once, with the
same reading as `common.quote` (`_quotes`), and `common.raw` / `common.evidence_of` take the value from
there while the engine evaluates. A path missing from `PATHS` is read from the row as before, so the
table decides only how fast a quote is, never what it says (tests/test_fast_eval.py checks both).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

from archgen.controls.evaluators.common import QUOTED
from archgen.model import props
from archgen.model.graph import Node
from archgen.model.types import cognitive, cosmos, keyvault, mlhub, search, storage

_SHARED = (
    "properties.publicNetworkAccess",
    "properties.networkAcls.bypass",
    "properties.networkAcls.defaultAction",
)

# node type -> the paths its controls quote (the evaluators' `raw` / `evidence_of` calls)
PATHS: dict[str, tuple[str, ...]] = {
    cognitive.TYPE: (
        *_SHARED,
        "identity.type",
        "properties.allowProjectManagement",
        "properties.allowedFqdnList",
        "properties.customSubDomainName",
        "properties.disableLocalAuth",
        "properties.encryption.keySource",
        "properties.encryption.keyVaultProperties.keyVaultUri",
        "properties.endpoint",
        "properties.restrictOutboundNetworkAccess",
    ),
    keyvault.TYPE: (
        *_SHARED,
        "properties.enablePurgeProtection",
        "properties.enableRbacAuthorization",
        "properties.enableSoftDelete",
        "properties.softDeleteRetentionInDays",
    ),
    storage.TYPE: (
        *_SHARED,
        "properties.allowBlobPublicAccess",
        "properties.allowSharedKeyAccess",
        "properties.encryption.keySource",
        "properties.encryption.keyvaultproperties.keyvaulturi",
        "properties.minimumTlsVersion",
        "properties.supportsHttpsTrafficOnly",
    ),
    mlhub.TYPE: ("properties.publicNetworkAccess",),
    cosmos.TYPE: ("properties.disableLocalAuth", "properties.publicNetworkAccess"),
    search.TYPE: ("properties.disableLocalAuth", "properties.publicNetworkAccess"),
}


def read(by_type: Mapping[str, list[Node]]) -> dict[str, tuple[Node, dict[str, object]]]:
    """Node id -> (the node, path -> `common.quote(node.raw, path)`), for the nodes of the types in `PATHS`."""
    table: dict[str, tuple[Node, dict[str, object]]] = {}
    for node_type, nodes in by_type.items():
        paths = PATHS.get(node_type)
        if paths:
            plan = tuple((path, tuple((k, k.lower()) for k in path.split("."))) for path in paths)
            layouts: _Layouts = {}  # shared by the rows of the type: they mostly hold the same keys
            for node in nodes:
                table[node.id] = (node, _quotes(node.raw, plan, layouts))
    return table


_Plan = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (path, its (key, lower-cased key) pairs)
_Layouts = dict[tuple[Any, ...], frozenset[str] | None]  # a dict's keys in order -> them lower-cased


def _quotes(row: object, plan: _Plan, layouts: _Layouts | None = None) -> dict[str, object]:
    """path -> `common.quote(row, path)` for each path of `plan`, read together: a key spelt as Azure spells
    it in a plain dict is one lookup; a key absent in any case is told by the dict's lower-cased keys,
    worked out once per dict of the row rather than once per path, and once per layout of keys (`layouts`,
    shared by the rows read together) rather than once per dict; anything else is `props.get`."""
    if layouts is None:
        layouts = {}
    values: dict[str, object] = {}
    lowered: dict[int, frozenset[str] | None] = {}  # id of a dict of the row -> its keys lower-cased
    for path, keys in plan:
        value: object = row
        for key, low in keys:
            if type(value) is dict:
                found = value.get(key, _MISS)
                if found is not _MISS:
                    value = found
                    continue
                known = lowered[id(value)] if id(value) in lowered else _lower_keys(value, lowered, layouts)
                if known is not None and low not in known:
                    value = None
                    break
            value = props.get(row, *(k for k, _low in keys))
            break
        values[path] = "not set" if value is None else value
    return values


def _lower_keys(
    mapping: dict[Any, object], lowered: dict[int, frozenset[str] | None], layouts: _Layouts
) -> frozenset[str] | None:
    """The keys of `mapping` lower-cased (None when one is not a string: `props.get` skips those), noted in
    `lowered` under the dict's id (the row holds the dict for as long as `lowered` lives). Worked out once
    per layout: the rows of one type mostly hold the same keys in the same order (one API version), and
    the tuple of a dict's keys is made and hashed in C, about a third of the time of lower-casing them."""
    layout = tuple(mapping)
    found = layouts.get(layout, _MISS)
    known: frozenset[str] | None
    if found is _MISS:
        try:
            known = frozenset(map(str.lower, layout))
        except TypeError:
            known = None
        layouts[layout] = known
    else:
        known = cast("frozenset[str] | None", found)
    lowered[id(mapping)] = known
    return known


_MISS = object()


@contextmanager
def quoting(by_type: Mapping[str, list[Node]]) -> Iterator[None]:
    """While the engine evaluates: `raw` and `evidence_of` quote the values `read` read."""
    token = QUOTED.set(read(by_type))
    try:
        yield
    finally:
        QUOTED.reset(token)
