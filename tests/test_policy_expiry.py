"""Exemption expiry judged against the input's data-as-of instant, never the clock (issue 11 §3)."""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archgen.controls.engine import evaluate
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Graph
from archgen.model.ids import norm_id
from archgen.model.types import policy as p
from archgen.pipeline import DiscoverOptions, discover
from archgen.run import as_of_instant
from tests import factory as f
from tests import policy_cases as pc
from tests.pagerows import table_lines

A = norm_id(f.ACCOUNT)
G = pc.RESTRICT_NETWORK
AS_OF = datetime(2027, 1, 15, 8, tzinfo=UTC)


def _graph(rows: list[f.Row], as_of: datetime | None) -> Graph:
    inv = iter_rows(rows, "test.json")
    inv.as_of = as_of
    return build(inv)


def _net10(graph: Graph) -> str:
    return next(x for x in evaluate(graph) if x.control == "AOAI-NET-10").status.value


@pytest.mark.parametrize(
    ("case", "state", "expired", "verdict"),
    [
        (pc.net10_pass_exemption_expired_at_data_as_of, p.ENFORCED, True, "pass"),
        (pc.net10_pass_exemption_expiring_exactly_at_data_as_of, p.ENFORCED, True, "pass"),
        (pc.net10_fail_exemption_in_force_at_data_as_of, p.EXEMPT, False, "fail"),
        (pc.net10_fail_exemption_without_expiry, p.EXEMPT, False, "fail"),
    ],
)
def test_an_exemption_expired_at_data_as_of_does_not_exempt(
    case: Callable[[], list[f.Row]], state: str, expired: bool, verdict: str
) -> None:
    assert as_of_instant(pc.AS_OF) == AS_OF
    graph = _graph(case(), AS_OF)
    (c,) = graph.policy.coverage(A, G)
    assert (c.state, c.expired, c.exemption is not None) == (state, expired, True)
    assert _net10(graph) == verdict


def test_without_a_data_as_of_instant_every_exemption_counts_as_in_force() -> None:
    graph = _graph(pc.net10_pass_exemption_expired_at_data_as_of(), None)
    (c,) = graph.policy.coverage(A, G)
    assert (c.state, c.expired) == (p.EXEMPT, False)
    assert _net10(graph) == "fail"


def test_an_exemption_in_force_wins_over_an_expired_one_of_the_same_assignment() -> None:
    rows = pc.net10_pass_exemption_expired_at_data_as_of()
    later = dict(rows[-1], id=rows[-1]["id"] + "-renewed")
    later["properties"] = dict(rows[-1]["properties"], expiresOn="2027-06-30T00:00:00Z")
    (c,) = _graph([*rows, later], AS_OF).policy.coverage(A, G)
    assert (c.state, c.expired, c.exemption and c.exemption.id) == (p.EXEMPT, False, norm_id(later["id"]))


@given(expires_on=st.one_of(st.none(), st.integers(), st.text(max_size=30), st.datetimes().map(str)))
def test_any_expiry_value_gives_a_known_state(expires_on: Any) -> None:
    rows = pc.net10_pass_exemption_expired_at_data_as_of()
    rows[-1]["properties"]["expiresOn"] = expires_on
    (c,) = _graph(rows, AS_OF).policy.coverage(A, G)
    assert c.state in {p.EXEMPT, p.ENFORCED}
    assert c.expired == (c.state == p.ENFORCED)
    if not isinstance(expires_on, str):
        assert c.state == p.EXEMPT


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2027-01-15T08:00:00Z (live discovery started)", AS_OF),
        ("2027-01-15T08:00:00.000Z (the replayed snapshot's live discovery started)", AS_OF),
        ("embedded sample data", None),
        ("not known (the input files are not at hand)", None),
        ("", None),
    ],
)
def test_the_instant_is_read_from_the_data_as_of_text(text: str, instant: datetime | None) -> None:
    assert as_of_instant(text) == instant


def _policy_section(out: Path) -> str:
    page = next((out / "docs" / "workloads").glob("*.md")).read_text(encoding="utf-8")
    return html.unescape(page.split("## Policy enforcement", 1)[1].split("\n## ", 1)[0])


def test_a_file_export_judges_expiry_at_its_time_and_gives_the_same_bytes_twice(tmp_path: Path) -> None:
    import json

    export = tmp_path / "arg-export.json"
    export.write_text(json.dumps(pc.net10_pass_exemption_expired_at_data_as_of()), encoding="utf-8")
    os.utime(export, (AS_OF.timestamp(), AS_OF.timestamp()))
    pages = []
    for run in ("a", "b"):
        discover(DiscoverOptions(from_files=[export], out_dir=tmp_path / run))
        pages.append(_policy_section(tmp_path / run))
    assert pages[0] == pages[1]
    assert "compared with the data-as-of instant 2027-01-15T08:00:00Z" in pages[0]
    (line,) = [ln for ln in table_lines(pages[0]) if "| AOAI-NET-01 |" in ln]
    assert "enforced (Deny)" in line and "expired at 2026-12-31T23:59:59Z: does not exempt" in line


def test_a_sample_has_no_instant_and_the_page_says_exemptions_count_as_in_force(tmp_path: Path) -> None:
    discover(DiscoverOptions(sample="regulated-vwan", out_dir=tmp_path / "site"))
    section = _policy_section(tmp_path / "site")
    assert "No data-as-of instant is known for this input" in section
    assert "exempt (Waiver) until 2027-03-31T00:00:00Z" in section


def test_control_pages_show_the_azure_policy_cell_beside_each_finding_escaped(tmp_path: Path) -> None:
    import json

    hostile = "Deny <img src=x onerror=alert(3)> |*public*"
    rows = [f.account(), pc.assignment("deny-ai-public", pc.BUILTIN + G, effect="Deny"), pc.definition(G)]
    rows[1]["properties"]["displayName"] = hostile
    export = tmp_path / "rows.json"
    export.write_text(json.dumps(rows), encoding="utf-8")
    discover(DiscoverOptions(from_files=[export], out_dir=tmp_path / "site"))
    controls = tmp_path / "site" / "docs" / "controls"
    net01 = next(controls.glob("aoai-net-01*.md")).read_text(encoding="utf-8")
    assert "<img" not in net01
    table = [html.unescape(ln) for ln in table_lines(net01.split("## In this run", 1)[1])]
    head, *rows_shown = [ln for ln in table if ln.startswith("|")]
    assert head == "| Status | Workload | Resource | Reason | Azure Policy |"
    (row,) = rows_shown
    assert row.endswith(f"| enforced (Deny) ({hostile}) |")
    # a control without a built-in counterpart keeps its four columns
    net10 = next(controls.glob("aoai-net-10*.md")).read_text(encoding="utf-8")
    assert "Azure Policy |" not in net10.split("## In this run", 1)[1]


def test_the_finding_evidence_says_whether_the_exemption_was_in_force() -> None:
    for case, word in (
        (pc.net10_pass_exemption_expired_at_data_as_of, "expired at data-as-of"),
        (pc.net10_fail_exemption_in_force_at_data_as_of, "in force"),
    ):
        x = next(x for x in evaluate(_graph(case(), AS_OF)) if x.control == "AOAI-NET-10")
        (shown,) = [v["exemption"] for v in x.evidence.values() if isinstance(v, dict) and "exemption" in v]
        assert shown.endswith(f": {word} (expiresOn {case()[-1]['properties']['expiresOn']})")
