"""The node parsers that read a mapping's keys in one go (`props.Fields`, issue 14, sixth round) give what
the parsers with one tolerant lookup per key gave (`tests/parse_reference.py`): on the samples' and the
generator's rows, and on those rows made hostile (odd key case, the same key twice in two spellings,
wrong JSON types, missing keys, non-ASCII keys and values, huge integers, lone surrogates, nested
non-dicts, mappings that are not dicts)."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.discovery.files import load_files
from archgen.model import children, props
from archgen.model.types import cognitive, keyvault, network, storage
from archgen.model.types.identity import UserAssignedIdentity
from archgen.pipeline import sample_names, sample_path
from benchmarks.generate import generate_rows
from tests import parse_reference as ref


class _Frozen(Mapping[Any, Any]):
    """A Mapping that is not a dict (the lookups' non-dict branch)."""

    def __init__(self, data: dict[Any, Any]) -> None:
        self._data = data

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


Parser = Callable[[Mapping[str, Any], Mapping[str, Any]], object]
PARSERS: dict[str, tuple[Parser, Parser]] = {
    cognitive.TYPE: (cognitive.parse, ref.parse_account),
    storage.TYPE: (storage.parse, ref.parse_storage),
    keyvault.TYPE: (keyvault.parse, ref.parse_vault),
    network.PRIVATE_ENDPOINT: (network.parse_private_endpoint, ref.parse_private_endpoint),
    network.VIRTUAL_NETWORK: (network.parse_virtual_network, ref.parse_virtual_network),
}


def _base_rows() -> dict[str, list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = list(generate_rows(6, 2, 0))
    for name in sample_names():
        rows.extend(dict(r.row) for r in load_files([sample_path(name)]).rows)
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in PARSERS}
    for r in rows:
        t = str(r.get("type", "")).lower()
        if t in out:
            out[t].append(r)
    return out


BASE = _base_rows()
ALL_BASE = [(t, r) for t, rows in BASE.items() for r in rows]

_HOSTILE_VALUES: list[Any] = [
    None, True, False, 0, -1, 2**70, -(2**80), 1.5, "", " ", "TRUE", "false", "İd", "ß", "\ud800", "x\x00y",
    "/Subscriptions/A B /resourceGroups/G/providers/P/t/N/ ", [], [None, 1, "a", {}], {}, {"id": 7}, "[]",
]  # fmt: skip


def _respell(key: str, rng: random.Random) -> str:
    choice = rng.randrange(5)
    if choice == 0:
        return key.upper()
    if choice == 1:
        return key.lower()
    if choice == 2:
        return key.swapcase()
    if choice == 3:
        return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in key)
    return key.replace("i", "İ").replace("k", "\u212a")  # lower-case to 'i̇' and 'k' (Kelvin sign)


def _mutate(value: Any, rng: random.Random, rate: float) -> Any:
    """A hostile variant of `value` (a JSON tree): keys respelt, doubled, dropped; values of the wrong type."""
    if isinstance(value, list):
        out_list = [_mutate(v, rng, rate) for v in value]
        if rng.random() < rate:
            out_list.append(rng.choice(_HOSTILE_VALUES))
        return out_list
    if not isinstance(value, dict):
        return copy.deepcopy(rng.choice(_HOSTILE_VALUES)) if rng.random() < rate else value
    items: list[tuple[Any, Any]] = []
    for key, v in value.items():
        roll = rng.random()
        if roll < rate / 2:
            continue  # dropped
        if roll < rate:
            items.append((_respell(key, rng), _mutate(v, rng, rate)))
        elif roll < rate * 1.5:  # the same key in two spellings (one of them exact or not), either first
            first = key if rng.random() < 0.5 else _respell(key, rng)
            pair = [(first, _mutate(v, rng, rate)), (_respell(key, rng), _mutate(v, rng, rate))]
            rng.shuffle(pair)
            items.extend(pair)
        else:
            items.append((key, _mutate(v, rng, rate)))
    if rng.random() < rate / 2:
        items.append((rng.choice([1, "İ", "ı", "\ud800"]), rng.choice(_HOSTILE_VALUES)))
    rng.shuffle(items) if rng.random() < rate else None
    out = dict(items)
    return _Frozen(out) if rng.random() < rate / 3 else out


def _outcome(f: Callable[..., object], *args: Any) -> object:
    try:
        return f(*args)
    except Exception as exc:  # the builder turns a parser's exception into a warning: compare them too
        return (type(exc), str(exc))


def _properties(row: Any) -> Any:
    """What the builder hands a parser as `properties`: the mapping at `properties`, else {}."""
    raw = props.get(row, "properties")
    return raw if isinstance(raw, Mapping) else {}


