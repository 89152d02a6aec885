"""Keeping pages bounded whatever the input: large tables summarised, repeated warnings aggregated.

A private DNS zone can hold 100,000 A records and a malformed input can yield a million identical
warnings; the graph document keeps every one of them, a page shows what a reviewer can read:
- a zone's A records: those that matter to the workload, the rest counted (`archgen.publish.shared`);
- warnings: grouped by code, each group with its count and its first few messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archgen.model.graph import GraphWarning

WARNING_EXAMPLES = 5  # messages shown per warning code


def warning_groups(warnings: Sequence[GraphWarning]) -> list[dict[str, Any]]:
    """Warnings by code (in order of first appearance): count, first messages, how many more."""
    groups: dict[str, dict[str, Any]] = {}
    for w in warnings:
        g = groups.setdefault(w.code, {"code": w.code, "count": 0, "examples": []})
        g["count"] += 1
        if len(g["examples"]) < WARNING_EXAMPLES:
            g["examples"].append(w.message)
    for g in groups.values():
        g["more"] = g["count"] - len(g["examples"])
    return list(groups.values())
