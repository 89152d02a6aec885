"""What a run knows about itself, for the evidence page: inputs, scope, times, queries."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from typing import Any

import msgspec


class InputFile(msgspec.Struct, frozen=True):
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


class RunInfo(msgspec.Struct):
    archgen_version: str
    started_at: str  # ISO 8601 UTC
    ended_at: str
    mode: str  # 'live' | 'file' | 'sample'
    inputs: list[InputFile] = msgspec.field(default_factory=list)
    scope: dict[str, Any] = msgspec.field(default_factory=dict)
    cloud: str = "public"
    queries: list[dict[str, Any]] = msgspec.field(default_factory=list)
    # when the data was true (not when archgen ran), with how archgen knows; see `data_as_of`
    data_as_of: str = ""


def as_of_instant(text: str) -> datetime | None:
    """The instant a `data_as_of` text starts with (aware, UTC when unzoned); None when it names none."""
    try:
        at = datetime.fromisoformat(text.split(" ", 1)[0])
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def data_as_of(run: RunInfo, snapshot_starts: list[str]) -> str:
    """When the data was true: a live run's start, a replayed snapshot's start, else the newest input
    file's modification time, each labelled with where it comes from."""
    if run.mode == "live":
        return f"{run.started_at} (live discovery started)"
    if run.mode == "sample":
        return "embedded sample data"
    if snapshot_starts:
        return f"{max(snapshot_starts)} (the replayed snapshot's live discovery started)"
    times = []
    for item in run.inputs:
        try:
            times.append(os.stat(item.path).st_mtime)
        except (OSError, ValueError):
            continue
    if not times:
        return "not known (the input files are not at hand)"
    stamp = datetime.fromtimestamp(max(times), UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return f"{stamp} (the input file's modification time: when it was exported, if untouched since)"
