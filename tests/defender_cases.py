"""Fixtures for the Defender for Cloud plan controls (AOAI-LOG-02, KV-LOG-02, ST-LOG-01), named by outcome.

Pricing rows are shaped as Resource Graph's `securityresources` table returns `microsoft.security/pricings`
(properties as `pricings.json` 2024-01-01 names them).
"""

from __future__ import annotations

from typing import Any

from tests import factory as f

Rows = list[f.Row]
OTHER_SUB = "0d7a4e91-3c5b-4f28-9e6a-b1c3d5e7f902"


def pricing(plan: str, tier: str = "Standard", sub: str = f.SUB, **props: Any) -> f.Row:
    body: dict[str, Any] = {"pricingTier": tier, "freeTrialRemainingTime": "PT0S", **props}
    return {
        "id": f"/subscriptions/{sub}/providers/Microsoft.Security/pricings/{plan}",
        "name": plan,
        "type": "microsoft.security/pricings",
        "subscriptionId": sub,
        "tenantId": f.TENANT,
        "properties": body,
    }


def with_vault() -> Rows:
    return [f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK), f.uami(), f.vault()]


def with_storage() -> Rows:
    acls = {"defaultAction": "Deny", "resourceAccessRules": [{"tenantId": f.TENANT, "resourceId": f.ACCOUNT}]}
    return [f.account(), f.storage(networkAcls=acls)]


def ai_pass_plan_standard() -> Rows:
    return [f.account(), pricing("AI", resourcesCoverageStatus="FullyCovered")]


def ai_pass_plan_name_in_other_case() -> Rows:
    return [f.account(), pricing("ai")]


def ai_fail_plan_free() -> Rows:
    return [f.account(), pricing("AI", "Free")]


def ai_fail_standard_but_not_covered() -> Rows:
    return [f.account(), pricing("AI", resourcesCoverageStatus="NotCovered")]


def ai_unknown_partially_covered() -> Rows:
    return [f.account(), pricing("AI", resourcesCoverageStatus="PartiallyCovered")]


def ai_unknown_plan_not_collected() -> Rows:
    return [f.account()]


def ai_unknown_only_other_plans_and_subscriptions_collected() -> Rows:
    # rows of other plans, and of the AI plan on another subscription, say nothing about this one
    return [f.account(), pricing("KeyVaults"), pricing("StorageAccounts"), pricing("AI", sub=OTHER_SUB)]


def kv_pass_plan_standard() -> Rows:
    return [*with_vault(), pricing("KeyVaults", subPlan="PerKeyVault")]


def kv_fail_plan_free() -> Rows:
    return [*with_vault(), pricing("KeyVaults", "Free")]


def kv_unknown_plan_not_collected() -> Rows:
    return [*with_vault(), pricing("AI")]


def st_pass_plan_standard_fully_covered() -> Rows:
    return [
        *with_storage(),
        pricing("StorageAccounts", subPlan="DefenderForStorageV2", resourcesCoverageStatus="FullyCovered"),
    ]


def st_fail_plan_free() -> Rows:
    return [*with_storage(), pricing("StorageAccounts", "Free")]


def st_unknown_standard_without_coverage_status() -> Rows:
    return [*with_storage(), pricing("StorageAccounts", subPlan="DefenderForStorageV2")]


def st_unknown_plan_not_collected() -> Rows:
    return with_storage()
