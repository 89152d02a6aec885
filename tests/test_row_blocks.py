"""The inventory holds each input section's rows as decoded, in a block (the list, its source, its path
prefix): for every input shape the rows, their sources and their paths are those the reader gave one
`SourcedRow` at a time, the rows per source are counted from the blocks, and redaction keeps them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from archgen import pipeline
from archgen.discovery.files import load_files
from archgen.model.inventory import Inventory, RowBlock, SourcedRow, blocks_of
from archgen.redact import Redactor
from tests import factory as f

ROWS = [f.account(pe_status="Approved"), f.private_endpoint(), f.vault()]
COLS = ["id", "name", "type", "kind", "properties", "identity"]
TABLE = {
    "columns": [{"name": c, "type": "string"} for c in COLS],
    "rows": [[r.get(c) for c in COLS] for r in ROWS[:1]]
    + [["too", "short"]]
    + [[r.get(c) for c in COLS] for r in ROWS[1:]],
}
TABLE_ROWS = [{c: r.get(c) for c in COLS} for r in ROWS]
# shape -> (document, rows read, their paths as the reader wrote them before blocks)
SHAPES: dict[str, tuple[Any, list[Any], list[str]]] = {
    "array": (ROWS, ROWS, ["[0]", "[1]", "[2]"]),
    "data_list": ({"count": 3, "data": ROWS}, ROWS, ["data[0]", "data[1]", "data[2]"]),
    "arg_table": (
        {"totalRecords": 3, "data": TABLE},
        TABLE_ROWS,
        ["data.rows[0]", "data.rows[2]", "data.rows[3]"],
    ),
    "bare_table": (TABLE, TABLE_ROWS, [".rows[0]", ".rows[2]", ".rows[3]"]),
    "arm_value": ({"value": ROWS}, ROWS, ["value[0]", "value[1]", "value[2]"]),
    "single_object": (ROWS[0], ROWS[:1], ["$"]),
    "snapshot": (
        {"schema": "archgen.snapshot/v1", "rows": ROWS, "queries": [], "warnings": []},
        ROWS,
        ["rows[0]", "rows[1]", "rows[2]"],
    ),
}


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _listing(inv: Inventory) -> list[tuple[Any, str, str]]:
    return [(s.row, s.source, s.path) for s in inv.rows]


def test_each_shape_keeps_its_rows_sources_and_paths(tmp_path: Path) -> None:
    for shape, (document, rows, paths) in SHAPES.items():
        path = _write(tmp_path, f"{shape}.json", document)
        inv = load_files([path])
        assert _listing(inv) == [(r, str(path), p) for r, p in zip(rows, paths, strict=True)], shape
        assert inv.row_count() == len(rows)


def test_a_table_row_skipped_is_reported_with_its_own_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.json", {"data": TABLE})
    inv = load_files([path])
    assert inv.warnings == [
        {"code": "row_skipped", "message": f"{path}: data.rows[1]: not a list of 6 values, skipped"}
    ]


def test_rows_are_counted_per_source_from_the_blocks(tmp_path: Path) -> None:
    paths = [_write(tmp_path, f"{shape}.json", SHAPES[shape][0]) for shape in sorted(SHAPES)]
    inv = load_files(paths)
    counted = {i.path: i.rows for i in pipeline._inputs(paths, None, inv)}
    assert counted == dict(Counter(s.source for s in inv.rows))
    assert counted == {str(tmp_path / f"{shape}.json"): len(SHAPES[shape][1]) for shape in SHAPES}
    assert _listing(inv) == [row for p in paths for row in _listing(load_files([p]))]  # in the files' order


def test_redaction_keeps_each_rows_source_and_path(tmp_path: Path) -> None:
    paths = [_write(tmp_path, f"{shape}.json", SHAPES[shape][0]) for shape in ("arg_table", "snapshot")]
    inv = load_files(paths)
    redacted = Redactor("salt").inventory(inv)
    assert [(s.source, s.path) for s in redacted.rows] == [(s.source, s.path) for s in inv.rows]
    assert f.ACCOUNT not in json.dumps([s.row for s in redacted.rows])


_SOURCED = st.lists(
    st.builds(
        SourcedRow,
        st.dictionaries(st.sampled_from(["id", "type"]), st.text(max_size=3), max_size=2),
        st.sampled_from(["a.json", "b.json", "live"]),
        st.text(max_size=8),
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(_SOURCED)
def test_rows_given_one_by_one_read_back_unchanged(sourced: list[SourcedRow]) -> None:
    inv = Inventory()
    inv.rows = sourced
    assert list(inv.rows) == sourced
    assert inv.row_count() == len(sourced)
    assert [s for block in blocks_of(sourced) for s in block] == sourced


@given(st.lists(st.integers(), max_size=5), st.sampled_from(["", "data", "value", "rows", "data.rows"]))
def test_a_blocks_paths_are_its_prefix_and_index(rows: list[int], prefix: str) -> None:
    block = RowBlock(rows, "x.json", prefix)
    assert [(s.row, s.path) for s in block] == [(r, f"{prefix}[{i}]") for i, r in enumerate(rows)]
