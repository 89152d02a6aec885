"""Every control: a pass fixture and a fail fixture (and the unknown paths), named by outcome."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from archgen.controls.catalogue import load
from archgen.controls.evaluators import EVALUATORS
from archgen.model.ids import norm_id
from tests import access_cases as ac
from tests import customrole_cases as cr
from tests import defender_cases as dc
from tests import factory as f
from tests import filter_cases as fc
from tests import foundry_cases as fdy
from tests import frontdoor_cases as fd
from tests import gateway_cases as gc
from tests import hub_cases as hub
from tests import netpath_cases as nc
from tests import pedns_cases as pc
from tests import policy_cases as pol
from tests.conftest import findings_of

Rows = list[f.Row]


# -- fixtures named by the outcome they produce ------------------------------------------------
def oai_pass_public_disabled() -> Rows:
    return [f.account(publicNetworkAccess="Disabled")]


def oai_pass_firewall_deny() -> Rows:
    return [
        f.account(
            networkAcls={
                "defaultAction": "Deny",
                "ipRules": [{"value": "203.0.113.7"}],
                "virtualNetworkRules": [],
            }
        )
    ]


def oai_fail_public_default() -> Rows:
    return [f.account()]


def oai_pass_pe_approved() -> Rows:
    return f.private_network()


def oai_fail_pe_pending() -> Rows:
    return [f.account(pe_status="Pending"), f.private_endpoint(status="Pending", manual=True)]


def oai_pass_dns_linked_own_vnet() -> Rows:
    return f.private_network()


def oai_pass_dns_via_resolver_on_hub() -> Rows:
    # the zone is linked only to the DNS VNet; the spoke uses its resolver and both hang off one vWAN hub
    def hubconn(v: str, n: str) -> f.Row:
        return f.row(
            f"{f.HUB}/hubVirtualNetworkConnections/{n}",
            "microsoft.network/virtualhubs/hubvirtualnetworkconnections",
            {"remoteVirtualNetwork": {"id": v}},
        )

    return [
        f.account(pe_status="Approved"),
        f.private_endpoint(),
        f.vnet(dns_servers=("10.100.4.4",)),
        f.vnet(f.DNS_VNET, "10.100.4.0/24", (("snet-in", "10.100.4.0/28"),)),
        f.zone(),
        f.link(f.DNS_VNET),
        f.a_record(),
        f.row(f.HUB, "microsoft.network/virtualhubs", {"virtualWan": {"id": f.WAN}}),
        hubconn(f.VNET, "c1"),
        hubconn(f.DNS_VNET, "c2"),
    ]


def oai_fail_dns_zone_linked_only_to_peered_hub() -> Rows:
    # Azure-provided DNS in the spoke does not see a zone linked to the peered hub
    return [
        f.account(pe_status="Approved"),
        f.private_endpoint(),
        f.vnet(peer_to=(f.HUB_VNET,)),
        f.vnet(f.HUB_VNET, "10.0.0.0/22", (), (f.VNET,)),
        f.zone(),
        f.link(f.HUB_VNET),
        f.a_record(),
    ]


def oai_fail_dns_record_points_elsewhere() -> Rows:
    rows = f.private_network()
    rows[-1] = f.a_record(ips=("10.99.0.9",))
    return rows


def oai_unknown_dns_zone_absent() -> Rows:
    return f.private_network()[:3]


def oai_unknown_dns_records_absent() -> Rows:
    return f.private_network()[:5]


def oai_na_dns_no_approved_pe() -> Rows:
    return oai_fail_pe_pending()


def ais_fail_dns_services_ai_zone_missing_its_record() -> Rows:
    # an AIServices endpoint advertises three FQDNs; the zone for services.ai.azure.com lacks its record
    acct = f.account(
        kind="AIServices", pe_status="Approved", endpoint="https://aoai-test.cognitiveservices.azure.com/"
    )
    pe = f.private_endpoint()
    names = ("cognitiveservices.azure.com", "openai.azure.com", "services.ai.azure.com")
    pe["properties"]["customDnsConfigs"] = [
        {"fqdn": f"aoai-test.{n}", "ipAddresses": ["10.42.1.4"]} for n in names
    ]
    rows: Rows = [acct, pe, f.vnet()]
    for n in names:
        zid = f.rid("Microsoft.Network", "privateDnsZones", f"privatelink.{n}", sub=f.HUB_SUB, rg="rg-dns")
        rows += [f.zone(zone_id=zid), f.link(f.VNET, zone_id=zid)]
        rows.append(f.a_record(zone_id=zid, name="aoai-test" if n != "services.ai.azure.com" else "other"))
    return rows


def oai_pass_outbound_restricted() -> Rows:
    # the allow-list names the workload's own CMK vault and a Microsoft identity endpoint
    return [
        f.account(
            identity=f.UAMI_IDENTITY,
            encryption=f.CMK,
            restrictOutboundNetworkAccess=True,
            allowedFqdnList=["kv-test.vault.azure.net", "login.microsoftonline.com"],
        ),
        f.uami(),
        f.vault(),
    ]


def oai_fail_outbound_open() -> Rows:
    return [f.account(restrictOutboundNetworkAccess=False)]


def oai_pass_local_auth_disabled() -> Rows:
    return [f.account(disableLocalAuth=True)]


def oai_fail_api_keys() -> Rows:
    return [f.account()]


def oai_pass_managed_identity() -> Rows:
    return [f.account(identity=f.SYSTEM_IDENTITY)]


def oai_fail_no_identity() -> Rows:
    return [f.account(identity={"type": "None"})]


def oai_pass_subdomain() -> Rows:
    return [f.account()]


def oai_fail_no_subdomain() -> Rows:
    return [f.account(customSubDomainName=None, endpoint="https://westeurope.api.cognitive.microsoft.com/")]


def oai_pass_cmk() -> Rows:
    return [f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK)]


def oai_fail_microsoft_managed_key() -> Rows:
    return [f.account(encryption={"keySource": "Microsoft.CognitiveServices"})]


def oai_pass_cmk_chain_rbac() -> Rows:
    return [
        f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK),
        f.uami(),
        f.vault(),
        f.key(),
        f.role(f.UAMI_PRINCIPAL, f.CRYPTO_USER, f.VAULT),
    ]


def oai_pass_cmk_chain_access_policy_system_identity() -> Rows:
    cmk = {
        "keySource": "Microsoft.KeyVault",
        "keyVaultProperties": {"keyName": "k", "keyVaultUri": f.VAULT_URI.upper()},
    }
    policy = [
        {
            "tenantId": f.TENANT,
            "objectId": f.SAI_PRINCIPAL,
            "permissions": {"keys": ["Get", "WrapKey", "UnwrapKey"]},
        }
    ]
    return [
        f.account(identity=f.SYSTEM_IDENTITY, encryption=cmk),
        f.vault(enableRbacAuthorization=False, accessPolicies=policy),
        f.key("k"),
    ]


def oai_fail_cmk_chain_no_purge_protection() -> Rows:
    return [
        f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK),
        f.uami(),
        f.vault(enablePurgeProtection=None),
        f.role(f.UAMI_PRINCIPAL, f.CRYPTO_USER, f.VAULT),
    ]


def oai_fail_cmk_chain_identity_without_role() -> Rows:
    return [
        f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK),
        f.uami(),
        f.vault(),
        f.role(f.UAMI_PRINCIPAL, f.BLOB_READER, f.VAULT),
    ]


def oai_unknown_cmk_vault_absent() -> Rows:
    return [f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK), f.uami()]


def oai_unknown_cmk_role_assignments_absent() -> Rows:
    return [f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK), f.uami(), f.vault(), f.key()]


def oai_unknown_cmk_only_other_principals_assigned() -> Rows:
    # the input holds role assignments, none of the key identity's: its grants were not read
    return [*oai_unknown_cmk_role_assignments_absent(), f.role(f.GROUP_PRINCIPAL, f.OPENAI_USER, f.ACCOUNT)]


def oai_fail_cmk_identity_assigned_only_elsewhere() -> Rows:
    # the key identity's assignments are in the input (one on the resource group), none on the vault
    return [*oai_unknown_cmk_role_assignments_absent(), f.role(f.UAMI_PRINCIPAL, f.BLOB_READER, f.RG_ID)]


def oai_pass_audit_logs() -> Rows:
    return [f.account(), f.workspace(), f.diag(f.ACCOUNT, [{"categoryGroup": "allLogs", "enabled": True}])]


def oai_fail_diag_without_audit() -> Rows:
    return [
        f.account(),
        f.workspace(),
        f.diag(f.ACCOUNT, [{"category": "Audit", "enabled": False}, {"category": "Trace", "enabled": True}]),
    ]


def oai_unknown_diagnostics_not_collected() -> Rows:
    return [f.account()]


def oai_pass_modified_abuse_monitoring() -> Rows:
    return [
        f.account(capabilities=[{"name": "VirtualNetworks"}, {"name": "ContentLogging", "value": "false"}])
    ]


def oai_fail_abuse_monitoring_default() -> Rows:
    return [f.account(capabilities=[{"name": "VirtualNetworks"}])]


def oai_pass_deployments_in_data_zone() -> Rows:
    return [
        f.account(),
        f.deployment("chat", "DataZoneStandard"),
        f.deployment("embed", "Standard", "text-embedding-3-large"),
    ]


def oai_fail_global_deployment() -> Rows:
    return [f.account(), f.deployment("chat", "GlobalStandard"), f.deployment("embed", "Standard")]


def oai_unknown_deployments_not_collected() -> Rows:
    return [f.account()]


def with_vault(**props: object) -> Rows:
    return [f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK), f.uami(), f.vault(**props)]


def with_storage(**props: object) -> Rows:
    return [
        f.account(),
        f.storage(
            **props,
            networkAcls={
                "defaultAction": "Deny",
                "resourceAccessRules": [{"tenantId": f.TENANT, "resourceId": f.ACCOUNT}],
            },
        ),
    ]


def kv_pass_closed() -> Rows:
    return with_vault(publicNetworkAccess="Disabled")


def kv_fail_open() -> Rows:
    return with_vault(
        publicNetworkAccess="Enabled", networkAcls={"defaultAction": "Allow", "bypass": "AzureServices"}
    )


def kv_pass_rbac() -> Rows:
    return with_vault()


def kv_fail_access_policies() -> Rows:
    return with_vault(enableRbacAuthorization=None)


def kv_pass_purge_protection() -> Rows:
    return with_vault()


def kv_fail_no_purge_protection() -> Rows:
    return with_vault(enablePurgeProtection=None)


def kv_pass_soft_delete() -> Rows:
    return with_vault()


def kv_fail_soft_delete_off() -> Rows:
    return with_vault(enableSoftDelete=False)


def kv_unknown_soft_delete_absent() -> Rows:
    return with_vault(enableSoftDelete=None)


def kv_pass_audit_events() -> Rows:
    return [*with_vault(), f.workspace(), f.diag(f.VAULT, [{"category": "AuditEvent", "enabled": True}])]


def kv_fail_no_audit_events() -> Rows:
    return [
        *with_vault(),
        f.workspace(),
        f.diag(f.VAULT, [{"category": "AzurePolicyEvaluationDetails", "enabled": True}]),
    ]


def st_pass_closed() -> Rows:
    return with_storage()


def st_fail_public() -> Rows:
    rows = with_storage()
    rows[1]["properties"]["publicNetworkAccess"] = "Enabled"
    rows[1]["properties"]["networkAcls"]["defaultAction"] = "Allow"
    return rows


def st_pass_no_anonymous_blobs() -> Rows:
    return with_storage()


def st_fail_anonymous_blobs_not_set() -> Rows:
    return with_storage(allowBlobPublicAccess=None)


def st_fail_anonymous_blobs() -> Rows:
    return with_storage(allowBlobPublicAccess=True)


def st_pass_shared_key_disabled() -> Rows:
    return with_storage()


def st_fail_shared_key_default_null() -> Rows:
    return with_storage(allowSharedKeyAccess=None)


def st_pass_cmk() -> Rows:
    return with_storage(
        encryption={
            "keySource": "Microsoft.Keyvault",
            "keyvaultproperties": {"keyname": "k", "keyvaulturi": f.VAULT_URI},
        }
    )


def st_fail_microsoft_managed_key() -> Rows:
    return with_storage()


def st_pass_tls12_https() -> Rows:
    return with_storage()


def st_fail_tls10() -> Rows:
    return with_storage(minimumTlsVersion="TLS1_0")


def st_pass_cmk_chain_system_identity() -> Rows:
    cmk = {
        "keySource": "Microsoft.Keyvault",
        "keyvaultproperties": {"keyname": "k", "keyvaulturi": f.VAULT_URI},
    }
    rows = with_storage(encryption=cmk)
    rows[1]["identity"] = {"type": "SystemAssigned", "principalId": "0d9f8e7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"}
    return [
        *rows,
        f.vault(),
        f.key("k", size=3072),
        f.role("0d9f8e7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f", f.CRYPTO_USER, f.VAULT),
    ]


def st_fail_cmk_chain_soft_delete_off() -> Rows:
    rows = st_pass_cmk_chain_system_identity()
    rows[2] = f.vault(enableSoftDelete=False)
    return rows


def st_na_cmk_chain_microsoft_managed() -> Rows:
    return with_storage()


A, V, S = norm_id(f.ACCOUNT), norm_id(f.VAULT), norm_id(f.STORAGE)
Case = tuple[str, Callable[[], Rows], str, str]
CASES: list[Case] = [
    ("AOAI-NET-01", oai_pass_public_disabled, A, "pass"),
    ("AOAI-NET-01", oai_pass_firewall_deny, A, "pass"),
    ("AOAI-NET-01", oai_fail_public_default, A, "fail"),
    ("AOAI-NET-02", oai_pass_pe_approved, A, "pass"),
    ("AOAI-NET-02", oai_fail_pe_pending, A, "fail"),
    ("AOAI-NET-03", oai_pass_dns_linked_own_vnet, A, "pass"),
    ("AOAI-NET-03", oai_pass_dns_via_resolver_on_hub, A, "pass"),
    ("AOAI-NET-03", oai_fail_dns_zone_linked_only_to_peered_hub, A, "fail"),
    ("AOAI-NET-03", oai_fail_dns_record_points_elsewhere, A, "fail"),
    ("AOAI-NET-03", oai_unknown_dns_zone_absent, A, "unknown"),
    ("AOAI-NET-03", ais_fail_dns_services_ai_zone_missing_its_record, A, "fail"),
    ("AOAI-NET-03", oai_unknown_dns_records_absent, A, "unknown"),
    ("AOAI-NET-03", oai_na_dns_no_approved_pe, A, "not_applicable"),
    ("AOAI-NET-04", oai_pass_outbound_restricted, A, "pass"),
    ("AOAI-NET-04", oai_fail_outbound_open, A, "fail"),
    ("AOAI-NET-06", nc.net06_pass_nsg_applies, A, "pass"),
    ("AOAI-NET-06", nc.net06_pass_nsg_only_policy, A, "pass"),
    ("AOAI-NET-06", nc.net06_fail_policies_disabled, A, "fail"),
    ("AOAI-NET-06", nc.net06_fail_route_table_only_policy, A, "fail"),
    ("AOAI-NET-06", nc.net06_fail_no_nsg, A, "fail"),
    ("AOAI-NET-06", nc.net06_unknown_nsg_not_in_input, A, "unknown"),
    ("AOAI-NET-06", nc.net06_unknown_subnet_not_in_input, A, "unknown"),
    ("AOAI-NET-06", nc.net06_na_no_private_endpoint, A, "not_applicable"),
    ("AOAI-NET-07", nc.net07_pass_vnet_only_then_deny_all, A, "pass"),
    ("AOAI-NET-07", nc.net07_pass_internet_denied_first, A, "pass"),
    ("AOAI-NET-07", nc.net07_fail_internet_https, A, "fail"),
    ("AOAI-NET-07", nc.net07_fail_any_source_any_port, A, "fail"),
    ("AOAI-NET-07", nc.net07_unknown_default_rules_not_in_input, A, "unknown"),
    ("AOAI-NET-07", nc.net07_unknown_nsg_not_in_input, A, "unknown"),
    ("AOAI-NET-07", nc.net07_na_policies_disabled, A, "not_applicable"),
    ("AOAI-NET-08", gc.net08_pass_apim_in_front_of_private_account, A, "pass"),
    ("AOAI-NET-08", gc.net08_pass_backend_host_in_other_case, A, "pass"),
    ("AOAI-NET-08", gc.net08_fail_apim_in_front_of_public_account, A, "fail"),
    ("AOAI-NET-08", gc.net08_fail_app_gateway_in_front_of_public_account, A, "fail"),
    ("AOAI-NET-08", gc.net08_unknown_account_under_perimeter, A, "unknown"),
    ("AOAI-NET-08", gc.net08_na_backend_elsewhere, A, "not_applicable"),
    ("AOAI-NET-08", gc.net08_na_no_gateway, A, "not_applicable"),
    ("AOAI-NET-09", gc.net09_pass_prevention_policy_in_front_of_apim, A, "pass"),
    ("AOAI-NET-09", gc.net09_fail_detection_policy, A, "fail"),
    ("AOAI-NET-09", gc.net09_fail_no_waf, A, "fail"),
    ("AOAI-NET-09", gc.net09_unknown_policy_not_in_input, A, "unknown"),
    ("AOAI-NET-09", gc.net09_na_only_apim, A, "not_applicable"),
    ("AOAI-NET-08", fd.net08_pass_front_door_private_link_to_private_account, A, "pass"),
    ("AOAI-NET-08", fd.net08_fail_front_door_in_front_of_public_account, A, "fail"),
    ("AOAI-NET-09", fd.net09_pass_front_door_prevention, A, "pass"),
    ("AOAI-NET-09", fd.net09_pass_front_door_in_front_of_apim, A, "pass"),
    ("AOAI-NET-09", fd.net09_fail_front_door_detection, A, "fail"),
    ("AOAI-NET-09", fd.net09_fail_front_door_policy_disabled, A, "fail"),
    ("AOAI-NET-09", fd.net09_fail_front_door_security_policy_without_waf, A, "fail"),
    ("AOAI-NET-09", fd.net09_unknown_front_door_security_policies_not_read, A, "unknown"),
    ("AOAI-NET-09", fd.net09_unknown_front_door_waf_policy_not_in_input, A, "unknown"),
    ("AOAI-IAM-01", oai_pass_local_auth_disabled, A, "pass"),
    ("AOAI-IAM-01", oai_fail_api_keys, A, "fail"),
    ("AOAI-IAM-02", oai_pass_managed_identity, A, "pass"),
    ("AOAI-IAM-02", oai_fail_no_identity, A, "fail"),
    ("AOAI-IAM-03", oai_pass_subdomain, A, "pass"),
    ("AOAI-IAM-03", oai_fail_no_subdomain, A, "fail"),
    ("AOAI-IAM-04", ac.iam04_pass_local_auth_disabled, A, "pass"),
    ("AOAI-IAM-04", ac.iam04_pass_only_a_group_calls, A, "pass"),
    ("AOAI-IAM-04", ac.iam04_fail_user_reads_keys_at_resource_group, A, "fail"),
    ("AOAI-IAM-04", ac.iam04_fail_user_owns_the_subscription, A, "fail"),
    ("AOAI-IAM-04", ac.iam04_unknown_without_role_assignments, A, "unknown"),
    ("AOAI-IAM-04", ac.iam04_unknown_with_assignments_only_on_other_scopes, A, "unknown"),
    ("AOAI-IAM-04", ac.iam04_unknown_user_holds_a_custom_role, A, "unknown"),
    ("AOAI-IAM-05", ac.iam05_pass_group_caller, A, "pass"),
    ("AOAI-IAM-05", ac.iam05_fail_user_caller, A, "fail"),
    ("AOAI-IAM-05", ac.iam05_unknown_without_role_assignments, A, "unknown"),
    ("AOAI-IAM-05", ac.iam05_unknown_with_assignments_only_on_other_scopes, A, "unknown"),
    ("AOAI-ENC-01", oai_pass_cmk, A, "pass"),
    ("AOAI-ENC-01", oai_fail_microsoft_managed_key, A, "fail"),
    ("AOAI-ENC-02", oai_pass_cmk_chain_rbac, A, "pass"),
    ("AOAI-ENC-02", oai_pass_cmk_chain_access_policy_system_identity, A, "pass"),
    ("AOAI-ENC-02", oai_fail_cmk_chain_no_purge_protection, A, "fail"),
    ("AOAI-ENC-02", oai_fail_cmk_chain_identity_without_role, A, "fail"),
    ("AOAI-ENC-02", oai_unknown_cmk_vault_absent, A, "unknown"),
    ("AOAI-ENC-02", oai_unknown_cmk_role_assignments_absent, A, "unknown"),
    ("AOAI-ENC-02", oai_unknown_cmk_only_other_principals_assigned, A, "unknown"),
    ("AOAI-ENC-02", oai_fail_cmk_identity_assigned_only_elsewhere, A, "fail"),
    ("AOAI-ENC-02", oai_fail_microsoft_managed_key, A, "not_applicable"),
    ("AOAI-LOG-01", oai_pass_audit_logs, A, "pass"),
    ("AOAI-LOG-01", oai_fail_diag_without_audit, A, "fail"),
    ("AOAI-LOG-01", oai_unknown_diagnostics_not_collected, A, "unknown"),
    ("AOAI-DATA-01", oai_pass_modified_abuse_monitoring, A, "pass"),
    ("AOAI-DATA-01", oai_fail_abuse_monitoring_default, A, "fail"),
    ("AOAI-DATA-02", oai_pass_deployments_in_data_zone, A, "pass"),
    ("AOAI-DATA-02", oai_fail_global_deployment, A, "fail"),
    ("AOAI-DATA-02", oai_unknown_deployments_not_collected, A, "unknown"),
    ("AOAI-DATA-04", fc.data04_pass_default_and_strict_custom, A, "pass"),
    ("AOAI-DATA-04", fc.data04_fail_violence_high_on_completions, A, "fail"),
    ("AOAI-DATA-04", fc.data04_fail_hate_annotate_only_on_prompts, A, "fail"),
    ("AOAI-DATA-04", fc.data04_fail_asynchronous_filter, A, "fail"),
    ("AOAI-DATA-04", fc.data04_fail_deferred_mode, A, "fail"),
    ("AOAI-DATA-04", fc.data04_fail_no_filter, A, "fail"),
    ("AOAI-DATA-04", fc.data04_unknown_policy_not_read, A, "unknown"),
    ("AOAI-DATA-04", fc.data04_unknown_category_missing_from_policy, A, "unknown"),
    ("AOAI-DATA-04", fc.data04_unknown_deployments_not_collected, A, "unknown"),
    ("AOAI-DATA-05", fc.data05_pass_default, A, "pass"),
    ("AOAI-DATA-05", fc.data05_pass_custom_blocking, A, "pass"),
    ("AOAI-DATA-05", fc.data05_fail_jailbreak_off, A, "fail"),
    ("AOAI-DATA-05", fc.data05_fail_jailbreak_annotate_only, A, "fail"),
    ("AOAI-DATA-05", fc.data05_unknown_jailbreak_absent, A, "unknown"),
    ("AOAI-DATA-05", fc.data05_unknown_policy_not_read, A, "unknown"),
    ("KV-NET-01", kv_pass_closed, V, "pass"),
    ("KV-NET-01", kv_fail_open, V, "fail"),
    ("KV-IAM-01", kv_pass_rbac, V, "pass"),
    ("KV-IAM-01", kv_fail_access_policies, V, "fail"),
    ("KV-ENC-01", kv_pass_purge_protection, V, "pass"),
    ("KV-ENC-01", kv_fail_no_purge_protection, V, "fail"),
    ("KV-ENC-02", kv_pass_soft_delete, V, "pass"),
    ("KV-ENC-02", kv_fail_soft_delete_off, V, "fail"),
    ("KV-ENC-02", kv_unknown_soft_delete_absent, V, "unknown"),
    ("KV-LOG-01", kv_pass_audit_events, V, "pass"),
    ("KV-LOG-01", kv_fail_no_audit_events, V, "fail"),
    ("ST-NET-01", st_pass_closed, S, "pass"),
    ("ST-NET-01", st_fail_public, S, "fail"),
    ("ST-NET-02", st_pass_no_anonymous_blobs, S, "pass"),
    ("ST-NET-02", st_fail_anonymous_blobs_not_set, S, "fail"),
    ("ST-NET-02", st_fail_anonymous_blobs, S, "fail"),
    ("ST-IAM-01", st_pass_shared_key_disabled, S, "pass"),
    ("ST-IAM-01", st_fail_shared_key_default_null, S, "fail"),
    ("ST-ENC-01", st_pass_cmk, S, "pass"),
    ("ST-ENC-01", st_fail_microsoft_managed_key, S, "fail"),
    ("ST-ENC-02", st_pass_tls12_https, S, "pass"),
    ("ST-ENC-02", st_fail_tls10, S, "fail"),
    ("ST-ENC-03", st_pass_cmk_chain_system_identity, S, "pass"),
    ("ST-ENC-03", st_fail_cmk_chain_soft_delete_off, S, "fail"),
    ("ST-ENC-03", st_na_cmk_chain_microsoft_managed, S, "not_applicable"),
    *fdy.CASES,
    *hub.CASES,
    *pc.CASES,
    *cr.CASES,
    ("AOAI-NET-10", pol.net10_pass_restrict_network_denied_at_subscription, A, "pass"),
    ("AOAI-NET-10", pol.net10_pass_denied_through_an_initiative_parameter, A, "pass"),
    ("AOAI-NET-10", pol.net10_fail_audit_by_default, A, "fail"),
    ("AOAI-NET-10", pol.net10_fail_deny_but_do_not_enforce, A, "fail"),
    ("AOAI-NET-10", pol.net10_fail_account_exempt, A, "fail"),
    ("AOAI-NET-10", pol.net10_fail_resource_group_in_not_scopes, A, "fail"),
    ("AOAI-NET-10", pol.net10_fail_only_other_policies_assigned, A, "fail"),
    ("AOAI-NET-10", pol.net10_unknown_no_assignment_in_input, A, "unknown"),
    ("AOAI-NET-10", pol.net10_unknown_assignment_only_on_another_resource_group, A, "unknown"),
    ("AOAI-NET-10", pol.net10_unknown_definition_not_in_input, A, "unknown"),
    ("AOAI-NET-10", pol.net10_unknown_initiative_not_in_input, A, "unknown"),
    ("AOAI-LOG-02", dc.ai_pass_plan_standard, A, "pass"),
    ("AOAI-LOG-02", dc.ai_pass_plan_name_in_other_case, A, "pass"),
    ("AOAI-LOG-02", dc.ai_fail_plan_free, A, "fail"),
    ("AOAI-LOG-02", dc.ai_fail_standard_but_not_covered, A, "fail"),
    ("AOAI-LOG-02", dc.ai_unknown_partially_covered, A, "unknown"),
    ("AOAI-LOG-02", dc.ai_unknown_plan_not_collected, A, "unknown"),
    ("AOAI-LOG-02", dc.ai_unknown_only_other_plans_and_subscriptions_collected, A, "unknown"),
    ("KV-LOG-02", dc.kv_pass_plan_standard, V, "pass"),
    ("KV-LOG-02", dc.kv_fail_plan_free, V, "fail"),
    ("KV-LOG-02", dc.kv_unknown_plan_not_collected, V, "unknown"),
    ("ST-LOG-01", dc.st_pass_plan_standard_fully_covered, S, "pass"),
    ("ST-LOG-01", dc.st_fail_plan_free, S, "fail"),
    ("ST-LOG-01", dc.st_unknown_standard_without_coverage_status, S, "unknown"),
    ("ST-LOG-01", dc.st_unknown_plan_not_collected, S, "unknown"),
]


@pytest.mark.parametrize(
    ("control", "fixture", "resource", "expected"), CASES, ids=[f"{c[0]}:{c[1].__name__}" for c in CASES]
)
def test_control_outcome(control: str, fixture: Callable[[], Rows], resource: str, expected: str) -> None:
    _graph, findings = findings_of(fixture())
    got = {(x.control, x.resource): x for x in findings}
    finding = got[(control, resource)]
    assert finding.status.value == expected, finding.reason
    assert finding.reason.endswith(".")
    if expected == "pass":  # a pass never comes without the evidence it rests on
        assert finding.evidence


def test_every_control_has_an_evaluator_a_pass_and_a_fail_fixture() -> None:
    from tests.test_fidelity import CASES as FIDELITY

    catalogue = {c.id for c in load().controls}
    cases = CASES + FIDELITY
    assert set(EVALUATORS) == catalogue
    assert {c for c, _f, _r, e in cases if e == "pass"} == catalogue
    assert {c for c, _f, _r, e in cases if e == "fail"} == catalogue


def test_fixture_names_state_their_outcome() -> None:
    words = {"pass": "pass", "fail": "fail", "unknown": "unknown", "not_applicable": "na"}
    mismatched = {fx.__name__ for _c, fx, _r, e in CASES if f"_{words[e]}_" not in f"_{fx.__name__}_"}
    assert mismatched <= {
        "oai_fail_microsoft_managed_key",
        "oai_fail_pe_pending",
    }  # reused for their n/a side


def test_cmk_vault_closed_without_trusted_services_says_the_cmk_needs_them() -> None:
    rows = with_vault(networkAcls={"defaultAction": "Deny", "bypass": "None"})
    _g, findings = findings_of(rows)
    kv = next(x for x in findings if x.control == "KV-NET-01")
    assert kv.status.value == "pass"
    assert "trusted Microsoft services" in kv.reason
    assert kv.evidence["customer_managed_key_for"] == [A]


def test_open_cmk_vault_fails_without_the_withdrawn_claim_about_trusted_services() -> None:
    _g, findings = findings_of(kv_fail_open())
    kv = next(x for x in findings if x.control == "KV-NET-01")
    assert kv.status.value == "fail"
    assert "not a Key Vault trusted service" not in kv.reason


def test_catalogue_cites_a_reference_for_every_control_and_duty() -> None:
    catalogue = load()
    assert all(
        c.references and all(r.url.startswith("https://") for r in c.references) for c in catalogue.controls
    )
    assert {d.id for d in catalogue.microsoft_duties} == {
        "MS-PHY-01",
        "MS-PLT-01",
        "MS-NET-01",
        "MS-IAM-01",
        "MS-LOG-01",
        "MS-ENC-01",
        "MS-DATA-01",
        "MS-MOD-01",
    }
    assert all(
        d.sources and all(r.url.startswith("https://") for r in d.sources) for d in catalogue.microsoft_duties
    )
    # an attestation always says where it applies
    assert all(r.scope for d in catalogue.microsoft_duties for r in d.attestations)


def test_sample_regulated_vwan_fails_exactly_the_expected_controls() -> None:
    from pathlib import Path

    from archgen.controls.engine import evaluate
    from archgen.discovery.files import load_files
    from archgen.model.builder import build

    graph = build(load_files([Path("archgen/samples/regulated-vwan.json")]))
    failing = {(x.control, graph.nodes[x.resource].name) for x in evaluate(graph) if x.status.value == "fail"}
    assert failing == {
        ("KV-NET-01", "kv-aoai-claims-prod"),
        ("ST-NET-01", "staoaiclaimsft"),
        ("ST-NET-03", "staoaiclaimsft"),
        ("ST-IAM-01", "staoaiclaimsft"),
        ("ST-ENC-01", "staoaiclaimsft"),
    }


def test_evidence_quotes_values_as_azure_returned_them() -> None:
    rows = [f.account(publicNetworkAccess="Enabled", networkAcls={"defaultAction": "Allow"})]
    _g, findings = findings_of(rows)
    net = next(x for x in findings if x.control == "AOAI-NET-01")
    assert net.evidence == {
        "properties.publicNetworkAccess": "Enabled",
        "properties.networkAcls.defaultAction": "Allow",
        "properties.networkAcls.bypass": "not set",
    }
    assert "publicNetworkAccess Enabled, firewall default action Allow" in net.reason
