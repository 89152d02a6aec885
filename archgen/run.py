"""What a run knows about itself, for the evidence page: inputs, scope, times, queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class InputFile:
    name: str
    sha256: str
    rows: int


@dataclass(slots=True)
class RunInfo:
    archgen_version: str
    started_at: str  # ISO 8601 UTC
    ended_at: str
    mode: str  # 'live' | 'file' | 'sample'
    inputs: list[InputFile] = field(default_factory=list)
    scope: dict[str, Any] = field(default_factory=dict)
    cloud: str = "public"
    queries: list[dict[str, Any]] = field(default_factory=list)
