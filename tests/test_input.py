"""The --from reader: every accepted shape, every user error, and malformed rows never crash it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.discovery.files import load_files, load_text
from archgen.errors import InputError
from archgen.model.builder import build
from archgen.model.inventory import Inventory
from tests import factory as f

ROWS = [f.account(pe_status="Approved"), f.private_endpoint()]


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _ids(inv: Inventory) -> set[str]:
    return {str(r.row["id"]).lower() for r in inv.rows}


EXPECTED = {r["id"].lower() for r in ROWS}
COLS = ["id", "name", "type", "kind", "properties", "identity"]
SHAPES = {
    "rows_array": ROWS,
    "az_graph_query_output": {"count": 2, "data": ROWS, "skip_token": None, "total_records": 2},
    "arg_rest_response": {
        "totalRecords": 2,
        "count": 2,
        "resultTruncated": "false",
        "$skipToken": None,
        "data": ROWS,
        "facets": [],
    },
    "arg_table_format": {
        "totalRecords": 2,
        "count": 2,
        "resultTruncated": "false",
        "data": {
            "columns": [{"name": c, "type": "string"} for c in COLS],
            "rows": [[r.get(c) for c in COLS] for r in ROWS],
        },
    },
    "arm_list_value": {"value": ROWS},
    "archgen_snapshot": {"schema": "archgen.snapshot/v1", "rows": ROWS, "queries": [], "warnings": []},
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_input_shape_yields_the_same_rows(tmp_path: Path, shape: str) -> None:
    assert _ids(load_files([_write(tmp_path, f"{shape}.json", SHAPES[shape])])) == EXPECTED


def test_az_resource_show_single_object_in_arm_casing(tmp_path: Path) -> None:
    one = dict(ROWS[0], type="Microsoft.CognitiveServices/accounts")
    inv = load_files([_write(tmp_path, "show.json", one)])
    graph = build(inv)
    assert [w.name for w in graph.workloads] == ["aoai-test"]


def test_several_files_merge_and_duplicates_by_id_are_fine(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.json", ROWS)
    b = _write(tmp_path, "b.json", {"data": ROWS[:1]})
    graph = build(load_files([a, b]))
    assert graph.stats["duplicate_rows"] == 1
    assert len(graph.workloads) == 1


BAD = {
    "not_json": ("{not json", "not JSON (line 1, column 2"),
    "empty_file": ("", "the file is empty"),
    "wrong_shape_object": ({"hello": "world"}, "JSON object is not one of"),
    "wrong_shape_scalar": (42, "JSON int is not one of"),
    "no_rows": ([], "the input holds no rows"),
    "table_without_names": (
        {"data": {"columns": [{"type": "string"}], "rows": []}},
        "data.columns[0] has no string 'name'",
    ),
    "unknown_snapshot_version": (
        {"schema": "archgen.snapshot/v9", "rows": []},
        "snapshot schema 'archgen.snapshot/v9' is not supported",
    ),
    "snapshot_rows_not_a_list": (
        {"schema": "archgen.snapshot/v1", "rows": 5},
        "rows: Input should be a valid list",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_a_one_line_error_naming_the_file(tmp_path: Path, case: str) -> None:
    data, message = BAD[case]
    path = _write(tmp_path, f"{case}.json", data)
    with pytest.raises(InputError) as err:
        load_files([path])
    assert str(path) in str(err.value) and message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_directory_and_binary_are_input_errors(tmp_path: Path) -> None:
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    for path, message in (
        (tmp_path / "nope.json", "no such file"),
        (tmp_path, "is a directory"),
        (tmp_path / "bin.json", "not UTF-8"),
    ):
        with pytest.raises(InputError, match=message):
            load_files([path])


def test_bad_rows_are_skipped_and_counted_with_their_path(tmp_path: Path) -> None:
    rows: list[Any] = [
        *ROWS,
        {"name": "no-id", "type": "microsoft.keyvault/vaults"},
        {"id": "/subscriptions/x/resourceGroups/y/providers/A.B/c/d"},
        "a string",
        dict(f.vault(), properties=None),
        dict(f.storage(), properties=[1, 2]),
    ]
    graph = build(load_files([_write(tmp_path, "mixed.json", rows)]))
    messages = {w.message for w in graph.warnings}
    skipped = {w.message for w in graph.warnings if w.code == "row_skipped"}
    source = str(tmp_path / "mixed.json")
    assert skipped == {
        f"{source}: [2]: row without an 'id', skipped",
        f"{source}: [3]: row without a 'type', skipped",
        f"{source}: [4]: not a JSON object, skipped",
    }
    assert any(
        m.endswith("[5].properties: null where an object was expected, treated as absent") for m in messages
    )
    assert any(
        m.endswith("[6].properties: list where an object was expected, treated as absent") for m in messages
    )
    assert graph.stats["row_skipped"] == 3 and graph.stats["properties_ignored"] == 2


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
KEYS = ["id", "type", "kind", "name", "properties", "identity", "tags", "sku", "location", "subscriptionId"]
TYPES = st.sampled_from(
    [
        "microsoft.cognitiveservices/accounts",
        "microsoft.network/privateendpoints",
        "microsoft.network/virtualnetworks",
        "microsoft.keyvault/vaults",
        "microsoft.storage/storageaccounts",
        "microsoft.network/privatednszones/a",
        "microsoft.authorization/roleassignments",
        "microsoft.insights/diagnosticsettings",
        "microsoft.network/privatednszones/virtualnetworklinks",
        "microsoft.network/networkinterfaces",
    ]
)
malformed_row = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(
            [f.ACCOUNT, f.PE, f.VNET, f.VAULT, f.STORAGE, f.ZONE_ID + "/A/x", "garbage", ""]
        )
        | json_values,
        "type": TYPES | json_values,
        "kind": st.sampled_from(["OpenAI", "AIServices"]) | json_values,
        "properties": st.dictionaries(
            st.sampled_from(
                [
                    "subnets",
                    "privateEndpointConnections",
                    "encryption",
                    "networkAcls",
                    "aRecords",
                    "privateLinkServiceConnections",
                    "customDnsConfigs",
                    "virtualNetwork",
                    "logs",
                    "principalId",
                    "scope",
                    "roleDefinitionId",
                    "ipConfigurations",
                    "vaultUri",
                ]
            ),
            json_values,
            max_size=5,
        )
        | json_values,
        "identity": json_values,
        "tags": json_values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(malformed_row | json_values, min_size=1, max_size=8))
def test_malformed_rows_never_raise_anything_but_input_error(rows: list[Any]) -> None:
    from archgen.controls.engine import evaluate

    inv = Inventory()
    try:
        load_text(json.dumps(rows), "fuzz.json", inv)
    except InputError:
        return
    graph = build(inv)
    for finding in evaluate(graph):
        assert "could not be evaluated" not in finding.reason
