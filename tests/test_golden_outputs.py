"""Byte-identity: every sample's graph document and diagrams are exactly the committed references.

The references were generated from the code before the scale work (issue 14); when an intended change
alters them (new control verdicts, a new attribute), check the diff and run
`python -m tests.golden.regenerate`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archgen.pipeline import sample_names
from tests.golden.regenerate import diagram_digests, graph_document

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_every_sample_has_references() -> None:
    assert {p.stem for p in (GOLDEN / "graph").glob("*.json")} == set(sample_names())
    assert {p.stem for p in (GOLDEN / "diagrams").glob("*.json")} == set(sample_names())


@pytest.mark.parametrize("name", sample_names())
def test_graph_document_is_byte_identical_to_reference(name: str) -> None:
    assert graph_document(name) == (GOLDEN / "graph" / f"{name}.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("png", [True, False])
@pytest.mark.parametrize("name", sample_names())
def test_diagrams_are_byte_identical_to_reference(name: str, png: bool) -> None:
    expected = json.loads((GOLDEN / "diagrams" / f"{name}.json").read_text(encoding="utf-8"))
    assert diagram_digests(name, png=png) == expected
