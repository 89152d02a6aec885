"""Nodes assembled from other rows: subnets (inside their VNet), private DNS zones (zone, link and record
rows), and the child rows that join their parent's attributes (NIC IPs, model deployments and content
filter policies, vault keys, search shared private links)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import msgspec

from archgen.model import props, records
from archgen.model.attrs import NodeAttrs
from archgen.model.graph import Node
from archgen.model.ids import norm_id, parse_id
from archgen.model.types import cognitive, dns, keyvault, network, search

ByType = Mapping[str, list["Row"]]
_ABSENT: Any = object()
_PE = "privateendpoint"  # `privateEndpoint` as props.get compares keys, lower-cased


class Row(msgspec.Struct):
    """One input row, its normalised id and type, and its `properties` (an empty mapping when absent)."""

    id: str
    type: str
    row: Mapping[str, Any]
    properties: Mapping[str, Any]


_ENVELOPE = props.Fields("tags", "name", "subscriptionId", "resourceGroup", "kind", "location")


def make_node(
    rid: str, rtype: str, row: Mapping[str, Any], attrs: NodeAttrs, name: str | None = None
) -> Node:
    tags_raw, row_name, sub, group, kind, loc = _ENVELOPE(row)  # one read of the row's envelope
    tags = (
        tuple(sorted((str(k), str(v)) for k, v in tags_raw.items() if isinstance(k, str)))
        if tags_raw and (type(tags_raw) is dict or isinstance(tags_raw, Mapping))
        else ()
    )
    name = name or props.as_str(row_name)
    sub = props.as_str(sub)
    group = props.as_str(group)
    if not (name and sub and group):  # the id says what the row does not (parsed only then)
        parsed = parse_id(rid)
        name = name or (parsed.name if parsed else rid.rsplit("/", 1)[-1])
        sub = sub or (parsed.subscription_id if parsed else "")
        group = group or (parsed.resource_group if parsed else "")
    loc = props.as_str(loc)
    return Node(
        rid,
        rtype,
        name,
        props.as_str(kind),
        sub.lower(),
        group.lower(),
        loc.lower() if loc else None,
        tags,
        attrs,
        row,
    )


def subnets(by_type: ByType) -> Iterator[Node]:
    """Subnets, embedded in their virtual network's row."""
    for r in by_type.get(network.VIRTUAL_NETWORK, ()):
        for sub in props.items(r.properties, "subnets"):
            name = props.get_str(sub, "name")
            if not name:
                continue
            sid = norm_id(props.get_str(sub, "id") or f"{r.id}/subnets/{name}")
            sub_props = props.get(sub, "properties")
            attrs = network.parse_subnet(sub_props if isinstance(sub_props, Mapping) else {})
            yield make_node(
                sid, network.SUBNET, {"name": name, "location": props.get(r.row, "location")}, attrs
            )


def zones(by_type: ByType) -> Iterator[Node]:
    """Private DNS zones from the zone row, its virtual network link rows and its record set rows."""
    links: dict[str, list[dns.VnetLink]] = defaultdict(list)
    records: dict[str, list[dns.ARecord]] = defaultdict(list)
    seen_records: set[str] = set()
    zone_rows = {r.id: r for r in by_type.get(dns.ZONE, ())}
    for r in by_type.get(dns.VNET_LINK, ()):
        if (link := dns.parse_link(r.properties)) is not None:
            links[r.id.rsplit("/virtualnetworklinks/", 1)[0]].append(link)
    for rtype, rows in by_type.items():
        if not rtype.startswith(dns.ZONE + "/") or rtype == dns.VNET_LINK:
            continue
        for r in rows:
            zone = r.id.rsplit("/", 2)[0]
            seen_records.add(zone)
            if rtype == dns.A_RECORD:
                name = props.get_str(r.row, "name") or r.id.rsplit("/", 1)[-1]
                records[zone].append(dns.parse_a_record(name, zone.rsplit("/", 1)[-1], r.properties))
    for zone in sorted(set(zone_rows) | set(links) | set(records)):
        row = zone_rows[zone].row if zone in zone_rows else {"id": zone}
        properties = zone_rows[zone].properties if zone in zone_rows else {}
        attrs = dns.PrivateDnsZone(
            number_of_record_sets=props.get_int(properties, "numberOfRecordSets"),
            links=tuple(sorted(links[zone], key=lambda link: link.virtual_network)),
            a_records=tuple(sorted(records[zone], key=lambda rec: (rec.name, rec.ipv4))),
            record_sets_seen=zone in seen_records,
        )
        yield make_node(zone, dns.ZONE, row, attrs)


def _replace(nodes: dict[str, Node], node: Node, **changes: Any) -> None:
    attrs = node.attrs
    if attrs is None:
        raise TypeError(f"{node.id}: no attributes to update")
    nodes[node.id] = records.replace(node, attrs=records.replace(attrs, **changes))


