"""Microsoft Defender for Cloud plans (`microsoft.security/pricings`) and what they protect in a workload.

Sources:
- Resource Graph keeps the plans in its `securityresources` table as type `microsoft.security/pricings`
  (https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources#securityresources;
  MicrosoftDocs/azure-docs articles/governance/resource-graph/reference/supported-tables-resources.md).
- Property names from `specification/security/resource-manager/Microsoft.Security/stable/2024-01-01/pricings.json`
  (`PricingProperties`): `pricingTier` (`Free` | `Standard`), `subPlan`, `extensions[]{name,isEnabled}`,
  `resourcesCoverageStatus` (`FullyCovered` | `PartiallyCovered` | `NotCovered`, subscription level only:
  "since the plan status can also be defined at the resource level, there might be misalignment between the
  subscription's plan status and the resource status").
- Plan names, as the built-in Azure Policy definitions name the pricing they check (Azure/azure-policy
  built-in-policies/policyDefinitions/Security Center/): `AI` (ASC_Azure_Defender_AI_AINE.json,
  c2c0c6d8-007b-4a48-8d9b-3539bddd8e87), `KeyVaults` (ASC_Azure_Defender_KeyVault_DINE.json,
  1f725891-01c0-420a-9059-4fa46cb770b7), `StorageAccounts` (ASC_Azure_Defender_Storage_DINE.json); each
  treats the plan as on when `pricingTier` equals `Standard`.
- Resource-level pricings: pricings.json 2024-01-01 documents resource-scope pricing only for "VirtualMachines,
  VMSS and ARC Machines"; AI threat protection is enabled per subscription
  (https://learn.microsoft.com/azure/defender-for-cloud/ai-onboarding, ms.date 05/20/2025). Defender for
  Storage can be enabled or excluded per storage account
  (https://learn.microsoft.com/azure/defender-for-cloud/defender-for-storage-introduction, ms.date
  05/13/2025), through `Microsoft.Security/defenderForStorageSettings`, which the securityresources table does
  not list; archgen reads the subscription's `resourcesCoverageStatus` instead and leaves a storage account
  `unknown` when the subscription does not report full coverage.

Evidence rule: a plan's state on a subscription is known only from that subscription's own pricing row for
that plan (read by the `defender_plans_by_subscription` lookup); a missing row is "not collected".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import msgspec

from archgen.model import props
from archgen.model.ids import norm_id

PRICING = "microsoft.security/pricings"
ACCOUNT = "microsoft.cognitiveservices/accounts"
VAULT = "microsoft.keyvault/vaults"
STORAGE = "microsoft.storage/storageaccounts"

AI, KEY_VAULTS, STORAGE_ACCOUNTS = "AI", "KeyVaults", "StorageAccounts"
PLANS = (AI, KEY_VAULTS, STORAGE_ACCOUNTS)
PLAN_TITLES = {
    AI: "Defender for AI Services",
    KEY_VAULTS: "Defender for Key Vault",
    STORAGE_ACCOUNTS: "Defender for Storage",
}
# Resource type -> the plan that watches it.
PLAN_FOR_TYPE = {ACCOUNT: AI, VAULT: KEY_VAULTS, STORAGE: STORAGE_ACCOUNTS}
# Plans a resource can leave or join on its own (documented resource-level enablement or exclusion).
PER_RESOURCE = frozenset({STORAGE_ACCOUNTS})

# Protection states, derived once per (resource, plan).
ON, OFF, PARTIAL, NOT_COLLECTED = "on", "off", "partial", "not collected"


class DefenderPlan(msgspec.Struct, frozen=True):
    """One subscription-level pricing row."""

    id: str
    subscription_id: str  # lower-case
    name: str  # the plan name as the enum spells it when known (AI, KeyVaults, ...), else as read
    tier: str | None  # Free | Standard (as read)
    sub_plan: str | None
    coverage: str | None  # resourcesCoverageStatus
    extensions: tuple[tuple[str, str], ...]  # (name, isEnabled), sorted

    @property
    def standard(self) -> bool:
        return (self.tier or "").lower() == "standard"


def _canonical(name: str) -> str:
    return next((p for p in PLANS if p.lower() == name.lower()), name)


def parse_pricing(rid: str, properties: Mapping[str, object]) -> DefenderPlan | None:
    """A subscription-scope pricing row (`/subscriptions/{id}/providers/microsoft.security/pricings/{plan}`);
    None for any other scope (resource-level pricings are documented for machines only)."""
    parts = norm_id(rid).split("/")
    if (
        len(parts) != 7
        or parts[1] != "subscriptions"
        or parts[3:6] != ["providers", "microsoft.security", "pricings"]
    ):
        return None
    extensions = tuple(
        sorted(
            (name, props.get_str(e, "isEnabled") or "not set")
            for e in props.items(properties, "extensions")
            if (name := props.get_str(e, "name"))
        )
    )
    return DefenderPlan(
        id=norm_id(rid),
        subscription_id=parts[2],
        name=_canonical(parts[6]),
        tier=props.get_str(properties, "pricingTier"),
        sub_plan=props.get_str(properties, "subPlan"),
        coverage=props.get_str(properties, "resourcesCoverageStatus"),
        extensions=extensions,
    )


class PricingRow(Protocol):
    """A row as the builder holds it: its normalised id and its `properties`."""

    @property
    def id(self) -> str: ...

    @property
    def properties(self) -> Mapping[str, Any]: ...


def plans_by_subscription(rows: Iterable[PricingRow]) -> dict[tuple[str, str], DefenderPlan]:
    """(subscription id, plan name lower-case) -> plan, from the pricing rows; the first row of a plan wins."""
    out: dict[tuple[str, str], DefenderPlan] = {}
    for row in rows:
        plan = parse_pricing(row.id, row.properties)
        if plan is not None:
            out.setdefault((plan.subscription_id, plan.name.lower()), plan)
    return dict(sorted(out.items()))


class Protection(msgspec.Struct, frozen=True):
    """Whether a plan watches one resource: `state` is ON, OFF, PARTIAL or NOT_COLLECTED; `why` says so."""

    plan_name: str
    subscription_id: str
    state: str
    why: str
    plan: DefenderPlan | None


def protection(
    plans: Mapping[tuple[str, str], DefenderPlan], resource_type: str, subscription_id: str
) -> Protection | None:
    """The protection of a resource of `resource_type` in `subscription_id`; None for types no plan watches."""
    name = PLAN_FOR_TYPE.get(resource_type)
    if name is None:
        return None
    sub = subscription_id.lower()
    plan = plans.get((sub, name.lower()))
    if plan is None:
        why = f"the {name} pricing row of subscription {sub} was not collected"
        return Protection(name, sub, NOT_COLLECTED, why, None)
    state, why = _judge(plan, name, sub)
    return Protection(name, sub, state, why, plan)


def _judge(plan: DefenderPlan, name: str, sub: str) -> tuple[str, str]:
    title = PLAN_TITLES[name]
    coverage = (plan.coverage or "").lower()
    if not plan.standard:
        return OFF, f"{title} is {plan.tier or 'not set'} on subscription {sub}"
    if coverage == "notcovered":
        return OFF, f"{title} is Standard on subscription {sub} but covers none of its resources (NotCovered)"
    if coverage == "partiallycovered":
        return (
            PARTIAL,
            f"{title} is Standard on subscription {sub} but covers only some of its resources (PartiallyCovered)",
        )
    if coverage != "fullycovered" and name in PER_RESOURCE:
        return PARTIAL, (
            f"{title} is Standard on subscription {sub}, which reports no coverage status; a storage account can be "
            "excluded on its own (defenderForStorageSettings, not in Resource Graph)"
        )
    return ON, f"{title} is Standard on subscription {sub}"
