"""Front Door (Standard/Premium) in front of an account: the origins and security policies read through ARM
join their profile, an origin whose `hostName` is one of the account's hosts (or an API Management gateway's)
is a `fronts` edge, and the WAF mode of the policies its security policies link.

Property names: `archgen.model.types.frontdoor`. What is not judged: which domains and routes a security
policy's `associations` cover (the WAF is taken to apply to the profile), and Front Door's own rules engine.
A profile whose security policies are not in the input has an `unknown` WAF mode, never `none`: an empty
list read from ARM and a list never read look the same in the snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from archgen.model import records
from archgen.model.children import ByType
from archgen.model.graph import Graph, Node
from archgen.model.relations import Relation
from archgen.model.types.frontdoor import (
    ORIGIN,
    ORIGIN_GROUP,
    SECURITY_POLICY,
    FrontDoor,
    FrontDoorWafPolicy,
    Origin,
    parse_origin,
    waf_policy_of,
)

EdgeSink = Callable[..., None]
ARM_READS = (
    "front_door_origin_groups",
    "front_door_origins",
)  # reads whose failure can hide a fronting origin
# WAF modes from worst to best: the profile's mode is its worst policy's.
_ORDER = ("none", "disabled", "detection", "unknown", "prevention")


def _profile_of(rid: str, marker: str) -> str:
    return rid.split(marker, 1)[0] if marker in rid else ""


def attach_front_doors(nodes: dict[str, Node], by_type: ByType) -> None:
    """Origins and security policies join their profile's attributes (rows from ARM child lists)."""
    origins: dict[str, list[Origin]] = defaultdict(list)
    groups: set[str] = set()
    for r in by_type.get(ORIGIN_GROUP, ()):
        groups.add(_profile_of(r.id, "/origingroups/"))
    for r in by_type.get(ORIGIN, ()):
        profile = _profile_of(r.id, "/origingroups/")
        groups.add(profile)
        group = r.id.split("/origingroups/", 1)[1].split("/", 1)[0]
        origins[profile].append(parse_origin(r.row, group))
    policies: dict[str, set[str]] = defaultdict(set)
    for r in by_type.get(SECURITY_POLICY, ()):
        found = policies[_profile_of(r.id, "/securitypolicies/")]
        if waf := waf_policy_of(r.row):
            found.add(waf)
    for profile in sorted(groups | set(policies)):
        node = nodes.get(profile)
        if node is None or not isinstance(node.attrs, FrontDoor):
            continue
        attrs = records.replace(
            node.attrs,
            origins=tuple(sorted(origins.get(profile, ()), key=lambda o: (o.group, o.name, o.host or ""))),
            origins_read=profile in groups,
            waf_policies=tuple(sorted(policies.get(profile, ()))),
            security_policies_read=profile in policies,
        )
        nodes[profile] = records.replace(node, attrs=attrs)


def front_door_edges(
    nodes: Iterable[Node],
    accounts: Mapping[str, list[str]],
    gateways: Mapping[str, list[str]],
    edge: EdgeSink,
) -> None:
    """`fronts` edges: Front Door -> account or API Management, one per target, naming every origin that
    reaches it (`via`), its host (`url`) and how Front Door reaches it (`reach`)."""
    for n in nodes:
        if not isinstance(n.attrs, FrontDoor):
            continue
        reach: dict[str, list[Origin]] = defaultdict(list)
        for o in n.attrs.origins:
            for target in (*accounts.get(o.host or "", ()), *gateways.get(o.host or "", ())):
                reach[target].append(o)
        for target, found in sorted(reach.items()):
            edge(
                n.id,
                Relation.FRONTS,
                target,
                via="; ".join(f"origin {o.group}/{o.name}" for o in found),
                url=", ".join(sorted({o.host or "" for o in found})),
                reach="; ".join(sorted({o.reach() for o in found})),
            )


def _policy_mode(graph: Graph, policy_id: str) -> tuple[str, dict[str, Any]]:
    policy = graph.attrs(policy_id, FrontDoorWafPolicy)
    if policy is None:
        return "unknown", {"policy_in_input": False}
    evidence = {
        "policySettings.enabledState": policy.enabled_state or "not set (Enabled by default)",
        "policySettings.mode": policy.mode or "not set",
    }
    if policy.enabled_state == "disabled":
        return "disabled", evidence
    return (policy.mode if policy.mode in ("prevention", "detection") else "unknown"), evidence


def front_door_waf(graph: Graph, fd: FrontDoor) -> tuple[str, dict[str, Any]]:
    """A profile's WAF mode ('prevention' | 'detection' | 'disabled' | 'none' | 'unknown') and the evidence:
    the worst of the WAF policies its security policies link."""
    if not fd.security_policies_read:
        return "unknown", {"securityPolicies": "not in the input"}
    if not fd.waf_policies:
        return "none", {"securityPolicies": "none links a WAF policy"}
    modes = {p: _policy_mode(graph, p) for p in fd.waf_policies}
    worst = min((m for m, _ in modes.values()), key=_ORDER.index)
    return worst, {"wafPolicies": {p: {**e, "mode": m} for p, (m, e) in modes.items()}}


def origins_reach(fd: FrontDoor, hosts: str) -> str:
    """How Front Door reaches the origins whose hosts are listed (`, `-separated, as a `fronts` edge's url)."""
    wanted = set(hosts.split(", "))
    return "; ".join(sorted({o.reach() for o in fd.origins if o.host in wanted})) or "not stated"
