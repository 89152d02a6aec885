"""A relaxed content filter policy read live (real SDK, loopback ARM) fails AOAI-DATA-04; a blocking-off
jailbreak filter fails AOAI-DATA-05; the strict policy of the same account passes both."""

from __future__ import annotations

from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.builder import build
from archgen.model.ids import norm_id
from tests import filter_cases as fc
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options


def _live_findings(arm_server: Any, certificates: Certificates, policy: dict[str, Any]) -> dict[str, Any]:
    tenant, info = T.regulated()
    acct = info["w1"]["account"]
    policy = {**policy, "id": f"{acct}/raiPolicies/{policy['name']}"}
    tenant.children[f"{acct.lower()}/raipolicies"] = [policy]
    tenant.deployments[acct.lower()][0]["properties"]["raiPolicyName"] = policy["name"]
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert f"{acct.lower()}/raipolicies" in {e.query for e in server.log if e.kind == "children"}
    findings = evaluate(build(snapshot.to_inventory(snap, "live")))
    return {f.control: f for f in findings if f.resource == norm_id(acct)}


def test_relaxed_policy_read_live_fails_the_threshold_control(
    arm_server: Any, certificates: Certificates
) -> None:
    relaxed = fc.policy("relaxed-live", threshold={("Violence", "Completion"): "High"})
    found = _live_findings(arm_server, certificates, relaxed)
    assert found["AOAI-DATA-04"].status.value == "fail"
    assert "violence on completions blocks only at threshold High" in found["AOAI-DATA-04"].reason
    assert found["AOAI-DATA-05"].status.value != "fail"
    assert found["AOAI-DATA-03"].status.value != "fail", "a relaxed filter is still on"


def test_jailbreak_annotate_only_read_live_fails_prompt_shields(
    arm_server: Any, certificates: Certificates
) -> None:
    noshield = fc.policy("noshield-live", jailbreak={"enabled": True, "blocking": False})
    found = _live_findings(arm_server, certificates, noshield)
    assert found["AOAI-DATA-05"].status.value == "fail" and "annotate only" in found["AOAI-DATA-05"].reason


def test_custom_blocklists_read_live_reach_the_content_filters_table(
    arm_server: Any, certificates: Certificates
) -> None:
    from archgen.publish.filters import content_filter_rows

    tenant, info = T.regulated()
    acct = info["w1"]["account"]
    policy = fc.with_blocklists(
        fc.policy("listed-live"), {"blocklistName": "claims-terms", "blocking": True, "source": "Prompt"}
    )
    policy["id"] = f"{acct}/raiPolicies/listed-live"
    tenant.children[f"{acct.lower()}/raipolicies"] = [policy]
    tenant.deployments[acct.lower()][0]["properties"]["raiPolicyName"] = "listed-live"
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    graph = build(snapshot.to_inventory(snap, "live"))
    rows = content_filter_rows(graph, norm_id(acct)) or ()
    assert {r.blocklists for r in rows if r.policy.startswith("listed-live")} == {
        "claims-terms (prompt, blocking)"
    }
