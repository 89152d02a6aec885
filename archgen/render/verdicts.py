"""Findings indexed for drawing: per resource, per (control, resource), badges, and the catalogue's overlays."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from archgen.controls.catalogue import DOMAINS, Catalogue
from archgen.controls.catalogue import load as load_catalogue
from archgen.controls.findings import Finding, Status
from archgen.render.description import DOMAIN_ABBREV, Badge


class Verdicts:
    """Findings indexed by resource and by (control, resource), with each control's domain."""

    def __init__(self, findings: Sequence[Finding], catalogue: Catalogue) -> None:
        self.by_resource: dict[str, list[Finding]] = defaultdict(list)
        self.status: dict[tuple[str, str], Status] = {}
        self.domain: dict[str, str] = {}
        for f in findings:
            self.by_resource[f.resource].append(f)
            self.status[(f.control, f.resource)] = f.status
            if f.control not in self.domain:
                try:
                    self.domain[f.control] = catalogue.control(f.control).domain
                except KeyError:
                    self.domain[f.control] = "data"

        # what the catalogue says the diagram draws for a failing control
        self.exposures: dict[str, tuple[str, bool]] = {}
        self.overlays: dict[str, list[str]] = defaultdict(list)
        for c in catalogue.controls:
            if c.diagram is None:
                continue
            self.overlays[c.diagram.overlay].append(c.id)
            if c.diagram.overlay in ("exposure", "shared-key"):  # both put their phrase on the Internet edge
                self.exposures[c.id] = (c.diagram.phrase or c.title, c.diagram.opens_network)

    def failed(self, control: str, resource: str) -> bool:
        return self.status.get((control, resource)) is Status.FAIL

    def failed_overlay(self, overlay: str, resource: str) -> bool:
        """Whether a control drawn as `overlay` fails on the resource."""
        return any(self.failed(c, resource) for c in self.overlays.get(overlay, ()))

    def counts(self, resources: set[str]) -> dict[Status, int]:
        """Findings per status over `resources` (each resource's own findings, read from the index)."""
        counts = {s: 0 for s in Status}
        for rid in resources:
            for f in self.by_resource.get(rid, ()):
                counts[f.status] += 1
        return counts

    def badges(self, resources: Sequence[str]) -> tuple[Badge, ...]:
        counts: dict[str, list[int]] = {d: [0, 0, 0] for d in DOMAINS}
        for rid in resources:
            for f in self.by_resource.get(rid, ()):
                slot = {Status.PASS: 0, Status.FAIL: 1, Status.UNKNOWN: 2}.get(f.status)
                if slot is not None:
                    counts.setdefault(self.domain[f.control], [0, 0, 0])[slot] += 1
        return tuple(Badge(d, *c) for d, c in counts.items() if d in DOMAIN_ABBREV and any(c))


# The index of the last findings list: describing N workloads of one graph indexes its findings once, not
# N times (46 s at 2,000 workloads). Keyed by identity and length, as the caller passes the same list.
_LAST: list[tuple[Sequence[Finding], int, Catalogue, Verdicts]] = []


def verdicts_of(findings: Sequence[Finding], catalogue: Catalogue | None) -> Verdicts:
    cat = catalogue or load_catalogue()
    if _LAST:
        f, n, c, v = _LAST[0]
        if f is findings and n == len(findings) and c is cat:
            return v
    verdicts = Verdicts(findings, cat)
    _LAST[:] = [(findings, len(findings), cat, verdicts)]
    return verdicts


def tone(badges: Sequence[Badge]) -> str:
    tones = {b.tone for b in badges}
    for t in ("fail", "unknown", "pass"):
        if t in tones:
            return t
    return "none"
