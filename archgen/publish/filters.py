"""The "Content filters" table of a workload page: one row per model deployment.

Every value is a fact of the model (`cognitive.Account.content_filter`), the same facts AOAI-DATA-03/04/05
judge; the template escapes each cell (`cell`).
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model.graph import Graph
from archgen.model.types import cognitive as c

CATEGORY_TITLES = {"hate": "Hate", "sexual": "Sexual", "selfharm": "Self-harm", "violence": "Violence"}
KIND_TEXT = {
    "default": "Microsoft default",
    "none": "no content filter",
    "custom": "custom",
    "not read": "custom, not in the input",
    "not set": "not set",
}


@dataclass(frozen=True, slots=True)
class FilterRow:
    deployment: str
    model: str
    sku: str
    capacity: str
    upgrade: str
    policy: str
    categories: tuple[tuple[str, str], ...]  # (category title, "prompt / completion" text)
    prompt_shields: str
    mode: str
    blocklists: str  # the custom blocklists the policy applies: "name (source, blocking)"; evidence only


def _blocklists(f: c.DeploymentFilter) -> str:
    if f.policy is not None:
        return "; ".join(b.shown for b in f.policy.blocklists) or "none"
    return {"default": "none (a Microsoft policy)", "none": "none"}.get(f.kind, "unknown (policy not read)")


def _mode(f: c.DeploymentFilter) -> str:
    if f.policy is not None:
        mode = f.policy.mode or "not set"
        return f"{mode} (asynchronous)" if f.asynchronous else mode
    return {"default": "Default", "none": "none"}.get(f.kind, "unknown")


def _row(a: c.Account, d: c.Deployment) -> FilterRow:
    f = a.content_filter(d)
    shown = {(s.category, s.source): s.shown for s in f.harm_settings()}
    model = " ".join(p for p in (d.model, d.model_version) if p) or "not set"
    return FilterRow(
        deployment=d.name,
        model=model,
        sku=d.sku or "not set",
        capacity="not set" if d.capacity is None else str(d.capacity),
        upgrade=d.version_upgrade_option or "not set",
        policy=f"{d.rai_policy or 'not set'} ({KIND_TEXT[f.kind]})",
        categories=tuple(
            (title, f"{shown[(cat, 'prompt')]} / {shown[(cat, 'completion')]}")
            for cat, title in CATEGORY_TITLES.items()
        ),
        prompt_shields=f.prompt_shields,
        mode=_mode(f),
        blocklists=_blocklists(f),
    )


def content_filter_rows(graph: Graph, account_id: str) -> tuple[FilterRow, ...] | None:
    """The rows for the workload's account, sorted by deployment name; None when deployments were not read."""
    node = graph.nodes.get(account_id)
    if node is None or not isinstance(node.attrs, c.Account) or not node.attrs.deployments_collected:
        return None
    a = node.attrs
    return tuple(_row(a, d) for d in sorted(a.deployments, key=lambda d: d.name.lower()))
