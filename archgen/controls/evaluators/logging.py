"""Logging controls: which resource log categories reach a destination.

A category is collected when a diagnostic setting enables it by name, or through the `allLogs` category
group ("All categories for the resource"). Microsoft does not publish which categories the `audit` group
holds for Cognitive Services accounts or key vaults, so a setting that relies on it alone leaves the
verdict `unknown` (https://learn.microsoft.com/azure/azure-monitor/platform/diagnostic-settings,
ms.date 2026-03-31). A destination absent from the input still exists in Azure: it counts, and the
evidence says so.
"""

from __future__ import annotations

from typing import Any

from archgen.controls.evaluators.common import FAIL, PASS, UNKNOWN, Verdict, label
from archgen.model.graph import Graph, Node
from archgen.model.types.monitor import DiagnosticSetting

ALL_LOGS = "alllogs"


def _sent(ds: DiagnosticSetting, required: tuple[str, ...]) -> tuple[set[str], list[str]]:
    """(required categories the setting certainly sends, undocumented groups it relies on)."""
    if ALL_LOGS in ds.groups:
        return set(required), []
    named = set(ds.categories) - set(ds.groups)
    return named & set(required), sorted(g for g in ds.groups if g != ALL_LOGS)


def diagnostics(graph: Graph, node: Node, required: tuple[str, ...], what: str) -> Verdict:
    """Pass when every `required` category reaches a destination of some diagnostic setting."""
    if node.id not in graph.diagnostics_collected:
        return (
            UNKNOWN,
            f"{label(node)}: diagnostic settings were not collected (live discovery reads them through ARM).",
            {},
        )
    reached: set[str] = set()
    undocumented: set[str] = set()
    settings: dict[str, Any] = {}
    for ds in graph.diagnostics.get(node.id, ()):
        dests = {d: ("in the input" if d in graph.nodes else "not in the input") for d in ds.destinations}
        settings[ds.name] = {"categories": list(ds.categories), "destinations": dests}
        if ds.destinations:
            sent, groups = _sent(ds, required)
            reached |= sent
            undocumented.update(groups)
    evidence: dict[str, Any] = {"diagnostic_settings": settings, "required_categories": list(required)}
    missing = sorted(set(required) - reached)
    if not missing:
        return PASS, f"{label(node)} sends {what} logs to a destination.", evidence
    if undocumented:
        return (
            UNKNOWN,
            f"{label(node)} sends the category group(s) {', '.join(sorted(undocumented))}, whose categories "
            f"Microsoft does not publish for this resource type, so whether {', '.join(missing)} is collected "
            "is not proven.",
            evidence,
        )
    return (
        FAIL,
        f"{label(node)} has no diagnostic setting sending {what} logs (missing: {', '.join(missing)}).",
        evidence,
    )


def aoai_log_01(graph: Graph, node: Node) -> Verdict:
    return diagnostics(graph, node, ("audit", "requestresponse"), "Audit and RequestResponse")


def kv_log_01(graph: Graph, node: Node) -> Verdict:
    return diagnostics(graph, node, ("auditevent",), "AuditEvent")
