"""The KQL shapes the test server understands, and nothing else.

archgen sends a handful of query shapes (archgen/discovery/queries/*.kql). This module parses exactly
those, stage by stage, and raises `UnknownShape` on anything else, so that a new or changed query
cannot pass the tests without the server being taught it. It is written independently of archgen's
code: it reads query text, it does not import archgen.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

TABLES = (
    "resources",
    "dnsresources",
    "authorizationresources",
    "resourcecontainers",
    "securityresources",
    "policyresources",
)
COLUMNS = frozenset(
    {
        "id",
        "name",
        "type",
        "kind",
        "location",
        "resourceGroup",
        "subscriptionId",
        "tenantId",
        "sku",
        "identity",
        "tags",
        "properties",
    }
)
LIT = r"'(?:[^'\\]|\\.)*'"
LIST = rf"\((?:\s*{LIT}(?:\s*,\s*{LIT})*)?\s*\)"


class UnknownShape(ValueError):
    """A query (or a stage of one) the server was not taught."""


def unquote(literal: str) -> str:
    body = literal[1:-1]
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1]
            if nxt not in "\\'":
                raise UnknownShape(f"unknown escape \\{nxt} in {literal}")
            out.append(nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def literals(text: str) -> list[str]:
    return [unquote(m) for m in re.findall(LIT, text)]


def split_stages(text: str) -> list[str]:
    """Split at top-level pipes (outside string literals)."""
    stages, buf, i, quoted = [], [], 0, False
    while i < len(text):
        c = text[i]
        if quoted:
            buf.append(c)
            if c == "\\":
                buf.append(text[i + 1])
                i += 2
                continue
            if c == "'":
                quoted = False
        elif c == "'":
            quoted = True
            buf.append(c)
        elif c == "|":
            stages.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    if quoted:
        raise UnknownShape("unterminated string literal")
    stages.append("".join(buf))
    return [" ".join(s.split()) if "'" not in s else s.strip() for s in stages]


def path(row: Mapping[str, Any], *keys: str) -> Any:
    cur: Any = row
    for k in keys:
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(k)
    return cur


def tostring(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def in_range(ip: str, prefix: str) -> bool:
    """KQL ipv4_is_in_range(ip, prefix)."""
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        return False


Row = dict[str, Any]


@dataclass
class Query:
    """A parsed query: table, index hints, row filters and the projected columns."""

    table: str
    shape: list[str] = field(default_factory=list)  # stage kinds, for assertions in tests
    type_eq: str | None = None
    id_in: set[str] | None = None
    filters: list[Callable[[Row], bool]] = field(default_factory=list)
    mv_expand_records: bool = False
    mv_expand_links: bool = False
    link_targets: set[str] | None = None
    mv_expand_prefixes: bool = False
    mv_expand_uamis: bool = False
    uami_principals: set[str] | None = None
    prefix_ips: list[str] | None = None
    record_ips: set[str] | None = None
    zone_in: set[str] | None = None
    columns: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # parsed literal values, for tests

    def run(self, rows: Iterable[Row]) -> list[Row]:
        out = []
        for row in rows:
            if self.type_eq is not None and str(row.get("type", "")).lower() != self.type_eq:
                continue
            if self.id_in is not None and str(row.get("id", "")).lower() not in self.id_in:
                continue
            if not all(f(row) for f in self.filters):
                continue
            if self.zone_in is not None:
                zone = str(row.get("id", "")).lower().split("/virtualnetworklinks/")[0]
                if zone not in self.zone_in:
                    continue
            if self.mv_expand_prefixes:
                prefixes = path(row, "properties", "addressSpace", "addressPrefixes")
                for prefix in prefixes if isinstance(prefixes, list) else []:
                    if any(in_range(ip, tostring(prefix)) for ip in self.prefix_ips or []):
                        out.append(self.project(row))
                continue
            if self.mv_expand_links:
                links = path(row, "properties", "sharedPrivateLinkResources")
                for link in links if isinstance(links, list) else []:
                    target = tostring(path(link, "properties", "privateLinkResourceId")).lower()
                    if self.link_targets is not None and target in self.link_targets:
                        out.append(self.project(row))
                continue
            if self.mv_expand_uamis:  # kind=array: one [key, value] per entry of the map
                uamis = path(row, "identity", "userAssignedIdentities")
                for _key, value in uamis.items() if isinstance(uamis, Mapping) else []:
                    principal = tostring(path(value, "principalId")).lower()
                    if self.uami_principals is not None and principal in self.uami_principals:
                        out.append(self.project(row))
                continue
            if self.mv_expand_records:
                records = path(row, "properties", "aRecords")
                for rec in records if isinstance(records, list) else []:
                    if self.record_ips is None or tostring(path(rec, "ipv4Address")) in self.record_ips:
                        out.append(self.project(row))
                continue
            out.append(self.project(row))
        return out

    def project(self, row: Row) -> Row:
        return {c: row.get(c) for c in self.columns}


def _assessed(row: Mapping[str, Any]) -> str:
    """The assessed resource's id as KQL's coalesce of the two documented spellings reads it (property names
    are case-sensitive in KQL: `Id` as Resource Graph samples spell it, `id` as the REST spec does)."""
    details = path(row, "properties", "resourceDetails")
    if not isinstance(details, Mapping):
        return ""
    return (tostring(details.get("Id")) or tostring(details.get("id"))).lower()


def parse(text: str) -> Query:
    """Parse a query of a known shape; UnknownShape otherwise (including any take/limit/top)."""
    stages = split_stages(text)
    table = stages[0].strip()
    if table not in TABLES:
        raise UnknownShape(f"unknown table {table!r}")
    q = Query(table)
    extended_zone = False
    for raw in stages[1:-1]:
        stage = raw.strip()
        if m := re.fullmatch(rf"where type =~ ({LIT})", stage):
            q.type_eq = unquote(m.group(1)).lower()
            q.shape.append("type")
        elif m := re.fullmatch(rf"where type in~ ({LIST})", stage):
            types = {v.lower() for v in literals(m.group(1))}
            q.filters.append(lambda r, t=types: str(r.get("type") or "").lower() in t)
            q.shape.append("types")
        elif m := re.fullmatch(rf"where type !~ ({LIT}) or tostring\(sku\.name\) in~ ({LIST})", stage):
            other, skus = unquote(m.group(1)).lower(), {v.lower() for v in literals(m.group(2))}
            q.filters.append(
                lambda r, o=other, k=skus: (
                    str(r.get("type") or "").lower() != o or tostring(path(r, "sku", "name")).lower() in k
                )
            )
            q.shape.append("sku")
        elif m := re.fullmatch(rf"where kind in~ ({LIST})", stage):
            kinds = {v.lower() for v in literals(m.group(1))}
            q.values["kind"] = kinds
            q.filters.append(lambda r, k=kinds: str(r.get("kind") or "").lower() in k)
            q.shape.append("kind")
        elif m := re.fullmatch(rf"where resourceGroup in~ ({LIST})", stage):
            rgs = {v.lower() for v in literals(m.group(1))}
            q.values["resource_groups"] = literals(m.group(1))
            q.filters.append(lambda r, g=rgs: str(r.get("resourceGroup") or "").lower() in g)
            q.shape.append("resource_group")
        elif m := re.fullmatch(rf"where tostring\(tags\[({LIT})\]\) =~ ({LIT})", stage):
            key, value = unquote(m.group(1)), unquote(m.group(2))
            q.values.setdefault("tags", []).append((key, value))
            q.filters.append(lambda r, k=key, v=value: tostring(path(r, "tags", k)).lower() == v.lower())
            q.shape.append("tag")
        elif m := re.fullmatch(rf"where name in~ ({LIST}) or id in~ ({LIST})", stage):
            names = {v.lower() for v in literals(m.group(1))}
            ids = {v.lower() for v in literals(m.group(2))}
            q.values["names"], q.values["ids"] = literals(m.group(1)), literals(m.group(2))
            q.filters.append(
                lambda r, n=names, i=ids: (
                    str(r.get("name", "")).lower() in n or str(r.get("id", "")).lower() in i
                )
            )
            q.shape.append("name_or_id")
        elif m := re.fullmatch(rf"where name in~ ({LIST})", stage):
            names = {v.lower() for v in literals(m.group(1))}
            q.values["names"] = literals(m.group(1))
            q.filters.append(lambda r, n=names: str(r.get("name", "")).lower() in n)
            q.shape.append("name")
        elif m := re.fullmatch(rf"where id in~ ({LIST})", stage):
            q.id_in = {v.lower() for v in literals(m.group(1))}
            q.values["ids"] = literals(m.group(1))
            q.shape.append("id")
        elif m := re.fullmatch(
            rf"where tolower\(tostring\(properties\.virtualNetwork\.id\)\) in ({LIST})", stage
        ):
            vnets = set(literals(m.group(1)))
            q.filters.append(
                lambda r, v=vnets: tostring(path(r, "properties", "virtualNetwork", "id")).lower() in v
            )
            q.shape.append("link_vnet")
        elif m := re.fullmatch(
            rf"where tolower\(tostring\(properties\.remoteVirtualNetwork\.id\)\) in ({LIST})", stage
        ):
            vnets = set(literals(m.group(1)))
            q.filters.append(
                lambda r, v=vnets: tostring(path(r, "properties", "remoteVirtualNetwork", "id")).lower() in v
            )
            q.shape.append("remote_vnet")
        elif stage == "extend zone = tolower(tostring(split(tolower(id), '/virtualnetworklinks/')[0]))":
            extended_zone = True
            q.shape.append("extend_zone")
        elif (m := re.fullmatch(rf"where zone in ({LIST})", stage)) and extended_zone:
            q.zone_in = set(literals(m.group(1)))
            q.shape.append("zone")
        elif stage == "mv-expand prefix = properties.addressSpace.addressPrefixes":
            q.mv_expand_prefixes = True
            q.shape.append("mv_expand_prefixes")
        elif (
            m := re.fullmatch(
                rf"where ipv4_is_in_range\(({LIT}), tostring\(prefix\)\)"
                rf"(?: or ipv4_is_in_range\(({LIT}), tostring\(prefix\)\))*",
                stage,
            )
        ) and (q.mv_expand_prefixes):
            q.prefix_ips = literals(stage)
            q.shape.append("prefix_ip")
        elif stage == "mv-expand link = properties.sharedPrivateLinkResources":
            q.mv_expand_links = True
            q.shape.append("mv_expand_links")
        elif (
            m := re.fullmatch(
                rf"where tolower\(tostring\(link\.properties\.privateLinkResourceId\)\) in ({LIST})", stage
            )
        ) and q.mv_expand_links:
            q.link_targets = set(literals(m.group(1)))
            q.shape.append("link_target")
        elif stage == "mv-expand kind=array uami = identity.userAssignedIdentities":
            q.mv_expand_uamis = True
            q.shape.append("mv_expand_uamis")
        elif (m := re.fullmatch(rf"where tostring\(uami\[1\]\.principalId\) in~ ({LIST})", stage)) and (
            q.mv_expand_uamis
        ):
            q.uami_principals = {v.lower() for v in literals(m.group(1))}
            q.shape.append("uami_principal")
        elif stage == "mv-expand record = properties.aRecords":
            q.mv_expand_records = True
            q.shape.append("mv_expand_records")
        elif (m := re.fullmatch(rf"where tostring\(record\.ipv4Address\) in ({LIST})", stage)) and (
            q.mv_expand_records
        ):
            q.record_ips = set(literals(m.group(1)))
            q.shape.append("record_ip")
        elif m := re.fullmatch(rf"where subscriptionId in~ ({LIST})", stage):
            subscriptions = {v.lower() for v in literals(m.group(1))}
            q.filters.append(lambda r, s=subscriptions: str(r.get("subscriptionId") or "").lower() in s)
            q.shape.append("subscription")
        elif m := re.fullmatch(rf"where tostring\(properties\.principalId\) in~ ({LIST})", stage):
            principals = {v.lower() for v in literals(m.group(1))}
            q.filters.append(
                lambda r, p=principals: tostring(path(r, "properties", "principalId")).lower() in p
            )
            q.shape.append("principal")
        elif m := re.fullmatch(rf"where tostring\(identity\.principalId\) in~ ({LIST})", stage):
            principals = {v.lower() for v in literals(m.group(1))}
            q.filters.append(
                lambda r, p=principals: tostring(path(r, "identity", "principalId")).lower() in p
            )
            q.shape.append("identity_principal")
        elif m := re.fullmatch(rf"where tostring\(properties\.policyAssignmentId\) in~ ({LIST})", stage):
            assignments = {v.lower() for v in literals(m.group(1))}
            q.filters.append(
                lambda r, a=assignments: tostring(path(r, "properties", "policyAssignmentId")).lower() in a
            )
            q.shape.append("policy_assignment")
        elif m := re.fullmatch(rf"where tostring\(properties\.resourceId\) in~ ({LIST})", stage):
            resources = {v.lower() for v in literals(m.group(1))}
            q.filters.append(
                lambda r, i=resources: tostring(path(r, "properties", "resourceId")).lower() in i
            )
            q.shape.append("policy_resource")
        elif m := re.fullmatch(
            rf"where coalesce\(tostring\(properties\.resourceDetails\.Id\), "
            rf"tostring\(properties\.resourceDetails\.id\)\) in~ ({LIST})",
            stage,
        ):
            assessed = {v.lower() for v in literals(m.group(1))}
            q.filters.append(lambda r, i=assessed: _assessed(r) in i)
            q.shape.append("assessed_resource")
        elif m := re.fullmatch(rf"where tostring\(properties\.scope\) in~ ({LIST})", stage):
            scopes = {v.lower() for v in literals(m.group(1))}
            q.filters.append(lambda r, s=scopes: tostring(path(r, "properties", "scope")).lower() in s)
            q.shape.append("scope")
        else:
            raise UnknownShape(f"unknown stage {stage!r}")
    last = stages[-1].strip() if len(stages) > 1 else ""
    m = re.fullmatch(r"project ([A-Za-z]+(?:, [A-Za-z]+)*)", last)
    if not m:
        raise UnknownShape(f"the last stage must be a project of known columns, got {last!r}")
    columns = m.group(1).split(", ")
    if "id" not in columns or not set(columns) <= COLUMNS:
        raise UnknownShape(f"project must include id and only known columns: {columns}")
    q.columns = columns
    if q.mv_expand_prefixes and q.prefix_ips is None:
        raise UnknownShape("mv-expand of address prefixes without the ipv4_is_in_range filter")
    if q.mv_expand_links and q.link_targets is None:
        raise UnknownShape("mv-expand of shared private links without the target filter")
    if q.mv_expand_records and q.record_ips is None:
        raise UnknownShape("mv-expand without the ip filter")
    return q
