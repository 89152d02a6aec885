"""Fixtures for Azure Front Door in front of the account (AOAI-NET-08, AOAI-NET-09), named by expected outcome."""

from __future__ import annotations

from typing import Any

from tests import factory as f
from tests import gateway_cases as gc

Rows = list[f.Row]
PROFILE = f.rid("Microsoft.Cdn", "profiles", "afd-aoai-test")
FD_WAF = f.rid("Microsoft.Network", "FrontDoorWebApplicationFirewallPolicies", "wafafdaoaitest")
ACCOUNT_HOST = "aoai-test.openai.azure.com"
APIM_HOST = "apim-aoai-test.azure-api.net"


def profile(sku: str = "Premium_AzureFrontDoor") -> f.Row:
    return f.row(
        PROFILE,
        "Microsoft.Cdn/profiles",
        {"originResponseTimeoutSeconds": 60, "frontDoorId": "8c2e4f61-0b3d-4a57-9e18-c6d2a4b7f905"},
        sku={"name": sku},
        kind="frontdoor",
        location="Global",
    )


def origin(host: str = ACCOUNT_HOST, name: str = "aoai", status: str | None = "Approved") -> f.Row:
    props: dict[str, Any] = {
        "hostName": host,
        "httpPort": 80,
        "httpsPort": 443,
        "originHostHeader": host,
        "priority": 1,
        "weight": 1000,
        "enabledState": "Enabled",
        "enforceCertificateNameCheck": True,
    }
    if status is not None:
        props["sharedPrivateLinkResource"] = {
            "privateLink": {"id": f.ACCOUNT},
            "groupId": "account",
            "privateLinkLocation": "swedencentral",
            "requestMessage": "Front Door to the model endpoint",
            "status": status,
        }
    return {
        "id": f"{PROFILE}/originGroups/og-aoai/origins/{name}",
        "name": name,
        "type": "Microsoft.Cdn/profiles/originGroups/origins",
        "properties": props,
    }


def security_policy(waf: str | None = FD_WAF) -> f.Row:
    parameters: dict[str, Any] = {"type": "WebApplicationFirewall", "associations": []}
    if waf:
        parameters["wafPolicy"] = {"id": waf}
    return {
        "id": f"{PROFILE}/securityPolicies/sp-aoai",
        "name": "sp-aoai",
        "type": "Microsoft.Cdn/profiles/securityPolicies",
        "properties": {"parameters": parameters},
    }


def fd_waf(mode: str = "Prevention", state: str = "Enabled") -> f.Row:
    return f.row(
        FD_WAF,
        "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies",
        {"policySettings": {"enabledState": state, "mode": mode}},
        sku={"name": "Premium_AzureFrontDoor"},
        location="Global",
    )


CLOSED = gc.CLOSED


# -- AOAI-NET-08: bypass ------------------------------------------------------------------------
def net08_pass_front_door_private_link_to_private_account() -> Rows:
    return [f.account(**CLOSED), profile(), origin()]


def net08_fail_front_door_in_front_of_public_account() -> Rows:
    return [f.account(), profile(), origin(status=None)]


# -- AOAI-NET-09: WAF ---------------------------------------------------------------------------
def net09_pass_front_door_prevention() -> Rows:
    return [f.account(**CLOSED), profile(), origin(), security_policy(), fd_waf()]


def net09_pass_front_door_in_front_of_apim() -> Rows:
    return [
        f.account(**CLOSED),
        gc.apim(),
        gc.backend(),
        profile(),
        origin(host=APIM_HOST, status=None),
        security_policy(),
        fd_waf(),
    ]


def net09_fail_front_door_detection() -> Rows:
    return [f.account(**CLOSED), profile(), origin(), security_policy(), fd_waf(mode="Detection")]


def net09_fail_front_door_policy_disabled() -> Rows:
    return [f.account(**CLOSED), profile(), origin(), security_policy(), fd_waf(state="Disabled")]


def net09_fail_front_door_security_policy_without_waf() -> Rows:
    return [f.account(**CLOSED), profile(), origin(), security_policy(waf=None)]


def net09_unknown_front_door_security_policies_not_read() -> Rows:
    return [f.account(**CLOSED), profile(), origin()]


def net09_unknown_front_door_waf_policy_not_in_input() -> Rows:
    return [f.account(**CLOSED), profile(), origin(), security_policy()]
