"""The command line: outputs, documented exit statuses, one-line errors and no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clirun import run

SAMPLES = Path(__file__).resolve().parent.parent / "archgen" / "samples"


def test_sample_alone_lists_the_samples(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(["discover", "--sample"], capsys, monkeypatch)
    assert code == 0
    assert set(out.split()) == {"estate", "hostile-names", "quickstart", "regulated-vwan"}


def test_json_to_stdout_is_the_graph_document_and_logs_go_to_stderr(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(
        ["discover", "--sample", "regulated-vwan", "--no-site", "--json", "-"], capsys, monkeypatch
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "archgen.graph/v1"
    assert set(doc) == {
        "schema",
        "nodes",
        "edges",
        "workloads",
        "findings",
        "controls",
        "warnings",
        "summary",
    }
    assert "aoai-claims-prod-weu" in err


def test_same_input_same_bytes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, first, _ = run(
        ["discover", "--sample", "estate", "--no-site", "--json", "-", "-q"], capsys, monkeypatch
    )
    _, second, _ = run(
        ["discover", "--from", str(SAMPLES / "estate.json"), "--no-site", "--json", "-", "-q"],
        capsys,
        monkeypatch,
    )
    assert first == second and first.endswith("}\n")


def test_snapshot_replays_to_the_same_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = json.loads((SAMPLES / "regulated-vwan.json").read_text())["data"]
    snap = tmp_path / "snapshot.json"
    snap.write_text(
        json.dumps(
            {
                "schema": "archgen.snapshot/v1",
                "rows": rows,
                "queries": [{"name": "accounts", "text": "resources"}],
                "diagnostics_collected": None,
                "warnings": [],
            }
        )
    )
    _, direct, _ = run(
        ["discover", "--sample", "regulated-vwan", "--no-site", "--json", "-", "-q"], capsys, monkeypatch
    )
    _, replay, _ = run(
        ["discover", "--from", str(snap), "--no-site", "--json", "-", "-q"], capsys, monkeypatch
    )
    assert direct == replay


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["discover", "--from", "/nonexistent/rows.json", "--no-site"], 2, "no such file"),
        (["discover", "--sample", "nope", "--no-site"], 2, "unknown sample 'nope'"),
        (["discover", "--sample", "estate", "--from", "x.json", "--no-site"], 2, "cannot be combined"),
        (
            ["discover", "--sample", "estate", "-s", "6b1f3c9e-2a47-4d8b-b0e5-91c2d7f4a803", "--no-site"],
            2,
            "scope options",
        ),
        (["discover", "--no-such-option"], 2, "No such option"),
        (["discover", "--sample", "estate", "--no-site", "--tag", "novalue"], 2, "expected KEY=VALUE"),
    ],
)
def test_user_errors_exit_with_their_status_and_one_line(
    argv: list[str],
    status: int,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _out, err = run(argv, capsys, monkeypatch)
    assert code == status
    assert message in err
    assert "Traceback" not in err


def test_json_output_refuses_to_overwrite_a_foreign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    precious = tmp_path / "notes.json"
    precious.write_text('{"mine": true}')
    code, _, err = run(
        ["discover", "--sample", "quickstart", "--no-site", "--json", str(precious)], capsys, monkeypatch
    )
    assert code == 4 and "was not written by archgen" in err
    assert precious.read_text() == '{"mine": true}'
    code, _, _ = run(
        ["discover", "--sample", "quickstart", "--no-site", "--json", str(precious), "--force"],
        capsys,
        monkeypatch,
    )
    assert code == 0 and json.loads(precious.read_text())["schema"] == "archgen.graph/v1"
    # a file archgen wrote is replaced without asking
    code, _, _ = run(
        ["discover", "--sample", "estate", "--no-site", "--json", str(precious)], capsys, monkeypatch
    )
    assert code == 0 and len(json.loads(precious.read_text())["workloads"]) == 4


def test_warnings_are_counted_on_stderr_and_in_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = json.loads((SAMPLES / "regulated-vwan.json").read_text())["data"]
    rows = [r for r in rows if r["type"] != "microsoft.network/privatednszones"] + [{"name": "x"}]
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(rows))
    code, out, err = run(["discover", "--from", str(path), "--no-site", "--json", "-"], capsys, monkeypatch)
    assert code == 0
    assert "1 row skipped" in err
    assert {w["code"] for w in json.loads(out)["warnings"]} == {"row_skipped"}


def test_site_offers_the_exact_input_files_for_download(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "my tenant (prod).json"
    source.write_bytes((SAMPLES / "quickstart.json").read_bytes())
    out = tmp_path / "review"
    code, _, err = run(["discover", "--from", str(source), "--out", str(out), "-q"], capsys, monkeypatch)
    assert code == 0, err
    copy = out / "docs" / "downloads" / "input-1-my-tenant--prod.json"
    assert copy.read_bytes() == source.read_bytes()
    evidence = (out / "docs" / "evidence.md").read_text()
    assert "--from input-1-my-tenant--prod.json" in evidence


def test_missing_graphviz_is_exit_8_naming_the_program_and_the_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # `dot` is looked up with shutil.which, in this process
    out_dir = tmp_path / "site"
    code, _, err = run(
        ["discover", "--sample", "quickstart", "--out", str(out_dir), "-q"], capsys, monkeypatch
    )
    assert code == 8
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("archgen: error: a required program is missing: 'dot'")
    assert "apt-get install graphviz" in err
    assert not (out_dir / "mkdocs.yml").exists()  # nothing half-written


def test_without_a_site_graphviz_is_not_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, out, _ = run(
        ["discover", "--sample", "quickstart", "--no-site", "--json", "-", "-q"], capsys, monkeypatch
    )
    assert code == 0 and json.loads(out)["schema"] == "archgen.graph/v1"
