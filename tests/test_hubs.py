"""Hub-based Foundry: a hub's connection to the account becomes `hub_connects_to`, FDY-NET-02 judges the hub's
managed network, and the workload page lists the hub with every Azure value escaped."""

from __future__ import annotations

import html
from pathlib import Path

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.model.ids import norm_id
from archgen.model.relations import Relation
from archgen.model.types import mlhub
from archgen.publish.hub_rows import HubRow, hub_rows
from tests import factory as f
from tests import hub_cases as hc
from tests.conftest import findings_of, graph_of
from tests.pagerows import table_lines
from tests.test_content_filters import _site

A = norm_id(f.ACCOUNT)
H = norm_id(hc.HUB)
HOSTILE = "<img src=x onerror=alert(9)>|*x*"


def _links(rows: list[f.Row]) -> set[tuple[str, str, str]]:
    graph = graph_of(rows)
    return {
        (e.source, e.target, str(e.attributes.get("connection")))
        for e in graph.edges
        if e.relation is Relation.HUB_CONNECTS_TO
    }


def test_a_connection_names_the_account_by_resource_id_or_by_its_endpoint_host() -> None:
    by_id = [
        f.account(),
        hc.hub(),
        hc.hub_connection("by-id", target="https://elsewhere.example", resource_id=f.ACCOUNT),
    ]
    by_host = [
        f.account(),
        hc.hub(),
        hc.hub_connection("by-host", target="aoai-test.cognitiveservices.azure.com"),
    ]
    hub = norm_id(hc.HUB)
    assert _links(by_id) == {(hub, A, "by-id")}
    assert _links(by_host) == {(hub, A, "by-host")}


def test_a_connection_to_another_host_or_account_links_nothing() -> None:
    other = f.rid("Microsoft.CognitiveServices", "accounts", "aoai-other")
    rows = [
        f.account(),
        hc.hub(),
        hc.hub_connection("other-id", target="https://x.example", resource_id=other),
        hc.hub_connection("other-host", target="https://aoai-test.openai.azure.com.evil.example/"),
    ]
    assert _links(rows) == set()


def test_the_hub_joins_the_account_workload_and_a_project_brings_its_hub() -> None:
    graph = graph_of(hc.hub_fail_project_of_an_internet_outbound_hub())
    (workload,) = graph.workloads
    assert {norm_id(hc.HUB), norm_id(hc.HUB_PROJECT)} <= set(workload.members)


def test_the_model_keeps_no_connection_credentials() -> None:
    conn = hc.hub_connection(auth="ApiKey")
    conn["properties"]["credentials"] = {"key": hc.SECRET}
    graph = graph_of([f.account(), hc.hub(), conn])
    hub = graph.nodes[norm_id(hc.HUB)].attrs
    assert isinstance(hub, mlhub.Hub)
    assert {c.auth_type for c in hub.connections} == {"ApiKey"}
    assert hc.SECRET not in repr(hub) and hc.SECRET not in repr(msgspec.to_builtins(hub))


def test_fail_names_the_hub_and_shows_public_access_as_azure_returned_it() -> None:
    _graph, findings = findings_of(hc.hub_fail_internet_outbound())
    (finding,) = [x for x in findings if x.control == "FDY-NET-02"]
    assert finding.resource == H
    assert "Hub 'hub-test'" in finding.reason and "AllowInternetOutbound" in finding.reason
    assert finding.evidence == {
        "connections to": "aoai-test",
        "properties.managedNetwork.isolationMode": "AllowInternetOutbound",
        "properties.publicNetworkAccess": "Enabled",
    }


def test_only_workspaces_are_judged_not_accounts_without_a_hub() -> None:
    _graph, findings = findings_of([f.account()])
    assert not [x for x in findings if x.control == "FDY-NET-02"]


MODES = st.sampled_from(
    ["AllowOnlyApprovedOutbound", "allowinternetoutbound", " Disabled ", "ALLOWONLYAPPROVEDOUTBOUND"]
)


@settings(max_examples=60, deadline=None)
@given(mode=st.one_of(st.none(), MODES, st.text(max_size=30)), public=st.text(max_size=12))
def test_any_isolation_mode_gives_a_verdict_pass_only_for_approved_outbound(
    mode: str | None, public: str
) -> None:
    rows = [f.account(), hc.hub(mode, public=public), hc.hub_connection(resource_id=f.ACCOUNT)]
    _graph, findings = findings_of(rows)
    (finding,) = [x for x in findings if x.control == "FDY-NET-02" and x.resource == H]
    low = (mode or "").strip().lower()
    expected = {
        "allowonlyapprovedoutbound": "pass",
        "allowinternetoutbound": "fail",
        "disabled": "fail",
    }.get(low, "unknown")
    assert finding.status.value == expected, finding.reason


def test_hub_rows_show_mode_public_access_and_connection() -> None:
    graph = graph_of([*hc.hub_fail_project_of_an_internet_outbound_hub(), hc.hub_connection("direct")])
    assert set(hub_rows(graph, A)) == {
        HubRow("hub-test", "Hub", "AllowInternetOutbound", "disabled", "direct"),
        HubRow("proj-test", "Project", "AllowInternetOutbound (hub hub-test)", "disabled", "aoai-test"),
    }


def test_the_page_lists_the_hub_and_escapes_its_name(tmp_path: Path) -> None:
    hostile_hub = hc.hub("AllowInternetOutbound", name=HOSTILE)
    text = _site(tmp_path, [f.account(), hostile_hub, hc.hub_connection(HOSTILE.replace("|", ""))])
    section = text.split("## Foundry projects and connections", 1)[1].split("\n## ", 1)[0]
    assert "<img" not in section
    rows = [html.unescape(ln) for ln in table_lines(section) if "AllowInternetOutbound |" in ln]
    assert len(rows) == 1 and "Hub" in rows[0]
