"""What a run knows about itself, for the evidence page: inputs, scope, times, queries."""

from __future__ import annotations

import re
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
    stem = item.name.removeprefix("sample:").replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.lower().removesuffix(".json")
    # Lower-case ASCII letters, digits and '-_.' only: any other character (upper case folded above,
    # 'é', a space, a quote) becomes '-', so the name is a valid site path whatever the input was called.
    safe = "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "-" for c in stem)
    safe = re.sub(r"\.{2,}", ".", safe).strip("-._") or "input"  # ".." is never a site path
    return f"input-{index + 1}-{safe[:60].rstrip('-._') or 'input'}.json"


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
