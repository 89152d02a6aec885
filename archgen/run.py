"""What a run knows about itself, for the evidence page: inputs, scope, times, queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class InputFile:
    name: str
    sha256: str
    rows: int
    path: str = ""  # where it was read from; the site offers a copy for download


def input_download_name(index: int, item: InputFile) -> str:
    """The file name under which the site offers an input for download (safe in a URL and a shell)."""
    stem = item.name.removeprefix("sample:").rsplit("/", 1)[-1].removesuffix(".json")
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem).strip("-.") or "input"
    return f"input-{index + 1}-{safe[:60]}.json"


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
