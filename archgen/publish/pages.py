"""What the pages say, computed from the graph, findings, catalogue and run: plain data for the templates.

No Markdown is produced here except the few fixed HTML fragments for statuses; every text that came from
Azure is left raw and escaped by the templates (see `archgen.publish.escape`).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from archgen.controls.catalogue import DOMAINS, Catalogue, Control, MicrosoftDuty, Reference
from archgen.controls.findings import Finding, Status
from archgen.model import props
from archgen.model.graph import Graph, Node, Workload
from archgen.model.types import TYPES, cognitive, dns, network
from archgen.naming import slug, workload_slugs
from archgen.publish.escape import as_markup

DOMAIN_TITLES: dict[str, str] = {
    "network": "Network",
    "identity": "Identity and access",
    "encryption": "Encryption",
    "logging": "Logging",
    "data": "Data handling",
}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
STATUS_ORDER = (Status.FAIL, Status.UNKNOWN, Status.PASS, Status.NOT_APPLICABLE)
# Status shown as icon + word, never colour alone.
STATUS_ICON = {Status.PASS: "✔", Status.FAIL: "✘", Status.UNKNOWN: "?", Status.NOT_APPLICABLE: "–"}
STATUS_WORD = {
    Status.PASS: "pass",
    Status.FAIL: "fail",
    Status.UNKNOWN: "unknown",
    Status.NOT_APPLICABLE: "n/a",
}

# Readable names of the resource types (lower-case ARM type -> label).
TYPE_LABELS: dict[str, str] = {t: spec.label for t, spec in TYPES.items()}
# Type order in the components table: the account first, then what protects and serves it.
TYPE_ORDER = list(TYPE_LABELS)
# Attribute fields that are noise in the components table (ids already shown, or long lists).
_SKIPPED_FIELDS = frozenset(
    {
        "endpoint",
        "key_version",
        "network_interfaces",
        "principal_id",
        "user_assigned",
        "deployments_collected",
    }
)


def status_badge(status: Status) -> Markup:
    """Icon and word for a status, e.g. '✘ fail', with a class for colour."""
    return as_markup(
        f'<span class="ag-status ag-{status.value}">{STATUS_ICON[status]} {STATUS_WORD[status]}</span>'
    )


def counts_badge(counts: Mapping[Status, int]) -> Markup:
    """Fail, unknown and pass counts with their icons ('✘ 1 · ? 0 · ✔ 3'); n/a is left out."""
    parts = []
    for s in (Status.FAIL, Status.UNKNOWN, Status.PASS):
        n = counts.get(s, 0)
        css = f"ag-count ag-{s.value}" if n else "ag-count ag-zero"
        parts.append(f'<span class="{css}" title="{n} {STATUS_WORD[s]}">{STATUS_ICON[s]}&nbsp;{n}</span>')
    return as_markup('<span class="ag-counts">' + " ".join(parts) + "</span>")


def type_label(node_type: str) -> str:
    return TYPE_LABELS.get(node_type, node_type)


def short_ref(value: str) -> str:
    """A resource id shown by its last segment (the resource's name); other text unchanged."""
    if value.startswith("/subscriptions/") and "/" in value:
        return value.rstrip("/").rsplit("/", 1)[-1]
    return value


def _show(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return short_ref(value) or "(empty)"
    return str(value)


_LABELS = {
    "subnet_id": "subnet",
    "disable_local_auth": "local auth (API keys) disabled",
    "https_only": "HTTPS only",
}
# Fields shown only when set (their absence is already said by another field, e.g. key source).
_ONLY_WHEN_SET = frozenset({"key_vault_uri", "key_name", "key_identity", "key_identity_client_id"})


def _connection_text(x: network.LinkServiceConnection) -> str:
    groups = ", ".join(x.group_ids) or "?"
    manual = " (manual)" if x.manual else ""
    return f"{short_ref(x.target_id)} [{groups}]: {x.status or 'unknown'}{manual}"


def _vnet_link_text(x: dns.VnetLink) -> str:
    auto = ", auto-registration" if x.registration_enabled else ""
    return f"{short_ref(x.virtual_network)} ({x.state or 'state unknown'}{auto})"


def _a_record_text(x: dns.ARecord) -> str:
    return f"{x.fqdn} -> {', '.join(x.ipv4) or 'no address'}"


def _deployment_text(x: cognitive.Deployment) -> str:
    model = " ".join(str(v) for v in (x.model, x.model_version) if v)
    return f"{x.name} ({x.sku or 'type not set'}, {model or 'model not set'})"


def _peering_text(x: network.Peering) -> str:
    return f"{short_ref(x.remote_id)} ({x.state or 'state unknown'})"


# How one element of a list-valued attribute reads, by its class.
_ITEM_TEXT: dict[type, Callable[[Any], str]] = {
    network.LinkServiceConnection: _connection_text,
    dns.VnetLink: _vnet_link_text,
    dns.ARecord: _a_record_text,
    cognitive.Deployment: _deployment_text,
    network.Peering: _peering_text,
}


def _item(x: object) -> str:
    """One element of a list-valued attribute, in words."""
    text = _ITEM_TEXT.get(type(x))
    if text is not None:
        return text(x)
    return short_ref(x) if isinstance(x, str) else type(x).__name__


# Enum-valued attributes are normalised to lower case for comparison; the page shows them as Azure
# returned them, read from the row at these property paths.
_RAW_PATHS: dict[str, tuple[str, ...]] = {
    "public_network_access": ("properties", "publicNetworkAccess"),
    "key_source": ("properties", "encryption", "keySource"),
    "identity": ("identity", "type"),
    "network_acls default_action": ("properties", "networkAcls", "defaultAction"),
    "network_acls bypass": ("properties", "networkAcls", "bypass"),
    "private_endpoint_network_policies": ("properties", "privateEndpointNetworkPolicies"),
}


def _as_returned(node: Node, field: str, value: object) -> object:
    path = _RAW_PATHS.get(field)
    raw = props.get(node.raw, *path) if path else None
    return raw if isinstance(raw, str) and raw else value


def settings(node: Node, skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The security-relevant settings of a node as (label, value) pairs, from its typed attributes."""
    attrs = node.attrs
    if attrs is None or not dataclasses.is_dataclass(attrs):
        return []
    out: list[tuple[str, str]] = []
    for f in dataclasses.fields(attrs):
        if f.name in _SKIPPED_FIELDS or f.name in skip:
            continue
        value: Any = _as_returned(node, f.name, getattr(attrs, f.name))
        if value is None and f.name in _ONLY_WHEN_SET:
            continue
        out.extend(_field_pairs(node, f.name, value))
    return out


def _capabilities(value: Any) -> list[tuple[str, str]]:
    shown = [f"{k}={v}" for k, v in value if k.lower() in ("contentlogging", "customermanagedkey")]
    return [("capabilities", ", ".join(shown))] if shown else []


def _connection_states(value: Any) -> list[tuple[str, str]]:
    if not value:
        return []
    states = Counter(c.status or "unknown" for c in value)
    return [("private endpoint connections", ", ".join(f"{n} {s}" for s, n in sorted(states.items())))]


def _access_policies(value: Any) -> list[tuple[str, str]]:
    return [("access policies", str(len(value)))]


# Fields summarised rather than listed: field name -> its (label, value) pairs.
_SUMMARISED: dict[str, Callable[[Any], list[tuple[str, str]]]] = {
    "capabilities": _capabilities,
    "private_endpoint_connections": _connection_states,
    "access_policies": _access_policies,
}


def _field_pairs(node: Node, name: str, value: Any) -> list[tuple[str, str]]:
    """The (label, value) pairs of one attribute field (none, one, or one per field of a nested value)."""
    summarise = _SUMMARISED.get(name)
    if summarise is not None:
        return summarise(value)
    label = _LABELS.get(name, name.replace("_", " "))
    if dataclasses.is_dataclass(value):
        if name == "identity":
            return [("identity", _show(_as_returned(node, "identity", getattr(value, "type", None))))]
        return _nested_pairs(node, name, label, value)
    if isinstance(value, tuple):
        return [(label, "; ".join(_item(x) for x in value))] if value else []
    return [(label, _show(value))]


def _nested_pairs(node: Node, name: str, label: str, value: Any) -> list[tuple[str, str]]:
    """One pair per field of a nested dataclass value (an empty tuple field is left out)."""
    out: list[tuple[str, str]] = []
    for sub in dataclasses.fields(value):
        sv = _as_returned(node, f"{name} {sub.name}", getattr(value, sub.name))
        sub_label = f"{label} {sub.name.replace('_', ' ')}"
        if isinstance(sv, tuple):
            if sv:
                out.append((sub_label, ", ".join(_show(x) for x in sv)))
        else:
            out.append((sub_label, _show(sv)))
    return out


def evidence_pairs(evidence: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Evidence as (property path, value) pairs; structured values as compact JSON."""
    out = []
    for key in sorted(evidence):
        value = evidence[key]
        if isinstance(value, str):
            text = value
        elif value is None:
            text = "null"
        else:
            text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
        out.append((key, text))
    return out


@dataclass(frozen=True, slots=True)
class Diagram:
    """A diagram's files relative to docs/ (posix paths), and what it collapsed."""

    svg: str
    png: str | None  # None: no PNG was rendered (archgen discover --png renders them)
    drawio: str
    collapsed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    control: Control
    node: Node | None

    @property
    def resource_name(self) -> str:
        return self.node.name if self.node else short_ref(self.finding.resource)

    @property
    def resource_type(self) -> str:
        return type_label(self.node.type) if self.node else ""

    @property
    def badge(self) -> Markup:
        return status_badge(self.finding.status)

    @property
    def evidence(self) -> list[tuple[str, str]]:
        return evidence_pairs(self.finding.evidence)

    @property
    def needs_action(self) -> bool:
        return self.finding.status in (Status.FAIL, Status.UNKNOWN)


@dataclass(slots=True)
class WorkloadView:
    workload: Workload
    slug: str
    account: Node
    nodes: list[Node]
    findings: list[FindingView]
    diagram: Diagram | None = None
    counts: dict[str, Counter[Status]] = field(default_factory=dict)

    @property
    def total(self) -> Counter[Status]:
        return Counter(f.finding.status for f in self.findings)

    def by_domain(self) -> list[tuple[str, str, list[FindingView]]]:
        groups: dict[str, list[FindingView]] = defaultdict(list)
        for fv in self.findings:
            groups[fv.control.domain].append(fv)
        return [(d, DOMAIN_TITLES[d], groups[d]) for d in DOMAINS if groups.get(d)]

    def domain_badge(self, domain: str) -> Markup:
        return counts_badge(self.counts.get(domain, Counter()))


@dataclass(slots=True)
class ControlView:
    control: Control
    slug: str
    findings: list[FindingView]
    # workload slug -> workload view, for the failing/unknown resources
    where: list[tuple[FindingView, list[WorkloadView]]] = field(default_factory=list)

    @property
    def counts(self) -> Counter[Status]:
        return Counter(f.finding.status for f in self.findings)

    @property
    def verified(self) -> Markup:
        """archgen's verification status across the estate: one badge, or the counts."""
        counts = self.counts
        if not counts:
            return as_markup('<span class="ag-status ag-none">– no such resource in scope</span>')
        if len(counts) == 1:
            ((status, n),) = counts.items()
            badge = status_badge(status)
            return badge if n == 1 else as_markup(f"{badge} ({n} resources)")
        return counts_badge(counts)


@dataclass(frozen=True, slots=True)
class Area:
    """A row of the shared-responsibility matrix."""

    key: str
    title: str
    duties: list[MicrosoftDuty]
    controls: list[ControlView]


@dataclass(slots=True)
class SiteModel:
    """Everything the templates read."""

    graph: Graph
    catalogue: Catalogue
    workloads: list[WorkloadView]
    controls: list[ControlView]
    gaps: list[tuple[FindingView, list[WorkloadView]]]
    gaps_total: int
    areas: list[Area]
    tradeoffs: list[ControlView]
    attestations: list[Reference]
    estate_diagram: Diagram | None = None

    def workload(self, workload_id: str) -> WorkloadView:
        for w in self.workloads:
            if w.workload.id == workload_id:
                return w
        raise KeyError(workload_id)


def control_slug(control_id: str) -> str:
    return slug(control_id)


def build_model(
    graph: Graph, findings: Sequence[Finding], catalogue: Catalogue, max_gaps: int = 12
) -> SiteModel:
    """Group the findings by workload, domain and control; pick the gaps; lay out the matrix."""
    slugs = workload_slugs(graph)
    controls = {c.id: c for c in catalogue.controls}
    views = [
        FindingView(f, controls[f.control], graph.nodes.get(f.resource))
        for f in sorted(findings, key=lambda f: (f.control, f.resource))
        if f.control in controls
    ]
    by_resource: dict[str, list[FindingView]] = defaultdict(list)
    for fv in views:
        by_resource[fv.finding.resource].append(fv)

    order = {t: i for i, t in enumerate(TYPE_ORDER)}
    workloads: list[WorkloadView] = []
    member_of: dict[str, list[WorkloadView]] = defaultdict(list)
    for w in graph.workloads:
        nodes = sorted(
            (graph.nodes[m] for m in w.members if m in graph.nodes),
            key=lambda n: (n.id != w.id, order.get(n.type, len(order)), n.name.lower(), n.id),
        )
        wfind = [fv for n in nodes for fv in by_resource.get(n.id, [])]
        wfind.sort(key=lambda fv: (STATUS_ORDER.index(fv.finding.status), fv.control.id, fv.resource_name))
        counts: dict[str, Counter[Status]] = defaultdict(Counter)
        for fv in wfind:
            counts[fv.control.domain][fv.finding.status] += 1
        view = WorkloadView(w, slugs[w.id], graph.nodes[w.id], nodes, wfind, counts=dict(counts))
        workloads.append(view)
        for n in nodes:
            member_of[n.id].append(view)
    workloads.sort(key=lambda v: (v.workload.name.lower(), v.slug))

    control_views: list[ControlView] = []
    for c in catalogue.controls:
        cf = [fv for fv in views if fv.control.id == c.id]
        cv = ControlView(c, control_slug(c.id), cf)
        cv.where = [(fv, member_of.get(fv.finding.resource, [])) for fv in cf if fv.needs_action]
        control_views.append(cv)

    failing = [fv for fv in views if fv.finding.status is Status.FAIL]
    failing.sort(key=lambda fv: (SEVERITY_RANK[fv.control.severity], fv.control.id, fv.resource_name))
    gaps = [(fv, member_of.get(fv.finding.resource, [])) for fv in failing[:max_gaps]]

    area_keys = [("platform", "Physical and platform"), *DOMAIN_TITLES.items()]
    areas = []
    for key, title in area_keys:
        duties = [d for d in catalogue.microsoft_duties if d.domain == key]
        cvs = [cv for cv in control_views if cv.control.domain == key]
        if duties or cvs:
            areas.append(Area(key, title, duties, cvs))
    seen: dict[str, Reference] = {}
    for d in catalogue.microsoft_duties:
        for ref in d.attestations:
            seen.setdefault(ref.url + ref.title, ref)
    return SiteModel(
        graph=graph,
        catalogue=catalogue,
        workloads=workloads,
        controls=control_views,
        gaps=gaps,
        gaps_total=len(failing),
        areas=areas,
        tradeoffs=[cv for cv in control_views if cv.control.tradeoff],
        attestations=list(seen.values()),
    )
