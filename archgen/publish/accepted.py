"""The accepted-risk rows of a workload page: which findings the board accepted, until when, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from archgen.controls.accept import Review
from archgen.publish.pages import FindingView


@dataclass(frozen=True, slots=True)
class AcceptedRow:
    badge: Markup
    control_id: str
    title: str
    resource_name: str
    label: str  # 'accepted until 2027-03-31' or 'acceptance expired on ...'
    expired: bool
    justification: str
    approver: str


def accepted_rows(findings: Sequence[FindingView], review: Review | None) -> list[AcceptedRow]:
    """One row per finding of the workload that an acceptance covers, expired ones first."""
    if review is None:
        return []
    rows = []
    for fv in findings:
        decision = review.decision(fv.finding)
        if decision is None:
            continue
        rows.append(
            AcceptedRow(
                fv.badge,
                fv.control.id,
                fv.control.title,
                fv.resource_name,
                decision.label,
                decision.expired,
                decision.acceptance.justification,
                decision.acceptance.approver,
            )
        )
    return sorted(rows, key=lambda r: (not r.expired, r.control_id, r.resource_name))


def decision_labels(findings: Sequence[FindingView], review: Review | None) -> dict[str, str]:
    """'control|resource' -> 'accepted until ...' for the status cell of a workload's findings table."""
    if review is None:
        return {}
    out = {}
    for fv in findings:
        decision = review.decision(fv.finding)
        if decision is not None:
            out[f"{fv.control.id}|{fv.finding.resource}"] = decision.label
    return out
