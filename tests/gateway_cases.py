"""Fixtures for the gateways in front of the account (AOAI-NET-08, AOAI-NET-09), named by expected outcome."""

from __future__ import annotations

from typing import Any

from tests import factory as f

Rows = list[f.Row]
APIM = f.rid("Microsoft.ApiManagement", "service", "apim-aoai-test")
APIM_SUBNET = f.VNET + "/subnets/snet-apim"
APPGW = f.rid("Microsoft.Network", "applicationGateways", "agw-aoai-test")
WAF = f.rid("Microsoft.Network", "ApplicationGatewayWebApplicationFirewallPolicies", "waf-aoai-test")
ACCOUNT_URL = "https://aoai-test.openai.azure.com/openai"


def apim(vnet_type: str = "Internal", public: str = "Enabled", **props: Any) -> f.Row:
    base: dict[str, Any] = {
        "gatewayUrl": "https://apim-aoai-test.azure-api.net",
        "hostnameConfigurations": [{"type": "Proxy", "hostName": "apim-aoai-test.azure-api.net"}],
        "virtualNetworkType": vnet_type,
        "publicNetworkAccess": public,
        "virtualNetworkConfiguration": {"subnetResourceId": APIM_SUBNET},
        **props,
    }
    return f.row(
        APIM,
        "Microsoft.ApiManagement/service",
        base,
        sku={"name": "Developer", "capacity": 1},
        identity={"type": "SystemAssigned", "principalId": "2d4f6a8c-0e1b-4c3d-8e5f-7a9b1c3d5e70"},
    )


def backend(name: str = "aoai", url: str = ACCOUNT_URL) -> f.Row:
    return {
        "id": f"{APIM}/backends/{name}",
        "name": name,
        "type": "Microsoft.ApiManagement/service/backends",
        "properties": {"url": url, "protocol": "http"},
    }


def app_gateway(fqdn: str = "apim-aoai-test.azure-api.net", policy: str | None = WAF, **props: Any) -> f.Row:
    base: dict[str, Any] = {
        "sku": {"name": "WAF_v2", "tier": "WAF_v2"},
        "backendAddressPools": [
            {"name": "pool-apim", "properties": {"backendAddresses": [{"fqdn": fqdn}]}},
        ],
        **props,
    }
    if policy:
        base["firewallPolicy"] = {"id": policy}
    return f.row(APPGW, "Microsoft.Network/applicationGateways", base)


def waf_policy(mode: str = "Prevention", state: str = "Enabled") -> f.Row:
    return f.row(
        WAF,
        "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
        {"policySettings": {"state": state, "mode": mode}},
    )


CLOSED = {"publicNetworkAccess": "Disabled"}


# -- AOAI-NET-08: bypass ------------------------------------------------------------------------
def net08_pass_apim_in_front_of_private_account() -> Rows:
    return [f.account(**CLOSED), apim(), backend()]


def net08_pass_backend_host_in_other_case() -> Rows:
    return [f.account(**CLOSED), apim(), backend(url="HTTPS://AOAI-TEST.cognitiveservices.azure.com/")]


def net08_fail_apim_in_front_of_public_account() -> Rows:
    return [f.account(), apim(), backend()]


def net08_fail_app_gateway_in_front_of_public_account() -> Rows:
    return [f.account(), app_gateway(fqdn="aoai-test.openai.azure.com"), waf_policy()]


def net08_unknown_account_under_perimeter() -> Rows:
    return [f.account(publicNetworkAccess="SecuredByPerimeter"), apim(), backend()]


def net08_na_backend_elsewhere() -> Rows:
    return [f.account(), apim(), backend(url="https://api.contoso.example/")]


def net08_na_no_gateway() -> Rows:
    return [f.account()]


# -- AOAI-NET-09: WAF in front of the account ---------------------------------------------------
def net09_pass_prevention_policy_in_front_of_apim() -> Rows:
    return [f.account(**CLOSED), apim(), backend(), app_gateway(), waf_policy()]


def net09_fail_detection_policy() -> Rows:
    return [f.account(**CLOSED), apim(), backend(), app_gateway(), waf_policy(mode="Detection")]


def net09_fail_no_waf() -> Rows:
    return [
        f.account(**CLOSED),
        app_gateway(
            fqdn="aoai-test.openai.azure.com", policy=None, sku={"name": "Standard_v2", "tier": "Standard_v2"}
        ),
    ]


def net09_unknown_policy_not_in_input() -> Rows:
    return [f.account(**CLOSED), apim(), backend(), app_gateway()]


def net09_na_only_apim() -> Rows:
    return [f.account(**CLOSED), apim(), backend()]


# -- known callers ------------------------------------------------------------------------------
APP = f.rid("Microsoft.Web", "sites", "app-aoai-test")
CONTAINER_APP = f.rid("Microsoft.App", "containerApps", "ca-aoai-test")
APP_PRINCIPAL = "7e9a1c3b-5d2f-4b6e-8a0c-2e4b6d8f0a19"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def web_app(principal: str | None = APP_PRINCIPAL, user_assigned: bool = False) -> f.Row:
    identity: dict[str, Any] = {"type": "SystemAssigned", "principalId": principal, "tenantId": f.TENANT}
    if user_assigned:
        identity = {
            "type": "UserAssigned",
            "userAssignedIdentities": {f.UAMI: {"principalId": principal, "clientId": f.UAMI_CLIENT}},
        }
    props = {"defaultHostName": "app-aoai-test.azurewebsites.net", "httpsOnly": True}
    return f.row(APP, "Microsoft.Web/sites", props, kind="app,linux", identity=identity)


def container_app() -> f.Row:
    props = {
        "configuration": {
            "ingress": {"fqdn": "ca-aoai-test.wittyhill-1a2b3c4d.westeurope.azurecontainerapps.io"}
        }
    }
    identity = {"type": "SystemAssigned", "principalId": APP_PRINCIPAL, "tenantId": f.TENANT}
    return f.row(CONTAINER_APP, "Microsoft.App/containerApps", props, identity=identity)


def caller_calls_through_openai_user() -> Rows:
    return [f.account(**CLOSED), web_app(), f.role(APP_PRINCIPAL, f.OPENAI_USER, f.ACCOUNT, name="ra-app")]


def caller_through_user_assigned_identity() -> Rows:
    return [
        f.account(**CLOSED),
        web_app(user_assigned=True),
        f.role(APP_PRINCIPAL, f.OPENAI_USER, f.RG_ID, name="ra-app"),
    ]


def caller_absent_with_reader_only() -> Rows:
    return [f.account(**CLOSED), web_app(), f.role(APP_PRINCIPAL, READER, f.ACCOUNT, name="ra-app")]
