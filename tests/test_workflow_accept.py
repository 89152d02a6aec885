"""Accepted risks (`--accept FILE`): validated, matched by id or name pattern, shown, expiring, reported."""

from __future__ import annotations

import html
import json
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.cli import main
from archgen.controls import accept
from archgen.controls.catalogue import load
from archgen.controls.findings import Finding, Status
from archgen.errors import InputError
from archgen.model.graph import Graph
from archgen.publish import exports, sarif
from tests import factory as fx
from tests.conftest import findings_of

TODAY = date(2026, 11, 30)


def _estate() -> tuple[Graph, list[Finding]]:
    return findings_of([fx.account(publicNetworkAccess="Enabled")])


def _one_failing(findings: list[Finding]) -> Finding:
    failing = sorted((f for f in findings if f.status is Status.FAIL), key=lambda f: (f.control, f.resource))
    assert failing
    return failing[0]


def _entry(control: str, resource: str, expires: str = "2099-12-31") -> accept.Acceptance:
    return accept.Acceptance(
        control=control,
        resource=resource,
        justification="Hub firewall",
        approver="ARB",
        expires=date.fromisoformat(expires),
    )


@pytest.mark.parametrize("form", ["exact-id", "upper-case-id", "name-glob", "name-glob-other-case"])
def test_an_acceptance_matches_by_id_case_insensitively_or_by_name_pattern(form: str) -> None:
    graph, findings = _estate()
    target = _one_failing(findings)
    resource = {
        "exact-id": target.resource,
        "upper-case-id": target.resource.upper(),
        "name-glob": "aoai-*",
        "name-glob-other-case": "AOAI-T?ST",
    }[form]
    review = accept.apply([_entry(target.control, resource)], findings, graph, TODAY)
    decision = review.decision(target)
    assert decision is not None and not decision.expired
    assert not review.counts(target)
    assert review.unmatched == ()
    assert decision.label == "accepted until 2099-12-31"


def test_an_expired_acceptance_counts_again_and_says_so() -> None:
    graph, findings = _estate()
    target = _one_failing(findings)
    review = accept.apply([_entry(target.control, target.resource, "2026-11-29")], findings, graph, TODAY)
    decision = review.decision(target)
    assert decision is not None and decision.expired
    assert review.counts(target)
    assert decision.label == "acceptance expired on 2026-11-29"
    # the acceptance is still valid on its expiry day
    still = accept.apply([_entry(target.control, target.resource, "2026-11-30")], findings, graph, TODAY)
    assert not still.counts(target)


def test_an_acceptance_that_matches_nothing_is_reported() -> None:
    graph, findings = _estate()
    target = _one_failing(findings)
    stray = _entry(target.control, "no-such-resource-*")
    review = accept.apply([stray], findings, graph, TODAY)
    assert review.unmatched == (stray,)
    assert review.decisions == {}


def test_without_acceptances_every_finding_still_counts() -> None:
    graph, findings = _estate()
    review = accept.apply((), findings, graph, TODAY)
    assert (review.decisions, review.unmatched, review.as_of) == ({}, (), TODAY)
    assert {review.decision(f) for f in findings} == {None}
    assert all(review.counts(f) for f in findings)


def test_an_accepted_finding_keeps_its_status_and_is_suppressed_in_sarif_and_marked_in_csv() -> None:
    graph, findings = _estate()
    target = _one_failing(findings)
    review = accept.apply([_entry(target.control, target.resource)], findings, graph, TODAY)
    rows = exports.finding_rows(graph, findings, load(), review)
    row = next(r for r in rows if (r.control, r.resource_id) == (target.control, target.resource))
    assert (row.status, row.acceptance, row.accepted_until, row.justification) == (
        "fail",
        "accepted",
        "2099-12-31",
        "Hub firewall",
    )
    assert row not in exports.gate(rows, "low")
    results = sarif.sarif_document(rows, load(), "0.1.0")["runs"][0]["results"]
    suppressed = {r["ruleId"] for r in results if r.get("suppressions")}
    assert suppressed == {target.control}
    assert len(results) == len([f for f in findings if f.status is Status.FAIL])  # still reported


