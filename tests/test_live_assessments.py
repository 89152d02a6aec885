"""Defender for Cloud recommendations (`microsoft.security/assessments`) discovered through the real SDK against
the loopback server: one `securityresources` query per batch of workload resource ids; each resource counts as
collected only when the query that covered it answered."""

from __future__ import annotations

from typing import Any

from archgen.discovery import live, snapshot
from archgen.model.builder import build
from archgen.model.ids import norm_id
from archgen.publish.threats import threat_rows
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options

QUERY = "assessments_by_resource"
NET_KEY = "f738efb8-005f-680d-3d43-b3db762d6243"  # Azure AI Services resources should restrict network access
KV_NAME = "Azure Key Vault should have firewall enabled or public network access disabled"
# No Microsoft page found gives this recommendation's assessment key: the key below is a test-only value (the
# embedded samples carry only recommendations whose keys Microsoft documents).


def _name(resource_id: str) -> str:
    return resource_id.rsplit("/", 1)[1]


def _regulated_with_assessments() -> tuple[Any, dict[str, Any]]:
    tenant, info = T.regulated()
    w1, w2 = info["w1"], info["w2"]
    tenant.securityresources += [
        T.assessment(
            w1["account"], NET_KEY, "Azure AI Services resources should restrict network access", "Healthy"
        ),
        T.assessment(
            w1["kv"], "0b6a3f1e-5d2c-4e7a-9b8f-3c1d2e4f5a6b", KV_NAME, "Unhealthy", "Medium", id_key="id"
        ),
        T.assessment(
            w2["account"], NET_KEY, "Azure AI Services resources should restrict network access", "Unhealthy"
        ),
    ]
    return tenant, info


def test_assessments_of_the_workload_resources_are_read_in_one_query_and_counted(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = _regulated_with_assessments()
    server = arm_server(tenant)
    w1, w2 = info["w1"], info["w2"]
    snap = live.discover(live.Scope(subscriptions=(w1["sub"], w2["sub"])), options(server, certificates))
    queries = [q for q in snap.queries if q.name == QUERY]
    assert {q.table for q in queries} == {"securityresources"}
    ids = [w[k].lower() for w in (w1, w2) for k in ("account", "kv", "st")]
    assert sorted(i for q in queries for i in ids if i in q.text) == sorted(
        ids
    )  # each id in exactly one query
    assert len(queries) <= 2  # one per hop that found workload resources, never one per resource
    shapes = [e.shape for e in server.arg_requests() if e.shape and "assessed_resource" in e.shape]
    assert len(shapes) == len(queries)
    assert set(snap.assessments_collected or ()) == set(ids)
    graph = build(snapshot.to_inventory(snap, "live"))
    got = {r.resource: r.recommendations for w in graph.workloads for r in threat_rows(graph, w.id)}
    assert got == {
        _name(w1["account"]): "none unhealthy (1 assessed)",
        _name(w1["kv"]): f"1 unhealthy (Medium 1): {KV_NAME}",
        _name(w1["st"]): "none unhealthy (0 assessed)",
        _name(
            w2["account"]
        ): "1 unhealthy (Medium 1): Azure AI Services resources should restrict network access",
        _name(w2["kv"]): "none unhealthy (0 assessed)",
        _name(w2["st"]): "none unhealthy (0 assessed)",
    }
    text = " ".join(got.values())
    assert "must not be shown" not in text


def test_a_failed_assessments_query_leaves_the_recommendations_unknown(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = _regulated_with_assessments()
    server = arm_server(tenant)
    server.invalid_query_marker = "microsoft.security/assessments"
    w1 = info["w1"]
    snap = live.discover(live.Scope(subscriptions=(w1["sub"],)), options(server, certificates))
    assert QUERY in {g["query"] for g in snap.incomplete}
    assert not snap.assessments_collected
    graph = build(snapshot.to_inventory(snap, "live"))
    summary = graph.assessments.summary(norm_id(w1["account"]))
    assert not summary.collected
    rows = {r.resource: r.recommendations for w in graph.workloads for r in threat_rows(graph, w.id)}
    assert set(rows.values()) == {"unknown (not collected)"}
