"""Foundry and the data it reaches: connections' authentication (FDY-IAM-01), the agent subnet
(FDY-NET-01), and the data sources' own controls (Cosmos DB and Azure AI Search: public access, local auth).

The facts come from the model (`types/foundry.py`, `types/cosmos.py`, `types/search.py`); nothing here reads
rows.
"""

from __future__ import annotations

from archgen.controls.evaluators import agentsubnet
from archgen.controls.evaluators.common import (
    FAIL,
    NA,
    PASS,
    UNKNOWN,
    Verdict,
    evidence_of,
    label,
    shown,
    wide_ip_rules,
)
from archgen.model.graph import Graph, Node
from archgen.model.types import cognitive, cosmos, search


def _foundry_scope(node: Node) -> tuple[cognitive.Account, Verdict | None]:
    """The account, and a not-applicable verdict for accounts that are not AI Services (Foundry) accounts."""
    a = node.attrs_as(cognitive.Account)
    if (node.kind or "").lower() != "aiservices" or a.foundry is None:
        return a, (
            NA,
            f"{label(node)} is of kind {node.kind or 'not set'}; Foundry projects and connections belong to AI "
            "Services (Foundry) accounts.",
            {"kind": shown(node.kind)},
        )
    return a, None


def fdy_iam_01(graph: Graph, node: Node) -> Verdict:
    """Connections of the account and its projects authenticate with Microsoft Entra ID, not keys or SAS."""
    a, na = _foundry_scope(node)
    if na is not None or a.foundry is None:
        return na or (UNKNOWN, f"{label(node)}: no Foundry settings.", {})
    f = a.foundry
    if not f.connections_collected:
        return (
            UNKNOWN,
            f"{label(node)}: the connections of the account and its projects were not collected (live discovery "
            "reads them through ARM); whether they use keys is not known.",
            {"properties.disableLocalAuth": shown(a.disable_local_auth)},
        )
    evidence: dict[str, object] = {
        f"connections[{c.name}].authType": c.auth_type or "not set" for c in f.connections
    }
    evidence["properties.disableLocalAuth"] = shown(a.disable_local_auth)
    if not f.connections:
        evidence["connections"] = "none (the account's and its projects' connection lists were read)"
        return (
            PASS,
            f"{label(node)} has no connection on the account or its projects (their lists were read and are "
            "empty): nothing authenticates with a key or SAS.",
            evidence,
        )
    secret = sorted(f"{c.name} ({c.auth_type})" for c in f.connections if c.auth == "secret")
    if secret:
        despite = (
            " even though the account disables its own keys (disableLocalAuth true)"
            if a.disable_local_auth
            else ""
        )
        return (
            FAIL,
            f"{label(node)} has connection(s) that authenticate with a key, SAS or other stored secret{despite}: "
            f"{', '.join(secret)}.",
            evidence,
        )
    other = sorted(f"{c.name} ({c.auth_type or 'not set'})" for c in f.connections if c.auth != "entra")
    if other:
        return (
            UNKNOWN,
            f"{label(node)} has connection(s) whose auth type is neither a secret nor Microsoft Entra ID: "
            f"{', '.join(other)}.",
            evidence,
        )
    return (
        PASS,
        f"{label(node)}: all {len(f.connections)} connection(s) authenticate with Microsoft Entra ID "
        "(AAD or managed identity).",
        evidence,
    )


