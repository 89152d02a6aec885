"""The snapshot: the raw rows of a run and the evidence of how they were obtained.

Live discovery writes one per run; `archgen discover --from snapshot.json` replays it without network
access and produces the same graph document byte for byte (the graph depends only on `rows`,
`diagnostics_collected`, `deployments_collected`, `principals_collected`, `foundry_collected`,
`assessments_collected` and `warnings`).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from archgen.model.inventory import Inventory, RowBlock

if TYPE_CHECKING:
    from archgen.discovery.snapshot_models import QueryRecord, Snapshot

SNAPSHOT_SCHEMA = "archgen.snapshot/v1"

__all__ = [  # with the models, which `__getattr__` loads when first asked for
    "SNAPSHOT_SCHEMA",
    "QueryRecord",
    "Snapshot",
    "content_digest",
    "dumps",
    "has_integrity",
    "integrity_of",
    "to_inventory",
    "verify",
]


def __getattr__(name: str) -> Any:
    """`Snapshot` and `QueryRecord` live in `snapshot_models`: pydantic is imported only when a snapshot is
    read or written (a replayed file, live discovery), not on every run from rows."""
    if name in ("Snapshot", "QueryRecord"):
        from archgen.discovery import snapshot_models

        return getattr(snapshot_models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def to_inventory(snapshot: Snapshot, source: str) -> Inventory:
    """The builder's input from a snapshot."""
    return Inventory(
        blocks=[RowBlock(snapshot.rows, source, "rows")],
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
