"""The workload page's "Foundry projects and connections" and "Data sources" tables: one row per connection
and per reached resource, every Azure value escaped, and connection facts from the model only."""

from __future__ import annotations

import html
from pathlib import Path

from archgen.model.ids import norm_id
from archgen.publish.foundry_rows import data_source_rows, foundry_view
from tests import factory as f
from tests import foundry_cases as fdy
from tests.conftest import findings_of
from tests.pagerows import table_lines
from tests.test_content_filters import _site

HOSTILE = "<img src=x onerror=alert(9)>|*x*"


def test_tables_list_connections_and_data_sources_and_escape_azure_text(tmp_path: Path) -> None:
    rows = fdy.iam_fail_api_key_connection_despite_local_auth_off()
    rows.append(fdy.capability_host())
    rows.append(fdy.connection("hostile", "ApiKey", f"https://{HOSTILE}.example", category=HOSTILE))
    text = _site(tmp_path, rows)
    foundry = text.split("## Foundry projects and connections", 1)[1].split("\n## ", 1)[0]
    sources = text.split("## Data sources", 1)[1].split("\n## ", 1)[0]
    assert "<img" not in foundry and "<img" not in sources
    lines = {u for ln in table_lines(foundry) if (u := html.unescape(ln)).startswith("| proj-agents |")}
    assert any(
        "| srch-kb | CognitiveSearch |" in ln and "| ApiKey | srch-test | vector stores |" in ln
        for ln in lines
    )
    assert any(
        "| cosmos-threads | CosmosDb |" in ln and "| AAD | cosmos-test | agent threads |" in ln
        for ln in lines
    )
    assert any("| hostile |" in ln and "| not in the input | none |" in ln for ln in lines)
    shown = [html.unescape(ln) for ln in table_lines(sources) if ln.startswith("| ")][1:]
    assert {ln.split(" | ")[0].lstrip("| ") for ln in shown} == {"cosmos-test", "srch-test"}


def test_views_come_from_the_model() -> None:
    rows = [*fdy.cosmos_fail_open(), f.search_service(None)]
    graph, findings = findings_of(rows)
    view = foundry_view(graph, norm_id(f.ACCOUNT))
    assert view is not None and view.collected
    assert {(c.connection, c.auth_type, c.reaches) for c in view.connections} == {
        ("cosmos-threads", "AAD", "cosmos-test"),
        ("srch-kb", "ApiKey", "srch-test"),
    }
    sources = {r.resource: r for r in data_source_rows(graph, norm_id(f.ACCOUNT), findings)}
    assert (
        sources["cosmos-test"].public_access == "enabled" and sources["cosmos-test"].local_auth == "enabled"
    )
    assert "COSMOS-NET-01 fail" in sources["cosmos-test"].controls
    assert foundry_view(graph, norm_id(f.ACCOUNT) + "-absent") is None


def test_a_connection_target_that_is_not_a_url_reaches_nothing_and_raises_nothing() -> None:
    """`http://[x` makes urlsplit raise; the target's host is read with the gateways' `host_of`, which does not."""
    rows = [fdy.foundry_account(), fdy.project(), fdy.connection("broken", "ApiKey", "http://[x")]
    graph, findings = findings_of(rows)
    assert not [e for e in graph.edges if e.relation.value == "connects_to"]
    assert {x.status.value for x in findings if x.control == "FDY-IAM-01"} == {"fail"}
