"""Keeping pages bounded whatever the input: large tables summarised, repeated warnings aggregated.

A private DNS zone can hold 100,000 A records and a malformed input can yield a million identical
warnings; the graph document keeps every one of them, a page shows what a reviewer can read:
- a zone's A records: those that matter to the workload (pointing at one of its private endpoints'
  addresses or names), the rest counted;
- warnings: grouped by code, each group with its count and its first few messages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from archgen.model.graph import Node, Warning
from archgen.model.types import dns, network
from archgen.publish.pages import WorkloadView, settings

RECORDS_SHOWN = 20  # a zone with more A records shows only the workload's own
WARNING_EXAMPLES = 5  # messages shown per warning code


def _relevant(zone: dns.PrivateDnsZone, ips: set[str], fqdns: set[str]) -> tuple[dns.ARecord, ...]:
    return tuple(r for r in zone.a_records if ips.intersection(r.ipv4) or r.fqdn.rstrip(".").lower() in fqdns)


def workload_settings(w: WorkloadView) -> Callable[[Node], list[tuple[str, str]]]:
    """`pages.settings` for the nodes of one workload, with large A-record tables cut to the relevant ones."""
    ips: set[str] = set()
    fqdns: set[str] = set()
    for n in w.nodes:
        if isinstance(n.attrs, network.PrivateEndpoint):
            ips.update(n.attrs.private_ips)
            fqdns.update(f.rstrip(".").lower() for f in n.attrs.fqdns)

    def settings_of(node: Node) -> list[tuple[str, str]]:
        attrs = node.attrs
        if not isinstance(attrs, dns.PrivateDnsZone) or len(attrs.a_records) <= RECORDS_SHOWN:
            return settings(node)
        kept = _relevant(attrs, ips, fqdns)[:RECORDS_SHOWN]
        shown = dataclasses.replace(node, attrs=dataclasses.replace(attrs, a_records=kept))
        hidden = len(attrs.a_records) - len(kept)
        note = f"{hidden:,} more not shown (not pointing at this workload's private endpoints; all in graph.json)"
        return [*settings(shown), ("other A records", note)]

    return settings_of


def warning_groups(warnings: Sequence[Warning]) -> list[dict[str, Any]]:
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
