"""Facts derived once from the graph and read by controls, render and publish.

Private name resolution (which virtual networks' private DNS zone links answer a client in a given
virtual network) is derived here, not in each consumer:

- A private DNS zone link answers only queries that reach Azure-provided DNS from inside the linked
  virtual network; it does not carry over peering or a Virtual WAN hub
  (https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links;
  https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration).
- A virtual network with custom DNS servers (`dhcpOptions.dnsServers`) sends its clients' queries to
  those servers, so the links that count are the links of the virtual networks the servers sit in
  (the DNS Private Resolver / forwarder pattern); a link on the client's own virtual network then
  answers nobody unless a server sits in that network.
- 168.63.129.16 is Azure's platform DNS address; listed as a custom server it is the virtual
  network's own Azure-provided DNS (https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import msgspec

from archgen.model.graph import Graph
from archgen.model.relations import Relation
from archgen.model.types import network

AZURE_DNS = "168.63.129.16"


def in_prefixes(ip: str, prefixes: Iterable[str]) -> bool:
    """Whether `ip` lies in one of `prefixes` (malformed values never match)."""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for p in prefixes:
        try:
            if addr in ipaddress.ip_network(p, strict=False):
                return True
        except ValueError:
            continue
    return False


class Resolution(msgspec.Struct, frozen=True):
    """How clients in one virtual network resolve names.

    `resolvers` maps each virtual network whose zone links must answer them to the reason; every one of
    them must hold the link (clients may ask any configured server). `unplaced` lists custom DNS servers
    that sit in no virtual network of the input, whose answers archgen cannot judge.
    """

    vnet: str
    custom_dns: tuple[str, ...]
    resolvers: dict[str, str]
    unplaced: tuple[str, ...]


def resolution(graph: Graph, vnet_id: str) -> Resolution:
    """The resolution of clients in `vnet_id` (computed once per graph and VNet)."""
    key = "resolution:" + vnet_id
    cached: Resolution | None = graph.memo.get(key)
    if cached is not None:
        return cached
    vnet = graph.attrs(vnet_id, network.VirtualNetwork)
    servers = vnet.dns_servers if vnet is not None else ()
    own = "the endpoint's own virtual network (Azure-provided DNS)"
    if not servers:
        cached = Resolution(vnet_id, (), {vnet_id: own}, ())
    else:
        resolvers: dict[str, str] = {}
        placed: set[str] = set()
        for ip in servers:
            if ip == AZURE_DNS or (vnet is not None and in_prefixes(ip, vnet.address_prefixes)):
                resolvers[vnet_id] = f"DNS server {ip} answers inside the endpoint's own virtual network"
                placed.add(ip)
        for e in graph.out(vnet_id, Relation.USES_DNS_SERVERS_IN):
            held = [str(s) for s in e.attributes.get("servers", ())]
            if held:
                resolvers[e.target] = (
                    f"hosts DNS server {', '.join(held)} that the endpoint's virtual network uses"
                )
                placed.update(held)
        unplaced = tuple(sorted(set(servers) - placed))
        cached = Resolution(vnet_id, tuple(servers), resolvers, unplaced)
    graph.memo[key] = cached
    return cached


def vnet_of_endpoint(graph: Graph, pe_id: str) -> str | None:
    """The virtual network of a private endpoint's subnet, when both are in the graph (worked out once per
    graph and endpoint: the DNS controls of an account, its vault and its storage all ask)."""
    table: dict[str, str | None] | None = graph.memo.get("vnet_of_endpoint")
    if table is None:
        table = graph.memo["vnet_of_endpoint"] = {}
    if pe_id in table:
        return table[pe_id]
    found = table[pe_id] = _vnet_of_endpoint(graph, pe_id)
    return found


def _vnet_of_endpoint(graph: Graph, pe_id: str) -> str | None:
    for e in graph.out(pe_id, Relation.IN_SUBNET):
        for s in graph.out(e.target, Relation.SUBNET_OF):
            return s.target
    return None


def endpoint_status(graph: Graph, node_id: str) -> dict[str, str]:
    """Private endpoint id -> connection status (lower-case) of a private-link target.

    The builder already merged the two views (the endpoint's and the target's, the target's winning)
    into the `private_endpoint_of` edges; an edge whose endpoint is absent from the input is kept as a
    dangling reference, so the target's own record still counts.
    """
    table: dict[str, dict[str, str]] | None = graph.memo.get("pe_status")
    if table is None:  # one table of the targets (a key per target was a new string to hash on each call)
        table = graph.memo["pe_status"] = {}
    cached = table.get(node_id)
    if cached is None:
        cached = {
            e.source: str(e.attributes.get("status", "")).lower()
            for e in graph.into(node_id, Relation.PRIVATE_ENDPOINT_OF)
        }
        node = graph.node(node_id)
        for c in getattr(node.attrs, "private_endpoint_connections", ()) if node else ():
            cached[c.private_endpoint_id] = c.status or cached.get(c.private_endpoint_id, "")
        table[node_id] = cached
    return cached


def customer_storage(graph: Graph, account_id: str) -> dict[str, str]:
    """Storage accounts holding or admitting the account's data -> how: the account's user-owned storage
    (`userOwnedStorage`), or a storage account whose resource instance rule admits the account."""
    found: dict[str, str] = {}
    for e in graph.out(account_id, Relation.STORES_DATA_IN):
        found[e.target] = "user-owned storage of the account"
    for e in graph.into(account_id, Relation.TRUSTED_ACCESS_FROM):
        found.setdefault(e.source, "admits the account through a resource instance rule")
    return dict(sorted(found.items()))
