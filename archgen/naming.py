"""Stable, readable names for files and anchors derived from resource ids (shared by render and publish)."""

from __future__ import annotations

import hashlib
import re

from archgen.model.graph import Graph

_SAFE = re.compile(r"[^a-z0-9-]+")


def short_hash(value: str, length: int = 6) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and dashes only: safe as a file name and a URL path."""
    cleaned = _SAFE.sub("-", text.lower()).strip("-")
    return cleaned[:60] or "x"


def workload_slugs(graph: Graph) -> dict[str, str]:
    """Workload id -> slug: the account name, with a short hash of the id when names collide."""
    counts: dict[str, int] = {}
    for w in graph.workloads:
        counts[slug(w.name)] = counts.get(slug(w.name), 0) + 1
    out = {}
    for w in graph.workloads:
        base = slug(w.name)
        out[w.id] = base if counts[base] == 1 else f"{base}-{short_hash(w.id)}"
    return out
