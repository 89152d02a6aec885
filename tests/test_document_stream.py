"""A graph document that only goes to a file is encoded into it as it is written (`GraphText.later`,
`pipeline._only_written`): the same bytes as the document held whole, the same fallback to the reference
writer, and the same guarantees of `write_atomic` (nothing replaced until everything is written; on an
encoder error no temporary file is left and the old target is untouched, with the same error and status)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from archgen import pipeline
from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.controls.findings import Finding, Status
from archgen.discovery.files import load_files
from archgen.doctext import GraphText
from archgen.document import document_data, dumps_data_stdlib, encode_graph, encode_graph_later
from archgen.model.builder import build, iter_rows
from archgen.pipeline import DiscoverOptions, sample_names, sample_path, write_atomic
from benchmarks.generate import generate_rows
from tests.clirun import run


def _reference(graph: Any, findings: list[Finding]) -> str:
    return dumps_data_stdlib(document_data(graph, findings, load()))


class _Spy(io.BytesIO):
    """A file that records whether anything was written before it was emptied (`truncate`)."""

    def __init__(self) -> None:
        super().__init__()
        self.written = self.before_truncate = 0

    def write(self, data: Any) -> int:
        self.written += len(data)
        return super().write(data)

    def truncate(self, size: int | None = None) -> int:
        self.before_truncate = self.before_truncate or self.written
        return super().truncate(size)


@pytest.mark.parametrize("name", sample_names())
def test_streamed_document_is_the_reference_writers_bytes_on_sample(name: str, tmp_path: Path) -> None:
    graph = build(load_files([sample_path(name)]))
    findings = evaluate(graph)
    out = write_atomic(
        tmp_path / "g.json", encode_graph_later(graph, findings, load()), "archgen.graph/", False
    )
    assert out.read_bytes() == _reference(graph, findings).encode("utf-8")
    assert b"".join(encode_graph(graph, findings, load()).chunks) == out.read_bytes()


def test_streamed_document_spanning_many_chunks_is_the_held_documents_bytes(tmp_path: Path) -> None:
    graph = build(iter_rows(generate_rows(60, 12, 6000), "gen.json"))
    findings = evaluate(graph)
    held = b"".join(encode_graph(graph, findings, load()).chunks)
    later = encode_graph_later(graph, findings, load())
    out = write_atomic(tmp_path / "g.json", later, "archgen.graph/", False)
    assert out.read_bytes() == held
    assert later.text.encode("utf-8") == held  # asked for after the write: encoded again, the same


def test_a_document_made_later_gives_its_text_and_chunks_when_asked_first() -> None:
    graph = build(load_files([sample_path("quickstart")]))
    findings = evaluate(graph)
    expected = _reference(graph, findings)
    assert encode_graph_later(graph, findings, load()).text == expected
    assert b"".join(encode_graph_later(graph, findings, load()).chunks) == expected.encode("utf-8")
    written = io.BytesIO()
    GraphText(text="é\n").write_to(written)
    assert written.getvalue() == "é\n".encode()


def test_a_finding_only_the_reference_writer_writes_replaces_what_was_streamed(tmp_path: Path) -> None:
    """NaN: msgspec's formatter refuses it after the controls and edges are written; the file is emptied
    and the reference writer's text written instead, as the held document falls back whole."""
    graph = build(load_files([sample_path("quickstart")]))
    findings = [
        *evaluate(graph),
        Finding("ZZ-1", "/r", Status.FAIL, "r", {"ratio": float("nan"), "n": 2**70}),
    ]
    expected = _reference(graph, findings)
    assert "NaN" in expected and encode_graph(graph, findings, load()).text == expected
    spy = _Spy()
    encode_graph_later(graph, findings, load()).write_to(spy)
    assert spy.before_truncate > 0  # the write had begun
    assert spy.getvalue() == expected.encode("utf-8")
    out = write_atomic(
        tmp_path / "g.json", encode_graph_later(graph, findings, load()), "archgen.graph/", False
    )
    assert out.read_bytes() == expected.encode("utf-8")


