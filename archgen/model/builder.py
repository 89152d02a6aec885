"""Rows in, workload graph out: normalise rows, build typed nodes, derive relations, find workloads.

The builder is pure (no I/O) and linear in the number of rows: every join is a dictionary lookup.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from typing import Any

from archgen.model import props
from archgen.model.coverage import gaps_of
from archgen.model.graph import Edge, Graph, Node, Warning, Workload
from archgen.model.ids import norm_enum, norm_id, norm_type, parse_id, scopes_of
from archgen.model.inventory import Inventory
from archgen.model.relations import Relation
from archgen.model.types import (
    AUXILIARY_TYPES,
    NODE_PARSERS,
    cognitive,
    dns,
    identity,
    keyvault,
    monitor,
    network,
)
from archgen.model.types import storage as storage_t

R = Relation
STATUS_NAMES = {
    "approved": "Approved",
    "pending": "Pending",
    "rejected": "Rejected",
    "disconnected": "Disconnected",
}
# Node types a role assignment edge may point at (data-plane targets the controls reason about).
ROLE_TARGET_TYPES = frozenset({cognitive.TYPE, keyvault.TYPE, storage_t.TYPE})
DIAGNOSABLE_TYPES = frozenset({cognitive.TYPE, keyvault.TYPE, storage_t.TYPE})

# Which relations the workload walk follows from a node of each type: (relation, direction).
# 'out' follows source -> target, 'in' follows target -> source. Accounts other than the seed are
# never entered, so a shared hub, zone or vault never merges two workloads.
FOLLOW: dict[str, tuple[tuple[Relation, str], ...]] = {
    cognitive.TYPE: (
        (R.PRIVATE_ENDPOINT_OF, "in"),
        (R.CMK_KEY_IN, "out"),
        (R.USES_IDENTITY, "out"),
        (R.STORES_DATA_IN, "out"),
        (R.NETWORK_RULE_ALLOWS, "out"),
        (R.DIAGNOSTICS_TO, "out"),
        (R.TRUSTED_ACCESS_FROM, "in"),
        (R.ROLE_ASSIGNMENT, "out"),
    ),
    network.PRIVATE_ENDPOINT: ((R.IN_SUBNET, "out"), (R.DNS_RECORD_FOR, "in")),
    network.SUBNET: ((R.SUBNET_OF, "out"),),
    network.VIRTUAL_NETWORK: ((R.PEERED_WITH, "out"), (R.PEERED_WITH, "in"), (R.CONNECTED_TO_HUB, "out")),
    network.VIRTUAL_HUB: ((R.HUB_IN_WAN, "out"),),
    keyvault.TYPE: ((R.PRIVATE_ENDPOINT_OF, "in"), (R.DIAGNOSTICS_TO, "out"), (R.NETWORK_RULE_ALLOWS, "out")),
    storage_t.TYPE: (
        (R.PRIVATE_ENDPOINT_OF, "in"),
        (R.DIAGNOSTICS_TO, "out"),
        (R.NETWORK_RULE_ALLOWS, "out"),
        (R.CMK_KEY_IN, "out"),
        (R.USES_IDENTITY, "out"),
    ),
    identity.USER_ASSIGNED_IDENTITY: ((R.ROLE_ASSIGNMENT, "out"),),
}


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _contains(prefixes: Iterable[str], ip: str) -> bool:
    addr = _ip(ip)
    if addr is None:
        return False
    for p in prefixes:
        try:
            if addr in ipaddress.ip_network(p, strict=False):
                return True
        except ValueError:
            continue
    return False


def status_name(value: str) -> str:
    return STATUS_NAMES.get(value, value.capitalize() if value else "Unknown")


@dataclasses.dataclass(slots=True)
class _Row:
    id: str
    type: str
    row: Mapping[str, Any]
    properties: Mapping[str, Any]


class _Builder:
    def __init__(self, inventory: Inventory) -> None:
        self.inv = inventory
        self.warnings: list[Warning] = [
            Warning(w.get("code", "discovery"), w.get("message", ""), ()) for w in inventory.warnings
        ]
        self.stats: Counter[str] = Counter()
        self.rows: dict[str, _Row] = {}
        self.by_type: dict[str, list[_Row]] = defaultdict(list)
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, Relation, str, str], Edge] = {}
        self.out: dict[str, list[Edge]] = defaultdict(list)
        self.inn: dict[str, list[Edge]] = defaultdict(list)
        self.zones_linked_to: dict[str, list[str]] = defaultdict(list)
        self._resolver_cache: dict[str, list[tuple[str, str]]] = {}
        self.account_ids: list[str] = []

    # -- 1. rows -------------------------------------------------------------------------------
    def skip(self, code: str, message: str) -> None:
        self.stats[code] += 1
        self.warnings.append(Warning(code, message))

    def ingest(self) -> None:
        for sourced in self.inv.rows:
            self.stats["rows_read"] += 1
            row = sourced.row
            where = f"{sourced.source}: {sourced.path}"
            if not isinstance(row, Mapping):
                self.skip("row_skipped", f"{where}: not a JSON object, skipped")
                continue
            rid = norm_id(props.get(row, "id"))
            rtype = norm_type(props.get(row, "type"))
            if not rid:
                self.skip("row_skipped", f"{where}: row without an 'id', skipped")
                continue
            if not rtype:
                self.skip("row_skipped", f"{where}: row without a 'type', skipped")
                continue
            raw = props.get(row, "properties")
            if not isinstance(raw, Mapping):
                shown = "null" if raw is None else type(raw).__name__
                self.skip(
                    "properties_ignored",
                    f"{where}.properties: {shown} where an object was expected, treated as absent",
                )
                raw = {}
            if rid in self.rows:
                self.stats["duplicate_rows"] += 1
                continue
            r = _Row(rid, rtype, row, raw)
            self.rows[rid] = r
            self.by_type[rtype].append(r)

    # -- 2. nodes ------------------------------------------------------------------------------
    def add_node(
        self, rid: str, rtype: str, row: Mapping[str, Any], attrs: object, name: str | None = None
    ) -> None:
        parsed = parse_id(rid)
        tags_raw = props.get(row, "tags")
        tags = (
            tuple(sorted((str(k), str(v)) for k, v in tags_raw.items() if isinstance(k, str)))
            if isinstance(tags_raw, Mapping)
            else ()
        )
        self.nodes[rid] = Node(
            id=rid,
            type=rtype,
            name=name or props.get_str(row, "name") or (parsed.name if parsed else rid.rsplit("/", 1)[-1]),
            kind=props.get_str(row, "kind"),
            subscription_id=(
                props.get_str(row, "subscriptionId") or (parsed.subscription_id if parsed else "")
            ).lower(),
            resource_group=(
                props.get_str(row, "resourceGroup") or (parsed.resource_group if parsed else "")
            ).lower(),
            location=(loc.lower() if (loc := props.get_str(row, "location")) else None),
            tags=tags,
            attrs=attrs,
            raw=row,
        )

    def build_nodes(self) -> None:
        for rtype, parser in NODE_PARSERS.items():
            for r in self.by_type.get(rtype, ()):
                try:
                    attrs = parser(r.row, r.properties)
                except Exception as exc:  # a parser bug must be visible, never a silent skip
                    self.skip("row_skipped", f"{r.id}: could not be read ({type(exc).__name__}: {exc})")
                    continue
                self.add_node(r.id, rtype, r.row, attrs)
        # subnets, embedded in their virtual network
        for r in self.by_type.get(network.VIRTUAL_NETWORK, ()):
            for sub in props.items(r.properties, "subnets"):
                name = props.get_str(sub, "name")
                if not name:
                    continue
                sid = norm_id(props.get_str(sub, "id") or f"{r.id}/subnets/{name}")
                sub_props = props.get(sub, "properties")
                attrs = network.parse_subnet(sub_props if isinstance(sub_props, Mapping) else {})
                self.add_node(
                    sid, network.SUBNET, {"name": name, "location": props.get(r.row, "location")}, attrs
                )
        # network interfaces give private endpoints their IPs
        for r in self.by_type.get(network.NETWORK_INTERFACE, ()):
            pe_id, _subnet, ips = network.nic_private_ips(r.properties)
            pe = self.nodes.get(pe_id)
            if pe is not None and ips:
                merged = tuple(sorted(set(pe.attrs.private_ips) | set(ips)))
                self.nodes[pe_id] = dataclasses.replace(
                    pe, attrs=dataclasses.replace(pe.attrs, private_ips=merged)
                )
        self.build_zones()
        self.attach_deployments()

    def attach_deployments(self) -> None:
        """Model deployments (ARM child rows) become part of their account's attributes."""
        rows = self.by_type.get(cognitive.DEPLOYMENT, ())
        collected = self.inv.deployments_collected
        by_account: dict[str, list[cognitive.Deployment]] = defaultdict(list)
        for r in rows:
            by_account[r.id.rsplit("/deployments/", 1)[0]].append(
                cognitive.parse_deployment(r.row, r.properties)
            )
        for node in [n for n in self.nodes.values() if n.type == cognitive.TYPE]:
            seen = node.id in collected if collected is not None else bool(rows)
            deployments = tuple(sorted(by_account.get(node.id, ()), key=lambda d: d.name.lower()))
            if seen or deployments:
                attrs = dataclasses.replace(node.attrs, deployments=deployments, deployments_collected=True)
                self.nodes[node.id] = dataclasses.replace(node, attrs=attrs)

    def build_zones(self) -> None:
        links: dict[str, list[dns.VnetLink]] = defaultdict(list)
        records: dict[str, list[dns.ARecord]] = defaultdict(list)
        seen_records: set[str] = set()
        zone_rows = {r.id: r for r in self.by_type.get(dns.ZONE, ())}
        for r in self.by_type.get(dns.VNET_LINK, ()):
            zone = r.id.rsplit("/virtualnetworklinks/", 1)[0]
            if (link := dns.parse_link(r.properties)) is not None:
                links[zone].append(link)
        for rtype, rows in self.by_type.items():
            if not rtype.startswith(dns.ZONE + "/") or rtype == dns.VNET_LINK:
                continue
            for r in rows:
                zone = r.id.rsplit("/", 2)[0]
                seen_records.add(zone)
                if rtype == dns.A_RECORD:
                    zone_name = zone.rsplit("/", 1)[-1]
                    records[zone].append(
                        dns.parse_a_record(
                            props.get_str(r.row, "name") or r.id.rsplit("/", 1)[-1], zone_name, r.properties
                        )
                    )
        for zone in sorted(set(zone_rows) | set(links) | set(records)):
            row = zone_rows[zone].row if zone in zone_rows else {"id": zone}
            properties = zone_rows[zone].properties if zone in zone_rows else {}
            attrs = dns.PrivateDnsZone(
                number_of_record_sets=props.get_int(properties, "numberOfRecordSets"),
                links=tuple(sorted(links[zone], key=lambda link: link.virtual_network)),
                a_records=tuple(sorted(records[zone], key=lambda rec: (rec.name, rec.ipv4))),
                record_sets_seen=zone in seen_records,
            )
            self.add_node(zone, dns.ZONE, row, attrs)

    # -- 3. relations --------------------------------------------------------------------------
    def edge(self, source: str, relation: Relation, target: str, **attributes: Any) -> None:
        if not source or not target or source == target:
            return
        key = (source, relation, target, repr(sorted(attributes.items())))
        if key in self.edges:
            return
        e = Edge(source, target, relation, attributes)
        self.edges[key] = e
        self.out[source].append(e)
        self.inn[target].append(e)

    def build_edges(self) -> None:
        nodes = self.nodes
        self.account_ids = sorted(n.id for n in nodes.values() if n.type == cognitive.TYPE)
        vault_by_uri = {
            n.attrs.vault_uri: n.id for n in nodes.values() if n.type == keyvault.TYPE and n.attrs.vault_uri
        }
        uami_by_client = {
            n.attrs.client_id: n.id
            for n in nodes.values()
            if n.type == identity.USER_ASSIGNED_IDENTITY and n.attrs.client_id
        }
        # private endpoint connections, from both sides; the target's view of the status wins
        pe_conn: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}
        for n in nodes.values():
            if n.type == network.PRIVATE_ENDPOINT:
                for c in n.attrs.connections:
                    pe_conn[(n.id, c.target_id)] = (c.group_ids, c.status)
                self.edge(n.id, R.IN_SUBNET, n.attrs.subnet_id)
        for n in nodes.values():
            for c in getattr(n.attrs, "private_endpoint_connections", ()):
                prior = pe_conn.get((c.private_endpoint_id, n.id))
                groups = c.group_ids or (prior[0] if prior else ())
                pe_conn[(c.private_endpoint_id, n.id)] = (groups, c.status or (prior[1] if prior else ""))
        for (pe, target), (groups, status) in pe_conn.items():
            self.edge(pe, R.PRIVATE_ENDPOINT_OF, target, group_ids=list(groups), status=status_name(status))
        for n in nodes.values():
            if n.type == network.SUBNET:
                self.edge(n.id, R.SUBNET_OF, n.id.rsplit("/subnets/", 1)[0])
            elif n.type == network.VIRTUAL_NETWORK:
                for p in n.attrs.peerings:
                    self.edge(n.id, R.PEERED_WITH, p.remote_id, state=p.state or "unknown")
            elif n.type == network.VIRTUAL_HUB and n.attrs.virtual_wan:
                self.edge(n.id, R.HUB_IN_WAN, n.attrs.virtual_wan)
            elif n.type == dns.ZONE:
                for link in n.attrs.links:
                    self.edge(
                        n.id,
                        R.DNS_ZONE_LINKED_TO,
                        link.virtual_network,
                        registration_enabled=link.registration_enabled,
                    )
                    self.zones_linked_to[link.virtual_network].append(n.id)
            ident = getattr(n.attrs, "identity", None)
            if ident is not None:
                for uami in ident.user_assigned:
                    self.edge(n.id, R.USES_IDENTITY, uami)
            acls = getattr(n.attrs, "network_acls", None)
            if acls is not None:
                for subnet in acls.vnet_rules:
                    self.edge(n.id, R.NETWORK_RULE_ALLOWS, subnet)
            if n.type == cognitive.TYPE:
                a = n.attrs
                if a.key_source == "microsoft.keyvault" and a.key_vault_uri:
                    who = (
                        uami_by_client.get(a.key_identity_client_id or "", "")
                        if a.key_identity_client_id
                        else "system"
                    )
                    self.cmk_edge(
                        n.id,
                        a.key_vault_uri,
                        vault_by_uri,
                        a.key_name,
                        a.key_version,
                        who or f"client id {a.key_identity_client_id} (not in the input)",
                    )
                for st in a.user_owned_storage:
                    self.edge(n.id, R.STORES_DATA_IN, st)
            elif n.type == storage_t.TYPE:
                s = n.attrs
                if s.key_source == "microsoft.keyvault" and s.key_vault_uri:
                    self.cmk_edge(
                        n.id,
                        s.key_vault_uri,
                        vault_by_uri,
                        s.key_name,
                        s.key_version,
                        s.key_identity or "system",
                    )
                for rule in s.resource_access_rules:
                    for account in self.match_rule(rule):
                        self.edge(n.id, R.TRUSTED_ACCESS_FROM, account, rule=rule)
        for r in self.by_type.get(network.HUB_CONNECTION, ()):
            vnet = props.ref_id(r.properties, "remoteVirtualNetwork", "id")
            self.edge(vnet, R.CONNECTED_TO_HUB, r.id.rsplit("/hubvirtualnetworkconnections/", 1)[0])
        self.dns_record_edges()
        self.role_edges()
        self.diagnostic_edges()

    def cmk_edge(
        self,
        source: str,
        uri: str,
        vault_by_uri: Mapping[str, str],
        key: str | None,
        version: str | None,
        who: str,
    ) -> None:
        target = vault_by_uri.get(uri) or f"keyvault-uri:{uri}"
        self.edge(
            source,
            R.CMK_KEY_IN,
            target,
            key_name=key or "",
            key_version=version or "",
            identity=who,
            key_vault_uri=uri,
        )

    def match_rule(self, rule: str) -> list[str]:
        """The accounts a resource instance rule names; a trailing '/*' is a wildcard over a scope."""
        if rule.endswith("/*"):
            prefix = rule[:-1]
            return [i for i in self.account_ids if i.startswith(prefix)]
        return [rule]

    def dns_record_edges(self) -> None:
        by_ip: dict[str, list[tuple[str, dns.ARecord]]] = defaultdict(list)
        for n in self.nodes.values():
            if n.type == dns.ZONE:
                for rec in n.attrs.a_records:
                    for ip in rec.ipv4:
                        by_ip[ip].append((n.id, rec))
        for n in self.nodes.values():
            if n.type != network.PRIVATE_ENDPOINT:
                continue
            labels = {f.split(".", 1)[0] for f in n.attrs.fqdns}
            for ip in n.attrs.private_ips:
                for zone, rec in by_ip.get(ip, ()):
                    # IPs repeat across unconnected VNets; when the PE names its FQDNs, the record's
                    # host label must match one of them as well as the IP.
                    if labels and rec.fqdn.split(".", 1)[0] not in labels:
                        continue
                    self.edge(zone, R.DNS_RECORD_FOR, n.id, fqdn=rec.fqdn, ip=ip)

    def principals(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for n in self.nodes.values():
            if n.type == identity.USER_ASSIGNED_IDENTITY and n.attrs.principal_id:
                out[n.attrs.principal_id] = n.id
            ident = getattr(n.attrs, "identity", None)
            if ident is not None and ident.principal_id:
                out.setdefault(ident.principal_id, n.id)
        return out

    def role_edges(self) -> None:
        principals = self.principals()
        under: dict[str, list[str]] = defaultdict(list)
        for n in self.nodes.values():
            if n.type in ROLE_TARGET_TYPES:
                for scope in scopes_of(n.id):
                    under[scope].append(n.id)
        for r in self.by_type.get(identity.ROLE_ASSIGNMENT, ()):
            ra = identity.parse_role_assignment(r.id, r.properties)
            if ra is None:
                self.skip(
                    "row_skipped",
                    f"{r.id}: role assignment without principalId, roleDefinitionId or scope, skipped",
                )
                continue
            source = principals.get(ra.principal_id)
            if source is None:
                continue
            for target in under.get(ra.scope, ()):
                self.edge(
                    source,
                    R.ROLE_ASSIGNMENT,
                    target,
                    role_definition_id=ra.role_definition_id,
                    role_name=identity.BUILTIN_ROLES.get(ra.role_definition_id, ""),
                    scope=ra.scope,
                    principal_id=ra.principal_id,
                )

    def diagnostic_edges(self) -> None:
        for r in self.by_type.get(monitor.DIAGNOSTIC_SETTING, ()):
            ds = monitor.parse_diagnostic_setting(r.id, r.properties)
            if ds is None:
                self.skip("row_skipped", f"{r.id}: diagnostic setting id names no resource, skipped")
                continue
            if not ds.destinations:
                self.warnings.append(
                    Warning(
                        "diagnostic_setting_without_destination",
                        f"{ds.resource_id}: diagnostic setting '{ds.name}' has no destination",
                    )
                )
            for dest in ds.destinations:
                self.edge(
                    ds.resource_id, R.DIAGNOSTICS_TO, dest, categories=list(ds.categories), setting=ds.name
                )

    # -- 4. workloads --------------------------------------------------------------------------
    def walk(self, seed: str, dangling: set[tuple[str, Relation, str]]) -> set[str]:
        members = {seed}
        queue: deque[tuple[str, Relation | None]] = deque([(seed, None)])
        while queue:
            current, via = queue.popleft()
            node = self.nodes[current]
            for relation, direction in FOLLOW.get(node.type, ()):
                if (
                    node.type == network.VIRTUAL_NETWORK
                    and via is R.PEERED_WITH
                    and relation is R.PEERED_WITH
                ):
                    continue  # one hop of peering: a hub's other spokes are not this workload's
                edges = self.out[current] if direction == "out" else self.inn[current]
                for e in edges:
                    if e.relation is not relation:
                        continue
                    other = e.target if direction == "out" else e.source
                    target = self.nodes.get(other)
                    if target is None:
                        dangling.add((e.source, relation, e.target))
                        continue
                    if other in members or (target.type == cognitive.TYPE and other != seed):
                        continue
                    if relation is R.ROLE_ASSIGNMENT and target.type not in ROLE_TARGET_TYPES:
                        continue
                    members.add(other)
                    queue.append((other, relation))
        self.add_zones(seed, members)
        return members

    def add_zones(self, seed: str, members: set[str]) -> None:
        """Add the DNS side: VNets hosting the DNS servers the workload's VNets use, and the zones of the
        account kind's names that are linked to any of those VNets."""
        account = self.nodes[seed]
        wanted = set(dns.expected_zones(account.kind or "", account.attrs.endpoint))
        for m in members:
            if self.nodes[m].type == network.PRIVATE_ENDPOINT:
                wanted.update(dns.zones_for_fqdns(self.nodes[m].attrs.fqdns))
        vnets = {m for m in members if self.nodes[m].type == network.VIRTUAL_NETWORK}
        for v in list(vnets):
            for resolver, hub in self.resolver_vnets(v):
                servers = [
                    ip
                    for ip in self.nodes[v].attrs.dns_servers
                    if _contains(self.nodes[resolver].attrs.address_prefixes, ip)
                ]
                self.edge(v, R.USES_DNS_SERVERS_IN, resolver, servers=servers)
                members.add(resolver)
                vnets.add(resolver)
                if hub:
                    members.add(hub)
        for v in vnets:
            for zone_id in self.zones_linked_to.get(v, ()):
                if self.nodes[zone_id].name.lower() in wanted:
                    members.add(zone_id)

    def resolver_vnets(self, vnet_id: str) -> list[tuple[str, str]]:
        """(VNet, hub or '') pairs: VNets reachable from `vnet_id` through a peering or the same Virtual WAN
        hub whose address space holds one of `vnet_id`'s custom DNS servers. Cached per VNet."""
        cached = self._resolver_cache.get(vnet_id)
        if cached is not None:
            return cached
        found: list[tuple[str, str]] = []
        attrs = self.nodes[vnet_id].attrs
        servers = [ip for ip in attrs.dns_servers if _ip(ip) is not None]
        if servers:
            near: dict[str, str] = {}
            for e in self.out[vnet_id]:
                if e.relation is R.PEERED_WITH:
                    near.setdefault(e.target, "")
                elif e.relation is R.CONNECTED_TO_HUB:
                    for c in self.inn[e.target]:
                        if c.relation is R.CONNECTED_TO_HUB and c.source != vnet_id:
                            near.setdefault(c.source, e.target)
            for e in self.inn[vnet_id]:
                if e.relation is R.PEERED_WITH:
                    near.setdefault(e.source, "")
            for other, hub in sorted(near.items()):
                node = self.nodes.get(other)
                if (
                    node is not None
                    and node.type == network.VIRTUAL_NETWORK
                    and any(_contains(node.attrs.address_prefixes, ip) for ip in servers)
                ):
                    found.append((other, hub))
        self._resolver_cache[vnet_id] = found
        return found

    def build(self) -> Graph:
        self.ingest()
        self.build_nodes()
        self.build_edges()
        seeds = sorted(
            n.id
            for n in self.nodes.values()
            if n.type == cognitive.TYPE and norm_enum(n.kind) in cognitive.WORKLOAD_KINDS
        )
        dangling: set[tuple[str, Relation, str]] = set()
        workloads = []
        union: set[str] = set()
        for seed in seeds:
            members = self.walk(seed, dangling)
            union |= members
            workloads.append(Workload(seed, self.nodes[seed].name, tuple(sorted(members))))
        for source, relation, target in sorted(dangling):
            what = target[len("keyvault-uri:") :] if target.startswith("keyvault-uri:") else target
            self.warnings.append(
                Warning(
                    "dangling_reference",
                    f"{source} --{relation.value}--> {what}: not in the input (scope too narrow, or no read access)",
                    (("source", source), ("relation", relation.value), ("target", what)),
                )
            )
        edges = [e for e in self.edges.values() if e.source in union and e.target in union]
        kept_rows = sum(1 for rid, r in self.rows.items() if rid in union or r.type in AUXILIARY_TYPES)
        self.stats["rows_outside_workloads"] = len(self.rows) - kept_rows
        self.stats["nodes"] = len(union)
        self.stats["edges"] = len(edges)
        self.stats["workloads"] = len(workloads)
        self.stats["dangling_references"] = len(dangling)
        self.stats["role_assignment_rows"] = len(self.by_type.get(identity.ROLE_ASSIGNMENT, ()))
        collected = self.inv.diagnostics_collected
        if collected is None:
            has_diag = bool(self.by_type.get(monitor.DIAGNOSTIC_SETTING))
            collected = (
                frozenset(i for i in union if self.nodes[i].type in DIAGNOSABLE_TYPES)
                if has_diag
                else frozenset()
            )
        return Graph(
            (self.nodes[i] for i in union),
            edges,
            workloads,
            self.warnings,
            frozenset(collected),
            self.stats,
            dangling,
            incomplete=gaps_of(self.inv.incomplete),
        )


def build(inventory: Inventory) -> Graph:
    """Build the workload graph from an inventory of rows."""
    return _Builder(inventory).build()


def iter_rows(rows: Iterable[Mapping[str, Any]], source: str = "<memory>") -> Inventory:
    """An inventory from plain rows (for tests and benchmarks)."""
    from archgen.model.inventory import SourcedRow

    return Inventory([SourcedRow(r, source, f"[{i}]") for i, r in enumerate(rows)])
