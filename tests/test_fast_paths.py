"""The core path's shortcuts (issue 14) give what the plain code gives: msgspec's reader with the
standard library behind it, msgspec's `to_builtins` for node attributes, the walk's edges grouped by
relation, the workload index, the private endpoint edges of many endpoints, the cached scopes of an id
and the edge sort that compares attributes only on ties."""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.discovery.files import load_files
from archgen.document import _plain, _plain_attrs
from archgen.errors import InputError
from archgen.model import records
from archgen.model.attrs import NODE_ATTR_CLASSES
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Edge, sorted_edges
from archgen.model.ids import norm_id, parse_id, scopes_of
from archgen.model.relations import Relation
from archgen.pipeline import sample_names, sample_path
from benchmarks.generate import generate_rows


def _rows_of(path: Path) -> list[Any]:
    return [r.row for r in load_files([path]).rows]


@pytest.mark.parametrize(
    "text",
    [
        '{"data": [{"id": "a", "n": NaN, "m": Infinity, "o": -Infinity}]}',
        '{"data": [{"id": "a", "big": 1e400, "int": 123456789012345678901234567890}]}',
        '{"data": [{"id": "a\\ud800b", "neg": -9223372036854775809}]}',
        '\ufeff{"data": [{"id": "a", "x": 1e-05, "y": 0.1}]}',
        '[{"id": "a", "k": 1, "k": 2}]',
    ],
)
def test_input_reads_as_the_standard_library_reads_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    expected = json.loads(text.lstrip("\ufeff"))
    rows = expected["data"] if isinstance(expected, dict) else expected
    got = _rows_of(path)
    assert json.dumps(got, sort_keys=True) == json.dumps(rows, sort_keys=True)
    assert [type(v) for r in got for v in r.values()] == [type(v) for r in rows for v in r.values()]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"data": [1,]}', "not JSON (line 1, column 13"),
        (b"  \n ", "the file is empty"),
        (b'{"data": ["\xff"]}', "not UTF-8 text (byte 11)"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply"),
    ],
)
def test_unreadable_input_gives_the_same_errors(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(message)):
        load_files([path])


def _leaves(hint: Any) -> list[Any]:
    args = typing.get_args(hint)
    if not args:
        return [hint]
    out: list[Any] = [] if typing.get_origin(hint) in (typing.Union, types.UnionType) else [tuple]
    for arg in args:
        out += [] if arg is Ellipsis else _leaves(arg)
    return out


def test_node_attribute_classes_hold_no_float() -> None:
    """`_plain_attrs` is exact only for values without floats (msgspec keeps them plain; the writer needs
    them marked): every field of every attribute class is a string, integer, boolean, None, tuple or
    attribute class."""
    todo, seen = list(NODE_ATTR_CLASSES), set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        hints = typing.get_type_hints(cls)
        for name in records.field_names(cls):
            for leaf in _leaves(hints[name]):
                record = isinstance(leaf, type) and issubclass(leaf, msgspec.Struct)
                assert leaf in (str, int, bool, type(None), tuple) or record, (
                    f"{cls.__name__}.{name}: {hints[name]}"
                )
                if record:
                    todo.append(leaf)


def _same_json(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.mark.parametrize("name", sample_names())
def test_node_attributes_convert_as_plain_converts_them(name: str) -> None:
    graph = build(load_files([sample_path(name)]))
    for node in graph.nodes.values():
        assert _same_json(_plain_attrs(node.attrs), _plain(node.attrs) if node.attrs is not None else {})


def test_attributes_msgspec_cannot_convert_go_through_plain() -> None:
    @dataclasses.dataclass(frozen=True)
    class Odd:
        value: object

    opaque = object()
    assert _plain_attrs(Odd(opaque)) == _plain(Odd(opaque)) == {"value": opaque}
    assert _plain_attrs(None) == {}


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=2, max_value=40), st.integers(min_value=1, max_value=6))
def test_generated_estates_keep_one_workload_per_account(accounts: int, subscriptions: int) -> None:
    graph = build(iter_rows(generate_rows(accounts, min(subscriptions, accounts), 0), "gen.json"))
    assert len(graph.workloads) == accounts
    for w in graph.workloads:
        assert graph.members_of(w.id) == w.members
        # every account has its endpoint, and every endpoint edge names its group and status
        pe_edges = [e for e in graph.edges if e.target == w.id and e.relation.value == "private_endpoint_of"]
        assert len(pe_edges) == 1 and pe_edges[0].attributes == {
            "group_ids": ["account"],
            "status": "Approved",
        }
    assert graph.members_of("/subscriptions/none") == ()


