"""Fixtures for the content filter controls (AOAI-DATA-04, AOAI-DATA-05), named by expected outcome.

Policies are shaped as ARM returns them (`accounts/raiPolicies`, API 2024-10-01, GetRaiPolicy.json):
filter names and sources as the portal writes them (`Hate`, `Selfharm`, `Jailbreak`; `Prompt`, `Completion`).
"""

from __future__ import annotations

from typing import Any

from tests import factory as f

Rows = list[f.Row]
CATEGORIES = ("Hate", "Sexual", "Selfharm", "Violence")


def policy(
    name: str,
    threshold: dict[tuple[str, str], str] | None = None,
    annotate: tuple[tuple[str, str], ...] = (),
    jailbreak: dict[str, Any] | None = None,
    mode: str = "Default",
    omit: tuple[tuple[str, str], ...] = (),
) -> f.Row:
    """A custom policy at Microsoft's defaults except where told (keys are (category, source))."""
    threshold = threshold or {}
    filters: list[dict[str, Any]] = [
        {
            "name": cat,
            "enabled": True,
            "blocking": (cat, src) not in annotate,
            "severityThreshold": threshold.get((cat, src), "Medium"),
            "source": src,
        }
        for cat in CATEGORIES
        for src in ("Prompt", "Completion")
        if (cat, src) not in omit
    ]
    shield = {"enabled": True, "blocking": True} if jailbreak is None else jailbreak
    if shield:
        filters.append({"name": "Jailbreak", "source": "Prompt", **shield})
    return {
        "id": f"{f.ACCOUNT}/raiPolicies/{name}",
        "name": name,
        "type": "Microsoft.CognitiveServices/accounts/raiPolicies",
        "properties": {"basePolicyName": "Microsoft.DefaultV2", "mode": mode, "contentFilters": filters},
    }


def _one(p: f.Row) -> Rows:
    return [f.account(), f.deployment("chat", "Standard", rai=str(p["name"])), p]


def data04_pass_default_and_strict_custom() -> Rows:
    strict = policy("strict", threshold={(c, s): "Low" for c in CATEGORIES for s in ("Prompt", "Completion")})
    return [
        f.account(),
        f.deployment("chat", "Standard", rai="strict"),
        f.deployment("embed", "Standard", "text-embedding-3-large", rai="Microsoft.Default"),
        strict,
    ]


def data04_fail_violence_high_on_completions() -> Rows:
    return _one(policy("relaxed", threshold={("Violence", "Completion"): "High"}))


def data04_fail_hate_annotate_only_on_prompts() -> Rows:
    return _one(policy("annotate", annotate=(("Hate", "Prompt"),)))


def data04_fail_asynchronous_filter() -> Rows:
    return _one(policy("streaming", mode="Asynchronous_filter"))


def data04_fail_deferred_mode() -> Rows:
    return _one(policy("streaming", mode="deferred"))


def data04_fail_no_filter() -> Rows:
    return [f.account(), f.deployment("chat", "Standard", rai="Microsoft.Nil")]


def data04_unknown_policy_not_read() -> Rows:
    return [f.account(), f.deployment("chat", "Standard", rai="strict")]


def data04_unknown_category_missing_from_policy() -> Rows:
    return _one(policy("partial", omit=(("Sexual", "Completion"),)))


def data04_unknown_deployments_not_collected() -> Rows:
    return [f.account()]


def data05_pass_default() -> Rows:
    return [f.account(), f.deployment("chat", "Standard")]


def data05_pass_custom_blocking() -> Rows:
    return _one(policy("strict"))


def data05_fail_jailbreak_off() -> Rows:
    return _one(policy("noshield", jailbreak={"enabled": False, "blocking": False}))


def data05_fail_jailbreak_annotate_only() -> Rows:
    return _one(policy("annotate", jailbreak={"enabled": True, "blocking": False}))


def data05_unknown_jailbreak_absent() -> Rows:
    return _one(policy("nojailbreak", jailbreak={}))


def data05_unknown_policy_not_read() -> Rows:
    return [f.account(), f.deployment("chat", "Standard", rai="strict")]


def with_blocklists(p: f.Row, *entries: Any) -> f.Row:
    """The policy applying custom blocklists (`customBlocklists[]`: blocklistName, blocking, source)."""
    p["properties"]["customBlocklists"] = list(entries)
    return p
