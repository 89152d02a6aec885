"""Verdicts Microsoft's documentation supports: each case of the fidelity review, named by its outcome.

Every fixture is a realistic Resource Graph / ARM shape (tests/factory.py). The case table asserts the
status; the tests after it assert what the reason and evidence must name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from archgen.controls.findings import Finding
from archgen.model.builder import build
from archgen.model.ids import norm_id
from archgen.model.inventory import Inventory, RowBlock
from tests import factory as f
from tests.conftest import findings_of

Rows = list[f.Row]
A, V, S = norm_id(f.ACCOUNT), norm_id(f.VAULT), norm_id(f.STORAGE)
DNS_VNET = norm_id(f.DNS_VNET)


def _acls(**kw: object) -> dict[str, object]:
    return {"defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": [], **kw}


# -- 1. trusted-services bypass ------------------------------------------------------------------
def oai_fail_net05_trusted_services_bypass() -> Rows:
    return [f.account(publicNetworkAccess="Disabled", networkAcls=_acls(bypass="AzureServices"))]


def oai_pass_net05_bypass_none() -> Rows:
    return [f.account(publicNetworkAccess="Disabled", networkAcls=_acls(bypass="None"))]


def oai_unknown_net05_bypass_not_stated() -> Rows:
    return [f.account(publicNetworkAccess="Disabled", networkAcls=_acls())]


def oai_na_net05_open_to_every_network() -> Rows:
    return [
        f.account(
            publicNetworkAccess="Enabled", networkAcls={"defaultAction": "Allow", "bypass": "AzureServices"}
        )
    ]


# -- 2. wide IP rules -----------------------------------------------------------------------------
def oai_fail_net01_ip_rule_wider_than_24() -> Rows:
    rules = [{"value": "203.0.113.7"}, {"value": "1.0.0.0/8"}]
    return [f.account(publicNetworkAccess="Enabled", networkAcls=_acls(ipRules=rules))]


def oai_pass_net01_ip_rules_24_or_narrower() -> Rows:
    rules = [{"value": "203.0.113.0/24"}, {"value": "198.51.100.17"}]
    return [f.account(publicNetworkAccess="Enabled", networkAcls=_acls(ipRules=rules))]


# -- 3. outbound allow-list -------------------------------------------------------------------------
def oai_fail_net04_allow_list_names_a_foreign_host() -> Rows:
    rows = [
        f.account(
            identity=f.UAMI_IDENTITY,
            encryption=f.CMK,
            restrictOutboundNetworkAccess=True,
            allowedFqdnList=["kv-test.vault.azure.net", "exfil.blob.core.windows.net", "example.org"],
        ),
        f.uami(),
        f.vault(),
    ]
    return rows


# -- 4. AIServices: three zones -----------------------------------------------------------------
def _ais_rows(zones: tuple[str, ...]) -> Rows:
    acct = f.account(
        kind="AIServices", pe_status="Approved", endpoint="https://aoai-test.cognitiveservices.azure.com/"
    )
    pe = f.private_endpoint()
    pe["properties"]["customDnsConfigs"] = []  # a DNS zone group leaves customDnsConfigs empty
    pe["properties"]["ipConfigurations"] = [{"properties": {"privateIPAddress": "10.42.1.4"}}]
    rows: Rows = [acct, pe, f.vnet()]
    for n in zones:
        zid = f.rid("Microsoft.Network", "privateDnsZones", f"privatelink.{n}", sub=f.HUB_SUB, rg="rg-dns")
        rows += [f.zone(zone_id=zid), f.link(f.VNET, zone_id=zid), f.a_record(zone_id=zid)]
    return rows


def ais_pass_dns_three_zones_with_zone_group() -> Rows:
    return _ais_rows(("cognitiveservices.azure.com", "openai.azure.com", "services.ai.azure.com"))


def ais_unknown_dns_services_ai_zone_absent() -> Rows:
    return _ais_rows(("cognitiveservices.azure.com", "openai.azure.com"))


# -- 5. custom DNS on the endpoint's own VNet --------------------------------------------------
def oai_fail_dns_link_on_own_vnet_while_it_uses_a_resolver() -> Rows:
    rows = f.private_network()
    rows[2] = f.vnet(dns_servers=("10.100.4.4",), peer_to=(f.DNS_VNET,))
    rows.append(f.vnet(f.DNS_VNET, "10.100.4.0/24", (("snet-in", "10.100.4.0/28"),), (f.VNET,)))
    return rows


def oai_pass_dns_link_on_the_resolver_vnet() -> Rows:
    rows = oai_fail_dns_link_on_own_vnet_while_it_uses_a_resolver()
    rows[4] = f.link(f.DNS_VNET)
    return rows


def oai_unknown_dns_server_outside_the_input() -> Rows:
    rows = f.private_network()
    rows[2] = f.vnet(dns_servers=("192.168.10.4",))
    return rows


def oai_pass_dns_azure_platform_dns_listed_as_custom() -> Rows:
    rows = f.private_network()
    rows[2] = f.vnet(dns_servers=("168.63.129.16",))
    return rows


# -- 6. zone link not effective -------------------------------------------------------------------
def oai_fail_dns_link_in_progress() -> Rows:
    rows = f.private_network()
    rows[4]["properties"]["virtualNetworkLinkState"] = "InProgress"
    return rows


def oai_unknown_dns_link_state_absent() -> Rows:
    rows = f.private_network()
    del rows[4]["properties"]["virtualNetworkLinkState"]
    return rows


# -- 7. logging -----------------------------------------------------------------------------------
def oai_fail_log_audit_without_request_response() -> Rows:
    return [f.account(), f.workspace(), f.diag(f.ACCOUNT, [{"category": "Audit", "enabled": True}])]


def oai_pass_log_audit_and_request_response() -> Rows:
    logs = [{"category": "Audit", "enabled": True}, {"category": "RequestResponse", "enabled": True}]
    return [f.account(), f.workspace(), f.diag(f.ACCOUNT, logs)]


def oai_unknown_log_audit_group_has_undocumented_categories() -> Rows:
    return [f.account(), f.workspace(), f.diag(f.ACCOUNT, [{"categoryGroup": "audit", "enabled": True}])]


# -- 8. CMK chain ---------------------------------------------------------------------------------
def _cmk(kind: str = "OpenAI", size: int = 2048, kty: str = "RSA", **vault: object) -> Rows:
    return [
        f.account(kind=kind, identity=f.UAMI_IDENTITY, encryption=f.CMK),
        f.uami(),
        f.vault(**vault),
        f.key(kty=kty, size=size),
        f.role(f.UAMI_PRINCIPAL, f.CRYPTO_USER, f.VAULT),
    ]


def oai_pass_cmk_user_assigned_identity_with_rbac() -> Rows:
    return _cmk()


def oai_fail_cmk_vault_firewall_without_trusted_services() -> Rows:
    return _cmk(networkAcls=_acls(bypass="None"))


def oai_fail_cmk_vault_in_another_region() -> Rows:
    rows = _cmk()
    rows[2]["location"] = "northeurope"
    return rows


def oai_fail_cmk_key_rsa_3072() -> Rows:
    return _cmk(size=3072)


def ais_pass_cmk_key_rsa_3072() -> Rows:
    return _cmk(kind="AIServices", size=3072)


def oai_fail_cmk_key_ec() -> Rows:
    return _cmk(kty="EC-HSM", size=256)


def oai_unknown_cmk_key_not_collected() -> Rows:
    return _cmk()[:3] + _cmk()[4:]


# -- 9./10. storage ------------------------------------------------------------------------------
def _storage(**props: object) -> Rows:
    return [f.account(), f.storage(**props)]


def st_fail_wildcard_resource_instance_rule() -> Rows:
    rule = f"/subscriptions/{f.SUB}/resourcegroups/*/providers/Microsoft.CognitiveServices/accounts/*"
    acls = _acls(resourceAccessRules=[{"tenantId": f.TENANT, "resourceId": rule}])
    return _storage(publicNetworkAccess="Enabled", networkAcls=acls)


def st_pass_resource_instance_rule_naming_the_account() -> Rows:
    acls = _acls(resourceAccessRules=[{"tenantId": f.TENANT, "resourceId": f.ACCOUNT}])
    return _storage(publicNetworkAccess="Enabled", networkAcls=acls)


# -- 11. content filtering -----------------------------------------------------------------------
def oai_fail_content_filter_nil() -> Rows:
    return [f.account(), f.deployment("chat", "Standard", rai="Microsoft.Nil")]


def oai_fail_content_filter_custom_policy_disables_hate() -> Rows:
    return [f.account(), f.deployment("chat", "Standard", rai="relaxed"), f.rai_policy("relaxed", ("hate",))]


def oai_pass_content_filter_default_and_custom() -> Rows:
    return [
        f.account(),
        f.deployment("chat", "Standard", rai="strict"),
        f.deployment("embed", "Standard", "text-embedding-3-large"),
        f.rai_policy("strict"),
    ]


def oai_unknown_content_filter_custom_policy_not_collected() -> Rows:
    return [f.account(), f.deployment("chat", "Standard", rai="strict")]


def oai_na_content_filter_no_deployment() -> Rows:
    rows = [f.account()]
    return rows


# -- 12. network security perimeter -------------------------------------------------------------
def oai_unknown_net01_secured_by_perimeter() -> Rows:
    return [f.account(publicNetworkAccess="SecuredByPerimeter", networkAcls={"defaultAction": "Allow"})]


# -- 13. destination outside the input --------------------------------------------------------
def oai_pass_log_destination_outside_the_input() -> Rows:
    return [f.account(), f.diag(f.ACCOUNT, [{"categoryGroup": "allLogs", "enabled": True}])]


# -- 15. approved connection recorded only on the account -------------------------------------
def oai_pass_net02_connection_recorded_only_on_the_account() -> Rows:
    return [f.account(pe_status="Approved", publicNetworkAccess="Disabled")]


def oai_unknown_net03_endpoint_not_in_the_input() -> Rows:
    return oai_pass_net02_connection_recorded_only_on_the_account()


Case = tuple[str, Callable[[], Rows], str, str]
CASES: list[Case] = [
    ("AOAI-NET-05", oai_fail_net05_trusted_services_bypass, A, "fail"),
    ("AOAI-NET-05", oai_pass_net05_bypass_none, A, "pass"),
    ("AOAI-NET-05", oai_unknown_net05_bypass_not_stated, A, "unknown"),
    ("AOAI-NET-05", oai_na_net05_open_to_every_network, A, "not_applicable"),
    ("AOAI-NET-01", oai_fail_net05_trusted_services_bypass, A, "pass"),
    ("AOAI-NET-01", oai_fail_net01_ip_rule_wider_than_24, A, "fail"),
    ("AOAI-NET-01", oai_pass_net01_ip_rules_24_or_narrower, A, "pass"),
    ("AOAI-NET-04", oai_fail_net04_allow_list_names_a_foreign_host, A, "fail"),
    ("AOAI-NET-03", ais_pass_dns_three_zones_with_zone_group, A, "pass"),
    ("AOAI-NET-03", ais_unknown_dns_services_ai_zone_absent, A, "unknown"),
    ("AOAI-NET-03", oai_fail_dns_link_on_own_vnet_while_it_uses_a_resolver, A, "fail"),
    ("AOAI-NET-03", oai_pass_dns_link_on_the_resolver_vnet, A, "pass"),
    ("AOAI-NET-03", oai_unknown_dns_server_outside_the_input, A, "unknown"),
    ("AOAI-NET-03", oai_pass_dns_azure_platform_dns_listed_as_custom, A, "pass"),
    ("AOAI-NET-03", oai_fail_dns_link_in_progress, A, "fail"),
    ("AOAI-NET-03", oai_unknown_dns_link_state_absent, A, "unknown"),
    ("AOAI-LOG-01", oai_fail_log_audit_without_request_response, A, "fail"),
    ("AOAI-LOG-01", oai_pass_log_audit_and_request_response, A, "pass"),
    ("AOAI-LOG-01", oai_unknown_log_audit_group_has_undocumented_categories, A, "unknown"),
    ("AOAI-LOG-01", oai_pass_log_destination_outside_the_input, A, "pass"),
    ("AOAI-ENC-02", oai_pass_cmk_user_assigned_identity_with_rbac, A, "pass"),
    ("AOAI-ENC-02", oai_fail_cmk_vault_firewall_without_trusted_services, A, "fail"),
    ("AOAI-ENC-02", oai_fail_cmk_vault_in_another_region, A, "fail"),
    ("AOAI-ENC-02", oai_fail_cmk_key_rsa_3072, A, "fail"),
    ("AOAI-ENC-02", ais_pass_cmk_key_rsa_3072, A, "pass"),
    ("AOAI-ENC-02", oai_fail_cmk_key_ec, A, "fail"),
    ("AOAI-ENC-02", oai_unknown_cmk_key_not_collected, A, "unknown"),
    ("ST-NET-01", st_fail_wildcard_resource_instance_rule, S, "fail"),
    ("ST-NET-01", st_pass_resource_instance_rule_naming_the_account, S, "pass"),
    ("AOAI-DATA-03", oai_fail_content_filter_nil, A, "fail"),
    ("AOAI-DATA-03", oai_fail_content_filter_custom_policy_disables_hate, A, "fail"),
    ("AOAI-DATA-03", oai_pass_content_filter_default_and_custom, A, "pass"),
    ("AOAI-DATA-03", oai_unknown_content_filter_custom_policy_not_collected, A, "unknown"),
    ("AOAI-NET-01", oai_unknown_net01_secured_by_perimeter, A, "unknown"),
    ("AOAI-NET-02", oai_pass_net02_connection_recorded_only_on_the_account, A, "pass"),
    ("AOAI-NET-03", oai_unknown_net03_endpoint_not_in_the_input, A, "unknown"),
]


def _finding(rows: Rows, control: str, resource: str) -> Finding:
    _graph, findings = findings_of(copy.deepcopy(rows))
    return next(x for x in findings if (x.control, x.resource) == (control, resource))


@pytest.mark.parametrize(
    ("control", "fixture", "resource", "expected"), CASES, ids=[f"{c[0]}:{c[1].__name__}" for c in CASES]
)
def test_fidelity_outcome(control: str, fixture: Callable[[], Rows], resource: str, expected: str) -> None:
    finding = _finding(fixture(), control, resource)
    assert finding.status.value == expected, finding.reason
    assert finding.reason.endswith(".")
    if expected == "pass":
        assert finding.evidence


def test_net01_names_the_bypass_exception_in_reason_and_evidence() -> None:
    finding = _finding(oai_fail_net05_trusted_services_bypass(), "AOAI-NET-01", A)
    assert "bypass" in finding.reason
    assert finding.evidence["properties.networkAcls.bypass"] == "AzureServices"


def test_net01_evidence_lists_every_ip_rule_and_reason_names_the_wide_one() -> None:
    finding = _finding(oai_fail_net01_ip_rule_wider_than_24(), "AOAI-NET-01", A)
    assert set(finding.evidence["properties.networkAcls.ipRules"]) == {"203.0.113.7", "1.0.0.0/8"}
    assert "1.0.0.0/8" in finding.reason and "203.0.113.7" not in finding.reason


def test_net04_names_the_foreign_hosts_and_classifies_every_entry() -> None:
    finding = _finding(oai_fail_net04_allow_list_names_a_foreign_host(), "AOAI-NET-04", A)
    judged = finding.evidence["allowed_fqdns"]
    assert set(judged) == {"kv-test.vault.azure.net", "exfil.blob.core.windows.net", "example.org"}
    assert judged["kv-test.vault.azure.net"] == f"workload resource {V}"
    assert "exfil.blob.core.windows.net" in finding.reason and "example.org" in finding.reason
    assert "kv-test.vault.azure.net" not in finding.reason


def test_dns_with_custom_servers_requires_the_link_on_the_resolver_vnet() -> None:
    finding = _finding(oai_fail_dns_link_on_own_vnet_while_it_uses_a_resolver(), "AOAI-NET-03", A)
    assert DNS_VNET in finding.reason
    passing = _finding(oai_pass_dns_link_on_the_resolver_vnet(), "AOAI-NET-03", A)
    proof = next(iter(passing.evidence["resolution"].values()))
    assert set(proof["linked_vnets"]) == {DNS_VNET}


def test_ais_dns_names_the_missing_services_ai_zone() -> None:
    finding = _finding(ais_unknown_dns_services_ai_zone_absent(), "AOAI-NET-03", A)
    assert "privatelink.services.ai.azure.com" in finding.reason
    assert "privatelink.services.ai.azure.com" in finding.evidence["expected_zones"]


def test_log_evidence_marks_a_destination_outside_the_input() -> None:
    finding = _finding(oai_pass_log_destination_outside_the_input(), "AOAI-LOG-01", A)
    assert finding.evidence["diagnostic_settings"]["diag"]["destinations"] == {
        norm_id(f.LAW): "not in the input"
    }


def test_cmk_failures_name_the_requirement() -> None:
    assert (
        "trusted Microsoft services"
        in _finding(oai_fail_cmk_vault_firewall_without_trusted_services(), "AOAI-ENC-02", A).reason
    )
    assert "northeurope" in _finding(oai_fail_cmk_vault_in_another_region(), "AOAI-ENC-02", A).reason
    key = _finding(oai_fail_cmk_key_rsa_3072(), "AOAI-ENC-02", A)
    assert "RSA 3072" in key.reason and key.evidence["key"]["keySize"] == 3072


def test_content_filter_reason_names_the_deployment_and_the_switched_off_category() -> None:
    finding = _finding(oai_fail_content_filter_custom_policy_disables_hate(), "AOAI-DATA-03", A)
    assert "chat" in finding.reason and "hate (completion)" in finding.reason


def test_wildcard_rule_is_named() -> None:
    finding = _finding(st_fail_wildcard_resource_instance_rule(), "ST-NET-01", S)
    assert "resourcegroups/*" in finding.reason


def test_pe_recorded_only_on_the_account_warns_of_the_missing_endpoint() -> None:
    graph, _findings = findings_of(oai_pass_net02_connection_recorded_only_on_the_account())
    dangling = {(w.code, dict(w.details).get("missing")) for w in graph.warnings}
    assert ("dangling_reference", norm_id(f.PE)) in dangling


# -- 14. collected per resource, never from unrelated rows --------------------------------------------
OTHER = f.rid("Microsoft.CognitiveServices", "accounts", "aoai-other", sub=f.HUB_SUB, rg="rg-other")


def _other_account() -> f.Row:
    row = f.account()
    row.update(id=OTHER, name="aoai-other", subscriptionId=f.HUB_SUB, resourceGroup="rg-other")
    row["properties"]["customSubDomainName"] = "aoai-other"
    return row


def test_deployments_and_diagnostics_of_one_account_do_not_make_another_look_collected() -> None:
    rows = [
        f.account(),
        _other_account(),
        f.deployment("chat", "DataZoneStandard"),
        f.workspace(),
        f.diag(f.ACCOUNT, [{"categoryGroup": "allLogs", "enabled": True}]),
    ]
    _graph, findings = findings_of(rows)
    status = {(x.control, x.resource): x.status.value for x in findings}
    other = norm_id(OTHER)
    assert {status[("AOAI-DATA-02", A)], status[("AOAI-LOG-01", A)]} == {"pass"}
    assert {status[("AOAI-DATA-02", other)], status[("AOAI-LOG-01", other)]} == {"unknown"}


def test_snapshot_coverage_counts_only_for_the_resources_it_names() -> None:
    rows = [f.account(), _other_account()]
    inv = Inventory(
        [RowBlock(rows, "snap.json")],
        diagnostics_collected=frozenset({A}),
        deployments_collected=frozenset({A}),
    )
    from archgen.controls.engine import evaluate

    graph = build(inv)
    status = {(x.control, x.resource): x.status.value for x in evaluate(graph)}
    assert status[("AOAI-LOG-01", A)] == "fail"
    assert status[("AOAI-DATA-02", A)] == "not_applicable"
    assert {status[("AOAI-LOG-01", norm_id(OTHER))], status[("AOAI-DATA-02", norm_id(OTHER))]} == {"unknown"}


# -- 16. other kinds are named, not dropped silently -----------------------------------------------------
def test_accounts_of_other_kinds_are_counted_and_named() -> None:
    speech = _other_account()
    speech["kind"] = "SpeechServices"
    graph, _findings = findings_of([f.account(), speech])
    named = {dict(w.details).get("resource") for w in graph.warnings if w.code == "account_kind_not_assessed"}
    assert named == {norm_id(OTHER)}
    assert graph.stats["accounts_other_kinds"] == 1


# -- 17. data handling derives customer storage from the graph ------------------------------------------
def test_data_handling_names_storage_that_admits_the_account(tmp_path: Path) -> None:
    from archgen.controls.catalogue import load
    from archgen.controls.engine import evaluate
    from archgen.document import dumps_graph
    from archgen.publish import RunOutputs, write_project
    from archgen.run import RunInfo

    acls = _acls(resourceAccessRules=[{"tenantId": f.TENANT, "resourceId": f.ACCOUNT}])
    graph, findings = findings_of([f.account(), f.storage(networkAcls=acls)])
    catalogue = load()
    run = RunInfo("test", "2026-11-30T00:00:00Z", "2026-11-30T00:00:01Z", "file")
    write_project(
        tmp_path, RunOutputs(graph, evaluate(graph), catalogue, run, dumps_graph(graph, findings, catalogue))
    )
    page = (tmp_path / "docs" / "data-handling.md").read_text(encoding="utf-8")
    assert "sttest &#40;admits the account through a resource instance rule" in page  # cell-escaped
    assert "up to 30 days" not in page
