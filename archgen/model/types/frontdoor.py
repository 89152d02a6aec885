"""Azure Front Door (Standard/Premium) in front of the account, and its WAF policy.

Property names and values (compared lower-case), all from `specification/cdn/resource-manager/Microsoft.Cdn/
stable/2024-09-01/afdx.json` unless said otherwise:
- The profile `microsoft.cdn/profiles` with `sku.name` `Standard_AzureFrontDoor` or `Premium_AzureFrontDoor`
  (`cdn.json` 2024-09-01 `Sku.name`; the other names are classic CDN SKUs, not Front Door).
- Its origin groups and their origins are ARM child resources Resource Graph does not hold:
  `GET {profile}/originGroups` (`AFDOriginGroups_ListByProfile`) and `GET {profile}/originGroups/{g}/origins`
  (`AFDOrigins_ListByOriginGroup`), each paged by `nextLink`. An origin's `AFDOriginUpdatePropertiesParameters`:
  `hostName` ("The address of the origin"), `enabledState` (Enabled | Disabled) and `sharedPrivateLinkResource`
  (`SharedPrivateLinkResourceProperties`: `privateLink.id`, `groupId`, `privateLinkLocation`, `status`:
  Pending | Approved | Rejected | Disconnected | Timeout). A private origin is Premium only ("Secure your Origin
  with Private Link in Azure Front Door Premium", https://learn.microsoft.com/azure/frontdoor/private-link,
  ms.date 2024-08-12: "You must approve the private endpoint connection before traffic can pass to the origin
  privately").
- Its security policies `GET {profile}/securityPolicies` (`SecurityPolicies_ListByProfile`):
  `properties.parameters` with `type` `WebApplicationFirewall` (`SecurityPolicyWebApplicationFirewallParameters`)
  name the WAF policy in `wafPolicy.id`.
- The WAF policy `microsoft.network/frontdoorwebapplicationfirewallpolicies`, `specification/frontdoor/
  resource-manager/Microsoft.Network/stable/2024-02-01/webapplicationfirewall.json` `PolicySettings`:
  `enabledState` (Disabled | Enabled, "Defaults to Enabled if not specified") and `mode` (Prevention |
  Detection); https://learn.microsoft.com/azure/web-application-firewall/afds/waf-front-door-policy-settings
  (ms.date 2026-09-01).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.relations import Relation
from archgen.model.types.spec import IconRef, Ref, RefIndex, ResourceType

PROFILE = "microsoft.cdn/profiles"
ORIGIN_GROUP = "microsoft.cdn/profiles/origingroups"
ORIGIN = "microsoft.cdn/profiles/origingroups/origins"
SECURITY_POLICY = "microsoft.cdn/profiles/securitypolicies"
FD_WAF_POLICY = "microsoft.network/frontdoorwebapplicationfirewallpolicies"
FRONT_DOOR_SKUS = frozenset({"standard_azurefrontdoor", "premium_azurefrontdoor"})


class Origin(msgspec.Struct, frozen=True):
    """One origin of a Front Door origin group."""

    group: str
    name: str
    host: str | None  # lower-case `hostName`
    enabled: str | None  # lower-case `enabledState`
    private_link: str | None  # normalised `sharedPrivateLinkResource.privateLink.id`
    private_link_status: str | None  # lower-case `sharedPrivateLinkResource.status`

    def reach(self) -> str:
        """How Front Door reaches the origin, as far as its properties say."""
        if self.private_link is None:
            return "over the internet (no Private Link on the origin)"
        status = self.private_link_status or "status not stated"
        if status == "approved":
            return "over Private Link (approved)"
        return f"Private Link requested, not approved ({status}): no traffic passes privately"


class FrontDoor(msgspec.Struct, frozen=True):
    sku: str | None  # lower-case
    origins: tuple[Origin, ...] = ()
    origins_read: bool = False  # whether the input holds the profile's origin groups (ARM)
    waf_policies: tuple[str, ...] = ()  # normalised ids of the WAF policies its security policies link
    security_policies_read: bool = False  # whether the input holds the profile's security policies (ARM)


def parse_front_door(row: Mapping[str, object], properties: Mapping[str, object]) -> FrontDoor:
    return FrontDoor(sku=props.get_enum(row, "sku", "name"))


def parse_origin(row: Mapping[str, object], group: str) -> Origin:
    p = props.get(row, "properties")
    link = props.get(p, "sharedPrivateLinkResource")
    private_link = props.ref_id(link, "privateLink", "id") if isinstance(link, Mapping) else ""
    return Origin(
        group=group,
        name=props.get_str(row, "name") or "",
        host=(props.get_str(p, "hostName") or "").strip().rstrip(".").lower() or None,
        enabled=props.get_enum(p, "enabledState"),
        private_link=private_link or None,
        private_link_status=props.get_enum(link, "status") if isinstance(link, Mapping) else None,
    )


def waf_policy_of(security_policy: Mapping[str, object]) -> str:
    """The WAF policy a security policy links (normalised id), '' when it links none."""
    parameters = props.get(security_policy, "properties", "parameters")
    if props.get_enum(parameters, "type") != "webapplicationfirewall":
        return ""
    return props.ref_id(parameters, "wafPolicy", "id")


def front_door_references(node_id: str, fd: FrontDoor, index: RefIndex) -> Iterable[Ref]:
    for policy in fd.waf_policies:
        yield Ref(node_id, Relation.PROTECTED_BY, policy)


class FrontDoorWafPolicy(msgspec.Struct, frozen=True):
    enabled_state: str | None  # lower-case: enabled | disabled (not stated: Enabled by default)
    mode: str | None  # lower-case: prevention | detection


def parse_fd_waf_policy(row: Mapping[str, object], properties: Mapping[str, object]) -> FrontDoorWafPolicy:
    return FrontDoorWafPolicy(
        enabled_state=props.get_enum(properties, "policySettings", "enabledState"),
        mode=props.get_enum(properties, "policySettings", "mode"),
    )


R = Relation
FRONT_DOOR_SPEC = ResourceType(
    arm_type=PROFILE,
    label="Front Door",
    noun="Front Door profile",
    parse=parse_front_door,
    references=front_door_references,
    walk=((R.PROTECTED_BY, "out"),),
    icon=IconRef("diagrams.azure.networking", "FrontDoorAndCDNProfiles", None, "Front Door"),
)
FD_WAF_POLICY_SPEC = ResourceType(
    arm_type=FD_WAF_POLICY,
    label="Front Door WAF policy",
    noun="Front Door WAF policy",
    parse=parse_fd_waf_policy,
    icon=IconRef("diagrams.azure.networking", "WebApplicationFirewallPolicieswaf", None, "WAF policy"),
)
