"""The graph document (`archgen.graph/v1`): the stable, machine-readable output of a run.

Same input, same bytes: every list is sorted, keys are sorted, and no timestamp is inside.
The schema is documented in docs/graph-document.md.
"""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from archgen.controls.catalogue import Catalogue
from archgen.controls.findings import Finding
from archgen.model.graph import Graph

SCHEMA = "archgen.graph/v1"


class NodeDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    type: str
    name: str
    kind: str | None
    subscription_id: str
    resource_group: str
    location: str | None
    attributes: dict[str, Any]


class EdgeDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    target: str
    relation: str
    attributes: dict[str, Any]


class WorkloadDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    members: list[str]


class FindingDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    control: str
    resource: str
    status: str
    reason: str
    evidence: dict[str, Any]


class ControlDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    domain: str
    severity: str
    responsibility: str
    references: list[dict[str, str]]


class GraphDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    schema_: str = Field(default=SCHEMA, serialization_alias="schema")
    nodes: list[NodeDoc]
    edges: list[EdgeDoc]
    workloads: list[WorkloadDoc]
    findings: list[FindingDoc]
    controls: list[ControlDoc]
    warnings: list[dict[str, str]]
    summary: dict[str, int]


def _plain(value: Any) -> Any:
    """Typed attributes -> JSON values (dataclasses to objects, tuples to lists, enums to strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def build_document(graph: Graph, findings: list[Finding], catalogue: Catalogue) -> GraphDocument:
    nodes = []
    for n in graph.nodes.values():
        attributes = _plain(n.attrs) if n.attrs is not None else {}
        attributes["tags"] = dict(n.tags)
        nodes.append(
            NodeDoc(
                id=n.id,
                type=n.type,
                name=n.name,
                kind=n.kind,
                subscription_id=n.subscription_id,
                resource_group=n.resource_group,
                location=n.location,
                attributes=attributes,
            )
        )
    warnings = [{"code": w.code, "message": w.message, **dict(w.details)} for w in graph.warnings]
    summary = dict(sorted(graph.stats.items()))
    for f in findings:
        summary[f"findings_{f.status.value}"] = summary.get(f"findings_{f.status.value}", 0) + 1
    return GraphDocument(
        nodes=nodes,
        edges=[
            EdgeDoc(
                source=e.source, target=e.target, relation=e.relation.value, attributes=_plain(e.attributes)
            )
            for e in graph.edges
        ],
        workloads=[WorkloadDoc(id=w.id, name=w.name, members=list(w.members)) for w in graph.workloads],
        findings=[
            FindingDoc(
                control=f.control,
                resource=f.resource,
                status=f.status.value,
                reason=f.reason,
                evidence=_plain(f.evidence),
            )
            for f in sorted(findings, key=lambda f: (f.control, f.resource))
        ],
        controls=[
            ControlDoc(
                id=c.id,
                title=c.title,
                domain=c.domain,
                severity=c.severity,
                responsibility=c.responsibility,
                references=[r.model_dump() for r in c.references],
            )
            for c in sorted(catalogue.controls, key=lambda c: c.id)
        ],
        warnings=warnings,
        summary=summary,
    )


def dumps(document: GraphDocument) -> str:
    """Deterministic JSON text: sorted keys, two-space indent, UTF-8, trailing newline."""
    data = document.model_dump(by_alias=True, mode="json")
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def dumps_graph(graph: Graph, findings: list[Finding], catalogue: Catalogue) -> str:
    return dumps(build_document(graph, findings, catalogue))