def fdy_net_01(graph: Graph, node: Node) -> Verdict:
    """A network-isolated account that allows projects (and so agents) injects agents into its own subnet."""
    a, na = _foundry_scope(node)
    if na is not None or a.foundry is None:
        return na or (UNKNOWN, f"{label(node)}: no Foundry settings.", {})
    f = a.foundry
    evidence = evidence_of(node, "properties.allowProjectManagement", "properties.publicNetworkAccess")
    evidence["properties.networkInjections"] = [
        {
            "scenario": i.scenario,
            "subnetArmId": i.subnet,
            "useMicrosoftManagedNetwork": shown(i.microsoft_managed),
        }
        for i in f.injections
    ]
    if f.allow_project_management is not True:
        return (
            NA,
            f"{label(node)} does not allow project management, so no Foundry agents run on it.",
            evidence,
        )
    if a.public_network_access != "disabled":
        return (
            NA,
            f"{label(node)} is not network-isolated (publicNetworkAccess "
            f"{evidence['properties.publicNetworkAccess']}); AOAI-NET-01 judges its public access.",
            evidence,
        )
    if f.agent_subnets:
        return agentsubnet.judge(graph, node, evidence, f.agent_subnets)
    if any(i.scenario == "agent" and i.microsoft_managed for i in f.injections):
        return (
            UNKNOWN,
            f"{label(node)} asks for a Microsoft managed network for its agents, which the private networking "
            "guide archgen follows does not describe.",
            evidence,
        )
    return (
        FAIL,
        f"{label(node)} has public network access disabled and allows projects, but injects no agent subnet "
        "(no networkInjections entry with scenario agent and a subnet): agents' outbound traffic does not run "
        "in your virtual network.",
        evidence,
    )


def _restricted(node: Node, pna: str | None, ips: tuple[str, ...], vnets: tuple[str, ...]) -> Verdict:
    """Public network access of a data source: disabled, restricted to IP / VNet rules, or open."""
    evidence = evidence_of(node, "properties.publicNetworkAccess")
    evidence["ip rules"] = list(ips)
    evidence["virtual network rules"] = list(vnets)
    if pna == "disabled":
        return PASS, f"{label(node)} has public network access disabled.", evidence
    if pna == "securedbyperimeter":
        return (
            UNKNOWN,
            f"{label(node)} is governed by a network security perimeter, whose rules archgen does not read.",
            evidence,
        )
    if not ips and not vnets:
        return (
            FAIL,
            f"{label(node)} accepts traffic from any network (publicNetworkAccess "
            f"{evidence['properties.publicNetworkAccess']}, no IP or virtual network rule).",
            evidence,
        )
    wide, bad = wide_ip_rules(ips)
    if wide:
        return (
            FAIL,
            f"{label(node)} admits IP ranges wider than archgen's threshold: {', '.join(wide)}.",
            evidence,
        )
    if bad:
        return UNKNOWN, f"{label(node)} has IP rules archgen cannot read ({', '.join(bad)}).", evidence
    return (
        PASS,
        f"{label(node)} admits only its {len(ips)} IP rule(s) and {len(vnets)} virtual network rule(s).",
        evidence,
    )


def cosmos_net_01(graph: Graph, node: Node) -> Verdict:
    c = node.attrs_as(cosmos.CosmosAccount)
    vnets = c.vnet_rules if c.vnet_filter_enabled else ()
    if c.vnet_filter_enabled and not vnets and not c.ip_rules and c.public_network_access != "disabled":
        evidence = evidence_of(
            node, "properties.publicNetworkAccess", "properties.isVirtualNetworkFilterEnabled"
        )
        return (
            UNKNOWN,
            f"{label(node)} enables its virtual network filter with no rule; what it then admits is not "
            "documented on the firewall page archgen follows.",
            evidence,
        )
    return _restricted(node, c.public_network_access, c.ip_rules, vnets)


def srch_net_01(graph: Graph, node: Node) -> Verdict:
    s = node.attrs_as(search.SearchService)
    return _restricted(node, s.public_network_access, s.network_acls.ip_rules, ())


def _json(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _local_auth(node: Node, disabled: bool | None, what: str) -> Verdict:
    evidence = evidence_of(node, "properties.disableLocalAuth")
    if disabled is True:
        return PASS, f"{label(node)} accepts only Microsoft Entra ID (disableLocalAuth true).", evidence
    return (
        FAIL,
        f"{label(node)} accepts {what} (disableLocalAuth {_json(evidence['properties.disableLocalAuth'])}).",
        evidence,
    )


def cosmos_iam_01(graph: Graph, node: Node) -> Verdict:
    return _local_auth(node, node.attrs_as(cosmos.CosmosAccount).disable_local_auth, "account keys")


def srch_iam_01(graph: Graph, node: Node) -> Verdict:
    return _local_auth(node, node.attrs_as(search.SearchService).disable_local_auth, "API keys")