@pytest.mark.parametrize(("rtype", "row"), ALL_BASE, ids=lambda v: v if isinstance(v, str) else "")
def test_each_parser_reads_the_sample_rows_as_the_reference(rtype: str, row: dict[str, Any]) -> None:
    fast, reference = PARSERS[rtype]
    assert fast(row, _properties(row)) == reference(row, _properties(row))


def test_the_samples_hold_rows_of_each_parser() -> None:
    assert all(len(rows) >= 2 for rows in BASE.values()), {t: len(r) for t, r in BASE.items()}


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(ALL_BASE), st.randoms(use_true_random=False), st.sampled_from([0.05, 0.2, 0.5]))
def test_each_parser_reads_hostile_rows_as_the_reference(
    case: tuple[str, dict[str, Any]], rng: random.Random, rate: float
) -> None:
    rtype, base = case
    row = _mutate(base, rng, rate)
    fast, reference = PARSERS[rtype]
    properties = _properties(row)
    assert _outcome(fast, row, properties) == _outcome(reference, row, properties)
    # a second row: a plan worked out for one key spelling is not reused for another
    again = _mutate(base, rng, rate)
    assert _outcome(fast, again, _properties(again)) == _outcome(reference, again, _properties(again))


def _node_fields(node: Any) -> tuple[Any, ...]:
    return (*(getattr(node, f) for f in node.__slots__), node.raw is None)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ALL_BASE), st.randoms(use_true_random=False), st.sampled_from([0.0, 0.2, 0.5]))
@pytest.mark.parametrize("name", [None, "given-name"])
def test_make_node_reads_hostile_rows_as_the_reference(
    name: str | None, case: tuple[str, dict[str, Any]], rng: random.Random, rate: float
) -> None:
    rtype, base = case
    row = _mutate(base, rng, rate)
    rid = str(base["id"]).lower()
    attrs = UserAssignedIdentity(None, None)
    got = _outcome(children.make_node, rid, rtype, row, attrs, name)
    want = _outcome(ref.make_node, rid, rtype, row, attrs, name)
    assert _node_fields(got) == _node_fields(want) if not isinstance(want, tuple) else got == want
    if not isinstance(got, tuple):
        assert got.raw is row  # the row itself, not a copy


_KEY = st.one_of(
    st.sampled_from(
        ["id", "Id", "ID", "iD", "name", "Name", "İd", "ıd", "\u212aey", "key", "KEY", "ß", "SS"]
    ),
    st.text(max_size=3),
    st.integers(0, 2),
    st.none(),
)
_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=3)
)
_WANTED = st.lists(
    st.sampled_from(["id", "ID", "name", "key", "Key", "ss", "ß", "İd", "ıd", "k", ""]),
    min_size=1,
    max_size=5,
)


@settings(max_examples=1000, deadline=None)
@given(
    _WANTED,
    st.lists(
        st.one_of(
            st.dictionaries(_KEY, _LEAF, max_size=6),
            st.dictionaries(_KEY, _LEAF, max_size=4).map(_Frozen),
            _LEAF,
            st.lists(_LEAF, max_size=2),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_fields_gives_a_get_per_key(wanted: list[str], objs: list[Any]) -> None:
    fields = props.Fields(*wanted)
    for obj in objs:  # several mappings through one Fields: its plans are shared across them
        got = fields(obj)
        assert len(got) == len(wanted)
        for value, key in zip(got, wanted, strict=True):
            assert value is props.get(obj, key)


def test_fields_remembers_a_bounded_number_of_key_spellings() -> None:
    fields = props.Fields("a")
    for i in range(props._PLAN_CAP + 50):
        assert fields({f"k{i}": i, "A": i}) == [i]
    assert len(fields._plans) == props._PLAN_CAP
    assert fields({"A": 1, "a": 2}) == [2] and fields({"a": 2, "A": 1}) == [2]


def test_fields_reads_wide_mappings_without_remembering_them() -> None:
    fields = props.Fields("a", "b", "missing")
    wide = {**{f"k{i}": i for i in range(props._PLAN_KEYS)}, "A": "first", "a2": 0, "B": "b"}
    assert fields(wide) == ["first", "b", None] == [props.get(wide, k) for k in fields.keys]
    assert fields({**wide, "a": "exact"}) == ["exact", "b", None]
    assert fields._plans == {}


@settings(max_examples=600, deadline=None)
@given(st.one_of(_LEAF, st.lists(st.one_of(_LEAF, st.dictionaries(_KEY, _LEAF, max_size=2)), max_size=4)))
def test_the_conversions_give_what_the_lookups_give(value: Any) -> None:
    row = {"k": value}
    assert props.as_str(value) == props.get_str(row, "k")
    assert props.as_enum(value) == props.get_enum(row, "k")
    assert props.as_bool(value) is props.get_bool(row, "k")
    assert props.as_int(value) == props.get_int(row, "k")
    assert props.as_maps(value) == props.items(row, "k")
    assert props.as_strings(value) == props.strings(row, "k")
