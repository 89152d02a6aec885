"""Tolerant, case-insensitive reading of the raw `properties` of a Resource Graph row.

Azure spells the same property differently across providers (storage's
`encryption.keyvaultproperties.keyvaulturi` vs Cognitive Services'
`encryption.keyVaultProperties.keyVaultUri`), so every lookup here ignores key case, and a value of
the wrong JSON type is treated as absent rather than trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archgen.model.ids import norm_enum, norm_id

JSON = Any
_ABSENT: Any = object()


def get(obj: object, *path: str) -> JSON:
    """Follow `path` through nested mappings, matching keys case-insensitively; None when absent."""
    cur: object = obj
    for key in path:
        # exact-type check first: rows come from json.loads, and ABC isinstance checks are slow
        if type(cur) is dict:
            found = cur.get(key, _ABSENT)  # one lookup where `key in cur` then `cur[key]` took two
            if found is not _ABSENT:
                cur = found
                continue
        elif not isinstance(cur, Mapping):
            return None
        elif key in cur:
            cur = cur[key]
            continue
        low = key.lower()
        for k, v in cur.items():
            if isinstance(k, str) and k.lower() == low:
                cur = v
                break
        else:
            return None
    return cur


def get_str(obj: object, *path: str) -> str | None:
    """A string value or None (an empty string counts as absent)."""
    if len(path) == 1 and type(obj) is dict:  # the common case, a key of a row: one dict lookup
        value = obj.get(path[0], _ABSENT)
        if value is _ABSENT:
            value = get(obj, *path)
    else:
        value = get(obj, *path)
    return value if isinstance(value, str) and value != "" else None


def id_type_properties(row: Mapping[str, JSON]) -> tuple[JSON, JSON, JSON]:
    """`get(row, k)` for 'id', 'type' and 'properties' (what the builder reads of every row): one dict
    lookup each when the row is a plain dict with the keys spelt as Azure spells them."""
    if type(row) is dict:
        rid, rtype, raw = row.get("id", _ABSENT), row.get("type", _ABSENT), row.get("properties", _ABSENT)
    else:
        rid = rtype = raw = _ABSENT
    return (
        get(row, "id") if rid is _ABSENT else rid,
        get(row, "type") if rtype is _ABSENT else rtype,
        get(row, "properties") if raw is _ABSENT else raw,
    )


def get_bool(obj: object, *path: str) -> bool | None:
    """A boolean, accepting ARG's occasional string form ('true'/'false'); None when absent."""
    value = get(obj, *path)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def get_enum(obj: object, *path: str) -> str | None:
    """A lower-cased enum string, or None."""
    value = get_str(obj, *path)
    return norm_enum(value) if value is not None else None


def get_int(obj: object, *path: str) -> int | None:
    """An integer, or None."""
    value = get(obj, *path)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def items(obj: object, *path: str) -> list[Mapping[str, JSON]]:
    """The mapping elements of the list at `path`; other elements and non-lists are skipped."""
    value = get(obj, *path)
    if not isinstance(value, list):
        return []
    return [e for e in value if type(e) is dict or isinstance(e, Mapping)]  # a list: cheaper than a generator


def strings(obj: object, *path: str) -> tuple[str, ...]:
    """The string elements of the list at `path`, sorted and de-duplicated."""
    value = get(obj, *path)
    if not isinstance(value, list):
        return ()
    return tuple(sorted({v for v in value if isinstance(v, str) and v}))


def ref_id(obj: object, *path: str) -> str:
    """A normalised resource id held at `path` (usually `{...}.id`), or ''."""
    return norm_id(get(obj, *path))


def mapping_keys(obj: object, *path: str) -> tuple[str, ...]:
    """The keys of the mapping at `path`, normalised as ids (for `userAssignedIdentities`)."""
    value = get(obj, *path)
    if not isinstance(value, Mapping):
        return ()
    return tuple(sorted({norm_id(k) for k in value if isinstance(k, str) and k}))


# -- reading a mapping's keys in one go ---------------------------------------------------------------
_NO_KEY: Any = object()  # a key no mapping holds: `dict.get(_NO_KEY)` is None, as `get` is for an absent key
_PLAN_CAP = 4096  # distinct key spellings remembered per `Fields` (rows of one type share a handful)
_PLAN_KEYS = 64  # nor the key tuples of wider mappings (what is remembered stays small)


class Fields:
    """`get(obj, key)` for each of a fixed set of keys, in one call: `Fields('a', 'b')(obj)` is
    `[get(obj, 'a'), get(obj, 'b')]`.

    Which key of a dict answers each wanted key (the exact spelling, else the first key equal to it
    case-insensitively, else none) depends only on the dict's keys and their order, so it is worked out
    once per key tuple (rows of one type share one) and each read is then one `dict.get` per key, in C.
    """

    __slots__ = ("_all", "_plans", "keys")

    def __init__(self, *keys: str) -> None:
        self.keys = keys
        self._all = frozenset(keys)
        self._plans: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def __call__(self, obj: object) -> list[JSON]:
        if type(obj) is not dict:
            if obj is None or not isinstance(obj, Mapping):  # an absent block: every key absent
                return [None] * len(self.keys)
            return [get(obj, k) for k in self.keys]
        if obj.keys() >= self._all:  # every key spelt as wanted (a row's envelope): each one's own value
            return list(map(obj.get, self.keys))
        shape = tuple(obj)
        plan = self._plans.get(shape)
        if plan is None:
            plan = self._plan(obj, shape)
        return list(map(obj.get, plan))

    def _plan(self, obj: dict[Any, Any], shape: tuple[Any, ...]) -> tuple[Any, ...]:
        lowered = [(k.lower(), k) for k in shape if isinstance(k, str)]
        plan = []
        for key in self.keys:
            if key in obj:
                plan.append(key)
                continue
            low = key.lower()
            plan.append(next((k for kl, k in lowered if kl == low), _NO_KEY))
        if len(self._plans) < _PLAN_CAP and len(shape) <= _PLAN_KEYS:
            self._plans[shape] = tuple(plan)
        return tuple(plan)


# The conversions `get_str` & co. apply to a value `get` returned, for values read with `Fields`.
def as_str(value: JSON) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def as_enum(value: JSON) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value != "" else None  # norm_enum of a str


def as_bool(value: JSON) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_int(value: JSON) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_maps(value: JSON) -> list[Mapping[str, JSON]]:
    if not value or not isinstance(value, list):
        return []
    return [e for e in value if type(e) is dict or isinstance(e, Mapping)]


def as_strings(value: JSON) -> tuple[str, ...]:
    if not value or not isinstance(value, list):
        return ()
    return tuple(sorted({v for v in value if isinstance(v, str) and v}))
