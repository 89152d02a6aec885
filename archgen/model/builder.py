"""Rows in, workload graph out: normalise rows, build typed nodes, derive relations, find workloads.

The builder is pure (no I/O) and linear in the number of rows: every join is a dictionary lookup.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import ipaddress
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from typing import Any

from archgen.model import conflicts, props
from archgen.model.graph import Edge, Graph, Node, Warning, Workload
from archgen.model.ids import norm_enum, norm_id, norm_type, parse_id, scopes_of
from archgen.model.inventory import Inventory
from archgen.model.relations import Relation
from archgen.model.types import (
    AUXILIARY_TYPES,
    NODE_PARSERS,
    TYPES,
    cognitive,
    dns,
    identity,
    keyvault,
    monitor,
    network,
    search,
)
from archgen.model.types.spec import Ref

R = Relation
STATUS_NAMES = {
    "approved": "Approved",
    "pending": "Pending",
    "rejected": "Rejected",
    "disconnected": "Disconnected",
}
# Node types a role assignment edge may point at (data-plane targets the controls reason about).
ROLE_TARGET_TYPES = frozenset(t for t, spec in TYPES.items() if spec.role_target)


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


class _Index:
    """What references need to know about other nodes (the builder's side of `RefIndex`)."""

    def __init__(self, nodes: Mapping[str, Node], account_ids: list[str]) -> None:
        self.vault_by_uri = {
            n.attrs.vault_uri: n.id for n in nodes.values() if n.type == keyvault.TYPE and n.attrs.vault_uri
        }
        self.uami_by_client = {
            n.attrs.client_id: n.id
            for n in nodes.values()
            if n.type == identity.USER_ASSIGNED_IDENTITY and n.attrs.client_id
        }
        self.account_ids = account_ids

    def vault_for_uri(self, uri: str) -> str:
        return self.vault_by_uri.get(uri) or f"keyvault-uri:{uri}"

    def uami_for_client(self, client_id: str) -> str | None:
        return self.uami_by_client.get(client_id)

    def accounts_matching(self, rule: str) -> list[str]:
        """The accounts a resource instance rule names; `*` matches any run of characters (the portal's
        "all resource instances in the current tenant, subscription, or resource group")."""
        if "*" in rule:
            return [i for i in self.account_ids if fnmatch.fnmatchcase(i, rule)]
        return [rule]


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
        self.diagnostics: dict[str, list[monitor.DiagnosticSetting]] = defaultdict(list)
        self.account_ids: list[str] = []
        self.conflicting: dict[str, list[_Row]] = {}

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
                seen = self.rows[rid].properties
                if raw != seen and conflicts.differing_properties(seen, raw):  # `!=` first: the cheap test
                    self.conflicting.setdefault(rid, [self.rows[rid]]).append(_Row(rid, rtype, row, raw))
                continue
            r = _Row(rid, rtype, row, raw)
            self.rows[rid] = r
            self.by_type[rtype].append(r)
        self.resolve_conflicts()

    def resolve_conflicts(self) -> None:
        """Rows of one resource that disagree: keep one independently of input order, and say so."""
        for rid in sorted(self.conflicting):
            candidates = self.conflicting[rid]
            kept = candidates[conflicts.pick([c.row for c in candidates])]
            first = self.rows[rid]
            if kept is not first:
                self.by_type[first.type].remove(first)
                self.by_type[kept.type].append(kept)
                self.rows[rid] = kept
            paths = sorted(
                {p for c in candidates for p in conflicts.differing_properties(kept.properties, c.properties)}
            )
            shown = ", ".join(paths[: conflicts.MAX_PATHS]) + (
                ", ..." if len(paths) > conflicts.MAX_PATHS else ""
            )
            self.stats["conflicting_rows"] += len(candidates)
            self.warnings.append(
                Warning(
                    "conflicting_rows",
                    f"{rid}: {len(candidates)} rows disagree on {shown}; its findings are unknown "
                    "until the input holds one version",
                    (("resource", rid), ("properties", ", ".join(paths))),
                )
            )

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
        self.attach_keys()
        self.attach_shared_links()

    def attach_deployments(self) -> None:
        """Model deployments and content filter policies (ARM child rows) join their account's attributes.

        Deployments count as read for an account only when the input says so (a snapshot's
        `deployments_collected`) or holds a deployment of that very account: rows of other accounts
        prove nothing about this one.
        """
        collected = self.inv.deployments_collected or frozenset()
        by_account: dict[str, list[cognitive.Deployment]] = defaultdict(list)
        for r in self.by_type.get(cognitive.DEPLOYMENT, ()):
            by_account[r.id.rsplit("/deployments/", 1)[0]].append(
                cognitive.parse_deployment(r.row, r.properties)
            )
        policies: dict[str, list[cognitive.RaiPolicy]] = defaultdict(list)
        for r in self.by_type.get(cognitive.RAI_POLICY, ()):
            policies[r.id.rsplit("/raipolicies/", 1)[0]].append(
                cognitive.parse_rai_policy(r.row, r.properties)
            )
        for node in [n for n in self.nodes.values() if n.type == cognitive.TYPE]:
            deployments = tuple(sorted(by_account.get(node.id, ()), key=lambda d: d.name.lower()))
            rai = tuple(sorted(policies.get(node.id, ()), key=lambda p: p.name.lower()))
            if node.id in collected or deployments or rai:
                attrs = dataclasses.replace(
                    node.attrs,
                    deployments=deployments,
                    deployments_collected=node.id in collected or bool(deployments),
                    rai_policies=rai,
                )
                self.nodes[node.id] = dataclasses.replace(node, attrs=attrs)

    def attach_keys(self) -> None:
        """Key rows (management plane) join their vault: a listed vault's keys are then known."""
        keys: dict[str, list[keyvault.Key]] = defaultdict(list)
        for r in self.by_type.get(keyvault.KEY, ()):
            keys[r.id.rsplit("/keys/", 1)[0]].append(keyvault.parse_key(r.row, r.properties))
        for vault_id, found in keys.items():
            node = self.nodes.get(vault_id)
            if node is not None and node.type == keyvault.TYPE:
                attrs = dataclasses.replace(
                    node.attrs, keys=tuple(sorted(found, key=lambda k: k.name)), keys_collected=True
                )
                self.nodes[vault_id] = dataclasses.replace(node, attrs=attrs)

    def attach_shared_links(self) -> None:
        """Shared private link rows (ARM child resources) join their search service's embedded list."""
        found: dict[str, list[search.SharedPrivateLink]] = defaultdict(list)
        for r in self.by_type.get(search.SHARED_PRIVATE_LINK, ()):
            if (link := search.parse_shared_link(r.row)) is not None:
                found[r.id.rsplit("/sharedprivatelinkresources/", 1)[0]].append(link)
        for service_id, links in found.items():
            node = self.nodes.get(service_id)
            if node is not None and node.type == search.TYPE:
                merged = {(lk.target, lk.name): lk for lk in (*node.attrs.shared_private_links, *links)}
                attrs = dataclasses.replace(
                    node.attrs, shared_private_links=tuple(merged[k] for k in sorted(merged))
                )
                self.nodes[service_id] = dataclasses.replace(node, attrs=attrs)

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
        """Relations: what each type's spec says its properties reference, then the joins across types
        (A records by IP, role assignments by principal and scope, diagnostic settings, hub connections)."""
        self.account_ids = sorted(n.id for n in self.nodes.values() if n.type == cognitive.TYPE)
        index = _Index(self.nodes, self.account_ids)
        pe_refs: list[Ref] = []
        for n in list(self.nodes.values()):
            spec = TYPES.get(n.type)
            if spec is None:
                continue
            for ref in spec.references(n.id, n.attrs, index):
                if ref.relation is R.PRIVATE_ENDPOINT_OF:
                    pe_refs.append(ref)
                    continue
                self.edge(ref.source, ref.relation, ref.target, **ref.attributes)
                if ref.relation is R.DNS_ZONE_LINKED_TO:
                    self.zones_linked_to[ref.target].append(ref.source)
        self.private_endpoint_edges(pe_refs)
        for r in self.by_type.get(network.HUB_CONNECTION, ()):
            vnet = props.ref_id(r.properties, "remoteVirtualNetwork", "id")
            self.edge(vnet, R.CONNECTED_TO_HUB, r.id.rsplit("/hubvirtualnetworkconnections/", 1)[0])
        self.dns_record_edges()
        self.role_edges()
        self.diagnostic_edges()

    def private_endpoint_edges(self, refs: list[Ref]) -> None:
        """One edge per (endpoint, target): the endpoint's view first, the target's view winning."""
        merged: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}
        mine = [r for r in refs if self.nodes.get(r.source, None) is not None]
        mine = [r for r in mine if self.nodes[r.source].type == network.PRIVATE_ENDPOINT]
        theirs = [r for r in refs if r not in mine]
        for r in mine:
            merged[(r.source, r.target)] = (tuple(r.attributes["group_ids"]), str(r.attributes["status"]))
        for r in theirs:
            prior = merged.get((r.source, r.target))
            groups = tuple(r.attributes["group_ids"]) or (prior[0] if prior else ())
            merged[(r.source, r.target)] = (
                groups,
                str(r.attributes["status"]) or (prior[1] if prior else ""),
            )
        for (pe, target), (groups, status) in merged.items():
            self.edge(pe, R.PRIVATE_ENDPOINT_OF, target, group_ids=list(groups), status=status_name(status))

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
            self.diagnostics[ds.resource_id].append(ds)
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
            spec = TYPES.get(node.type)
            for relation, direction in spec.walk if spec is not None else ():
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

    def note_other_kinds(self, seeds: set[str]) -> None:
        """Accounts of kinds archgen does not judge (LUIS, TextAnalytics, ...) are named, never dropped silently."""
        others = sorted(
            (n.kind or "(no kind)", n.name, n.id)
            for n in self.nodes.values()
            if n.type == cognitive.TYPE and n.id not in seeds
        )
        self.stats["accounts_other_kinds"] = len(others)
        for kind, name, rid in others:
            self.warnings.append(
                Warning(
                    "account_kind_not_assessed",
                    f"{rid}: account '{name}' of kind {kind} is not an Azure OpenAI or AI Services "
                    "account; archgen does not assess it",
                    (("resource", rid), ("kind", kind)),
                )
            )

    def build(self) -> Graph:
        self.ingest()
        self.build_nodes()
        self.build_edges()
        seeds = sorted(
            n.id
            for n in self.nodes.values()
            if n.type == cognitive.TYPE and norm_enum(n.kind) in cognitive.WORKLOAD_KINDS
        )
        self.note_other_kinds(set(seeds))
        dangling: set[tuple[str, Relation, str]] = set()
        workloads = []
        union: set[str] = set()
        for seed in seeds:
            members = self.walk(seed, dangling)
            union |= members
            workloads.append(Workload(seed, self.nodes[seed].name, tuple(sorted(members))))
        for source, relation, target in sorted(dangling):
            missing = source if source not in self.nodes else target
            what = missing[len("keyvault-uri:") :] if missing.startswith("keyvault-uri:") else missing
            shown_target = target[len("keyvault-uri:") :] if target.startswith("keyvault-uri:") else target
            self.warnings.append(
                Warning(
                    "dangling_reference",
                    f"{source} --{relation.value}--> {shown_target}: {what} is not in the input "
                    "(scope too narrow, or no read access)",
                    (
                        ("source", source),
                        ("relation", relation.value),
                        ("target", shown_target),
                        ("missing", what),
                    ),
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
        # Diagnostic settings count as read for a resource only when the input says so (a snapshot's
        # `diagnostics_collected`) or holds a setting of that very resource.
        collected = (self.inv.diagnostics_collected or frozenset()) | {
            i for i in self.diagnostics if i in union
        }
        return Graph(
            (self.nodes[i] for i in union),
            edges,
            workloads,
            self.warnings,
            frozenset(collected),
            self.stats,
            dangling,
            diagnostics={
                i: tuple(sorted(v, key=lambda d: d.name)) for i, v in self.diagnostics.items() if i in union
            },
        )


def build(inventory: Inventory) -> Graph:
    """Build the workload graph from an inventory of rows."""
    return _Builder(inventory).build()


def iter_rows(rows: Iterable[Mapping[str, Any]], source: str = "<memory>") -> Inventory:
    """An inventory from plain rows (for tests and benchmarks)."""
    from archgen.model.inventory import SourcedRow

    return Inventory([SourcedRow(r, source, f"[{i}]") for i, r in enumerate(rows)])
