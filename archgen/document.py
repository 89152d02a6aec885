"""The graph document (`archgen.graph/v1`): the stable, machine-readable output of a run.

Same input, same bytes: every list is sorted, keys are sorted, and no timestamp is inside.
The schema is documented in docs/graph-document.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
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
    schema_: str = Field(default=SCHEMA, alias="schema")
    nodes: list[NodeDoc]
    edges: list[EdgeDoc]
    workloads: list[WorkloadDoc]
    findings: list[FindingDoc]
    controls: list[ControlDoc]
    warnings: list[dict[str, str]]
    summary: dict[str, int]


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """Typed attributes -> JSON values (dataclasses to objects, tuples to lists, enums to strings)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value):
            return value
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(value))
    return {name: _plain(getattr(value, name)) for name in names}


def document_data(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> dict[str, Any]:
    """The graph document as plain JSON data, validated once against `GraphDocument`."""
    nodes = []
    for n in graph.nodes.values():
        attributes = _plain(n.attrs) if n.attrs is not None else {}
        attributes["tags"] = dict(n.tags)
        nodes.append(
            {
                "id": n.id,
                "type": n.type,
                "name": n.name,
                "kind": n.kind,
                "subscription_id": n.subscription_id,
                "resource_group": n.resource_group,
                "location": n.location,
                "attributes": attributes,
            }
        )
    summary = dict(graph.stats)
    for f in findings:
        summary[f"findings_{f.status.value}"] = summary.get(f"findings_{f.status.value}", 0) + 1
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "nodes": nodes,
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "relation": e.relation.value,
                "attributes": _plain(dict(e.attributes)),
            }
            for e in graph.edges
        ],
        "workloads": [{"id": w.id, "name": w.name, "members": list(w.members)} for w in graph.workloads],
        "findings": [
            {
                "control": f.control,
                "resource": f.resource,
                "status": f.status.value,
                "reason": f.reason,
                "evidence": _plain(f.evidence),
            }
            for f in sorted(findings, key=lambda f: (f.control, f.resource))
        ],
        "controls": [
            {
                "id": c.id,
                "title": c.title,
                "domain": c.domain,
                "severity": c.severity,
                "responsibility": c.responsibility,
                "references": [r.model_dump(exclude_none=True) for r in c.references],
            }
            for c in sorted(catalogue.controls, key=lambda c: c.id)
        ],
        "warnings": [{"code": w.code, "message": w.message, **dict(w.details)} for w in graph.warnings],
        "summary": dict(sorted(summary.items())),
    }
    GraphDocument.model_validate(data)  # the boundary check: one pass of pydantic's validator
    return data


def _item(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def dumps_data(data: dict[str, Any]) -> str:
    """Deterministic JSON text: sorted keys, one list item per line (diff-friendly), trailing newline.

    Written item by item with the C encoder; `json.dumps(indent=...)` falls back to the pure-Python
    encoder, which took most of the time on 100,000-row tenants.
    """
    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and value:
            body = ",\n".join("  " + _item(v) for v in value)
            parts.append(f"{_item(key)}: [\n{body}\n]")
        else:
            parts.append(f"{_item(key)}: {_item(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def dumps_graph(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> str:
    return dumps_data(document_data(graph, findings, catalogue))
