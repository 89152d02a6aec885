"""Defender for Cloud recommendations on workload resources (issue 11 §2): parsed once in the model, counted per
resource only when that resource's assessments were read, shown escaped in the "Threat protection" table."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from archgen.model.builder import build
from archgen.model.ids import norm_id
from archgen.model.inventory import Inventory, RowBlock
from archgen.model.types import assessments as a
from archgen.publish.threats import NAMED, recommendations_text, threat_rows
from tests import defender_cases as dc
from tests import factory as f
from tests.conftest import graph_of
from tests.pagerows import table_lines
from tests.test_content_filters import _site

A, V = norm_id(f.ACCOUNT), norm_id(f.VAULT)
NET = "Azure AI Services resources should restrict network access"


def assessment(
    resource: str, key: str, name: str, code: str | None, severity: str | None = "Medium", id_key: str = "Id"
) -> f.Row:
    props: dict[str, Any] = {
        "resourceDetails": {"Source": "Azure", id_key: resource},
        "displayName": name,
        "status": {"code": code, "cause": "secret cause", "description": "secret status description"},
        "metadata": {
            "severity": severity,
            "description": "secret description",
            "remediationDescription": "secret remediation",
        },
        "additionalData": {"token": "secret additional data"},
    }
    return {
        "id": f"{resource}/providers/Microsoft.Security/assessments/{key}",
        "name": key,
        "type": "microsoft.security/assessments",
        "subscriptionId": f.SUB,
        "tenantId": f.TENANT,
        "properties": props,
    }


def _key(i: int) -> str:
    return f"{i:08x}-0000-4000-8000-000000000000"


def test_unhealthy_recommendations_are_counted_by_severity_and_named_most_severe_first() -> None:
    rows = [
        *dc.with_vault(),
        assessment(f.ACCOUNT, _key(1), NET, "Unhealthy", "Medium"),
        assessment(
            f.ACCOUNT, _key(2), "Zeta check", "unhealthy", "high"
        ),  # enums compared case-insensitively
        assessment(f.ACCOUNT, _key(3), "Healthy one", "Healthy", "High"),
        assessment(f.ACCOUNT, _key(4), "Not applicable one", "NotApplicable", "Low"),
    ]
    summary = build_summary(rows, A)
    assert summary.collected and summary.assessed == 4
    assert [x.display_name for x in summary.unhealthy] == ["Zeta check", NET]
    assert summary.by_severity() == (("High", 1), ("Medium", 1))
    assert recommendations_text(summary) == f"2 unhealthy (High 1, Medium 1): Zeta check; {NET}"


def build_summary(rows: list[f.Row], resource: str) -> a.Summary:
    return graph_of(rows).assessments.summary(resource)


def test_a_resource_without_rows_of_its_own_is_unknown_even_when_others_have_rows() -> None:
    rows = [*dc.with_vault(), assessment(f.ACCOUNT, _key(1), NET, "Unhealthy")]
    graph = graph_of(rows)
    assert graph.assessments.summary(A).collected
    assert not graph.assessments.summary(V).collected  # the account's rows prove nothing about the vault
    texts = {r.resource: r.recommendations for r in threat_rows(graph, A)}
    assert texts == {"aoai-test": f"1 unhealthy (Medium 1): {NET}", "kv-test": "unknown (not collected)"}


def test_a_resource_the_query_answered_for_without_rows_has_none_unhealthy() -> None:
    rows = [RowBlock(dc.with_vault(), "snap", "rows")]
    graph = build(Inventory(rows, assessments_collected=frozenset({V})))
    assert recommendations_text(graph.assessments.summary(V)) == "none unhealthy (0 assessed)"
    assert recommendations_text(graph.assessments.summary(A)) == "unknown (not collected)"


def test_both_documented_spellings_of_the_assessed_id_are_read_case_insensitively() -> None:
    rows = [
        *dc.with_vault(),
        assessment(f.ACCOUNT.upper(), _key(1), NET, "Unhealthy", id_key="id"),  # REST spec spelling
        assessment(
            f.VAULT, _key(2), "Vault check", "Unhealthy", "Low", id_key="Id"
        ),  # Resource Graph samples
    ]
    graph = graph_of(rows)
    assert {r: len(v) for r, v in graph.assessments.by_resource.items()} == {A: 1, V: 1}


def test_a_row_without_an_assessed_id_is_ignored() -> None:
    row = assessment(f.ACCOUNT, _key(1), NET, "Unhealthy")
    row["properties"]["resourceDetails"] = {"Source": "Azure"}
    graph = graph_of([f.account(), row])
    assert graph.assessments.by_resource == {} and not graph.assessments.summary(A).collected


def test_missing_status_and_severity_read_as_not_set_and_unknown_severities_follow_the_known_ones() -> None:
    rows = [
        f.account(),
        assessment(f.ACCOUNT, _key(1), NET, None),
        assessment(f.ACCOUNT, _key(2), "Odd", "Unhealthy", "Critical"),
        assessment(f.ACCOUNT, _key(3), "Low one", "Unhealthy", "Low"),
    ]
    summary = build_summary(rows, A)
    assert {x.status for x in graph_of(rows).assessments.by_resource[A]} == {"not set", "Unhealthy"}
    assert summary.by_severity() == (("Low", 1), ("Critical", 1))


def test_the_cell_names_at_most_a_few_and_counts_the_rest() -> None:
    rows = [f.account(), *(assessment(f.ACCOUNT, _key(i), f"Check {i:02d}", "Unhealthy") for i in range(8))]
    text = recommendations_text(build_summary(rows, A))
    assert text.startswith("8 unhealthy (Medium 8): Check 00; ")
    assert text.endswith(f"; and {8 - NAMED} more")
    assert "Check 07" not in text


@given(
    st.lists(st.sampled_from(["Healthy", "Unhealthy", "NotApplicable", "UNHEALTHY", "", "x"]), max_size=12)
)
def test_the_count_of_unhealthy_equals_the_rows_whose_status_is_unhealthy(codes: list[str]) -> None:
    rows = [f.account(), *(assessment(f.ACCOUNT, _key(i), f"c{i}", c or None) for i, c in enumerate(codes))]
    summary = build_summary(rows, A)
    assert len(summary.unhealthy) == sum(1 for c in codes if c.lower() == "unhealthy")
    assert sum(n for _, n in summary.by_severity()) == len(summary.unhealthy)
    assert summary.collected == bool(codes)


def test_the_site_shows_names_escaped_and_never_descriptions_or_additional_data(tmp_path: Path) -> None:
    hostile = "Restrict <img src=x onerror=alert(1)> |*x*"
    text = _site(
        tmp_path, [f.account(), dc.pricing("AI"), assessment(f.ACCOUNT, _key(1), hostile, "Unhealthy")]
    )
    section = text.split("## Threat protection", 1)[1].split("\n## ", 1)[0]
    assert "<img" not in section
    (line,) = [html.unescape(ln) for ln in table_lines(section) if ln.startswith("| aoai")]
    assert line.endswith(f"| on | 1 unhealthy (Medium 1): {hostile} |")
    assert "secret" not in text
