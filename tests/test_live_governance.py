"""Defender for Cloud plans and Azure Policy, discovered through the real SDK against the loopback server: one
`securityresources` / `policyresources` query per batch of keys; the rows reach the model and the controls."""

from __future__ import annotations

from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.builder import build
from archgen.model.ids import norm_id
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options

QUERY = "defender_plans_by_subscription"


def test_plans_of_the_workload_subscriptions_are_read_in_one_query_and_judged(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()  # AI plan Standard on "Contoso AI Prod", Free on "Contoso AI Dev"
    server = arm_server(tenant)
    subs = (info["w1"]["sub"], info["w2"]["sub"])
    snap = live.discover(live.Scope(subscriptions=subs), options(server, certificates))
    (query,) = [q for q in snap.queries if q.name == QUERY]
    assert query.table == "securityresources"
    assert all(s in query.text for s in subs)
    assert T.sub_id(1) not in query.text  # the connectivity subscription holds no account, vault or storage
    shapes = [e.shape for e in server.arg_requests() if e.shape and e.shape[0] == "securityresources"]
    # the plans in one request; the recommendations (test_live_assessments) have their own query shape
    assert [s for s in shapes if "assessed_resource" not in s] == [
        ["securityresources", "type", "subscription", "name"]
    ]
    graph = build(snapshot.to_inventory(snap, "live"))
    assert {(s, p) for s, p in graph.defender_plans} == {
        (sub, plan) for sub in subs for plan in ("ai", "keyvaults", "storageaccounts")
    }
    got = {
        (x.control, x.resource): x.status.value
        for x in evaluate(graph)
        if x.control in {"AOAI-LOG-02", "KV-LOG-02", "ST-LOG-01"}
    }
    w1, w2 = info["w1"], info["w2"]
    assert got == {
        ("AOAI-LOG-02", norm_id(w1["account"])): "pass",
        ("AOAI-LOG-02", norm_id(w2["account"])): "fail",
        ("KV-LOG-02", norm_id(w1["kv"])): "pass",
        ("KV-LOG-02", norm_id(w2["kv"])): "pass",
        ("ST-LOG-01", norm_id(w1["st"])): "pass",
        ("ST-LOG-01", norm_id(w2["st"])): "pass",
    }


def test_plans_of_many_subscriptions_go_in_few_batches_each_subscription_once(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.generate(accounts=120, resources=600, subscriptions=121, diagnostics=False)
    server = arm_server(tenant)
    subs = tuple(info["subscriptions"][1:])
    snap = live.discover(live.Scope(subscriptions=subs), options(server, certificates, diagnostics=False))
    queries = [q for q in snap.queries if q.name == QUERY]
    named = [s for q in queries for s in subs if s in q.text]
    assert sorted(named) == sorted(subs)  # every workload subscription, in exactly one query
    # batches are as large as the query budget allows: 120 subscription ids fit in two queries
    assert len(queries) <= 2
    requests = [
        e
        for e in server.arg_requests()
        if e.shape and e.shape[0] == "securityresources" and "subscription" in e.shape
    ]
    assert len(requests) == len(queries)  # one request per batch (one page each), never one per subscription
    graph = build(snapshot.to_inventory(snap, "live"))
    statuses = {x.status.value for x in evaluate(graph) if x.control == "AOAI-LOG-02"}
    assert statuses == {"pass"}


def test_a_failed_plans_query_leaves_the_plans_unknown(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.invalid_query_marker = "microsoft.security/pricings"
    snap = live.discover(live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates))
    assert QUERY in {g["query"] for g in snap.incomplete}
    graph = build(snapshot.to_inventory(snap, "live"))
    finding = next(
        x
        for x in evaluate(graph)
        if x.control == "AOAI-LOG-02" and x.resource == norm_id(info["w1"]["account"])
    )
    assert finding.status.value == "unknown"
    assert "not collected" in finding.reason


def test_policy_assignments_definitions_and_exemptions_are_read_in_batches_and_judged(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()  # prod: Deny at the subscription; dev: an Audit at its management group
    w1, w2 = info["w1"], info["w2"]
    for container in tenant.resourcecontainers:
        if container["subscriptionId"] == w2["sub"]:
            container["properties"]["managementGroupAncestorsChain"] = [
                {"name": "mg-Dev", "displayName": "Dev"}
            ]
    mg = "/providers/Microsoft.Management/managementGroups/mg-Dev"
    audit = T.policy_assignment(mg, "audit-ai-network", T.BUILTIN_POLICY + T.RESTRICT_NETWORK)
    tenant.policyresources.append(audit)
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(w1["sub"], w2["sub"])), options(server, certificates))
    by_name: dict[str, list[Any]] = {}
    for q in snap.queries:
        by_name.setdefault(q.name, []).append(q)
    # the scope chains of both workloads' resources in one query, the management group one hop later
    assert len(by_name["policy_assignments_by_scope"]) == 2
    assert "mg-dev" in by_name["policy_assignments_by_scope"][1].text
    assert len(by_name["policy_definitions_by_id"]) == 1  # the one built-in both assignments name, read once
    assert len(by_name["policy_exemptions_by_assignment"]) == 2  # per hop that found assignments
    assert {q.table for n, qs in by_name.items() if n.startswith("policy_") for q in qs} == {
        "policyresources"
    }
    # compliance states: each workload resource's id in exactly one query, one query per hop that found some
    states = by_name["policy_states_by_resource"]
    ids = [w[k].lower() for w in (w1, w2) for k in ("account", "kv", "st")]
    assert sorted(i for q in states for i in ids if i in q.text) == sorted(ids)
    assert len(states) <= 2
    graph = build(snapshot.to_inventory(snap, "live"))
    got = {x.resource: x.status.value for x in evaluate(graph) if x.control == "AOAI-NET-10"}
    assert got == {norm_id(w1["account"]): "pass", norm_id(w2["account"]): "fail"}
    (deny,) = graph.policy.coverage(norm_id(w1["account"]), T.RESTRICT_NETWORK)
    assert (deny.state, deny.compliance) == ("enforced (Deny)", "Compliant")
