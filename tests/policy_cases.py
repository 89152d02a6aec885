"""Fixtures for Azure Policy enforcement (AOAI-NET-10), named by outcome.

Rows are shaped as Resource Graph's `policyresources` table returns them (properties as policyAssignments.json,
policyDefinitions.json and policySetDefinitions.json 2023-04-01 name them).
"""

from __future__ import annotations

from typing import Any

from tests import factory as f

Rows = list[f.Row]
RESTRICT_NETWORK = (
    "037eea7a-bd0a-46c5-9a66-03aea78705d3"  # Azure AI Services resources should restrict network access
)
PRIVATE_LINK = (
    "d6759c02-b87f-42b7-892e-71b3f471d782"  # Azure AI Services resources should use Azure Private Link
)
LOCAL_AUTH = "71ef260a-8f18-47b7-abcb-62d0673d94dc"
SUB_SCOPE = f"/subscriptions/{f.SUB}"
BUILTIN = "/providers/Microsoft.Authorization/policyDefinitions/"
INITIATIVE = f"{SUB_SCOPE}/providers/Microsoft.Authorization/policySetDefinitions/ai-guardrails"


def _row(id_: str, type_: str, props: dict[str, Any]) -> f.Row:
    parts = id_.split("/")
    return {
        "id": id_,
        "name": parts[-1],
        "type": type_,
        "subscriptionId": parts[2] if id_.startswith("/subscriptions/") else "",
        "tenantId": f.TENANT,
        "properties": props,
    }


def definition(
    guid: str, default: str = "Audit", allowed: tuple[str, ...] = ("Audit", "Deny", "Disabled")
) -> f.Row:
    return _row(
        BUILTIN + guid,
        "microsoft.authorization/policydefinitions",
        {
            "displayName": {
                RESTRICT_NETWORK: "Azure AI Services resources should restrict network access"
            }.get(guid, guid),
            "policyType": "BuiltIn",
            "mode": "Indexed",
            "parameters": {
                "effect": {"type": "String", "defaultValue": default, "allowedValues": list(allowed)}
            },
            "policyRule": {
                "if": {"field": "type", "equals": "Microsoft.CognitiveServices/accounts"},
                "then": {"effect": "[parameters('effect')]"},
            },
        },
    )


def assignment(
    name: str, definition_id: str, scope: str = SUB_SCOPE, mode: str = "Default", **parameters: Any
) -> f.Row:
    return _row(
        f"{scope}/providers/Microsoft.Authorization/policyAssignments/{name}",
        "microsoft.authorization/policyassignments",
        {
            "displayName": name,
            "scope": scope,
            "policyDefinitionId": definition_id,
            "enforcementMode": mode,
            "notScopes": parameters.pop("not_scopes", []),
            "parameters": {k: {"value": v} for k, v in parameters.items()},
        },
    )


def initiative(effect_parameter: str = "aiNetworkEffect") -> f.Row:
    return _row(
        INITIATIVE,
        "microsoft.authorization/policysetdefinitions",
        {
            "displayName": "AI guardrails",
            "policyType": "Custom",
            "parameters": {effect_parameter: {"type": "String", "defaultValue": "Audit"}},
            "policyDefinitions": [
                {
                    "policyDefinitionId": BUILTIN + RESTRICT_NETWORK,
                    "policyDefinitionReferenceId": "restrictNetwork",
                    "parameters": {"effect": {"value": f"[parameters('{effect_parameter}')]"}},
                }
            ],
        },
    )


def exemption(assignment_row: f.Row, scope: str = f.ACCOUNT) -> f.Row:
    return _row(
        f"{scope}/providers/Microsoft.Authorization/policyExemptions/pilot-public-endpoint",
        "microsoft.authorization/policyexemptions",
        {
            "policyAssignmentId": assignment_row["id"],
            "exemptionCategory": "Waiver",
            "expiresOn": "2026-12-31T23:59:59Z",
            "policyDefinitionReferenceIds": [],
        },
    )


