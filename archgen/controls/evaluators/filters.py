"""Content filter contents against Microsoft's defaults (issue 11 §1): harm-category thresholds, Prompt Shields.

Every fact comes from `cognitive.Account.content_filter` (the model derives it once; the site shows the
same facts). A deployment passes, fails or is unknown on its own; the account takes the worst of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archgen.controls.evaluators.common import FAIL, NA, PASS, UNKNOWN, Verdict, label
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive as c

DEFAULT_CITED = (
    "Microsoft's default policy, which blocks hate, sexual, self-harm and violence at Medium on prompts and "
    "completions and user prompt attacks (jailbreak) on prompts"
)
Judged = tuple[str, str]  # (status key: "pass" | "fail" | "unknown", why)


def _harm(f: c.DeploymentFilter, policy_name: str) -> Judged:
    if f.kind == "default":
        return "pass", f"uses {policy_name}, {DEFAULT_CITED}"
    if f.kind == "none":
        return "fail", f"uses {policy_name}, which applies no content filter"
    if f.kind != "custom":
        return "unknown", _why_unread(f, policy_name)
    settings = f.harm_settings()
    weak = [s for s in settings if s.state in (c.RELAXED, c.ANNOTATE, c.OFF)]
    if weak or f.asynchronous:
        parts = [f"{s.category} on {s.source}s {_weak_text(s)}" for s in weak]
        if f.asynchronous:
            parts.append(
                f"mode {f.policy.mode if f.policy else ''} returns streamed completions before filtering"
            )
        return "fail", f"uses {policy_name}: {'; '.join(parts)}"
    unset = [f"{s.category} ({s.source})" for s in settings if s.state == c.NOT_SET]
    if f.asynchronous is None:
        unset.append("its mode")
    if unset:
        return "unknown", f"uses {policy_name}, which does not set {', '.join(unset)}"
    return (
        "pass",
        f"uses {policy_name}, which blocks every harm category at Medium or stricter on prompts and completions",
    )


def _weak_text(s: c.FilterSetting) -> str:
    if s.state == c.RELAXED:
        return f"blocks only at threshold {s.threshold}"
    if s.state == c.ANNOTATE:
        return "is annotate only (blocking false)"
    return "is off (enabled false)"


def _shields(f: c.DeploymentFilter, policy_name: str) -> Judged:
    if f.kind == "default":
        return "pass", f"uses {policy_name}, {DEFAULT_CITED}"
    if f.kind == "none":
        return "fail", f"uses {policy_name}, which applies no Prompt Shields"
    if f.kind != "custom":
        return "unknown", _why_unread(f, policy_name)
    state = f.prompt_shields
    if state == c.BLOCKS:
        return "pass", f"uses {policy_name}, which blocks user prompt attacks (jailbreak)"
    if state == c.NOT_SET:
        return "unknown", f"uses {policy_name}, which has no jailbreak filter on prompts"
    return "fail", f"uses {policy_name}, whose jailbreak filter is {state}"


def _why_unread(f: c.DeploymentFilter, policy_name: str) -> str:
    if f.kind == "not set":
        return "names no content filter policy (raiPolicyName not set)"
    return f"uses the custom policy {policy_name}, which is not in the input"


def _judge(
    graph: Graph, node: Node, judge: Callable[[c.DeploymentFilter, str], Judged], what: str
) -> Verdict:
    a = node.attrs_as(c.Account)
    if not a.deployments_collected:
        return (
            UNKNOWN,
            f"{label(node)}: model deployments were not collected (live discovery reads them through ARM).",
            {},
        )
    if not a.deployments:
        return NA, f"{label(node)} has no model deployment to filter.", {}
    judged = {d.name: judge(a.content_filter(d), d.rai_policy or "no policy") for d in a.deployments}
    evidence: dict[str, Any] = {
        f"deployments[{d.name}].properties.raiPolicyName": d.rai_policy or "not set" for d in a.deployments
    }
    evidence[what] = {n: why for n, (_s, why) in sorted(judged.items())}
    for status, verdict, lead in (("fail", FAIL, "does not meet"), ("unknown", UNKNOWN, "cannot judge")):
        names = sorted(n for n, (s, _w) in judged.items() if s == status)
        if names:
            detail = "; ".join(f"{n} {judged[n][1]}" for n in names)
            return verdict, f"{label(node)} {lead} {what} on: {detail}.", evidence
    detail = "; ".join(f"{n} {why}" for n, (_s, why) in sorted(judged.items()))
    return PASS, f"{label(node)} meets {what} on all {len(a.deployments)} deployment(s): {detail}.", evidence


def aoai_data_04(graph: Graph, node: Node) -> Verdict:
    return _judge(graph, node, _harm, "Microsoft's default harm-category thresholds")


def aoai_data_05(graph: Graph, node: Node) -> Verdict:
    return _judge(graph, node, _shields, "Prompt Shields (jailbreak) blocking")
