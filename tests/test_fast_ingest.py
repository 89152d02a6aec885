"""The builder's first pass reads plain rows inline (`archgen.model.rowscan`) and replaces the rows kept
among conflicting ones in one pass per type; on any rows, hostile ones included, it gives what the
row-by-row reading and the `list.remove` per row gave: the same rows by id, by type and in the same order,
the same duplicates and conflicts, counters and warnings in their order."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.model import builder, conflicts, rowscan
from archgen.model.builder import iter_rows
from archgen.model.children import Row
from archgen.model.graph import GraphWarning
from archgen.model.inventory import Inventory, RowBlock

_SUB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
_ID_SPELLINGS = [
    _SUB + "Microsoft.Compute/virtualMachines/vm1",
    _SUB + "microsoft.compute/virtualmachines/VM1",
    _SUB + "Microsoft.Compute/virtualMachines/vm1/",
    " " + _SUB + "Microsoft.Compute/virtualMachines/vm1",
    _SUB + "Microsoft.Compute/virtualMachines/vm 1",
    _SUB + "Microsoft.Compute/virtualMachines/vm1 /extensions/x",
    _SUB + "Microsoft.Compute/virtualMachines/vm\t1",
    _SUB + "Microsoft.Compute/virtualMachines/vm\u00a01",
    _SUB + "Microsoft.Compute/virtualMachines/\u0130stanbul",
    _SUB + "Microsoft.Compute/virtualMachines/ΣΑΣ",
    "/",
    "//",
    "",
    " ",
    "\n",
    _SUB + "Microsoft.Compute/virtualMachines/vm1\t/extensions/x",
    _SUB + "Microsoft.Compute/virtualMachines/vm1\n",
    _SUB + "Microsoft.Compute/virtualMachines/vm1\u2003",
]
_TYPE_SPELLINGS = [
    "Microsoft.Compute/virtualMachines",
    "microsoft.compute/virtualmachines",
    " Microsoft.Compute/disks ",
    "",
]
_IDS = st.one_of(
    st.sampled_from(_ID_SPELLINGS),
    st.text(max_size=6),
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.lists(st.text(max_size=2), max_size=2),
)
_TYPES = st.one_of(
    st.sampled_from(_TYPE_SPELLINGS),
    st.text(max_size=4),
    st.none(),
    st.booleans(),
)
_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4))
_PROPERTIES = st.one_of(
    st.dictionaries(st.sampled_from(["a", "A", "b", "é"]), _VALUES, max_size=3),
    _VALUES,
    st.lists(_VALUES, max_size=2),
)
_KEYS = {"id": ["id", "ID", "Id"], "type": ["type", "TYPE"], "properties": ["properties", "Properties"]}


@st.composite
def _row(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 15)) == 0:
        return draw(
            st.one_of(st.none(), st.integers(), st.lists(st.integers(), max_size=2), st.text(max_size=3))
        )
    row: dict[str, Any] = {}
    for field, strategy in (("id", _IDS), ("type", _TYPES), ("properties", _PROPERTIES)):
        if draw(st.integers(0, 9)) == 0:
            continue  # the key missing
        key = field if draw(st.booleans()) else draw(st.sampled_from(_KEYS[field]))
        row[key] = (
            draw(st.sampled_from(_ID_SPELLINGS)) if field == "id" and draw(st.booleans()) else draw(strategy)
        )
    if draw(st.booleans()):
        row["name"] = draw(st.text(max_size=3))
    return row


def _reference(inventory: Inventory) -> builder._Builder:
    """The row-by-row reading, as the builder did before the inline pass."""
    b = builder._Builder(inventory)
    if inventory.rows:
        b.stats["rows_read"] += 0
    for sourced in inventory.rows:
        b.ingest_row(sourced)
    if inventory.rows:
        b.stats["rows_read"] += len(inventory.rows)
    _resolve_reference(b)
    return b


def _resolve_reference(b: builder._Builder) -> None:
    """`_Builder.resolve_conflicts` as it was: a `list.remove` and an append for each replaced row."""
    for rid in sorted(b.conflicting):
        candidates = b.conflicting[rid]
        kept = candidates[conflicts.pick([c.row for c in candidates])]
        first = b.rows[rid]
        if kept is not first:
            b.by_type[first.type].remove(first)
            b.by_type[kept.type].append(kept)
            b.rows[rid] = kept
        paths = sorted(
            {p for c in candidates for p in conflicts.differing_properties(kept.properties, c.properties)}
        )
        shown = ", ".join(paths[: conflicts.MAX_PATHS]) + (
            ", ..." if len(paths) > conflicts.MAX_PATHS else ""
        )
        b.stats["conflicting_rows"] += len(candidates)
        b.warnings.append(
            GraphWarning(
                "conflicting_rows",
                f"{rid}: {len(candidates)} rows disagree on {shown}; its findings are unknown "
                "until the input holds one version",
                (("resource", rid), ("properties", ", ".join(paths))),
            )
        )


def _shape(rows: list[Row]) -> list[tuple[str, str, int, Any]]:
    return [(r.id, r.type, id(r.row), r.properties) for r in rows]


def _state(b: builder._Builder) -> Any:
    return (
        list(b.rows),
        _shape(list(b.rows.values())),
        {t: _shape(rows) for t, rows in b.by_type.items() if rows},
        [t for t, rows in b.by_type.items() if rows],
        list(b.stats.items()),
        [(w.code, w.message, w.details) for w in b.warnings],
        {rid: _shape(rows) for rid, rows in b.conflicting.items()},
    )


def _compare(rows: list[Any]) -> None:
    _compare_inventory(iter_rows(rows, "in.json"))


def _compare_inventory(inventory: Inventory) -> None:
    fast = builder._Builder(inventory)
    fast.ingest()
    assert _state(fast) == _state(_reference(inventory))


@settings(max_examples=400, deadline=None)
@given(st.lists(_row(), max_size=12))
def test_inline_reading_gives_the_row_by_row_result(rows: list[Any]) -> None:
    _compare(rows)


@pytest.mark.parametrize("rid", _ID_SPELLINGS)
@pytest.mark.parametrize("rtype", _TYPE_SPELLINGS)
def test_each_hostile_id_and_type_reads_as_row_by_row(rid: str, rtype: str) -> None:
    _compare(
        [
            {"id": rid, "type": rtype, "properties": {}},
            {"id": rid.upper(), "type": rtype, "properties": {"a": 1}},
        ]
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("dex"),
            st.integers(0, 3),
            st.integers(0, 3),
            st.sampled_from([{}, {"a": 1}, {"a": 2}, {"b": [1]}]),
        ),
        max_size=14,
    )
)
def test_duplicates_and_conflicts_match_the_row_by_row_result(picks: list[tuple[str, int, int, Any]]) -> None:
    spellings = [
        _SUB + "Microsoft.Compute/disks/{}",
        _SUB + "MICROSOFT.COMPUTE/DISKS/{}",
        _SUB + "Microsoft.Compute/disks/{}/",
        _SUB + "Microsoft.Compute/disks/{} /",
    ]
    kinds = [
        "Microsoft.Compute/disks",
        "microsoft.compute/disks",
        "Microsoft.Compute/Disks ",
        "Microsoft.Compute/snapshots",
    ]
    _compare(
        [
            {"id": spellings[i].format(name), "type": kinds[t], "properties": dict(p)}
            for name, i, t, p in picks
        ]
    )


def test_plain_rows_are_read_inline_and_others_row_by_row() -> None:
    plain = {"id": _SUB + "Microsoft.Compute/disks/D1/", "type": " Microsoft.Compute/disks", "properties": {}}
    odd = [
        {"ID": _SUB + "Microsoft.Compute/disks/d2", "type": "Microsoft.Compute/disks", "properties": {}},
        {"id": _SUB + "Microsoft.Compute/disks/d 3", "type": "Microsoft.Compute/disks", "properties": {}},
        {"id": _SUB + "Microsoft.Compute/disks/d4", "type": "Microsoft.Compute/disks", "properties": None},
        [],
    ]
    inventory = iter_rows([plain, *odd])
    sent: list[Any] = []
    rows: dict[str, Row] = {}
    rowscan.ingest(inventory.blocks, rows, defaultdict(list), sent.append, lambda _a, _b: None)
    assert list(rows) == [_SUB.lower() + "microsoft.compute/disks/d1"]
    assert rows[_SUB.lower() + "microsoft.compute/disks/d1"].type == "microsoft.compute/disks"
    assert [s.row for s in sent] == odd


# where a block's rows may come from: a file's list, a table's rows (some skipped), one object, a snapshot
_BLOCK_SHAPES = [
    ("a.json", "", False),
    ("a.json", "data", False),
    ("b.json", "data.rows", True),
    ("s", "rows", False),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_BLOCK_SHAPES), st.lists(_row(), max_size=6)), max_size=4))
def test_blocks_read_inline_give_the_row_by_row_result(
    blocks: list[tuple[tuple[str, str, bool], list[Any]]],
) -> None:
    inventory = Inventory(
        [
            RowBlock(
                rows, source, prefix, [f"{prefix}[{2 * i + 1}]" for i in range(len(rows))] if gaps else None
            )
            for (source, prefix, gaps), rows in blocks
        ]
    )
    _compare_inventory(inventory)


def test_a_row_that_is_not_plain_keeps_its_place_and_path_in_its_block() -> None:
    def disk(n: int) -> dict[str, Any]:
        return {
            "id": _SUB + f"Microsoft.Compute/disks/d{n}",
            "type": "Microsoft.Compute/disks",
            "properties": {},
        }

    first = [disk(n) for n in range(20)]
    first[3] = {"type": "Microsoft.Compute/disks", "properties": {}}
    first[17] = dict(disk(17), properties=None)
    second = [disk(n) for n in range(20, 23)]
    second[1] = "a string"
    inventory = Inventory([RowBlock(first, "a.json", "data"), RowBlock(second, "b.json", "value")])
    b = builder._Builder(inventory)
    b.ingest()
    assert [w.message for w in b.warnings] == [
        "a.json: data[3]: row without an 'id', skipped",
        "a.json: data[17].properties: null where an object was expected, treated as absent",
        "b.json: value[1]: not a JSON object, skipped",
    ]
    assert b.stats["rows_read"] == 23 and len(b.rows) == 21
    _compare_inventory(inventory)


def test_a_run_of_rows_repeating_ids_is_read_one_by_one_in_order() -> None:
    def disk(name: str, props: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": _SUB + f"Microsoft.Compute/disks/{name}",
            "type": "Microsoft.Compute/disks",
            "properties": props,
        }

    inventory = Inventory(
        [
            RowBlock([disk("a", {}), disk("b", {})], "one.json", "data"),
            RowBlock([disk("c", {}), disk("A", {}), disk("c", {}), disk("d", {})], "two.json", "data"),
            RowBlock([disk("e", {}), disk("f", {})], "three.json", "value"),
        ]
    )
    b = builder._Builder(inventory)
    b.ingest()
    assert [r.id.rsplit("/", 1)[1] for r in b.by_type["microsoft.compute/disks"]] == list("abcdef")
    assert b.stats["duplicate_rows"] == 2 and not b.conflicting
    _compare_inventory(inventory)
