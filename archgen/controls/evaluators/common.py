"""What every evaluator shares: the verdict shape, labels and evidence quoted as Azure returned it."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from archgen.controls.findings import Status
from archgen.model import props
from archgen.model.graph import Graph, Node
from archgen.model.types import TYPES, noun_of

Verdict = tuple[Status, str, dict[str, Any]]
Evaluator = Callable[[Graph, Node], Verdict]
PASS, FAIL, UNKNOWN, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE

# An IP rule admitting more addresses than this prefix length is treated as internet exposure: a /24
# is the largest block an organisation typically owns for its egress; anything wider (a /16, a /8,
# 0.0.0.0/0) admits networks the customer does not control. Documented in docs/graph-document.md.
WIDEST_IPV4_PREFIX = 24
WIDEST_IPV6_PREFIX = 48


def label(node: Node) -> str:
    return f"{_NOUNS.get(node.type) or noun_of(node.type)} '{node.name}'"


_NOUNS = {node_type: noun_of(node_type) for node_type in TYPES}  # `noun_of`, one dict lookup per label


def shown(value: object) -> object:
    return "not set" if value is None else value


_MISS = object()
_PATHS: dict[str, tuple[str, ...]] = {}  # a dotted path -> its keys, split once per path


def _keys(path: str) -> tuple[str, ...]:
    keys = _PATHS.get(path)
    if keys is None:
        keys = _PATHS[path] = tuple(path.split("."))
    return keys


# The values the resources being evaluated quote, read once per resource before the controls run
# (`quotes.quoting`): node id -> (that node, its path -> value). Set only while the engine evaluates.
QUOTED: ContextVar[dict[str, tuple[Node, dict[str, object]]] | None] = ContextVar("quoted", default=None)


def raw(node: Node, path: str) -> object:
    """The value at a property path exactly as Azure returned it ('not set' when absent): the value read
    before the controls ran when there is one (`quotes`), else `quote(node.raw, path)`."""
    table = QUOTED.get()
    if table is not None:
        entry = table.get(node.id)
        if entry is not None and entry[0] is node:
            value = entry[1].get(path, _MISS)
            if value is not _MISS:
                return value
    return quote(node.raw, path)


def evidence_of(node: Node, *paths: str) -> dict[str, Any]:
    table = QUOTED.get()
    if table is not None:
        entry = table.get(node.id)
        if entry is not None and entry[0] is node:
            values = entry[1]
            try:
                return {path: values[path] for path in paths}
            except KeyError:  # a path not read beforehand
                pass
    row = node.raw
    return {path: quote(row, path) for path in paths}


def quote(row: object, path: str) -> object:
    """The value at a property path of a row exactly as Azure returned it ('not set' when absent).

    `props.get(row, *keys)`, walked here with one dict lookup per key while the keys are spelt as
    Azure spells them in plain dicts; where one is not, `_off_path` finishes the read."""
    keys = _PATHS.get(path) or _keys(path)
    value: object = row
    for key in keys:
        found = value.get(key, _MISS) if type(value) is dict else _MISS
        if found is _MISS:
            value = _off_path(row, keys, value, key)
            break
        value = found
    return "not set" if value is None else value


def _off_path(row: object, keys: tuple[str, ...], at: object, key: str) -> object:
    """`props.get(row, *keys)` where `key` is not a key of the plain dict `at` as spelt (or `at` is not a
    plain dict): a key absent in any case ends the read (one C-level scan of the lower-cased keys, where
    `props.get` compares them one by one); anything else (another case, a mapping that is not a dict, a
    value of the wrong type) is left to `props.get`."""
    if type(at) is dict:
        try:
            if key.lower() not in map(str.lower, at):
                return None
        except TypeError:  # a key that is not a string: props.get skips it
            pass
    return props.get(row, *keys)


def wide_ip_rules(rules: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(rules wider than the threshold, rules that are not IP addresses or prefixes)."""
    wide, bad = [], []
    for rule in rules:
        try:
            net = ipaddress.ip_network(rule.strip(), strict=False)
        except ValueError:
            bad.append(rule)
            continue
        limit = WIDEST_IPV4_PREFIX if net.version == 4 else WIDEST_IPV6_PREFIX
        if net.prefixlen < limit:
            wide.append(rule)
    return sorted(wide), sorted(bad)


def workload_members(graph: Graph, account_id: str) -> frozenset[str]:
    """The members of the workload seeded by an account (empty when it seeds none)."""
    key = "members:" + account_id
    cached: frozenset[str] | None = graph.memo.get(key)
    if cached is None:
        cached = frozenset(graph.members_of(account_id))
        graph.memo[key] = cached
    return cached
