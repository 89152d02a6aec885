"""Hardening (issue 13): input files of any name, bounded input, file modes, snapshot integrity."""

from __future__ import annotations

import html
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.discovery import snapshot
from archgen.discovery.files import load_files
from archgen.errors import InputError
from archgen.pipeline import _owned_json, write_atomic
from archgen.publish.templating import site_path
from archgen.run import InputFile, input_download_name
from tests import clirun

SAMPLES = Path(__file__).resolve().parent.parent / "archgen" / "samples"


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    code, out, err = clirun.run(argv, capsys, monkeypatch)
    return code, out + err


# -- item 6: any input file name --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["ARG-Export.json", "données.json", "..json", "日本.JSON", " x y .json"])
def test_input_file_of_any_name_builds_the_site_with_a_safe_download_copy(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / name
    source.write_bytes((SAMPLES / "quickstart.json").read_bytes())
    out = tmp_path / "review"
    code, text = run(["discover", "--from", str(source), "--out", str(out), "-q"], capsys, monkeypatch)
    assert code == 0, text
    copies = list((out / "docs" / "downloads").glob("input-1-*.json"))
    assert len(copies) == 1
    assert copies[0].read_bytes() == source.read_bytes()
    assert copies[0].name == copies[0].name.lower() and copies[0].name.isascii()


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=80), st.integers(min_value=0, max_value=50))
def test_download_name_is_a_valid_site_path_for_any_input_name(name: str, index: int) -> None:
    result = input_download_name(index, InputFile(name, "0" * 64, 1, "/x"))
    assert str(site_path(result)) == result
    assert "/" not in result and result.endswith(".json")


# -- item 12: bounded input -------------------------------------------------------------------------
def test_device_as_input_is_refused_with_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, text = run(["discover", "--from", "/dev/zero", "--no-site"], capsys, monkeypatch)
    assert code == 2
    assert "/dev/zero: not a regular file" in text
    assert "Traceback" not in text


def test_fifo_as_input_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "rows.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_files([fifo])


def test_input_over_the_size_limit_is_refused_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b" " * (1024 * 1024) + b"]")
    code, text = run(
        ["discover", "--from", str(big), "--no-site", "--max-input-mb", "1"], capsys, monkeypatch
    )
    assert code == 2
    assert "larger than the input limit of 1 MB; raise it with --max-input-mb" in text


def test_input_under_the_size_limit_is_read(tmp_path: Path) -> None:
    inv = load_files([SAMPLES / "quickstart.json"], max_bytes=1024 * 1024)
    assert inv.rows


# -- item 5: file modes -----------------------------------------------------------------------------
def test_rewritten_graph_document_keeps_the_existing_files_mode(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    write_atomic(path, '{\n"schema": "archgen.graph/v1"\n}\n', "archgen.graph/", force=False)
    os.chmod(path, 0o644)
    write_atomic(path, '{\n"schema": "archgen.graph/v1"\n}\n', "archgen.graph/", force=False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    os.chmod(path, 0o640)
    write_atomic(path, '{\n"schema": "archgen.graph/v1"\n}\n', "archgen.graph/", force=False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_graph_document_gets_the_umask_default_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "g.json", "{}\n", "archgen.graph/", force=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


# -- issue 14: ownership of a previous output from its schema line, without a parse ------------------
def test_previous_outputs_are_recognised_by_their_schema_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = tmp_path / "graph.json"
    code, text = run(
        ["discover", "--sample", "quickstart", "--no-site", "--json", str(graph)], capsys, monkeypatch
    )
    assert code == 0, text
    snap = tmp_path / "snap.json"
    snap.write_text(snapshot.dumps(snapshot.Snapshot(rows=[{"schema": "archgen.graph/v1"}])))
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"data": [{"schema": "archgen.graph/v1"}]}')
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps({"a": {"schema": "archgen.graph/v1"}}, indent=4))
    assert _owned_json(graph, "archgen.graph/")
    assert not _owned_json(graph, "archgen.snapshot/")
    assert _owned_json(snap, "archgen.snapshot/")
    assert not _owned_json(snap, "archgen.graph/")
    assert not _owned_json(foreign, "archgen.graph/")
    assert not _owned_json(nested, "archgen.graph/")


# -- item 14: snapshot integrity --------------------------------------------------------------------
def _snapshot_file(tmp_path: Path) -> Path:
    rows = json.loads((SAMPLES / "regulated-vwan.json").read_text())["data"]
    snap = snapshot.Snapshot(rows=rows, queries=[snapshot.QueryRecord(name="accounts", text="resources")])
    path = tmp_path / "snap.json"
    path.write_text(snapshot.dumps(snap), encoding="utf-8")
    return path


def _tamper(path: Path) -> None:
    data = json.loads(path.read_text())
    data["rows"] = data["rows"][1:]
    path.write_text(json.dumps(data))


def test_untouched_snapshot_verifies_and_the_evidence_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _snapshot_file(tmp_path)
    out = tmp_path / "review"
    code, text = run(
        ["discover", "--from", str(path), "--out", str(out), "--strict-evidence"], capsys, monkeypatch
    )
    assert code == 0, text
    evidence = html.unescape((out / "docs" / "evidence.md").read_text())
    assert "| snapshot integrity | verified: SHA-256 of rows and queries match |" in evidence


def test_tampered_snapshot_is_a_warning_on_the_evidence_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _snapshot_file(tmp_path)
    _tamper(path)
    out = tmp_path / "review"
    code, text = run(["discover", "--from", str(path), "--out", str(out)], capsys, monkeypatch)
    assert code == 0, text
    assert "snapshot integrity" in text
    evidence = html.unescape((out / "docs" / "evidence.md").read_text())
    assert "| snapshot integrity | FAILED: rows (SHA-256 recorded" in evidence


def test_tampered_snapshot_with_strict_evidence_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _snapshot_file(tmp_path)
    _tamper(path)
    code, text = run(["discover", "--from", str(path), "--no-site", "--strict-evidence"], capsys, monkeypatch)
    assert code == 2
    assert "snapshot integrity check failed: rows" in text
    assert "Traceback" not in text


def test_snapshot_without_integrity_record_is_refused_only_with_strict_evidence(tmp_path: Path) -> None:
    path = _snapshot_file(tmp_path)
    data = json.loads(path.read_text())
    del data["integrity"]
    path.write_text(json.dumps(data))
    assert load_files([path]).rows
    with pytest.raises(InputError, match="no integrity record"):
        load_files([path], strict_evidence=True)
