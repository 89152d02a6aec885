"""Partial results are not silent successes (issue 13, item 11).

A query that fails or is cut short after the seed is recorded in the snapshot's `incomplete` list with
the coverage it leaves out; the graph carries it; the passes it could overturn become `unknown`; the
site shows a banner on the home page and on every affected workload page; the CLI prints the summary
line in red and exits 6 unless `--allow-partial`.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.controls.engine import evaluate
from archgen.controls.findings import Status
from archgen.discovery import files, live, snapshot
from archgen.model.builder import build
from archgen.model.graph import Graph
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options
from tests.test_live_cli import run_cli
from tests.test_publish_site import mkdocs_build

BANNER = "Discovery was incomplete"


def graph_of(snap: snapshot.Snapshot) -> Graph:
    return build(snapshot.to_inventory(snap, "live"))


def w1_run(server: Any, certificates: Certificates, **kwargs: Any) -> snapshot.Snapshot:
    _, info = T.regulated()
    return live.discover(
        live.Scope(subscriptions=(info["w1"]["sub"],)), options(server, certificates, **kwargs)
    )


@pytest.mark.parametrize(
    ("flag", "error"),
    [(True, "resultTruncated: true"), (False, "rows < totalRecords")],
)
def test_truncated_lookup_page_makes_the_run_incomplete(
    arm_server: Any, certificates: Certificates, flag: bool, error: str
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.start_after = 1  # the seed is answered whole
    server.faults.truncate_next = 1
    server.faults.truncate_flag = flag
    snap = w1_run(server, certificates)
    assert [(g["kind"], g["query"]) for g in snap.incomplete] == [("lookup", "resources_by_id")]
    assert error in snap.incomplete[0]["error"] and "referenced resources" in snap.incomplete[0]["coverage"]
    assert {w["code"] for w in snap.warnings} >= {"result_truncated"}


def test_failed_lookup_turns_the_workloads_passes_into_unknown(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, _ = T.regulated()
    complete = graph_of(w1_run(arm_server(tenant), certificates))
    passed = {(f.control, f.resource) for f in evaluate(complete) if f.status is Status.PASS}
    assert passed, "the workload has passing controls when discovery is complete"

    server = arm_server(tenant)
    server.faults.start_after = 1
    server.faults.reset_next = 10_000  # every lookup's connection is reset
    snap = w1_run(server, certificates)
    assert {g["kind"] for g in snap.incomplete} == {"lookup"}
    assert all(g["keys"] for g in snap.incomplete)
    graph = graph_of(snap)
    (workload,) = graph.workloads
    assert graph.gaps_for(workload.id) == graph.incomplete
    findings = evaluate(graph)
    assert not [f for f in findings if f.status is Status.PASS]
    assert {(f.control, f.resource) for f in findings} & passed, "the account's controls are still there"
    fails = [f for f in findings if f.status is Status.FAIL]
    assert fails and all("may rest on missing evidence" in f.reason for f in fails)
    assert any(
        "Discovery was incomplete" in f.reason
        for f in findings
        if f.status is Status.UNKNOWN and (f.control, f.resource) in passed
    )


def test_failed_seed_batch_is_recorded_without_blaming_a_workload(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.faults.start_after = 1  # the first subscription's seed is answered
    server.faults.reset_next = 4  # the second one's four attempts are reset
    scope = live.Scope(subscriptions=tuple(sorted({info["w1"]["sub"], info["w2"]["sub"]})))
    snap = live.discover(scope, options(server, certificates, subscription_batch=1))
    (seed_gap,) = snap.incomplete
    assert seed_gap["kind"] == "seed" and seed_gap["keys"] == [max(info["w1"]["sub"], info["w2"]["sub"])]
    graph = graph_of(snap)
    assert len(graph.incomplete) == 1 and all(not graph.gaps_for(w.id) for w in graph.workloads)


def test_failed_arm_reads_are_gaps_of_their_own_workload(arm_server: Any, certificates: Certificates) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.faults.arm_fail_all = True  # every ARM read (diagnostic settings, child lists) meets a 503
    snap = w1_run(server, certificates, retry_total=1)
    assert {(g["kind"], g["query"]) for g in snap.incomplete} == {
        ("arm", "diagnostic_settings"),
        ("arm", "deployments"),
        ("arm", "content_filter_policies"),
        ("arm", "vault_keys"),
    }
    assert {k for g in snap.incomplete for k in g["keys"]} == {
        info["w1"]["account"].lower(),
        info["w1"]["kv"].lower(),
        info["w1"]["st"].lower(),
    }
    graph = graph_of(snap)
    (workload,) = graph.workloads
    assert set(graph.gaps_for(workload.id)) == set(graph.incomplete)
    # the diagnostic-settings control; the Defender plan (AOAI-LOG-02) comes from Resource Graph, which answered
    log = [f for f in evaluate(graph) if f.control == "AOAI-LOG-01"]
    assert log and {f.status for f in log} == {Status.UNKNOWN}


def test_complete_run_records_no_gap(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    snap = w1_run(arm_server(tenant), certificates)
    assert snap.incomplete == [] and graph_of(snap).incomplete == ()


def test_replayed_partial_snapshot_stays_partial(
    arm_server: Any, certificates: Certificates, tmp_path: Path
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.start_after = 1
    server.faults.truncate_next = 1
    snap = w1_run(server, certificates)
    path = tmp_path / "partial.snapshot.json"
    path.write_text(snapshot.dumps(snap), encoding="utf-8")
    replayed = build(files.load_files([path]))
    assert replayed.incomplete == graph_of(snap).incomplete and replayed.incomplete


# -- the command line and the site ---------------------------------------------------------------


def test_cli_exits_6_and_marks_the_site_when_a_lookup_fails(
    arm_server: Any, certificates: Certificates, tmp_path: Path
) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.faults.start_after = 1
    server.faults.truncate_next = 1
    args = ["--arm-endpoint", server.url, "-s", info["w1"]["sub"], "--out", str(tmp_path / "site")]
    result = run_cli(args, tmp_path, certificates, logged_in=True)
    assert result.returncode == 6, result.stderr
    assert "INCOMPLETE:" in result.stderr and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("archgen: error: discovery was incomplete") and "--allow-partial" in last
    docs = tmp_path / "site" / "docs"
    assert BANNER in (docs / "index.md").read_text()
    pages = list((docs / "workloads").glob("*.md"))
    assert pages and all(BANNER in p.read_text() for p in pages)
    built = mkdocs_build(tmp_path / "site")  # the banner is valid Markdown: --strict builds it
    home = html.unescape((built / "index.html").read_text())
    assert 'class="admonition danger"' in home and "query resources_by_id, hop 1" in home


def test_cli_allow_partial_exits_0_and_still_marks_the_site(
    arm_server: Any, certificates: Certificates, tmp_path: Path
) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    server.faults.start_after = 1
    server.faults.truncate_next = 1
    args = ["--arm-endpoint", server.url, "-s", info["w1"]["sub"], "--out", str(tmp_path / "site")]
    result = run_cli([*args, "--allow-partial"], tmp_path, certificates, logged_in=True)
    assert result.returncode == 0, result.stderr
    assert "INCOMPLETE:" in result.stderr and "archgen: error" not in result.stderr
    assert BANNER in (tmp_path / "site" / "docs" / "index.md").read_text()


def test_cli_complete_run_shows_no_banner(
    arm_server: Any, certificates: Certificates, tmp_path: Path
) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    args = ["--arm-endpoint", server.url, "-s", info["w1"]["sub"], "--out", str(tmp_path / "site")]
    result = run_cli(args, tmp_path, certificates, logged_in=True)
    assert result.returncode == 0, result.stderr
    assert "INCOMPLETE" not in result.stderr
    assert BANNER not in (tmp_path / "site" / "docs" / "index.md").read_text()


@pytest.mark.parametrize(
    ("option", "retry_after", "message"),
    [
        (["--timeout", "2"], "30", "did not finish within 2 s (--timeout)"),
        (["--max-wait", "10"], "30", "asked to wait 30 s, longer than the longest wait allowed (10 s"),
    ],
)
def test_cli_bounded_wait_exits_5_with_the_reason(
    arm_server: Any,
    certificates: Certificates,
    tmp_path: Path,
    option: list[str],
    retry_after: str,
    message: str,
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.retry_after_next = 1
    server.faults.retry_after = retry_after
    args = ["--arm-endpoint", server.url, "--no-site", "--json", str(tmp_path / "g.json"), *option]
    result = run_cli(args, tmp_path, certificates, logged_in=True)
    assert result.returncode == 5, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("archgen: error: ") and message in line


# -- a replayed snapshot's `incomplete` list is untrusted input ----------------------------------

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
ENTRY = st.dictionaries(
    st.sampled_from(["kind", "query", "hop", "error", "coverage", "keys", "other"]), JSON, max_size=7
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(ENTRY, max_size=4))
def test_any_incomplete_list_replays_as_gaps_without_crashing(tmp_path: Path, entries: list[Any]) -> None:
    path = tmp_path / "hostile.snapshot.json"
    account = {
        "id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/oai",
        "type": "Microsoft.CognitiveServices/accounts",
        "kind": "OpenAI",
        "name": "oai",
    }
    doc = {"schema": snapshot.SNAPSHOT_SCHEMA, "rows": [account], "incomplete": entries}
    path.write_text(json.dumps(doc), encoding="utf-8")
    graph = build(files.load_files([path]))
    assert len(graph.incomplete) <= len(entries)
    assert bool(graph.incomplete) == bool(entries), "a partial snapshot never replays as a complete one"
    assert {g.kind for g in graph.incomplete} <= {"seed", "lookup", "arm"}


def test_arm_read_refused_an_hour_wait_is_a_gap_not_a_hang(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.arm_retry_after = "3600"  # every ARM read answers 429 Retry-After: 3600
    start = time.monotonic()
    snap = w1_run(server, certificates)
    assert time.monotonic() - start < 10
    assert {g["kind"] for g in snap.incomplete} == {"arm"}
    assert all("asked to wait 3600 s" in g["error"] for g in snap.incomplete)
