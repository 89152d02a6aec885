"""Microsoft Defender for Cloud recommendations (`microsoft.security/assessments`) on workload resources.

Sources:
- Resource Graph keeps assessments in its `securityresources` table as type `microsoft.security/assessments`;
  Microsoft's Resource Graph query for Defender for Cloud recommendations reads `properties.displayName`,
  `properties.resourceDetails.Id`, `properties.status.code` and `properties.metadata.severity`
  (https://learn.microsoft.com/azure/defender-for-cloud/exempt-resource, ms.date 03/11/2021, "Find
  recommendations with exemptions using Azure Resource Graph").
- `specification/security/resource-manager/Microsoft.Security/stable/2021-06-01/assessments.json`:
  `resourceDetails.id` (the REST spelling of the assessed resource's id, `AzureResourceDetails` in
  common/v1/types.json; the REST example GetAssessmentWithExpand_example.json spells it `id`),
  `AssessmentStatus.code` (`Healthy` | `Unhealthy` | `NotApplicable`). Severity: `assessmentMetadata.json`
  (same folder), `SecurityAssessmentMetadataProperties.severity` (`Low` | `Medium` | `High`).

Only the display name, status code and severity are kept: never the description, remediation text, status
cause/description or `additionalData`.

Evidence rule: a resource's recommendations are known only when the assessments query that covered it answered
(the snapshot's `assessments_collected`) or when the input holds an assessment of that very resource; rows of
other resources prove nothing about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import msgspec

from archgen.model import props
from archgen.model.ids import norm_id

TYPE = "microsoft.security/assessments"
HEALTHY, UNHEALTHY, NOT_APPLICABLE = "Healthy", "Unhealthy", "NotApplicable"
SEVERITIES = ("High", "Medium", "Low")  # most severe first


class Assessment(msgspec.Struct, frozen=True):
    """One recommendation's result on one resource."""

    id: str
    resource_id: str  # lower-case
    display_name: str
    status: str  # Healthy | Unhealthy | NotApplicable (canonical spelling), else as read, or "not set"
    severity: str  # High | Medium | Low (canonical spelling), else as read, or "not set"

    @property
    def unhealthy(self) -> bool:
        return self.status == UNHEALTHY


def _canonical(value: str | None, known: Iterable[str]) -> str:
    if not value:
        return "not set"
    return next((k for k in known if k.lower() == value.lower()), value)


def assessed_id(properties: Mapping[str, object]) -> str:
    """The assessed resource's id, lower-case: `resourceDetails.Id` as the Resource Graph samples spell it,
    `resourceDetails.id` as the REST spec does (keys match case-insensitively); '' when absent."""
    return norm_id(props.get_str(properties, "resourceDetails", "Id"))


def parse_assessment(rid: str, properties: Mapping[str, object]) -> Assessment | None:
    """An assessment row; None when the assessed resource cannot be told."""
    resource = assessed_id(properties)
    if not resource:
        return None
    return Assessment(
        id=norm_id(rid),
        resource_id=resource,
        display_name=props.get_str(properties, "displayName") or "not set",
        status=_canonical(props.get_str(properties, "status", "code"), (HEALTHY, UNHEALTHY, NOT_APPLICABLE)),
        severity=_canonical(props.get_str(properties, "metadata", "severity"), SEVERITIES),
    )


class AssessmentRow(Protocol):
    """A row as the builder holds it: its normalised id and its `properties`."""

    @property
    def id(self) -> str: ...

    @property
    def properties(self) -> Mapping[str, Any]: ...


class Summary(msgspec.Struct, frozen=True):
    """What the site shows for one resource: whether its recommendations were read, and if so the unhealthy
    ones counted by severity and named."""

    collected: bool
    assessed: int = 0  # every assessment of the resource, whatever its status
    unhealthy: tuple[Assessment, ...] = ()  # sorted by severity (High first), then name

    def by_severity(self) -> tuple[tuple[str, int], ...]:
        """(severity, count of unhealthy) for each severity that has one, most severe first."""
        order = [*SEVERITIES, *sorted({a.severity for a in self.unhealthy} - set(SEVERITIES))]
        counts = [(s, sum(1 for a in self.unhealthy if a.severity == s)) for s in order]
        return tuple((s, n) for s, n in counts if n)


class Assessments(msgspec.Struct, frozen=True):
    """The assessment rows of the input by assessed resource, and which resources' assessments were read."""

    by_resource: Mapping[str, tuple[Assessment, ...]] = msgspec.field(default_factory=dict)
    collected: frozenset[str] = frozenset()

    @classmethod
    def of(cls, rows: Iterable[AssessmentRow], collected: Iterable[str] | None = None) -> Assessments:
        found: dict[str, dict[str, Assessment]] = {}
        for row in rows:
            a = parse_assessment(row.id, row.properties)
            if a is not None:
                found.setdefault(a.resource_id, {}).setdefault(a.id, a)
        by_resource = {r: tuple(v[k] for k in sorted(v)) for r, v in sorted(found.items())}
        read = {norm_id(c) for c in collected or ()} | set(by_resource)
        return cls(by_resource, frozenset(read))

    def summary(self, resource_id: str) -> Summary:
        rid = norm_id(resource_id)
        if rid not in self.collected:
            return Summary(collected=False)
        mine = self.by_resource.get(rid, ())
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        bad = sorted(
            (a for a in mine if a.unhealthy),
            key=lambda a: (rank.get(a.severity, len(rank)), a.severity, a.display_name, a.id),
        )
        return Summary(collected=True, assessed=len(mine), unhealthy=tuple(bad))
