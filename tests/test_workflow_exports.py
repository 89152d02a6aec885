"""Findings for trackers and pipelines: CSV, XLSX, SARIF 2.1.0 and the --fail-on gate.

The SARIF schema in tests/data/ is the OASIS SARIF 2.1.0 schema (source noted in tests/data/README.md).
Graphs are built from tests/factory.py rows; assertions derive the expected findings from the engine,
never from a sample's verdicts.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archgen.controls import accept
from archgen.controls.catalogue import load
from archgen.controls.findings import Finding, Status
from archgen.model.graph import Graph
from archgen.publish import exports, sarif
from tests import clirun
from tests import factory as fx
from tests.conftest import findings_of

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
AS_OF = date(2026, 11, 30)
HOSTILE = '=HYPERLINK("https://evil.example","x")'


def _rows(
    owner_tag: str | None = "owner", **account_extra: Any
) -> tuple[Graph, list[Finding], list[exports.FindingRow]]:
    rows = [
        fx.account(
            identity=fx.UAMI_IDENTITY, encryption=fx.CMK, publicNetworkAccess="Enabled", **account_extra
        ),
        fx.vault(publicNetworkAccess="Enabled"),
        fx.uami(),
    ]
    rows[0]["tags"] = {"Owner": HOSTILE}
    rows[1]["tags"] = {"owner": "team-kv"}
    graph, findings = findings_of(rows)
    out = exports.finding_rows(graph, findings, load(), accept.empty(AS_OF), owner_tag)
    return graph, findings, out


def _failing(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.control, f.resource) for f in findings if f.status is Status.FAIL}


def test_csv_has_one_row_per_finding_with_the_catalogues_metadata() -> None:
    _, findings, rows = _rows()
    parsed = list(csv.DictReader(io.StringIO(exports.csv_text(rows), newline="")))
    assert {(r["control"], r["resource_id"], r["status"]) for r in parsed} == {
        (f.control, f.resource, f.status.value) for f in findings
    }
    catalogue = load()
    for r in parsed:
        control = catalogue.control(r["control"])
        assert (r["title"], r["severity"], r["responsibility"]) == (
            control.title,
            control.severity,
            control.responsibility,
        )
        assert set(r["frameworks"].split("; ")) - {""} == set(exports.framework_ids(control))


def test_framework_ids_come_from_the_catalogue_references() -> None:
    mapped = {c.id: exports.framework_ids(c) for c in load().controls}
    assert any(ids for ids in mapped.values())
    assert all(i.startswith(("MCSB ", "NIST ", "ISO", "CIS ")) for ids in mapped.values() for i in ids)


def test_due_dates_follow_the_severity_policy() -> None:
    _, _, rows = _rows()
    assert {r.status for r in rows} >= {"fail"}
    for r in rows:
        if r.status in ("fail", "unknown"):
            assert r.due == (AS_OF + timedelta(days=exports.DUE_DAYS[r.severity])).isoformat()
        else:
            assert r.due == ""
    assert exports.DUE_DAYS["high"] < exports.DUE_DAYS["medium"] < exports.DUE_DAYS["low"]


def test_owner_comes_from_the_named_tag_whatever_its_case() -> None:
    _graph, _, rows = _rows("OWNER")
    by_resource = {r.resource_id: r.owner for r in rows}
    assert by_resource[fx.ACCOUNT.lower()] == HOSTILE
    assert by_resource[fx.VAULT.lower()] == "team-kv"
    # a workload member without the tag falls back to the account's owner
    others = {
        owner for rid, owner in by_resource.items() if rid not in (fx.ACCOUNT.lower(), fx.VAULT.lower())
    }
    assert others <= {HOSTILE}
    _, _, untagged = _rows(None)
    assert {r.owner for r in untagged} == {""}


def test_a_cell_that_looks_like_a_formula_is_text_in_csv_and_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _, _, rows = _rows()
    text = exports.csv_text(rows)
    owners = {r["owner"] for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert "'" + HOSTILE in owners
    path = tmp_path / "f.xlsx"
    path.write_bytes(exports.xlsx_bytes(rows))
    ws = load_workbook(path).active
    assert ws is not None
    owner_col = exports.COLUMNS.index("owner") + 1
    cells = [ws.cell(row=n, column=owner_col) for n in range(2, ws.max_row + 1)]
    assert {c.data_type for c in cells} == {"s"}
    assert HOSTILE in {c.value for c in cells}


@given(st.text(max_size=40))
def test_neutralised_text_never_starts_like_a_formula_and_keeps_the_text(value: str) -> None:
    out = exports.neutralise(value)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out.removeprefix("'") in (
        value.replace("\r\n", "\n"),
        value.replace("\r\n", "\n").removeprefix("'"),
    )


def test_sarif_is_valid_2_1_0_with_one_result_per_failing_finding() -> None:
    _, findings, rows = _rows()
    doc = sarif.sarif_document(rows, load(), "0.1.0")
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(doc)
    run = doc["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {c.id for c in load().controls}
    results = run["results"]
    assert {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]) for r in results
    } == _failing(findings)
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert all(r["level"] == sarif.LEVEL[load().control(r["ruleId"]).severity] for r in results)


def test_sarif_fingerprint_is_stable_per_control_and_resource() -> None:
    assert sarif.fingerprint("C-1", "/subscriptions/A/x") == sarif.fingerprint("C-1", "/SUBSCRIPTIONS/a/X/")
    assert sarif.fingerprint("C-1", "/subscriptions/a/x") != sarif.fingerprint("C-2", "/subscriptions/a/x")
    _, _, rows = _rows()
    first = sarif.sarif_document(rows, load(), "0.1.0")["runs"][0]["results"]
    prints = [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in first]
    assert len(set(prints)) == len(prints)


def test_same_findings_same_bytes_in_every_format() -> None:
    _, _, one = _rows()
    _, _, two = _rows()
    import zipfile

    with zipfile.ZipFile(io.BytesIO(exports.xlsx_bytes(one))) as zf:  # no save time inside the workbook
        assert b">2000-01-01T00:00:00Z</dcterms:modified>" in zf.read("docProps/core.xml")
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert exports.csv_text(one) == exports.csv_text(two)
    assert exports.xlsx_bytes(one) == exports.xlsx_bytes(two)
    assert sarif.sarif_text(one, load(), "0.1.0") == sarif.sarif_text(two, load(), "0.1.0")


# -- the command line ---------------------------------------------------------------------------------
def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    code, _, err = clirun.run(argv, capsys, monkeypatch)
    return code, err


@pytest.fixture
def rows_file(tmp_path: Path) -> Path:
    rows = [fx.account(publicNetworkAccess="Enabled"), fx.vault(publicNetworkAccess="Enabled")]
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def _failing_rows(rows_file: Path) -> set[tuple[str, str, str]]:
    _graph, findings = findings_of(json.loads(rows_file.read_text(encoding="utf-8")))
    return {
        (f.control, f.resource, load().control(f.control).severity)
        for f in findings
        if f.status is Status.FAIL
    }


def test_fail_on_exits_7_while_failing_findings_remain_and_0_once_all_are_accepted(
    rows_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = _failing_rows(rows_file)
    assert failing
    base = ["discover", "--from", str(rows_file), "--no-site", "-q", "--fail-on", "low"]
    code, err = run(base, capsys, monkeypatch)
    assert code == 7
    assert err.count("\n") == 1 and "Traceback" not in err
    entries = [
        {"control": c, "resource": r, "justification": "board", "approver": "arb", "expires": "2099-12-31"}
        for c, r, _ in sorted(failing)
    ]
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(json.dumps({"accepted": entries}), encoding="utf-8")  # JSON is YAML
    code, err = run([*base, "--accept", str(accepted)], capsys, monkeypatch)
    assert code == 0, err


def test_fail_on_counts_only_severities_at_or_above_the_threshold(
    rows_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    severities = {s for _, _, s in _failing_rows(rows_file)}
    for threshold in exports.SEVERITIES:
        limit = exports.SEVERITY_RANK[threshold]
        expected = 7 if any(exports.SEVERITY_RANK[s] <= limit for s in severities) else 0
        code, _ = run(
            ["discover", "--from", str(rows_file), "--no-site", "-q", "--fail-on", threshold],
            capsys,
            monkeypatch,
        )
        assert code == expected, threshold


def test_exports_are_written_and_a_foreign_file_is_never_replaced_without_force(
    rows_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outs = {
        "--findings-csv": tmp_path / "f.csv",
        "--findings-xlsx": tmp_path / "f.xlsx",
        "--sarif": tmp_path / "f.sarif",
    }
    args = ["discover", "--from", str(rows_file), "--no-site", "-q"]
    for flag, path in outs.items():
        args += [flag, str(path)]
    code, err = run(args, capsys, monkeypatch)
    assert code == 0, err
    first = {p: p.read_bytes() for p in outs.values()}
    assert run(args, capsys, monkeypatch)[0] == 0  # archgen's own files are replaced
    assert {p: p.read_bytes() for p in outs.values()} == first
    for path in outs.values():
        path.write_bytes(b"my notes")
        code, err = run(args, capsys, monkeypatch)
        assert code == 4
        assert str(path) in err
        assert path.read_bytes() == b"my notes"
        assert run([*args, "--force"], capsys, monkeypatch)[0] == 0
        assert path.read_bytes() == first[path]
