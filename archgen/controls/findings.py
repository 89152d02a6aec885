"""Findings: one per (control, resource), with one of four statuses, a reason and the evidence."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from itertools import repeat
from typing import Any

import msgspec


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"  # the evidence needed is not in the input; the reason says which
    NOT_APPLICABLE = "not_applicable"


class Finding(msgspec.Struct, frozen=True):
    control: str
    resource: str
    status: Status
    reason: str
    evidence: dict[str, Any] = msgspec.field(default_factory=dict)


def make_findings(
    control: str,
    resources: Sequence[str],
    statuses: Sequence[Status],
    reasons: Sequence[str],
    evidences: Sequence[dict[str, Any]],
) -> list[Finding]:
    """`[Finding(control, r, s, why, e) for r, s, why, e in zip(...)]` (sequences of one length), in one C
    loop (`map` over the constructor)."""
    return list(map(Finding, repeat(control), resources, statuses, reasons, evidences))
