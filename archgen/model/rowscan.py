"""The builder's first pass over the rows, with the common row read inline.

Most rows of a large tenant (virtual machines, disks, network interfaces) are read only to be counted
and checked for duplicates, so the per-row work is most of the pass. A plain row (a dict whose `id`,
`type` and `properties` are spelt so and are a string, a string and a dict; an id with no whitespace
or unprintable character) is read here without the tolerant lookups: its id's normal form is then
`rstrip('/').lower()` (every whitespace character other than ' ' is unprintable, so `norm_id`'s
`strip` and segment rewrite change nothing), and each type spelling is normalised once. The rows are
read from the inventory's blocks (the lists as decoded); any other row goes, as a `SourcedRow` with its
path (`data[17]`), to the builder's row-by-row reading (`_Builder.ingest_row`), in its place, so warnings
keep their order; `tests/test_fast_ingest.py` compares both on hostile rows.

A run of plain rows (a whole block, in the common case) is read first and added to the rows by id in one
step (`dict(zip(...))`, then `update`) when its ids are new and distinct; otherwise one by one, in order,
reporting duplicates as they come. Adding 100,000 ids one `setdefault` at a time, between the reads of
the rows, cost ~70 ms of the pass; in one step ~25 ms.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from itertools import islice
from typing import Any

from archgen.model.children import Row
from archgen.model.ids import norm_type
from archgen.model.inventory import RowBlock, SourcedRow


def ingest(
    blocks: Sequence[RowBlock],
    rows: MutableMapping[str, Row],
    by_type: MutableMapping[str, list[Row]],
    other: Callable[[SourcedRow], None],
    duplicate: Callable[[Row, Row], None],
) -> None:
    """Add each row to `rows` (the first of each id) and `by_type`, or report it to `duplicate` with the
    first row of its id; a row that is not plain goes to `other`, as a `SourcedRow` with its path."""
    types: dict[str, str] = {}  # type as spelt -> normalised (`norm_type`)
    for block in blocks:
        items = block.rows
        start = 0
        while start < len(items):
            ids, made, stop = _plain_run(items, start, types)
            _add(ids, made, rows, by_type, duplicate)
            if stop < len(items):
                other(block.sourced(stop))
            start = stop + 1


def _plain_run(items: Sequence[Any], start: int, types: dict[str, str]) -> tuple[list[str], list[Row], int]:
    """The plain rows from `start` on, read, up to the first row that is not plain (its index is returned,
    or `len(items)`)."""
    ids: list[str] = []
    made: list[Row] = []
    keep, make = ids.append, made.append
    for i, row in enumerate(islice(items, start, None), start):
        if type(row) is dict:
            try:  # subscripts, not `get`: a missing key is rare, and such a row is not plain
                rid, rtype, raw = row["id"], row["type"], row["properties"]
            except KeyError:
                rid = rtype = raw = None
            if (
                type(rid) is str
                and type(rtype) is str
                and type(raw) is dict
                and " " not in rid
                and rid.isprintable()
            ):
                rid = rid.rstrip("/").lower()
                try:
                    kind = types[rtype]
                except KeyError:
                    kind = types[rtype] = norm_type(rtype)
                if rid and kind:
                    keep(rid)
                    make(Row(rid, kind, row, raw))
                    continue
        return ids, made, i
    return ids, made, len(items)


def _add(
    ids: list[str],
    made: list[Row],
    rows: MutableMapping[str, Row],
    by_type: MutableMapping[str, list[Row]],
    duplicate: Callable[[Row, Row], None],
) -> None:
    """Add a run of plain rows in order: in one step when their ids are new and distinct."""
    fresh = dict(zip(ids, made, strict=True))
    if len(fresh) == len(made) and rows.keys().isdisjoint(fresh):
        rows.update(fresh)
        for r in made:
            by_type[r.type].append(r)
        return
    first = rows.setdefault
    for rid, r in zip(ids, made, strict=True):
        seen = first(rid, r)
        if seen is r:
            by_type[r.type].append(r)
        else:
            duplicate(seen, r)
