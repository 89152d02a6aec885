"""What the pages say, computed from the graph, findings, catalogue and run: plain data for the templates.

No Markdown is produced here except the few fixed HTML fragments for statuses; every text that came from
Azure is left raw and escaped by the templates (see `archgen.publish.escape`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from archgen.controls.catalogue import DOMAINS, Catalogue, Control, MicrosoftDuty, Reference
from archgen.controls.findings import Finding, Status
from archgen.model.graph import Graph, Node, Workload
from archgen.model.types import TYPES
from archgen.naming import slug, workload_slugs
from archgen.publish.escape import as_markup
from archgen.publish.settings import evidence_pairs, short_ref

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

    workloads, member_of = _workload_views(graph, slugs, by_resource)

    control_views: list[ControlView] = []
    for c in catalogue.controls:
        cf = [fv for fv in views if fv.control.id == c.id]
        cv = ControlView(c, control_slug(c.id), cf)
        cv.where = [(fv, member_of.get(fv.finding.resource, [])) for fv in cf if fv.needs_action]
        control_views.append(cv)

    failing = [fv for fv in views if fv.finding.status is Status.FAIL]
    failing.sort(key=lambda fv: (SEVERITY_RANK[fv.control.severity], fv.control.id, fv.resource_name))
    gaps = [(fv, member_of.get(fv.finding.resource, [])) for fv in failing[:max_gaps]]

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
        areas=_areas(catalogue, control_views),
        tradeoffs=[cv for cv in control_views if cv.control.tradeoff],
        attestations=list(seen.values()),
    )


def _workload_views(
    graph: Graph, slugs: Mapping[str, str], by_resource: Mapping[str, list[FindingView]]
) -> tuple[list[WorkloadView], dict[str, list[WorkloadView]]]:
    """The workloads sorted by name, members and findings ordered; and resource id -> its workloads."""
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
    return workloads, member_of


def _areas(catalogue: Catalogue, control_views: Sequence[ControlView]) -> list[Area]:
    """The shared-responsibility areas: Microsoft's duties and the customer's controls per domain."""
    areas = []
    for key, title in [("platform", "Physical and platform"), *DOMAIN_TITLES.items()]:
        duties = [d for d in catalogue.microsoft_duties if d.domain == key]
        cvs = [cv for cv in control_views if cv.control.domain == key]
        if duties or cvs:
            areas.append(Area(key, title, duties, cvs))
    return areas
