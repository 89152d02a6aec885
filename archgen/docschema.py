"""The graph document's schema (`archgen.graph/v1`) as pydantic models: the boundary check of a document
read back (`archgen diff`, `--since`) and, in the tests, of every document archgen writes.

Kept apart from `archgen.document` so that a run, which writes the document it built, never builds
these models (pydantic builds each model's validator when the class is created).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from archgen.document import SCHEMA


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
