"""Data-handling controls: abuse monitoring storage, where prompts are processed, content filtering."""

from __future__ import annotations

from typing import Any

from archgen.controls.evaluators.common import FAIL, NA, PASS, UNKNOWN, Verdict, label, shown
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive


def aoai_data_01(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    value = a.capability("ContentLogging")
    evidence = {"properties.capabilities[ContentLogging]": shown(value)}
    if value is not None and value.lower() == "false":
        return (
            PASS,
            f"{label(node)} is approved for modified abuse monitoring (ContentLogging false).",
            evidence,
        )
    return (
        FAIL,
        f"{label(node)} may store prompts and completions for human review by abuse monitoring "
        "(no ContentLogging=false capability).",
        evidence,
    )


def _not_collected(node: Node) -> Verdict:
    return (
        UNKNOWN,
        f"{label(node)}: model deployments were not collected (live discovery reads them through ARM).",
        {},
    )


def aoai_data_02(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    if not a.deployments_collected:
        return _not_collected(node)
    evidence = {f"deployments[{d.name}].sku.name": d.sku or "not set" for d in a.deployments}
    if not a.deployments:
        return NA, f"{label(node)} has no model deployment, so it processes no prompts.", evidence
    outside = sorted(d.name for d in a.deployments if d.processing == "global")
    unknown = sorted(d.name for d in a.deployments if d.processing == "unknown")
    if outside:
        return (
            FAIL,
            f"{label(node)} has Global deployment(s) that may process prompts in any Azure region: {', '.join(outside)}.",
            evidence,
        )
    if unknown:
        return (
            UNKNOWN,
            f"{label(node)} has deployment(s) of a type archgen does not know: {', '.join(unknown)}.",
            evidence,
        )
    scopes = sorted({d.processing for d in a.deployments})
    return (
        PASS,
        f"{label(node)} processes prompts within its {' or '.join(scopes)} ({len(a.deployments)} deployment(s)).",
        evidence,
    )


def _filter_state(a: cognitive.Account, d: cognitive.Deployment) -> tuple[str, str]:
    """('on' | 'off' | 'unknown', why) for one deployment's content filter."""
    name = (d.rai_policy or "").lower()
    if not name:
        return "unknown", "names no content filter policy (raiPolicyName not set)"
    if name == cognitive.NO_RAI_POLICY:
        return "off", f"uses {d.rai_policy}, which applies no content filter"
    if name in cognitive.DEFAULT_RAI_POLICIES:
        return "on", f"uses Microsoft's default content filter {d.rai_policy}"
    return _custom_filter_state(a, d, name)


def _custom_filter_state(a: cognitive.Account, d: cognitive.Deployment, name: str) -> tuple[str, str]:
    """_filter_state for a deployment naming a custom content filter policy."""
    policy = next((p for p in a.rai_policies if p.name.lower() == name), None)
    if policy is None:
        return "unknown", f"uses the custom policy {d.rai_policy}, which is not in the input"
    if (policy.base_policy or "").lower() == cognitive.NO_RAI_POLICY:
        return "off", f"uses {d.rai_policy}, based on {policy.base_policy}"
    off = policy.disabled_harm_filters()
    if off:
        return "off", f"uses {d.rai_policy}, which switches off {', '.join(off)}"
    return "on", f"uses the custom policy {d.rai_policy} with every harm-category filter enabled"


def aoai_data_03(graph: Graph, node: Node) -> Verdict:
    a = node.attrs_as(cognitive.Account)
    if not a.deployments_collected:
        return _not_collected(node)
    if not a.deployments:
        return NA, f"{label(node)} has no model deployment to filter.", {}
    states = {d.name: _filter_state(a, d) for d in a.deployments}
    evidence: dict[str, Any] = {
        f"deployments[{d.name}].properties.raiPolicyName": shown(d.rai_policy) for d in a.deployments
    }
    evidence["content_filters"] = {n: why for n, (_s, why) in sorted(states.items())}
    off = sorted(n for n, (s, _w) in states.items() if s == "off")
    unknown = sorted(n for n, (s, _w) in states.items() if s == "unknown")
    if off:
        return (
            FAIL,
            f"{label(node)} has deployment(s) without content filtering: "
            f"{'; '.join(f'{n} {states[n][1]}' for n in off)}.",
            evidence,
        )
    if unknown:
        return (
            UNKNOWN,
            f"{label(node)}: the content filter of {', '.join(unknown)} cannot be judged "
            f"({'; '.join(states[n][1] for n in unknown)}).",
            evidence,
        )
    return PASS, f"{label(node)} filters content on all {len(a.deployments)} deployment(s).", evidence
