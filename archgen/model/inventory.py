"""What the builder reads: rows as Resource Graph returns them, from a file or from live discovery."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class SourcedRow:
    """One raw row and where it came from (for messages: `file.json: rows[17]`)."""

    row: Mapping[str, Any]
    source: str
    path: str


@dataclass(slots=True)
class Inventory:
    """All rows of a run, plus what the run knows about its own coverage."""

    rows: list[SourcedRow] = field(default_factory=list)
    # Resource ids whose diagnostic settings were collected; None = derive from the rows (any
    # diagnostic setting row present means they were collected for every account, vault and storage).
    diagnostics_collected: frozenset[str] | None = None
    # Account ids whose model deployments were read (ARM, not Resource Graph); None = derive from the
    # rows (any deployment row present means they were read for every account).
    deployments_collected: frozenset[str] | None = None
    # Principal ids whose role assignments live discovery read (the by-principal lookup answered for them);
    # an assignment of a principal in the rows also counts (see Graph.principals_collected).
    principals_collected: frozenset[str] | None = None
    # AI Services account ids whose Foundry lists (connections, projects, their connections and capability
    # hosts) live discovery read; None = derive from the rows (an account with a connection row was read).
    foundry_collected: frozenset[str] | None = None
    # Workload resource ids whose Defender for Cloud assessments query answered; None = not recorded (a resource
    # with an assessment row of its own still counts, see types.assessments).
    assessments_collected: frozenset[str] | None = None
    # SHA-256 of each file the rows were read from, by source name (for the evidence page)
    digests: dict[str, str] = field(default_factory=dict)
    # Messages carried from discovery (a forbidden subscription, a query that failed).
    warnings: list[dict[str, str]] = field(default_factory=list)
    # A replayed snapshot's own evidence, by source name: its queries, cloud, scope and whether its
    # integrity record matched (read once, with the rows, by `archgen.discovery.files`).
    snapshot_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Live discovery's coverage gaps (the snapshot's `incomplete`): queries and reads that failed or were
    # cut short, each `{kind: seed|lookup|arm, query, hop, error, coverage, keys}`; empty = complete.
    incomplete: list[dict[str, Any]] = field(default_factory=list)
    # The data-as-of instant (`archgen.run.as_of_instant`); None = not known. Policy exemption expiry is
    # judged against it, never against the clock.
    as_of: datetime | None = None
