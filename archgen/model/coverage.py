"""Coverage gaps of a live discovery: queries and reads that failed or were cut short (issue 13).

Discovery records them in the snapshot's `incomplete` list; the builder carries them on the graph
(`Graph.incomplete`) so that controls, the summary and the site can say that the graph may lack what
those queries would have found, instead of presenting a partial graph as a complete one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

SEED, LOOKUP, ARM = "seed", "lookup", "arm"


class Gap(msgspec.Struct, frozen=True):
    """One query (or ARM read) whose answer is missing or cut short.

    `kind`: `seed` (accounts of part of the scope may be missing: no workload can name them), `lookup`
    (a reference or reverse lookup after the seed: any workload may lack what it would have found),
    `arm` (diagnostic settings or deployments of the resources in `keys`).
    """

    kind: str
    query: str
    hop: int
    error: str
    coverage: str
    keys: tuple[str, ...] = ()

    def text(self) -> str:
        """One sentence for the summary and the site."""
        where = f" ({len(self.keys)} keys)" if self.kind == LOOKUP and self.keys else ""
        return f"{self.coverage}: query {self.query}{where}, hop {self.hop}, failed: {self.error}"


def _hop(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 0


def gaps_of(entries: Iterable[Any]) -> tuple[Gap, ...]:
    """Gaps from the snapshot's `incomplete` entries (a replayed file: anything may be there). An entry
    of an unknown kind counts as a lookup gap, the safe side; an entry that is not an object, as an
    unnamed lookup gap rather than nothing."""
    gaps = []
    for entry in entries:
        e: Mapping[str, Any] = entry if isinstance(entry, Mapping) else {"error": str(entry)[:200]}
        kind = str(e.get("kind") or LOOKUP)
        keys = e.get("keys")
        gaps.append(
            Gap(
                kind if kind in (SEED, LOOKUP, ARM) else LOOKUP,
                str(e.get("query") or ""),
                _hop(e.get("hop")),
                str(e.get("error") or ""),
                str(e.get("coverage") or e.get("query") or "unnamed query"),
                tuple(sorted({str(k).lower() for k in keys})) if isinstance(keys, list) else (),
            )
        )
    return tuple(sorted(set(gaps), key=lambda g: (g.kind, g.query, g.hop, g.error, g.keys)))


def gaps_for_members(gaps: Iterable[Gap], members: Iterable[str]) -> tuple[Gap, ...]:
    """The gaps that concern a workload with these member ids: every lookup gap (a failed lookup can
    hide any workload's references), and the ARM gaps of its own resources."""
    ids = set(members)
    return tuple(g for g in gaps if g.kind == LOOKUP or (g.kind == ARM and ids.intersection(g.keys)))
