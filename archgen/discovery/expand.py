"""Breadth-first expansion from the seed accounts over their references, to a fixed point.

Hop 0 reads the accounts the scope names. Every later hop reads, for everything the previous hops
found, what it points at (forward references: private endpoints, NICs, VNets, hubs, identities,
vaults, storage, diagnostic destinations) and what points at it (reverse lookups: DNS zone links of a
VNet, links of a zone, A records holding a private endpoint's IP, hub connections of a VNet, role
assignments of a principal), with one query per kind of lookup and per batch of keys, never one per
resource. Diagnostic settings, which Resource Graph does not hold, are read from ARM in the same hop.
The expansion stops when a hop finds nothing new.

Which references are followed comes from the type specs' walk rules (`archgen.model.types`), the
same rules the builder walks: rows it would not reach are not fetched. Accounts other than workload
kinds are read but not expanded; peerings are followed one hop from a workload's own VNets.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from archgen.discovery import rows as row_kinds
from archgen.discovery.client import ARG_API_VERSION, Azure, QueryFailure
from archgen.discovery.frontier import (
    ACCOUNT,
    ASSESSED,
    LOOKUPS,
    MAX_QUERY_CHARS,
    PEER_VNET,
    PRINCIPALS,
    RESOLVER_VNET,
    SUBSCRIPTION_BATCH,
    VNET,
    WORKLOAD_KINDS,
    WORKLOAD_VNET,
    Frontier,
    Result,
    collected_keys,
)
from archgen.discovery.kqltext import load_query, pack
from archgen.discovery.rows import AUXILIARY, KEYVAULT_URI, NO_INDEX, gap, gap_key, row_key
from archgen.discovery.seeding import Scope, seed
from archgen.discovery.snapshot import QueryRecord
from archgen.model import props
from archgen.model.ids import norm_id, parse_id
from archgen.model.relations import Relation
from archgen.model.types import TYPES
from archgen.model.types.spec import Ref, ResourceType


class Expander:
    """Runs the seed query and the hops; collects rows, query records and warnings."""

    def __init__(
        self,
        azure: Azure,
        *,
        diagnostics: bool = True,
        max_query_chars: int = MAX_QUERY_CHARS,
        subscription_batch: int = SUBSCRIPTION_BATCH,
        on_query: Callable[[str, int], None] | None = None,
        on_rows: Callable[[int], None] | None = None,
    ) -> None:
        self.azure = azure
        self.diagnostics = diagnostics
        self.budget = max_query_chars
        self.subscription_batch = subscription_batch
        self.on_query = on_query
        self.on_rows = on_rows
        self.rows: dict[str, Any] = {}  # lower-case id -> row (first seen wins)
        self.raw_rows = 0
        self.queries: list[QueryRecord] = []
        self.warnings: list[dict[str, str]] = []
        self.incomplete: list[dict[str, Any]] = []  # see gap()
        self.requested: dict[str, set[str]] = {name: set() for name, _, _ in LOOKUPS}
        self.vnet_role: dict[str, int] = {}
        self.diag_done: set[str] = set()
        self.diag_collected: set[str] = set()
        self.diag_requests = 0
        self.hop = 0
        self.frontier = Frontier()
        self._templates: dict[str, str] = {}

    def template(self, name: str) -> str:
        if name not in self._templates:
            self._templates[name] = load_query(name)
        return self._templates[name]

    def warn(self, code: str, message: str) -> None:
        self.warnings.append({"code": code, "message": message})

    # -- running one query --------------------------------------------------------------------
    def run_query(
        self,
        name: str,
        table: str,
        text: str,
        *,
        subscriptions: Sequence[str] | None = None,
        management_groups: Sequence[str] | None = None,
    ) -> list[Any]:
        """One query for one scope; records it; raises QueryFailure after the client's retries."""
        if self.on_query:
            self.on_query(name, self.hop)
        if subscriptions:
            scope = f"subscriptions:{len(subscriptions)}"
        elif management_groups:
            scope = f"managementGroups:{len(management_groups)}"
        else:
            scope = "tenant"
        record = QueryRecord(
            name=name, table=table, text=text, api_version=ARG_API_VERSION, hop=self.hop, scope=scope
        )
        self.queries.append(record)
        start = time.monotonic()
        before = self.azure.pacer.attempts
        try:
            result = self.azure.query(text, subscriptions, management_groups, on_page=self.on_rows)
        except QueryFailure as failure:
            record.requests = self.azure.pacer.attempts - before
            record.seconds = round(time.monotonic() - start, 3)
            record.error = str(failure)
            raise
        record.requests = result.requests
        record.pages = result.pages
        record.rows = len(result.rows)
        record.seconds = round(result.seconds, 3)
        if result.truncated:
            self.warn(
                "result_truncated",
                f"query {name} (hop {self.hop}): Resource Graph truncated the result ({result.truncated})",
            )
            self.incomplete.append(
                gap("seed" if self.hop == 0 else "lookup", name, self.hop, f"truncated: {result.truncated}")
            )
        return result.rows

    # -- rows and references ------------------------------------------------------------------
    def add_rows(self, rows: Iterable[Any]) -> None:
        for row in rows:
            self.raw_rows += 1
            if not isinstance(row, Mapping):
                continue
            rid = norm_id(row.get("id"))
            if not rid or rid in self.rows:
                continue
            self.rows[rid] = row
            self.extract(rid, row)
            parsed = parse_id(rid)
            if parsed is not None and parsed.subscription_id:
                self.want("subscriptions_by_id", parsed.subscription_id.lower())

    def want(self, kind: str, key: str) -> None:
        if key and key not in self.requested[kind]:
            self.frontier.keys[kind].add(key)

    def want_id(self, value: object) -> None:
        rid = norm_id(value)
        if rid and parse_id(rid) is not None and rid not in self.rows:
            self.want("resources_by_id", rid)

    def want_vnet(self, vnet_id: str, role: int) -> None:
        vnet_id = norm_id(vnet_id)
        if not vnet_id or parse_id(vnet_id) is None:
            return
        old = self.vnet_role.get(vnet_id, 0)
        if role <= old:
            return
        self.vnet_role[vnet_id] = role
        self.want_id(vnet_id)
        if vnet_id in self.rows:  # already read under a weaker role: follow what the new role adds
            self.extract_vnet(vnet_id, self.rows[vnet_id])

    def want_vault_uri(self, uri: str | None) -> None:
        if not uri:
            return
        host = uri.split("://", 1)[-1].split("/", 1)[0]
        name = host.split(".", 1)[0].lower()
        if name:
            self.want("vaults_by_name", name)

    def want_diagnostics(self, rid: str) -> None:
        if self.diagnostics and rid not in self.diag_done:
            self.frontier.diagnostics.add(rid)

    def extract(self, rid: str, row: Mapping[str, Any]) -> None:
        """What a row leads to: for a type with a spec, the references its walk rules follow, its reverse
        lookups and its diagnostic settings; for an auxiliary row, the handler in AUXILIARY."""
        rtype = str(row.get("type") or "").lower()
        raw = props.get(row, "properties")
        properties: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        if rtype == VNET:
            self.extract_vnet(rid, row)
            return
        spec = TYPES.get(rtype)
        if spec is None or spec.parse is None:
            handler = AUXILIARY.get(rtype)
            if handler is not None:
                handler(self, rid, properties)
            return
        if rtype == ACCOUNT and (props.get_str(row, "kind") or "").lower() not in WORKLOAD_KINDS:
            return  # accounts of other kinds are read, not expanded
        try:
            attrs = spec.parse(row, properties)
        except Exception:  # the builder reports an unreadable row; discovery just does not follow it
            return
        self.follow_spec(rid, attrs, spec)

    def follow_spec(self, rid: str, attrs: Any, spec: ResourceType) -> None:
        walked = set(spec.walk)
        for ref in spec.references(rid, attrs, NO_INDEX):
            outgoing = ref.source == rid
            if (ref.relation, "out" if outgoing else "in") not in walked:
                continue
            self.follow(ref, ref.target if outgoing else ref.source)
        for lookup in spec.lookups:
            for key in lookup.keys(rid, attrs):
                self.want(lookup.query, key)
        for other in spec.also_reads(rid, attrs) if spec.also_reads is not None else ():
            self.want_id(other)
        if spec.diagnosable and parse_id(rid) is not None:
            self.want_diagnostics(rid)

    def follow(self, ref: Ref, other: str) -> None:
        """Read what a followed reference points at: a vault by its URI, a subnet's network (as a
        workload network), a user-assigned key identity, or the resource itself."""
        if other.startswith(KEYVAULT_URI):
            self.want_vault_uri(other[len(KEYVAULT_URI) :])
        elif "/subnets/" in other:
            self.want_vnet(other.split("/subnets/", 1)[0], WORKLOAD_VNET)
        else:
            self.want_id(other)
        who = str(ref.attributes.get("identity", ""))
        if ref.relation is Relation.CMK_KEY_IN and who.startswith("/subscriptions/"):
            self.want_id(who)  # storage's key identity (encryption.identity.userAssignedIdentity)

    def extract_vnet(self, rid: str, row: Mapping[str, Any]) -> None:
        role = self.vnet_role.get(rid, RESOLVER_VNET)
        raw = props.get(row, "properties")
        self.want("hub_connections_by_vnet", rid)
        self.want("dns_links_by_vnet", rid)
        if role >= PEER_VNET:
            for server in props.strings(raw, "dhcpOptions", "dnsServers"):
                self.want("vnets_by_dns_server", server)
        if role >= WORKLOAD_VNET:
            for peer in props.items(raw, "virtualNetworkPeerings"):
                self.want_vnet(props.ref_id(peer, "properties", "remoteVirtualNetwork", "id"), PEER_VNET)
            for subnet_id, subnet in row_kinds.subnets_of(rid, raw):  # NSGs, route tables: subnet walk rules
                self.follow_spec(subnet_id, subnet, row_kinds.SUBNET_SPEC)

    # -- hops ---------------------------------------------------------------------------------
    def run_hop(self) -> None:
        """One hop: every lookup for the frontier's keys, with the diagnostic settings read meanwhile.

        The ARM reads run in the background while the Resource Graph queries wait for their quota; their
        rows join the graph when the hop ends, so the next hop follows their destinations.
        """
        frontier, self.frontier = self.frontier, Frontier()
        diag_ids = sorted(frontier.diagnostics - self.diag_done)
        self.diag_done.update(diag_ids)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="archgen-diagnostics") as background:
            pending = background.submit(self.azure.diagnostic_settings_many, diag_ids) if diag_ids else None
            if diag_ids and self.on_query:
                self.on_query(f"diagnostic settings ({len(diag_ids)})", self.hop)
            for name, placeholder, table in LOOKUPS:
                keys = sorted(k for k in frontier.keys[name] if k not in self.requested[name])
                if name == "resources_by_id":
                    keys = [k for k in keys if k not in self.rows]
                self.requested[name].update(keys)
                if not keys:
                    continue
                for batch, text in pack(self.template(name), placeholder, keys, self.budget):
                    try:
                        rows = self.run_query(name, table, text)
                    except QueryFailure as failure:
                        self.warn(
                            "query_failed",
                            f"query {name} (hop {self.hop}, {len(batch)} keys) failed after retries "
                            f"({failure}); what it would have found is missing",
                        )
                        self.incomplete.append(gap("lookup", name, self.hop, str(failure), batch))
                        continue
                    self.add_rows(rows)
            if pending is not None:
                self.add_diagnostics(diag_ids, pending.result())

    def add_diagnostics(
        self, resource_ids: list[str], results: Mapping[str, list[Any] | QueryFailure]
    ) -> None:
        """Diagnostic settings as rows (`<resource id>/providers/microsoft.insights/diagnosticSettings/<name>`)."""
        self.diag_requests += len(resource_ids)
        failed: list[str] = []
        for rid in resource_ids:
            value = results[rid]
            if isinstance(value, QueryFailure):
                if value.status == 404:  # the resource went away between the queries
                    continue
                failed.append(f"{rid} ({value})")
                if value.unanswered:  # Azure failed to answer (403 is a permission, reported as such)
                    self.incomplete.append(gap("arm", "diagnostic_settings", self.hop, str(value), [rid]))
                continue
            self.diag_collected.add(rid)
            rows = []
            for i, item in enumerate(value):
                if not isinstance(item, Mapping):
                    continue
                row = dict(item)
                name = str(row.get("name") or f"setting{i}")
                row.setdefault("id", f"{rid}/providers/microsoft.insights/diagnosticSettings/{name}")
                row.setdefault("type", "Microsoft.Insights/diagnosticSettings")
                rows.append(row)
            self.add_rows(rows)
        for message in failed:
            self.warn("diagnostics_unreadable", f"diagnostic settings of {message} could not be read")

    def run(
        self,
        subscriptions: Sequence[str] = (),
        management_groups: Sequence[str] = (),
        resource_groups: Sequence[str] = (),
        tags: Sequence[tuple[str, str]] = (),
        accounts: Sequence[str] = (),
    ) -> Result:
        seed(self, Scope(subscriptions, management_groups, resource_groups, tags, accounts))
        while not self.frontier.empty():
            self.hop += 1
            self.run_hop()
        if self.azure.pacer.limit_hit:
            self.warn(
                "subscription_limit_hit",
                "Resource Graph answered for the first 10,000 subscriptions only; "
                "name subscriptions or management groups to cover the rest",
            )
        rows = sorted(self.rows.values(), key=row_key)
        stats: dict[str, Any] = {
            "hops": self.hop,
            "queries": len(self.queries),
            "requests": self.azure.pacer.attempts,
            "pages": sum(q.pages for q in self.queries),
            "rows_read": self.raw_rows,
            "rows": len(rows),
            "throttled": self.azure.pacer.throttled,
            "server_errors": self.azure.pacer.server_errors,
            "quota_waits": self.azure.pacer.waits,
            "quota_waited_seconds": round(self.azure.pacer.waited, 3),
            "diagnostics_requests": self.diag_requests,
        }
        return Result(
            rows=rows,
            queries=self.queries,
            warnings=sorted(self.warnings, key=lambda w: (w["code"], w["message"])),
            diagnostics_collected=sorted(self.diag_collected) if self.diagnostics else None,
            stats=stats,
            incomplete=sorted(self.incomplete, key=gap_key),
            principals_collected=collected_keys(self.requested[PRINCIPALS], self.incomplete, PRINCIPALS),
            assessments_collected=collected_keys(self.requested[ASSESSED], self.incomplete, ASSESSED),
        )
