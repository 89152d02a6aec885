"""The graph document's edges and findings written straight from their dataclasses (msgspec) give the
bytes of the reference writer (their dicts through the standard library), whatever the attributes and
evidence hold; the document is written from its chunks, byte for byte what the text writer wrote."""

from __future__ import annotations

import dataclasses
import enum
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.controls.findings import Finding, Status
from archgen.discovery.files import load_files
from archgen.document import (
    _UNWRITABLE,
    GraphText,
    _edge_doc,
    _edge_line,
    _finding_doc,
    _finding_line,
    _item,
    _json_safe,
    document_data,
    dumps_data,
    dumps_data_stdlib,
    encode_graph,
)
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Edge
from archgen.model.relations import Relation
from archgen.pipeline import sample_names, sample_path, write_atomic
from benchmarks.generate import generate_rows


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@dataclasses.dataclass(frozen=True)
class Quoted:
    name: str
    weight: object = None


class Text(str):
    """A str subclass: msgspec and the reference writer may disagree on it, so it is never sent direct."""


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["", "}, {", 'x": "y', "\n", "\\", "\u2028", "é", "😀", "\x00\x1f\x7f", "a\ud800b"]),
    st.sampled_from([Colour.RED, Level.HIGH, Status.FAIL, Relation.PRIVATE_ENDPOINT_OF, Text("t"), 1e16]),
    st.builds(Quoted, st.text(max_size=4), st.one_of(st.none(), st.floats(), st.integers())),
)
KEYS = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["Name", "NAME", "name", "é", "😀", "b", "a"]),
    st.integers(min_value=-5, max_value=5),
    st.sampled_from([True, None, Text("k")]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=16,
)
EVIDENCE = st.dictionaries(KEYS, VALUES, max_size=5)


def _reference(doc: dict[str, Any]) -> bytes | type[Exception]:
    """The reference writer's line for one item, or the error that sends the document to it whole."""
    try:
        return _item(doc).encode("utf-8")
    except (UnicodeEncodeError, ValueError) as exc:
        return type(exc)


def _assert_line_matches(line_of: Any, doc_of: Any, value: Any) -> None:
    try:
        line = line_of(value)
    except _UNWRITABLE:
        return  # the whole document then goes to the reference writer, which writes it or raises
    assert line == _reference(doc_of(value))


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["AOAI-NET-01", "KV-NET-01", "ÉTÉ-1"]),
    st.text(max_size=20),
    st.sampled_from(list(Status)),
    st.text(max_size=20),
    EVIDENCE,
)
def test_finding_line_is_the_reference_writers_line(
    control: str, resource: str, status: Status, reason: str, evidence: dict[Any, Any]
) -> None:
    _assert_line_matches(_finding_line, _finding_doc, Finding(control, resource, status, reason, evidence))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.text(max_size=20), st.sampled_from(list(Relation)), EVIDENCE)
def test_edge_line_is_the_reference_writers_line(
    source: str, target: str, relation: Relation, attributes: dict[Any, Any]
) -> None:
    _assert_line_matches(_edge_line, _edge_doc, Edge(source, target, relation, attributes))


@pytest.mark.parametrize(
    ("value", "direct"),
    [
        ({"a": "x", "b": [1, True, None], "c": {"d": ("e",)}}, True),
        ({"big": 2**70, "neg": -(2**70)}, True),
        ({"f": 1.0}, False),
        ({"f": [0.1]}, False),
        ({"e": Colour.RED}, False),
        ({"e": Status.FAIL}, False),
        ({"d": Quoted("q")}, False),
        ({1: "int key"}, False),
        ({Text("k"): "str subclass key"}, False),
        ({"s": Text("str subclass")}, False),
        ({"nested": {"deep": [{"x": 1e-05}]}}, False),
    ],
)
def test_only_plain_json_values_are_written_direct(value: dict[Any, Any], direct: bool) -> None:
    assert _json_safe(value) is direct


def test_findings_and_edges_of_other_shapes_go_through_their_dicts() -> None:
    """A value msgspec would write its own way (a float, an enum, a mapping that is not a dict) or a
    lone surrogate is written through the dict, as the reference writes it (or refused as it is)."""
    odd = [
        Finding("C", "/r", Status.PASS, "ok", {"ratio": 1e16, "at": 1e-05}),
        Finding("C", "/r", Status.UNKNOWN, "why", {"level": Level.HIGH, "quoted": Quoted("n", 0.5)}),
        Finding("C", "/r", Status.FAIL, "a\ud800b", {}),
    ]
    for f in odd:
        _assert_line_matches(_finding_line, _finding_doc, f)
    assert (
        _finding_line(odd[0])
        == b'{"control": "C", "evidence": {"at": 1e-05, "ratio": 1e+16}, "reason": "ok", "resource": "/r", "status": "pass"}'
    )
    edge = Edge("a", "b", Relation.PRIVATE_ENDPOINT_OF, {"status": "Approved", "n": 2.5})
    assert _edge_line(edge) == _item(_edge_doc(edge)).encode()


