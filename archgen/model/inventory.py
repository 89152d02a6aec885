"""What the builder reads: rows as Resource Graph returns them, from a file or from live discovery.

The rows are held in blocks, one per section of an input (a file's `data` list, a snapshot's `rows`): the
list as decoded, its source and the path prefix of its rows (row 17 of `data` is `data[17]`). The builder
reads the blocks' plain lists and makes a `SourcedRow` only for a row it reports on; `Inventory.rows`
materialises them all, for readers off the hot path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import groupby
from operator import attrgetter
from typing import Any

import msgspec


class SourcedRow(msgspec.Struct, frozen=True):
    """One raw row and where it came from (for messages: `file.json: rows[17]`)."""

    row: Mapping[str, Any]
    source: str
    path: str


class RowBlock(msgspec.Struct, frozen=True):
    """Rows of one input section as decoded: row `i`'s path is `paths[i]` when given, else `prefix[i]`."""

    rows: Sequence[Any]
    source: str
    prefix: str = ""
    paths: Sequence[str] | None = None  # for rows whose paths are not `prefix[i]` (a table's, a lone object)

    def path(self, i: int) -> str:
        return self.paths[i] if self.paths is not None else f"{self.prefix}[{i}]"

    def sourced(self, i: int) -> SourcedRow:
        return SourcedRow(self.rows[i], self.source, self.path(i))

    def __iter__(self) -> Iterator[SourcedRow]:
        return map(self.sourced, range(len(self.rows)))


def blocks_of(sourced: Iterable[SourcedRow]) -> list[RowBlock]:
    """Rows given one by one, as blocks (one per run of rows from one source), paths kept."""
    blocks = []
    for source, run in groupby(sourced, attrgetter("source")):
        items = list(run)
        blocks.append(RowBlock([s.row for s in items], source, paths=[s.path for s in items]))
    return blocks


class Inventory(msgspec.Struct):
    """All rows of a run, plus what the run knows about its own coverage."""

    blocks: list[RowBlock] = msgspec.field(default_factory=list)
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
    digests: dict[str, str] = msgspec.field(default_factory=dict)
    # Messages carried from discovery (a forbidden subscription, a query that failed).
    warnings: list[dict[str, str]] = msgspec.field(default_factory=list)
    # A replayed snapshot's own evidence, by source name: its queries, cloud, scope and whether its
    # integrity record matched (read once, with the rows, by `archgen.discovery.files`).
    snapshot_meta: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)
    # Live discovery's coverage gaps (the snapshot's `incomplete`): queries and reads that failed or were
    # cut short, each `{kind: seed|lookup|arm, query, hop, error, coverage, keys}`; empty = complete.
    incomplete: list[dict[str, Any]] = msgspec.field(default_factory=list)
    # The data-as-of instant (`archgen.run.as_of_instant`); None = not known. Policy exemption expiry is
    # judged against it, never against the clock.
    as_of: datetime | None = None

    @property
    def rows(self) -> Sequence[SourcedRow]:
        """Every row with its source and path, in order (made on each call: not for the hot path)."""
        return tuple(s for block in self.blocks for s in block)

    @rows.setter
    def rows(self, sourced: Sequence[SourcedRow]) -> None:
        self.blocks = blocks_of(sourced)

    def row_count(self) -> int:
        return sum(len(block.rows) for block in self.blocks)