def policy_state(
    assignment_row: f.Row, guid: str, state: str, resource: str = f.ACCOUNT, ref: str = ""
) -> f.Row:
    """A compliance state as the policyresources table holds it (the properties Microsoft's samples read)."""
    return _row(
        f"{resource}/providers/Microsoft.PolicyInsights/policyStates/{guid[:8]}{len(ref)}",
        "microsoft.policyinsights/policystates",
        {
            "resourceId": resource,
            "policyAssignmentId": assignment_row["id"],
            "policyDefinitionId": BUILTIN + guid,
            "policyDefinitionReferenceId": ref,
            "complianceState": state,
        },
    )


def net10_pass_restrict_network_denied_at_subscription() -> Rows:
    return [
        f.account(),
        assignment("deny-ai-public", BUILTIN + RESTRICT_NETWORK, effect="Deny"),
        definition(RESTRICT_NETWORK),
    ]


def net10_pass_denied_through_an_initiative_parameter() -> Rows:
    return [
        f.account(),
        assignment("ai-guardrails", INITIATIVE, aiNetworkEffect="Deny"),
        initiative(),
        definition(RESTRICT_NETWORK),
    ]


def net10_fail_audit_by_default() -> Rows:
    return [
        f.account(),
        assignment("audit-ai-network", BUILTIN + RESTRICT_NETWORK),
        definition(RESTRICT_NETWORK),
    ]


def net10_fail_deny_but_do_not_enforce() -> Rows:
    a = assignment("deny-ai-public", BUILTIN + RESTRICT_NETWORK, mode="DoNotEnforce", effect="Deny")
    return [f.account(), a, definition(RESTRICT_NETWORK)]


def net10_fail_account_exempt() -> Rows:
    a = assignment("deny-ai-public", BUILTIN + RESTRICT_NETWORK, effect="Deny")
    return [f.account(), a, definition(RESTRICT_NETWORK), exemption(a)]


def net10_fail_resource_group_in_not_scopes() -> Rows:
    a = assignment("deny-ai-public", BUILTIN + RESTRICT_NETWORK, effect="Deny", not_scopes=[f.RG_ID])
    return [f.account(), a, definition(RESTRICT_NETWORK)]


def net10_fail_only_other_policies_assigned() -> Rows:
    return [
        f.account(),
        assignment("ai-local-auth", BUILTIN + LOCAL_AUTH, effect="Deny"),
        definition(LOCAL_AUTH),
    ]


def net10_unknown_no_assignment_in_input() -> Rows:
    return [f.account(), definition(RESTRICT_NETWORK)]


def net10_unknown_assignment_only_on_another_resource_group() -> Rows:
    other = f"{SUB_SCOPE}/resourceGroups/rg-elsewhere"
    return [f.account(), assignment("deny-ai-public", BUILTIN + RESTRICT_NETWORK, scope=other, effect="Deny")]


def net10_unknown_definition_not_in_input() -> Rows:
    return [f.account(), assignment("ai-network", BUILTIN + RESTRICT_NETWORK)]


def net10_unknown_initiative_not_in_input() -> Rows:
    return [f.account(), assignment("ai-guardrails", INITIATIVE, aiNetworkEffect="Deny")]


# Exemption expiry against the input's data-as-of instant (issue 11 §3): rows plus the instant.
AS_OF = "2027-01-15T08:00:00Z"


def _exempt_until(expires_on: str | None) -> Rows:
    a = assignment("deny-ai-public", BUILTIN + RESTRICT_NETWORK, effect="Deny")
    ex = exemption(a)
    ex["properties"]["expiresOn"] = expires_on
    return [f.account(), a, definition(RESTRICT_NETWORK), ex]


def net10_pass_exemption_expired_at_data_as_of() -> Rows:
    return _exempt_until("2026-12-31T23:59:59Z")


def net10_pass_exemption_expiring_exactly_at_data_as_of() -> Rows:
    return _exempt_until(AS_OF)


def net10_fail_exemption_in_force_at_data_as_of() -> Rows:
    return _exempt_until("2027-03-31T00:00:00.0000000Z")


def net10_fail_exemption_without_expiry() -> Rows:
    return _exempt_until(None)