def _scopes_reference(resource_id: str) -> tuple[str, ...]:
    """scopes_of as it was: climb parent by parent, each parsed again."""
    parsed = parse_id(resource_id)
    if parsed is None:
        return (norm_id(resource_id),)
    out = [parsed.id]
    current = parsed
    while True:
        parent = current.parent
        if not parent or parent in out:
            break
        out.append(parent)
        nxt = parse_id(parent)
        if nxt is None:
            break
        current = nxt
    return tuple(out)


_SEGMENT = st.sampled_from(
    ["", " ", "rg-aoai", "RG-AoAI", "kv 1 ", "providers", "resourceGroups", "x/y", "ü"]
)
_ID_PARTS = st.lists(
    st.one_of(
        _SEGMENT,
        st.sampled_from(["subscriptions", "Microsoft.KeyVault", "vaults", "keys", "Microsoft.Network"]),
        st.text(alphabet=" aZ/-._\t", max_size=6),
    ),
    max_size=12,
)


@settings(max_examples=300)
@given(st.booleans(), _ID_PARTS)
def test_scopes_of_climbs_as_the_parent_by_parent_loop_climbs(leading_slash: bool, parts: list[str]) -> None:
    resource_id = ("/" if leading_slash else "") + "/".join(parts)
    assert scopes_of(resource_id) == _scopes_reference(resource_id)
    assert scopes_of(resource_id) == _scopes_reference(resource_id)  # and again, from the cache


@pytest.mark.parametrize(
    "resource_id",
    [
        "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/kv/keys/k",
        "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/r",
        "/subscriptions/s1/resourceGroups/rg",
        "/subscriptions/s1",
        "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v /subnets/ s",
        "not-an-id",
    ],
)
def test_scopes_of_known_shapes_match_the_loop(resource_id: str) -> None:
    assert scopes_of(resource_id) == _scopes_reference(resource_id)


_NAME = st.text(alphabet="aZ9-._ ", min_size=0, max_size=5)


@settings(max_examples=300)
@given(_NAME, st.one_of(st.none(), _NAME), _NAME, st.lists(st.tuples(_NAME, _NAME), max_size=4))
def test_scopes_of_arm_shaped_ids_match_the_loop(
    sub: str, rg: str | None, namespace: str, pairs: list[tuple[str, str]]
) -> None:
    resource_id = f"/subscriptions/{sub}" + (f"/resourceGroups/{rg}" if rg is not None else "")
    if pairs:
        resource_id += f"/providers/{namespace}/" + "/".join(f"{t}/{n}" for t, n in pairs)
    assert scopes_of(resource_id) == _scopes_reference(resource_id)


_EDGE = st.builds(
    Edge,
    st.sampled_from(["a", "b", "B", "c/d"]),
    st.sampled_from(["a", "x", "y/z"]),
    st.sampled_from(sorted(Relation, key=lambda r: r.value)[:4]),
    st.dictionaries(
        st.sampled_from(["k", "scope", "ip"]), st.one_of(st.integers(-2, 2), st.text(max_size=2))
    ),
)


@settings(max_examples=300)
@given(st.lists(_EDGE, max_size=40))
def test_edges_sort_as_the_full_key_sorts_them(edges: list[Edge]) -> None:
    expected = sorted(edges, key=Edge.sort_key)
    got = sorted_edges(edges)
    assert len(got) == len(expected)
    assert all(g is e for g, e in zip(got, expected, strict=True))  # the same objects: ties keep input order
