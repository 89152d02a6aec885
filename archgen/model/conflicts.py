"""Rows that name the same resource (ids equal once normalised) but disagree: found, named, never guessed.

Resource Graph and ARM return the same resource with ids in different casing; two `--from` files can
hold two captures of it taken at different times. Equal rows are plain duplicates. Rows whose
`properties` differ (compared the way Azure compares: keys and string values case-insensitively,
lists in any order) are a conflict: the builder keeps one deterministically, whatever the input order
(`pick`: the row carrying the most), warns naming the resource and the differing properties, and the controls engine reports the
resource's findings as `unknown` (see docs/graph-document.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

MAX_PATHS = 8  # differing property paths named in a warning


def _norm(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k).lower(): _norm(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_norm(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, str):
        return value.strip().lower()
    return value


def _diff(a: Any, b: Any, path: str, out: list[str], depth: int) -> None:
    if a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict) and depth < 3:
        for key in sorted(set(a) | set(b)):
            _diff(a.get(key), b.get(key), f"{path}.{key}" if path else key, out, depth + 1)
        return
    out.append(path or "properties")


def differing_properties(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """The property paths (lower case, up to three levels deep) where two rows' properties differ."""
    out: list[str] = []
    _diff(_norm(a), _norm(b), "", out, 0)
    return out


def canonical(row: Mapping[str, Any]) -> str:
    """A row's canonical JSON text: the order-independent key by which the builder picks a row."""
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def pick(rows: Sequence[Mapping[str, Any]]) -> int:
    """The index of the row kept among conflicting ones, whatever their order: the one carrying the most
    (the longest canonical text: more peerings, more connections), ties broken by the text itself."""
    texts = [canonical(r) for r in rows]
    return min(range(len(rows)), key=lambda i: (-len(texts[i]), texts[i]))
