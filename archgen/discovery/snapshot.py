"""The snapshot: the raw rows of a run and the evidence of how they were obtained.

Live discovery writes one per run; `archgen discover --from snapshot.json` replays it without network
access and produces the same graph document byte for byte (the graph depends only on `rows`,
`diagnostics_collected`, `deployments_collected`, `principals_collected`, `foundry_collected`,
`assessments_collected` and `warnings`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from archgen.model.inventory import Inventory, SourcedRow

SNAPSHOT_SCHEMA = "archgen.snapshot/v1"


class QueryRecord(BaseModel):
    """One query as it was sent, with what it cost and returned."""

    model_config = ConfigDict(extra="allow")

    name: str
    table: str = "resources"
    text: str
    api_version: str = ""
    batches: int = 1
    requests: int = 0
    rows: int = 0
    seconds: float = 0.0
    # Live discovery (issue 3): the hop that sent it, its scope ('tenant', 'subscriptions:N',
    # 'managementGroups:N'), the pages read and, when it failed after retries, why.
    hop: int = 0
    scope: str = ""
    pages: int = 0
    error: str = ""


class Snapshot(BaseModel):
    """The snapshot file (`schema: archgen.snapshot/v1`)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_: str = Field(default=SNAPSHOT_SCHEMA, alias="schema")
    archgen_version: str = ""
    cloud: str = "public"
    arm_endpoint: str = ""
    scope: dict[str, Any] = Field(default_factory=dict)
    started_at: str = ""
    ended_at: str = ""
    queries: list[QueryRecord] = Field(default_factory=list)
    diagnostics_api_version: str = ""
    deployments_api_version: str = ""  # ARM api-version of the model-deployments reads; "" = not read
    token_scope: str = ""
    # Live discovery's counters: hops, queries, requests, pages, rows, throttling (429s, quota waits).
    stats: dict[str, Any] = Field(default_factory=dict)
    diagnostics_collected: list[str] | None = None
    deployments_collected: list[str] | None = None
    # principal ids whose role assignments were read by principal (authorizationresources); None = not recorded
    principals_collected: list[str] | None = None
    # AI Services account ids whose Foundry lists were read through ARM; None = not recorded
    foundry_collected: list[str] | None = None
    # workload resource ids whose Defender for Cloud assessments were read (securityresources); None = not recorded
    assessments_collected: list[str] | None = None
    warnings: list[dict[str, str]] = Field(default_factory=list)
    # Queries and reads that failed or were cut short after the seed started, with the coverage each one
    # leaves out (`kind` seed | lookup | arm, `query`, `hop`, `error`, `coverage`, `keys`); empty = complete.
    incomplete: list[dict[str, Any]] = Field(default_factory=list)
    rows: list[Any] = Field(default_factory=list)
    # SHA-256 of `rows` and of `queries` (see `content_digest`), written by `dumps`, checked on replay.
    integrity: dict[str, str] | None = None


def to_inventory(snapshot: Snapshot, source: str) -> Inventory:
    """The builder's input from a snapshot."""
    return Inventory(
        rows=[SourcedRow(r, source, f"rows[{i}]") for i, r in enumerate(snapshot.rows)],
        diagnostics_collected=(
            frozenset(s.lower() for s in snapshot.diagnostics_collected)
            if snapshot.diagnostics_collected is not None
            else None
        ),
        deployments_collected=(
            frozenset(s.lower() for s in snapshot.deployments_collected)
            if snapshot.deployments_collected is not None
            else None
        ),
        principals_collected=_lower(snapshot.principals_collected),
        foundry_collected=_lower(snapshot.foundry_collected),
        assessments_collected=_lower(snapshot.assessments_collected),
        warnings=list(snapshot.warnings),
        incomplete=[dict(g) for g in snapshot.incomplete],
    )


def _lower(values: list[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(s.lower() for s in values)


def content_digest(value: Any) -> str:
    """SHA-256 of a JSON value in canonical form (sorted keys, no whitespace, UTF-8)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def integrity_of(data: dict[str, Any]) -> dict[str, str]:
    """The integrity record of a snapshot's JSON data: the digests of its rows and of its queries."""
    return {
        "algorithm": "sha256",
        "rows": content_digest(data.get("rows", [])),
        "queries": content_digest(data.get("queries", [])),
    }


def verify(data: dict[str, Any]) -> list[str]:
    """What does not match the snapshot's recorded integrity ([] when all matches).

    A snapshot without an `integrity` record (written before archgen recorded one, or by hand) has
    nothing to verify: `[]` here, and `has_integrity` tells the two cases apart.
    """
    recorded = data.get("integrity")
    if not isinstance(recorded, dict):
        return []
    actual = integrity_of(data)
    return [
        f"{part} (SHA-256 recorded {str(recorded.get(part, ''))[:12]}..., computed {actual[part][:12]}...)"
        for part in ("rows", "queries")
        if recorded.get(part) != actual[part]
    ]


def has_integrity(data: dict[str, Any]) -> bool:
    return isinstance(data.get("integrity"), dict)


def dumps(snapshot: Snapshot) -> str:
    """Deterministic JSON text of a snapshot (sorted keys, two-space indent, trailing newline)."""
    data = snapshot.model_dump(by_alias=True, mode="json")
    data["integrity"] = integrity_of(data)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
