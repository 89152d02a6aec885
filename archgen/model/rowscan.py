"""The builder's first pass over the rows, with the common row read inline.

Most rows of a large tenant (virtual machines, disks, network interfaces) are read only to be counted
and checked for duplicates, so the per-row work is most of the pass. A plain row (a dict whose `id`,
`type` and `properties` are spelt so and are a string, a string and a dict; an id with no whitespace
or unprintable character) is read here without the tolerant lookups: its id's normal form is then
`rstrip('/').lower()` (every whitespace character other than ' ' is unprintable, so `norm_id`'s
`strip` and segment rewrite change nothing), and each type spelling is normalised once. Any other row
goes to the builder's row-by-row reading (`_Builder.ingest_row`), in its place, so warnings keep their
order; `tests/test_fast_ingest.py` compares both on hostile rows.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence

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
    first = rows.setdefault
    for block in blocks:
        for i, row in enumerate(block.rows):
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
                        r = Row(rid, kind, row, raw)
                        seen = first(rid, r)
                        if seen is r:
                            by_type[kind].append(r)
                        else:
                            duplicate(seen, r)
                        continue
            other(block.sourced(i))
