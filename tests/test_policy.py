"""Azure Policy coverage (issue 11 §3): the facts derived once in the model, bad input, the site."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from archgen.model.ids import norm_id
from archgen.model.types import policy as p
from tests import factory as f
from tests import policy_cases as pc
from tests.conftest import findings_of, graph_of
from tests.pagerows import table_lines
from tests.test_content_filters import _site

A = norm_id(f.ACCOUNT)
G = pc.RESTRICT_NETWORK


def test_a_management_group_assignment_applies_through_the_subscriptions_ancestor_chain() -> None:
    mg = "/providers/Microsoft.Management/managementGroups/mg-Corp"
    sub_row = f.row(
        f"/subscriptions/{f.SUB}",
        "microsoft.resources/subscriptions",
        {"managementGroupAncestorsChain": [{"name": "mg-Corp", "displayName": "Corp"}]},
        name="Contoso AI",
    )
    rows = [
        f.account(),
        sub_row,
        pc.assignment("deny", pc.BUILTIN + G, scope=mg, effect="Deny"),
        pc.definition(G),
    ]
    graph = graph_of(rows)
    (c,) = graph.policy.coverage(A, G)
    assert (c.state, c.scope, c.effect) == (p.ENFORCED, norm_id(mg), "Deny")


def test_an_exemption_of_another_initiative_member_does_not_exempt_this_one() -> None:
    a = pc.assignment("ai-guardrails", pc.INITIATIVE, aiNetworkEffect="Deny")
    ex = pc.exemption(a)
    ex["properties"]["policyDefinitionReferenceIds"] = ["someOtherPolicy"]
    graph = graph_of([f.account(), a, pc.initiative(), pc.definition(G), ex])
    assert [c.state for c in graph.policy.coverage(A, G)] == [p.ENFORCED]
    ex["properties"]["policyDefinitionReferenceIds"] = ["restrictNetwork"]
    graph = graph_of([f.account(), a, pc.initiative(), pc.definition(G), ex])
    (c,) = graph.policy.coverage(A, G)
    assert c.state == p.EXEMPT and c.via == "AI guardrails" and c.exemption is not None
    assert c.exemption.expires_on == "2026-12-31T23:59:59Z"


def test_the_strongest_assignment_wins_and_reasons_name_each_policy() -> None:
    rows = [*pc.net10_fail_audit_by_default(), pc.assignment("deny-ai-public", pc.BUILTIN + G, effect="Deny")]
    graph, findings = findings_of(rows)
    assert [c.state for c in graph.policy.coverage(A, G)] == [p.ENFORCED, p.AUDITED]
    x = next(x for x in findings if x.control == "AOAI-NET-10")
    assert x.status.value == "pass"
    assert "Azure AI Services resources should use Azure Private Link (AOAI-NET-02): not assigned" in x.reason


def test_compliance_state_is_attached_to_its_assignment_and_definition_only() -> None:
    a = pc.assignment("deny-ai-public", pc.BUILTIN + G, effect="Deny")
    other = pc.assignment("audit-ai-public", pc.BUILTIN + G)
    rows = [f.account(), a, other, pc.definition(G), pc.policy_state(a, G, "Compliant")]
    graph = graph_of(rows)
    got = {(c.assignment, c.compliance) for c in graph.policy.coverage(A, G)}
    assert got == {("deny-ai-public", "Compliant"), ("audit-ai-public", None)}


ASSIGNMENT_PROPS = st.dictionaries(
    st.sampled_from(
        ["scope", "policyDefinitionId", "enforcementMode", "notScopes", "parameters", "displayName"]
    ),
    st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=8),
        st.sampled_from(
            [f"/subscriptions/{f.SUB}", pc.BUILTIN + G, "DoNotEnforce", "Default", pc.INITIATIVE]
        ),
        st.lists(st.one_of(st.text(max_size=8), st.just(f.RG_ID)), max_size=3),
        st.dictionaries(
            st.sampled_from(["effect", "x"]),
            st.one_of(
                st.none(), st.dictionaries(st.just("value"), st.sampled_from(["Deny", "Audit", 3, None]))
            ),
        ),
    ),
)


@given(properties=st.one_of(ASSIGNMENT_PROPS, st.none(), st.integers()))
def test_any_assignment_shape_gives_a_known_state_and_enforced_only_on_deny(properties: Any) -> None:
    row = pc.assignment("x", pc.BUILTIN + G)
    row["properties"] = properties
    graph, findings = findings_of([f.account(), row, pc.definition(G), pc.initiative()])
    states = {c.state for c in graph.policy.coverage(A, G)}
    assert states <= {p.ENFORCED, p.UNKNOWN, p.DEPLOY, p.AUDITED, p.EXEMPT, p.DISABLED}
    if p.ENFORCED in states:
        assert isinstance(properties, dict)
        assert str(properties.get("enforcementMode", "Default")).lower() != "donotenforce"
    x = next(x for x in findings if x.control == "AOAI-NET-10")
    assert x.status.value in {"pass", "fail", "unknown"}


def test_site_shows_policy_enforcement_and_the_column_beside_findings_escaped(tmp_path: Path) -> None:
    hostile = "Deny <img src=x onerror=alert(2)> |*public*"
    rows = [f.account(), pc.assignment("deny-ai-public", pc.BUILTIN + G, effect="Deny"), pc.definition(G)]
    rows[1]["properties"]["displayName"] = hostile
    text = _site(tmp_path, rows)
    section = text.split("## Policy enforcement", 1)[1].split("\n## ", 1)[0]
    assert "<img" not in section
    (line,) = [ln for ln in map(html.unescape, table_lines(section)) if "| AOAI-NET-01 |" in ln]
    assert "enforced (Deny)" in line and hostile in line and f"/subscriptions/{f.SUB}" in line
    findings = text.split("## Findings", 1)[1]
    assert "<img" not in findings
    (net01,) = [ln for ln in map(html.unescape, table_lines(findings)) if "[AOAI-NET-01]" in ln]
    assert net01.rstrip().endswith(f"enforced (Deny) ({hostile}) |")


def test_a_resource_without_collected_assignments_is_one_line_not_a_row_per_control(tmp_path: Path) -> None:
    """No assignment on the account's scope chain: one line naming its controls as unknown, no table rows."""
    text = _site(tmp_path, [f.account()])
    section = html.unescape(text.split("## Policy enforcement", 1)[1].split("\n## ", 1)[0])
    assert "| Resource | Control |" not in "\n".join(table_lines(section))
    (line,) = [ln for ln in section.splitlines() if ln.startswith("- ")]
    assert "no policy assignment on its scope chain is in the input" in line
    named = set(line.split("enforces ", 1)[1].split(" is ", 1)[0].split(", "))
    assert {"AOAI-NET-01", "AOAI-IAM-01", "AOAI-ENC-01"} <= named


def test_a_resource_with_collected_assignments_keeps_its_table_rows(tmp_path: Path) -> None:
    rows = [f.account(), pc.assignment("deny-ai-public", pc.BUILTIN + G, effect="Deny"), pc.definition(G)]
    section = html.unescape(_site(tmp_path, rows).split("## Policy enforcement", 1)[1].split("\n## ", 1)[0])
    assert "| Resource | Control |" in "\n".join(table_lines(section))
    assert not [ln for ln in section.splitlines() if ln.startswith("- ")]