def attach_nic_ips(nodes: dict[str, Node], by_type: ByType) -> None:
    """Network interfaces give private endpoints their IPs: each endpoint's IPs from all its interfaces,
    set once."""
    found: dict[str, set[str]] = {}
    for pe_id, r in endpoint_refs(by_type.get(network.NETWORK_INTERFACE, ())):
        # most interfaces belong to VMs: their IPs are read only for an endpoint's interface
        pe = nodes.get(pe_id)
        if pe is None or not isinstance(pe.attrs, network.PrivateEndpoint):
            continue
        if nic_ips := network.nic_ips(r.properties):
            found.setdefault(pe_id, set()).update(nic_ips)
    for pe_id, ips in found.items():
        pe = nodes[pe_id]
        ips.update(pe.attrs_as(network.PrivateEndpoint).private_ips)
        _replace(nodes, pe, private_ips=tuple(sorted(ips)))


def endpoint_refs(rows: Iterable[Row]) -> list[tuple[str, Row]]:
    """(`props.ref_id(properties, "privateEndpoint", "id")`, row) of the interface rows where it is not ''
    (no endpoint node has the id ''), with the key's case-insensitive match found once per set of keys:
    most interfaces are a VM's, all with the same keys, none of them naming an endpoint."""
    found: list[tuple[str, Row]] = []
    matched: dict[tuple[object, ...], object] = {}  # the row's keys -> the key that names the endpoint
    for r in rows:
        p = r.properties
        if type(p) is not dict:
            value = props.get(p, "privateEndpoint")
        elif (value := p.get("privateEndpoint", _ABSENT)) is _ABSENT:
            keys = tuple(p)
            key = matched.get(keys, _ABSENT)
            if key is _ABSENT:
                key = matched[keys] = next((k for k in keys if isinstance(k, str) and k.lower() == _PE), None)
            if key is None:
                continue
            value = p[key]
        if pe_id := props.ref_id(value, "id"):
            found.append((pe_id, r))
    return found


def attach_deployments(nodes: dict[str, Node], by_type: ByType, collected: frozenset[str]) -> None:
    """Model deployments and content filter policies (ARM child rows) join their account's attributes.

    Deployments count as read for an account only when the input says so (a snapshot's
    `deployments_collected`) or holds a deployment of that very account: rows of other accounts prove
    nothing about this one.
    """
    by_account: dict[str, list[cognitive.Deployment]] = defaultdict(list)
    for r in by_type.get(cognitive.DEPLOYMENT, ()):
        by_account[r.id.rsplit("/deployments/", 1)[0]].append(cognitive.parse_deployment(r.row, r.properties))
    policies: dict[str, list[cognitive.RaiPolicy]] = defaultdict(list)
    for r in by_type.get(cognitive.RAI_POLICY, ()):
        policies[r.id.rsplit("/raipolicies/", 1)[0]].append(cognitive.parse_rai_policy(r.row, r.properties))
    for node in [n for n in nodes.values() if n.type == cognitive.TYPE]:
        deployments = tuple(sorted(by_account.get(node.id, ()), key=lambda d: d.name.lower()))
        rai = tuple(sorted(policies.get(node.id, ()), key=lambda p: p.name.lower()))
        if node.id in collected or deployments or rai:
            _replace(
                nodes,
                node,
                deployments=deployments,
                deployments_collected=node.id in collected or bool(deployments),
                rai_policies=rai,
            )


def attach_keys(nodes: dict[str, Node], by_type: ByType) -> None:
    """Key rows (management plane) join their vault: a listed vault's keys are then known."""
    keys: dict[str, list[keyvault.Key]] = defaultdict(list)
    for r in by_type.get(keyvault.KEY, ()):
        keys[r.id.rsplit("/keys/", 1)[0]].append(keyvault.parse_key(r.row, r.properties))
    for vault_id, found in keys.items():
        node = nodes.get(vault_id)
        if node is not None and node.type == keyvault.TYPE:
            _replace(nodes, node, keys=tuple(sorted(found, key=lambda k: k.name)), keys_collected=True)


def attach_shared_links(nodes: dict[str, Node], by_type: ByType) -> None:
    """Shared private link rows (ARM child resources) join their search service's embedded list."""
    found: dict[str, list[search.SharedPrivateLink]] = defaultdict(list)
    for r in by_type.get(search.SHARED_PRIVATE_LINK, ()):
        if (link := search.parse_shared_link(r.row)) is not None:
            found[r.id.rsplit("/sharedprivatelinkresources/", 1)[0]].append(link)
    for service_id, links in found.items():
        node = nodes.get(service_id)
        if node is not None and isinstance(node.attrs, search.SearchService):
            merged = {(lk.target, lk.name): lk for lk in (*node.attrs.shared_private_links, *links)}
            _replace(nodes, node, shared_private_links=tuple(merged[k] for k in sorted(merged)))
