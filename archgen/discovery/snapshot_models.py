"""The snapshot file's pydantic models (see `archgen.discovery.snapshot`), imported only when a snapshot is
read or written, so that a run from rows does not import pydantic."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from archgen.discovery.snapshot import SNAPSHOT_SCHEMA


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