def test_acceptances_resolve_control_aliases_and_refuse_unknown_controls(tmp_path: Path) -> None:
    catalogue = load()
    control = catalogue.controls[0]
    path = tmp_path / "a.yaml"
    entry = {
        "control": control.id,
        "resource": "*",
        "justification": "j",
        "approver": "a",
        "expires": "2027-01-01",
    }
    path.write_text(yaml.safe_dump({"accepted": [entry]}), encoding="utf-8")
    assert [a.control for a in accept.load(path, catalogue)] == [control.id]
    path.write_text(yaml.safe_dump({"accepted": [{**entry, "control": "NOPE-99"}]}), encoding="utf-8")
    with pytest.raises(InputError, match="unknown control 'NOPE-99'"):
        accept.load(path, catalogue)


_VALID = {"control": "X", "resource": "*", "justification": "j", "approver": "a", "expires": "2027-01-01"}
_BAD_DOCS = st.one_of(
    st.text(max_size=60).filter(lambda t: t.strip() != ""),
    st.builds(
        lambda k: yaml.safe_dump({"accepted": [{kk: v for kk, v in _VALID.items() if kk != k}]}),
        st.sampled_from(sorted(_VALID)),
    ),
    st.builds(lambda v: yaml.safe_dump({"accepted": [{**_VALID, "expires": v}]}), st.text(max_size=12)),
    st.builds(
        lambda k: yaml.safe_dump({"accepted": [{**_VALID, k: 1}], "extra": True}),
        st.sampled_from(sorted(_VALID)),
    ),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_BAD_DOCS)
def test_a_bad_acceptance_file_is_one_line_and_exit_2(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "accept.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(
        sys,
        "argv",
        ["archgen", "discover", "--sample", "quickstart", "--no-site", "-q", "--accept", str(path)],
    )
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("archgen: error: --accept ") and err.count("\n") == 1


def test_the_workload_page_shows_the_acceptance_and_unmatched_ones_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [fx.account(publicNetworkAccess="Enabled")]
    source = tmp_path / "rows.json"
    source.write_text(json.dumps(rows), encoding="utf-8")
    _graph, findings = findings_of(rows)
    target = _one_failing(findings)
    decisions = {
        "accepted": [
            {
                "control": target.control,
                "resource": "aoai-test",
                "justification": "Until <b>Q2</b> | migration",
                "approver": "ARB 2026-11",
                "expires": "2099-03-31",
            },
            {
                "control": target.control,
                "resource": "nothing-here",
                "justification": "j",
                "approver": "a",
                "expires": "2099-03-31",
            },
        ]
    }
    path = tmp_path / "accept.yaml"
    path.write_text(yaml.safe_dump(decisions), encoding="utf-8")
    out = tmp_path / "site"
    argv = [
        "archgen",
        "discover",
        "--from",
        str(source),
        "--out",
        str(out),
        "-q",
        "--accept",
        str(path),
        "--json",
        str(tmp_path / "g.json"),
    ]
    monkeypatch.setattr(sys, "argv", argv)
    try:
        main()
    except SystemExit as exc:
        assert not exc.code
    err = capsys.readouterr().err
    assert "acceptance matches no failing or unknown finding" in err and "nothing-here" in err
    page = next((out / "docs" / "workloads").glob("*.md")).read_text(encoding="utf-8")
    assert "## Accepted risks" in page
    assert "accepted until 2099-03-31" in html.unescape(page)
    findings_part = html.unescape(page).split("## Accepted risks")[0]
    assert "<small>accepted until 2099-03-31</small>" in findings_part  # beside the finding's status too
    assert "ARB 2026-11" in html.unescape(page)
    assert "<b>Q2</b>" not in page  # the board's text is escaped like everything else
    doc = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert {(f["control"], f["resource"], f["status"]) for f in doc["findings"]} == {
        (f.control, f.resource, f.status.value) for f in findings
    }
