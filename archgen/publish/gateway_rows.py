"""The workload page's "What fronts it" rows: each gateway in front of the account (API Management,
Application Gateway, Front Door), the backend that reaches the account, how it reaches it, its WAF mode and its own
exposure.

Plain strings from the model (`archgen.model.gateways`); the template escapes every one (`cell`).
Whether API Management authenticates to the account with its managed identity comes from the element names
of its global and API policies (`authentication-managed-identity`); operation-level policies are not read, so
its absence from those is `unknown`, never `no`.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model.frontdoor import origins_reach
from archgen.model.gateways import Front, fronts_of, waf_mode
from archgen.model.graph import Graph
from archgen.model.types import label_of
from archgen.model.types.frontdoor import FrontDoor
from archgen.model.types.gateway import ApiManagement, AppGateway

WAF_SHOWN = {
    "prevention": "Prevention",
    "detection": "Detection",
    "disabled": "disabled",
    "none": "no WAF",
    "unknown": "policy not in the input",
}


@dataclass(frozen=True, slots=True)
class GatewayRow:
    gateway: str
    type: str
    backend: str  # the backend URL or pool FQDN that points at the account (or at the APIM in front of it)
    reaches: str  # how the gateway reaches the account
    waf: str
    exposure: str  # the gateway's own exposure
    identity_auth: str


def _name(graph: Graph, node_id: str) -> str:
    node = graph.node(node_id)
    return node.name if node is not None else node_id.rsplit("/", 1)[-1]


def _apim_reach(a: ApiManagement) -> str:
    if a.virtual_network_type in ("internal", "external"):
        subnet = a.subnet_id.rsplit("/", 1)[-1] if a.subnet_id else "subnet not stated"
        return f"from its virtual network ({a.virtual_network_type}, {subnet})"
    if a.virtual_network_type == "none":
        return "from Azure's public network (no virtual network)"
    return "virtualNetworkType not stated"


def _apim_exposure(a: ApiManagement) -> str:
    exposure = {"internal": "internal only", "internet": "internet-facing"}.get(a.exposure(), "not stated")
    return (
        f"{exposure} (virtualNetworkType {a.virtual_network_type or 'not set'}, "
        f"publicNetworkAccess {a.public_network_access or 'not set'})"
    )


def _row(graph: Graph, f: Front) -> GatewayRow:
    node = graph.node(f.gateway)
    kind = label_of(node.type) if node is not None else "Gateway"
    apim = graph.attrs(f.gateway, ApiManagement)
    through = f" through {_name(graph, f.through)}" if f.through else ""
    if apim is not None:
        return GatewayRow(
            _name(graph, f.gateway),
            kind,
            f"{f.url} ({f.via})",
            _apim_reach(apim),
            "not applicable",
            _apim_exposure(apim),
            apim.identity_auth(),
        )
    mode, _evidence = waf_mode(graph, f.gateway)
    fd = graph.attrs(f.gateway, FrontDoor)
    if fd is not None:
        return GatewayRow(
            _name(graph, f.gateway),
            f"{kind} ({fd.sku or 'SKU not set'})",
            f"{f.url} ({f.via})",
            f"origin {origins_reach(fd, f.url)}{through}",
            WAF_SHOWN.get(mode, mode),
            "internet-facing (Front Door endpoint)",
            "not applicable",
        )
    gw = graph.attrs(f.gateway, AppGateway)
    tier = gw.sku_tier if gw is not None and gw.sku_tier else "tier not set"
    return GatewayRow(
        _name(graph, f.gateway),
        f"{kind} ({tier})",
        f"{f.url} ({f.via})",
        f"backend pool{through}",
        WAF_SHOWN.get(mode, mode),
        "not read (frontend IP configurations)",
        "not applicable",
    )


def gateway_rows(graph: Graph, account_id: str) -> list[GatewayRow]:
    return [_row(graph, f) for f in fronts_of(graph, account_id)]
