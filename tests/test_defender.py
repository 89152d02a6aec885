"""Defender for Cloud plans (issue 11 §2): the fact derived once in the model, its edge cases, the site table."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from archgen.model.ids import norm_id
from archgen.model.types import defender as d
from archgen.publish.threats import threat_rows
from tests import defender_cases as dc
from tests import factory as f
from tests.conftest import findings_of, graph_of
from tests.pagerows import table_lines
from tests.test_content_filters import _site

A, V, S = norm_id(f.ACCOUNT), norm_id(f.VAULT), norm_id(f.STORAGE)


def test_the_model_keeps_one_plan_per_subscription_and_name_case_insensitively() -> None:
    graph = graph_of([f.account(), dc.pricing("ai"), dc.pricing("AI", "Free"), dc.pricing("KeyVaults")])
    assert set(graph.defender_plans) == {(f.SUB, "ai"), (f.SUB, "keyvaults")}
    assert graph.defender_plans[(f.SUB, "ai")].name == "AI"  # spelled as the plan enum spells it


def test_resource_level_pricings_are_not_read_as_the_subscriptions_plan() -> None:
    vm_pricing = dc.pricing("AI", "Free")
    vm_pricing["id"] = (
        f"{f.rid('Microsoft.Compute', 'virtualMachines', 'vm1')}/providers/Microsoft.Security/pricings/AI"
    )
    graph = graph_of([f.account(), vm_pricing])
    assert graph.defender_plans == {}


def test_every_workload_member_a_plan_watches_gets_one_row_and_the_same_fact_as_its_control() -> None:
    rows = [*dc.with_vault(), dc.pricing("AI"), dc.pricing("KeyVaults", "Free")]
    graph, findings = findings_of(rows)
    got = {(r.resource, r.plan, r.state) for r in threat_rows(graph, A)}
    assert got == {
        ("aoai-test", "Defender for AI Services (AI)", "on"),
        ("kv-test", "Defender for Key Vault (KeyVaults)", "off"),
    }
    verdicts = {(x.control, x.resource): x.status.value for x in findings if x.control.endswith(("LOG-02",))}
    assert verdicts == {("AOAI-LOG-02", A): "pass", ("KV-LOG-02", V): "fail"}


def test_a_failing_reason_names_the_plan_tier_and_subscription() -> None:
    _g, findings = findings_of(dc.ai_fail_plan_free())
    x = next(x for x in findings if x.control == "AOAI-LOG-02")
    assert x.reason == f"Account 'aoai-test': Defender for AI Services is Free on subscription {f.SUB}."
    assert (
        x.evidence[
            f"securityresources[/subscriptions/{f.SUB}/providers/microsoft.security/pricings/ai].properties.pricingTier"
        ]
        == "Free"
    )


PROPS = st.dictionaries(
    st.sampled_from(["pricingTier", "subPlan", "resourcesCoverageStatus", "extensions", "enforce"]),
    st.one_of(
        st.none(),
        st.integers(),
        st.sampled_from(
            ["Standard", "standard", "Free", "FullyCovered", "PartiallyCovered", "NotCovered", ""]
        ),
        st.lists(
            st.dictionaries(st.sampled_from(["name", "isEnabled"]), st.one_of(st.none(), st.text(max_size=5)))
        ),
    ),
)


@given(
    properties=st.one_of(PROPS, st.none(), st.integers()),
    plan=st.sampled_from(["AI", "StorageAccounts", "x"]),
)
def test_any_pricing_shape_gives_a_known_state_and_passes_only_on_standard(
    properties: Any, plan: str
) -> None:
    row = dc.pricing(plan)
    row["properties"] = properties
    storage_acls = {
        "defaultAction": "Deny",
        "resourceAccessRules": [{"tenantId": f.TENANT, "resourceId": f.ACCOUNT}],
    }
    graph, findings = findings_of([f.account(), f.storage(networkAcls=storage_acls), row])
    for node_id, control in ((A, "AOAI-LOG-02"), (S, "ST-LOG-01")):
        node = graph.nodes[node_id]
        p = d.protection(graph.defender_plans, node.type, node.subscription_id)
        assert p is not None and p.state in {d.ON, d.OFF, d.PARTIAL, d.NOT_COLLECTED}
        x = next(x for x in findings if (x.control, x.resource) == (control, node_id))
        if x.status.value == "pass":
            assert isinstance(properties, dict) and str(properties.get("pricingTier")).lower() == "standard"


def test_site_table_escapes_azure_text(tmp_path: Path) -> None:
    hostile = "Prod <img src=x onerror=alert(1)> |*x*"
    sub_row = f.row(
        f"/subscriptions/{f.SUB}", "microsoft.resources/subscriptions", {"state": "Enabled"}, name=hostile
    )
    text = _site(tmp_path, [f.account(), dc.pricing("AI", subPlan="<b>P9</b>"), sub_row])
    section = text.split("## Threat protection", 1)[1].split("\n## ", 1)[0]
    assert "<img" not in section and "<b>" not in section
    (line,) = [html.unescape(ln) for ln in table_lines(section) if ln.startswith("| aoai")]
    assert hostile in line and "<b>P9</b>" in line and line.endswith("| on | unknown (not collected) |")
