"""The private-resolution fact per (endpoint, target) and the workload page's rows built from it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archgen.model import pedns
from archgen.model.types import dns
from archgen.publish.resolution_rows import resolution_rows
from tests import factory as f
from tests import pedns_cases as pc
from tests.conftest import findings_of, graph_of

V, S, A = f.VAULT.lower(), f.STORAGE.lower(), f.ACCOUNT.lower()


def test_zones_per_sub_resource_follow_microsofts_table() -> None:
    vault = (f"{f.VAULT.lower()}", ["vault"])
    blob2 = (f"{f.STORAGE.lower()}", ["blob_secondary", "DFS"])
    assert dns.zones_for_connections([vault]) == ("privatelink.vaultcore.azure.net",)
    assert dns.zones_for_connections([blob2]) == (
        "privatelink.blob.core.windows.net",
        "privatelink.dfs.core.windows.net",
    )
    assert dns.zones_for_connections([(f.ACCOUNT.lower(), ["account"])]) == ()


def test_the_fact_is_derived_once_per_endpoint_target_and_network() -> None:
    graph = graph_of(pc.vault_private())
    pe = pc.VAULT_PE.lower()
    first = pedns.endpoint_resolution(graph, pe, V)
    assert first is not None and first.status == "pass"
    assert pedns.endpoint_resolution(graph, pe, V) is first
    assert set(first.proofs) == {f"{pe} / privatelink.vaultcore.azure.net"}
    assert first.proofs[f"{pe} / privatelink.vaultcore.azure.net"]["ipv4"] == [pc.VAULT_IP]


def test_a_storage_endpoint_elsewhere_is_checked_for_the_workload_vnet_too() -> None:
    graph = graph_of(pc.st_fail_not_resolvable_from_workload_vnet())
    results = pedns.private_reach(graph, S)
    assert {(r.vnet, r.status) for r in results} == {
        (pc.DATA_VNET.lower(), "pass"),
        (f.VNET.lower(), "fail"),
    }


def test_workload_page_rows_name_each_target_and_outcome() -> None:
    rows = resolution_rows(graph_of(pc.vault_private()), A)
    assert {(r.target, r.endpoint, r.outcome) for r in rows} == {
        ("Account aoai-test", "pe-aoai-test", "resolves privately"),
        ("Key vault kv-test", "pe-kv-test", "resolves privately"),
    }
    rows = resolution_rows(graph_of(pc.st_fail_public_no_private_endpoint()), A)
    assert ("Storage account sttest", "none approved", "not private") in {
        (r.target, r.endpoint, r.outcome) for r in rows
    }


def _set_group(rows: list[f.Row], group: str) -> None:
    pe = next(r for r in rows if r["id"] == pc.STORAGE_PE)
    pe["properties"]["privateLinkServiceConnections"][0]["properties"]["groupIds"] = [group]


def test_unknown_sub_resource_is_never_proven() -> None:
    rows = pc.storage_private(group="blob")
    _set_group(rows, "sqlServer")
    _graph, findings = findings_of(rows)
    got = {(x.control, x.resource): x for x in findings}
    assert got[("ST-NET-03", S)].status.value == "unknown"
    assert "sqlserver" in got[("ST-NET-03", S)].reason


@given(group=st.text(min_size=1, max_size=12))
def test_any_group_id_yields_a_verdict_and_passes_only_for_a_known_zone(group: str) -> None:
    rows = pc.storage_private(group="blob")
    _set_group(rows, group)
    _graph, findings = findings_of(rows)
    status = {(x.control, x.resource): x.status.value for x in findings}[("ST-NET-03", S)]
    known_blob = group.lower() in ("blob", "blob_secondary")
    assert status in {"pass", "fail", "unknown"}
    assert (status == "pass") == known_blob
