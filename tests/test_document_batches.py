"""The edges' and findings' batch writers (`archgen.doclines`) against the line writers of one item and
the reference writer: same bytes for every batch, hostile values included, or the same error."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.controls.findings import Finding, Status
from archgen.doclines import EdgeLines, FindingLines
from archgen.document import (
    _edge_doc,
    _edge_line,
    _finding_doc,
    _finding_line,
    _item,
    _plain_edge,
    _plain_finding,
)
from archgen.model.graph import Edge
from archgen.model.relations import Relation
from tests.test_document_objects import EVIDENCE, Text

# ids and texts that repeat across a batch (the writers cache their encoding), hostile ones included
IDS = st.one_of(
    st.sampled_from(["/subscriptions/1/x", "pass", "fail", "é", "😀", "}, {", 'a": "b', "\u2028", ""]),
    st.text(max_size=8),
    st.sampled_from(["a\ud800b", Text("/sub"), Text("pass")]),
)
STATUSES = st.one_of(st.sampled_from(list(Status)), st.sampled_from(["pass", Text("fail")]))
RELATIONS = st.one_of(st.sampled_from(list(Relation)), st.sampled_from(["in_subnet", Text("subnet_of")]))
DICTS = st.one_of(EVIDENCE, st.just({}), EVIDENCE.map(MappingProxyType))
FINDINGS = st.builds(Finding, IDS, IDS, STATUSES, IDS, DICTS)
EDGES = st.builds(Edge, IDS, IDS, RELATIONS, DICTS)


def _lines_or_error(write: Any, batch: list[Any]) -> list[bytes] | tuple[type[Exception], str]:
    try:
        return list(write(batch))
    except Exception as exc:  # the error itself is compared
        return (type(exc), str(exc))


def _assert_batches_match(writer: Any, one: Any, doc_of: Any, batches: list[list[Any]]) -> None:
    for batch in batches:  # one writer for all: its cache carries over from batch to batch
        got = _lines_or_error(writer, batch)
        assert got == _lines_or_error(lambda b: map(one, b), batch)
        if isinstance(got, list):
            assert got == [_item(doc_of(item)).encode("utf-8") for item in batch]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(FINDINGS, max_size=6), max_size=4))
def test_finding_batches_are_the_line_writers_bytes(batches: list[list[Finding]]) -> None:
    _assert_batches_match(FindingLines(_finding_line, _plain_finding), _finding_line, _finding_doc, batches)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(EDGES, max_size=6), max_size=4))
def test_edge_batches_are_the_line_writers_bytes(batches: list[list[Edge]]) -> None:
    _assert_batches_match(EdgeLines(_edge_line, _plain_edge), _edge_line, _edge_doc, batches)


def _refuse(item: Any) -> bytes:
    raise AssertionError(f"written item by item: {item!r}")


def test_plain_batches_are_written_direct() -> None:
    findings = [
        Finding("KV-NET-01", "/r/é", Status.FAIL, 'a "quote", é 😀', {"b": [1, None], "a": {"z": 2**70}}),
        Finding("KV-NET-01", "/r/é", Status.PASS, "ok", {}),
    ]
    assert FindingLines(_refuse, _plain_finding)(findings) == [
        _item(_finding_doc(f)).encode() for f in findings
    ]
    edges = [
        Edge("/a", "/b", Relation.PRIVATE_ENDPOINT_OF, {"status": "Approved"}),
        Edge("/a", "/c", Relation.IN_SUBNET),
    ]
    assert EdgeLines(_refuse, _plain_edge)(edges) == [_item(_edge_doc(e)).encode() for e in edges]


@pytest.mark.parametrize(
    "odd",
    [
        Finding("C", "/r", Status.PASS, "ok", {"ratio": 1e16}),
        Finding("C", "/r", Status.PASS, "a\ud800b", {}),
        Finding("C", Text("/r"), Status.PASS, "ok", {}),
        Finding("C", "/r", "pass", "ok", {}),  # type: ignore[arg-type]
        Finding("C", "/r", Status.FAIL, "r", MappingProxyType({"a": 1})),  # type: ignore[arg-type]
    ],
)
def test_a_batch_with_one_odd_finding_is_written_item_by_item(odd: Finding) -> None:
    plain = Finding("C", "/r", Status.FAIL, "r", {"a": 1})
    seen: list[Finding] = []

    def one(f: Finding) -> bytes:
        seen.append(f)
        return _finding_line(f)

    got = _lines_or_error(FindingLines(one, _plain_finding), [plain, odd])
    assert seen[:2] == [plain, odd]
    assert got == _lines_or_error(lambda b: map(_finding_line, b), [plain, odd])


def test_an_integer_too_long_to_print_fails_in_a_batch_as_the_line_writer_fails() -> None:
    batch = [Finding("C", "/r", Status.FAIL, "r", {"n": 10**5000})]
    with pytest.raises(ValueError) as fast:
        FindingLines(_finding_line, _plain_finding)(batch)
    with pytest.raises(ValueError) as one:
        _finding_line(batch[0])
    assert str(fast.value) == str(one.value)
