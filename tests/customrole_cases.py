"""Fixtures for AOAI-IAM-06 (custom roles with wildcard OpenAI data actions at subscription scope or above),
named by expected outcome, and the custom role definition rows they use."""

from __future__ import annotations

from tests import factory as f

Rows = list[f.Row]

CUSTOM_ROLE = "7d2c9e14-3b6a-4f85-9a1e-c4d8b2f07a63"
SUB_SCOPE = f"/subscriptions/{f.SUB}"
MG_SCOPE = "/providers/Microsoft.Management/managementGroups/mg-Contoso-AI"
CALL = "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action"


def definition(
    data_actions: list[str], not_data_actions: list[str] | None = None, guid: str = CUSTOM_ROLE
) -> f.Row:
    """A custom role definition as authorizationresources holds it."""
    return {
        "id": f"{SUB_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
        "name": guid,
        "type": "microsoft.authorization/roledefinitions",
        "subscriptionId": f.SUB,
        "tenantId": f.TENANT,
        "properties": {
            "roleName": "Contoso AI Model Caller",
            "type": "CustomRole",
            "description": "Calls the models of the Contoso AI accounts",
            "assignableScopes": [SUB_SCOPE],
            "permissions": [
                {
                    "actions": ["Microsoft.CognitiveServices/accounts/read"],
                    "notActions": [],
                    "dataActions": data_actions,
                    "notDataActions": not_data_actions or [],
                }
            ],
        },
    }


def assigned(scope: str = SUB_SCOPE, guid: str = CUSTOM_ROLE) -> f.Row:
    return f.role(f.GROUP_PRINCIPAL, guid, scope, name="ra-custom", principal_type="Group")


def iam06_fail_wildcard_custom_role_at_subscription() -> Rows:
    return [f.account(), assigned(), definition(["Microsoft.CognitiveServices/*"])]


def iam06_fail_openai_wildcard_at_management_group() -> Rows:
    rows = [f.account(), assigned(MG_SCOPE), definition(["microsoft.cognitiveservices/accounts/openai/*"])]
    sub = f.row(f"/subscriptions/{f.SUB}", "microsoft.resources/subscriptions", {}, subscriptionId=f.SUB)
    sub["properties"]["managementGroupAncestorsChain"] = [{"name": "mg-Contoso-AI"}]
    return [*rows, sub]


def iam06_pass_named_data_action_at_subscription() -> Rows:
    return [f.account(), assigned(), definition([CALL])]


def iam06_pass_wildcard_custom_role_on_the_account_only() -> Rows:
    return [f.account(), assigned(f.ACCOUNT), definition(["*"])]


def iam06_pass_wildcard_excluded_by_not_data_actions() -> Rows:
    return [
        f.account(),
        assigned(),
        definition(["*"], ["Microsoft.CognitiveServices/accounts/OpenAI/*"]),
    ]


def iam06_unknown_definition_not_read() -> Rows:
    return [f.account(), assigned()]


def iam06_unknown_no_assignment_on_chain() -> Rows:
    return [f.account()]


A = f.ACCOUNT.lower()
CASES = [
    ("AOAI-IAM-06", iam06_fail_wildcard_custom_role_at_subscription, A, "fail"),
    ("AOAI-IAM-06", iam06_fail_openai_wildcard_at_management_group, A, "fail"),
    ("AOAI-IAM-06", iam06_pass_named_data_action_at_subscription, A, "pass"),
    ("AOAI-IAM-06", iam06_pass_wildcard_custom_role_on_the_account_only, A, "pass"),
    ("AOAI-IAM-06", iam06_pass_wildcard_excluded_by_not_data_actions, A, "pass"),
    ("AOAI-IAM-06", iam06_unknown_definition_not_read, A, "unknown"),
    ("AOAI-IAM-06", iam06_unknown_no_assignment_on_chain, A, "unknown"),
]
