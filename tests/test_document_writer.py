"""The graph document's fast writer (orjson + msgspec) gives exactly the bytes of the standard-library writer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.document import _plain, document_data, dumps_data, dumps_data_stdlib, validate
from archgen.model.builder import build
from archgen.pipeline import sample_names, sample_path


@pytest.mark.parametrize("name", sample_names())
def test_orjson_writer_is_byte_identical_to_stdlib_writer_on_sample(name: str) -> None:
    graph = build(load_files([sample_path(name)]))
    data = document_data(graph, evaluate(graph), load())
    assert dumps_data(data) == dumps_data_stdlib(data)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["", "a, b", 'x": "y', "\n", "\\", "\u2028", "é", "😀", "\x00\x1f\x7f"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
DOCUMENTS = st.dictionaries(
    st.text(max_size=8), st.one_of(VALUES, st.lists(VALUES, max_size=4)), min_size=1, max_size=6
)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS)
def test_orjson_writer_is_byte_identical_to_stdlib_writer_on_any_data(data: dict[str, Any]) -> None:
    plain = _plain(data)
    assert dumps_data(plain) == dumps_data_stdlib(plain)


def test_lone_surrogate_falls_back_to_the_stdlib_writer() -> None:
    data = {"nodes": [{"name": "a\ud800b"}], "summary": {"n": 1}}
    assert dumps_data(data) == dumps_data_stdlib(data)


@pytest.mark.parametrize("name", sample_names())
def test_sample_document_validates_against_the_schema(name: str) -> None:
    graph = build(load_files([sample_path(name)]))
    doc = validate(document_data(graph, evaluate(graph), load()))
    assert {n.id for n in doc.nodes} == set(graph.nodes)


def test_generated_estate_document_validates_against_the_schema() -> None:
    from archgen.model.builder import iter_rows
    from benchmarks.generate import generate_rows

    graph = build(iter_rows(generate_rows(12, 3, 600), "gen.json"))
    doc = validate(document_data(graph, evaluate(graph), load()))
    assert len(doc.workloads) == 12


def test_graph_document_falls_back_whole_to_the_stdlib_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson

    from archgen import document

    graph = build(load_files([sample_path("estate")]))
    findings = evaluate(graph)
    expected = dumps_data_stdlib(document_data(graph, findings, load()))
    calls: list[int] = []

    def refuse(value: object) -> bytes:
        calls.append(1)
        if len(calls) > 3:  # fails after some sections were already consumed
            raise orjson.JSONEncodeError("refused")
        return orjson.dumps(value)

    monkeypatch.setattr(document, "_one_line", refuse)
    assert document.dumps_graph(graph, findings, load()) == expected