def test_an_integer_too_long_to_print_fails_as_the_reference_writer_fails() -> None:
    """Beyond Python's 4,300 digits both writers raise the same ValueError (the run's error does not change)."""
    f = Finding("C", "/r", Status.FAIL, "r", {"n": 10**5000})
    with pytest.raises(ValueError) as fast:
        _finding_line(f)
    with pytest.raises(ValueError) as reference:
        _item(_finding_doc(f))
    assert str(fast.value) == str(reference.value)


def _expected(graph: Any, findings: list[Finding]) -> str:
    return dumps_data_stdlib(document_data(graph, findings, load()))


@pytest.mark.parametrize("name", sample_names())
def test_document_chunks_are_the_reference_writers_bytes_on_sample(name: str) -> None:
    graph = build(load_files([sample_path(name)]))
    findings = evaluate(graph)
    encoded = encode_graph(graph, findings, load())
    assert b"".join(encoded.chunks) == _expected(graph, findings).encode("utf-8")


def test_document_chunks_are_the_reference_writers_bytes_on_generated_estate() -> None:
    """Large enough that every section spans several chunks (`_BATCH` items each)."""
    graph = build(iter_rows(generate_rows(60, 12, 6000), "gen.json"))
    findings = evaluate(graph)
    assert len(findings) > 1100 and len(graph.edges) > 600
    encoded = encode_graph(graph, findings, load())
    assert encoded.text == _expected(graph, findings)


def test_long_sections_of_any_items_are_written_as_the_reference_writes_them() -> None:
    items: list[Any] = [{"n": i, "s": "}, {"} if i % 3 else [i, 1.5, None] for i in range(1300)]
    data = {"nodes": items, "findings": [{"x": i} for i in range(1025)], "summary": {"n": 1}}
    assert dumps_data(data) == dumps_data_stdlib(data)


def test_a_finding_the_fast_writers_refuse_sends_the_document_to_the_reference_writer() -> None:
    graph = build(load_files([sample_path("quickstart")]))
    findings = [*evaluate(graph), Finding("ZZ-1", "/r", Status.FAIL, "r", {"n": 2**70, "s": "a\ud800b"})]
    encoded = encode_graph(graph, findings, load())
    assert encoded.text == _expected(graph, findings)


def test_graph_text_keeps_one_copy_and_gives_the_same_bytes() -> None:
    text = GraphText(chunks=[b"{\n", '"é": 1'.encode(), b"\n}\n"])
    assert text.text == '{\n"é": 1\n}\n'
    assert text.chunks == ['{\n"é": 1\n}\n'.encode()]
    assert GraphText(text="x\n").chunks == [b"x\n"]


def test_document_file_is_written_from_its_chunks(tmp_path: Path) -> None:
    graph = build(load_files([sample_path("estate")]))
    findings = evaluate(graph)
    out = write_atomic(tmp_path / "g.json", encode_graph(graph, findings, load()), "archgen.graph/", False)
    assert out.read_bytes() == _expected(graph, findings).encode("utf-8")
    snap = write_atomic(
        tmp_path / "s.json", '{\n  "schema": "archgen.snapshot/v1", "é": "\u2028"\n}\n', "x", True
    )
    assert snap.read_bytes() == '{\n  "schema": "archgen.snapshot/v1", "é": "\u2028"\n}\n'.encode()


def test_unencodable_text_leaves_no_file_behind(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_atomic(tmp_path / "g.json", GraphText(text="a\ud800b"), "archgen.graph/", False)
    assert list(tmp_path.iterdir()) == []


def test_a_run_without_since_site_or_exports_imports_none_of_them(tmp_path: Path) -> None:
    """The document's pydantic schema is for reading a document back (`diff`, `--since`) and the tests;
    the site, the exports and the redactor are imported when asked for."""
    watched = ("archgen.docschema", "archgen.diff", "archgen.publish", "archgen.redact")
    code = (
        f"import sys; WATCHED = {watched!r}; from archgen.cli import cli; "
        f"cli.main(['discover', '--sample', 'quickstart', '--json', {str(tmp_path / 'g.json')!r}, '--no-site', '-q'], "
        "standalone_mode=False); "
        "print(sorted(m for m in sys.modules if m in WATCHED))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == "[]"
