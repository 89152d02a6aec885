"""Items that hold at a scope (Azure Policy exemptions), found for a resource from its id's prefixes.

An item holds for a resource when its scope is the resource's id or a prefix of it up to a `/` (trailing
slashes of the scope aside; `types.policy._under`). Scanning every item for every resource is quadratic: 2,000
per-account exemptions over 2,000 accounts took 0.7 s. The index keys each item by its scope once, and a
resource looks up its id and each of its prefixes before a `/` (issue 14).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class ScopeIndex(Generic[T]):
    """`holding(resource_id)`: the items whose scope holds `resource_id`, in the items' order."""

    def __init__(self, items: Sequence[T], scope: Callable[[T], str]) -> None:
        self._items = items
        self._exact: dict[str, list[int]] = {}  # scope -> items at it
        self._under: dict[str, list[int]] = {}  # scope without trailing slashes -> items at it
        for i, item in enumerate(items):
            at = scope(item)
            if at:  # an empty scope holds nothing
                self._exact.setdefault(at, []).append(i)
                self._under.setdefault(at.rstrip("/"), []).append(i)
        self._held: dict[str, list[T]] = {}

    def holding(self, resource_id: str) -> list[T]:
        found = self._held.get(resource_id)
        if found is None:
            hits = set(self._exact.get(resource_id, ()))
            cut = resource_id.find("/")
            while cut != -1:  # each prefix of the id that a `/` follows
                hits.update(self._under.get(resource_id[:cut], ()))
                cut = resource_id.find("/", cut + 1)
            found = self._held[resource_id] = [self._items[i] for i in sorted(hits)]
        return found
