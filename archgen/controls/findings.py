"""Findings: one per (control, resource), with one of four statuses, a reason and the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"  # the evidence needed is not in the input; the reason says which
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class Finding:
    control: str
    resource: str
    status: Status
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