def test_a_document_the_reference_writer_cannot_encode_leaves_no_file(tmp_path: Path) -> None:
    graph = build(load_files([sample_path("quickstart")]))
    findings = [*evaluate(graph), Finding("ZZ-1", "/r", Status.FAIL, "a\ud800b", {"n": 2**70})]
    old = tmp_path / "g.json"
    old.write_bytes(b'{\n"schema": "archgen.graph/v1"\n}\n')
    with pytest.raises(UnicodeEncodeError) as streamed:
        write_atomic(old, encode_graph_later(graph, findings, load()), "archgen.graph/", False)
    with pytest.raises(UnicodeEncodeError) as held:
        write_atomic(old, encode_graph(graph, findings, load()), "archgen.graph/", False)
    assert str(streamed.value) == str(held.value)
    assert list(tmp_path.iterdir()) == [old]
    assert old.read_bytes() == b'{\n"schema": "archgen.graph/v1"\n}\n'


def _run_with_bad_finding(
    argv: list[str], streamed: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """The CLI with a finding whose evidence no encoder writes (`object()`), streamed or held."""

    def evaluate_with_bad_finding(graph: Any) -> list[Finding]:
        return [*evaluate(graph), Finding("ZZ-1", "/r", Status.FAIL, "r", {"bad": object()})]

    monkeypatch.setattr(pipeline, "evaluate", evaluate_with_bad_finding)
    if not streamed:  # today's path: the document encoded whole before anything is written
        monkeypatch.setattr(pipeline, "_only_written", lambda opts: False)
    return run(argv, capsys, monkeypatch)


@pytest.mark.parametrize("force", [False, True])
def test_an_encoder_error_leaves_the_old_document_and_no_temporary_file(
    force: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "g.json"
    argv = ["discover", "--sample", "quickstart", "--json", str(target), "--no-site", "-q"]
    assert run(argv, capsys, monkeypatch)[0] == 0
    before = target.read_bytes()
    argv += ["--force"] if force else []
    streamed = _run_with_bad_finding(argv, True, capsys, monkeypatch)
    assert sorted(tmp_path.iterdir()) == [target] and target.read_bytes() == before
    held = _run_with_bad_finding(argv, False, capsys, monkeypatch)
    assert sorted(tmp_path.iterdir()) == [target] and target.read_bytes() == before
    assert streamed == held
    assert streamed[0] == 1 and "archgen: internal error: TypeError: " in streamed[2]


def test_a_foreign_file_is_not_replaced_and_nothing_is_encoded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "g.json"
    target.write_text('{"schema": "someone.else/v1"}\n')
    code, _, err = run(
        ["discover", "--sample", "quickstart", "--json", str(target), "--no-site", "-q"], capsys, monkeypatch
    )
    assert code == 4
    assert "exists and was not written by archgen; pass --force to replace it" in err
    assert sorted(tmp_path.iterdir()) == [target]
    assert target.read_text() == '{"schema": "someone.else/v1"}\n'


@pytest.mark.parametrize(
    ("options", "streamed"),
    [
        ({"json_path": "g.json", "out_dir": None}, True),
        ({"json_path": "-", "out_dir": None}, False),
        ({"json_path": "g.json"}, False),  # a site
        ({"json_path": "g.json", "out_dir": None, "since": {"schema": "archgen.graph/v1"}}, False),
        ({"json_path": None, "out_dir": None}, False),  # `report`
    ],
)
def test_only_a_document_written_to_a_file_alone_is_streamed(options: dict[str, Any], streamed: bool) -> None:
    assert pipeline._only_written(DiscoverOptions(**options)) is streamed


def test_a_streamed_run_still_gives_the_documents_text(tmp_path: Path) -> None:
    target = tmp_path / "g.json"
    result = pipeline.discover(DiscoverOptions(sample="estate", json_path=str(target), out_dir=None))
    assert result.graph_json.encode("utf-8") == target.read_bytes()
    assert target.read_bytes() == _reference(result.graph, result.findings).encode("utf-8")
