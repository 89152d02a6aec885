"""The quoted properties of a type's resources read with their dicts' lower-cased keys shared by layout
(issue 14, seventh round: `quotes._lower_keys` works the lower-cased keys out once per tuple of keys, for
all the rows read together) give what each row read alone gives, and what `quote` reads path by path."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.controls.evaluators import quotes
from archgen.controls.evaluators.common import quote
from archgen.model.graph import Node
from tests.test_fast_paths_controls import _JSON, _KEYS, _PATH

_ROW = st.one_of(st.dictionaries(_KEYS, _JSON, max_size=6), _JSON)
# rows with the same keys (in one order or another) but other values, as Azure's rows of one type are
_SHARED = st.lists(_KEYS, max_size=5, unique=True).flatmap(
    lambda keys: st.lists(
        st.tuples(st.permutations(keys), st.lists(_JSON, min_size=len(keys), max_size=len(keys))).map(
            lambda kv: {"properties": dict(zip(kv[0], kv[1], strict=True))}
        ),
        min_size=1,
        max_size=4,
    )
)


def _plan(paths: list[str]) -> Any:
    return tuple((p, tuple((k, k.lower()) for k in p.split("."))) for p in dict.fromkeys(paths))


def _same(a: dict[str, object], b: dict[str, object]) -> bool:
    return list(a) == list(b) and all(a[k] is b[k] or (a[k] == b[k] and type(a[k]) is type(b[k])) for k in a)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(_ROW, _SHARED.map(lambda rows: rows[0])), min_size=1, max_size=6) | _SHARED,
    st.lists(_PATH, min_size=1, max_size=6),
)
def test_rows_read_with_shared_layouts_are_read_as_alone(rows: list[Any], paths: list[str]) -> None:
    plan, layouts = _plan(paths), {}  # type: ignore[var-annotated]
    together = [quotes._quotes(row, plan, layouts) for row in rows]
    for row, values in zip(rows, together, strict=True):
        assert _same(values, quotes._quotes(row, plan))
        for path, value in values.items():
            expected = quote(row, path)
            assert value is expected or (value == expected and type(value) is type(expected))


def test_a_layout_is_the_keys_in_order_whatever_their_values() -> None:
    plan = _plan(["properties.publicNetworkAccess", "properties.networkAcls.bypass"])
    layouts: dict[tuple[Any, ...], frozenset[str] | None] = {}
    rows = [
        {"properties": {"publicnetworkaccess": "Enabled", "networkAcls": {"Bypass": "None"}}},
        {"properties": {"publicnetworkaccess": "Disabled", "networkAcls": {"Bypass": "AzureServices"}}},
        {"properties": {1: "x", "networkAcls": {"Bypass": "AzureServices"}}},
        {"properties": {True: "x", "networkAcls": {}}},  # True == 1: the same layout, neither a string
        {"properties": {"PUBLICNETWORKACCESS": None}},
    ]
    read = [quotes._quotes(row, plan, layouts) for row in rows]
    assert [list(v.values()) for v in read] == [
        ["Enabled", "None"],
        ["Disabled", "AzureServices"],
        ["not set", "AzureServices"],
        ["not set", "not set"],
        ["not set", "not set"],
    ]
    assert layouts[("publicnetworkaccess", "networkAcls")] == frozenset(
        {"publicnetworkaccess", "networkacls"}
    )
    assert layouts[(1, "networkAcls")] is None


def test_the_table_is_what_each_row_read_alone_gives() -> None:
    rows = [
        {"properties": {"publicNetworkAccess": "Enabled", "networkAcls": {"bypass": "None"}}},
        {"properties": {"publicNetworkAccess": "Disabled", "networkAcls": {"Bypass": "AzureServices"}}},
        {"properties": {"PublicNetworkAccess": "Disabled", "encryption": "x"}},
        {"properties": ["not", "a", "dict"]},
        {},
    ]
    nodes = [
        Node(f"/v{i}", "microsoft.keyvault/vaults", f"v{i}", None, "", "", None, (), None, row)  # type: ignore[arg-type]
        for i, row in enumerate(rows)
    ]
    table = quotes.read({"microsoft.keyvault/vaults": nodes})
    plan = _plan(list(quotes.PATHS["microsoft.keyvault/vaults"]))
    assert list(table) == [n.id for n in nodes]
    for node in nodes:
        assert table[node.id][0] is node
        assert _same(table[node.id][1], quotes._quotes(node.raw, plan))
