"""The graph document (`archgen.graph/v1`): the stable, machine-readable output of a run.

Same input, same bytes: every list is sorted, keys are sorted, and no timestamp is inside.
The schema is documented in docs/graph-document.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Sequence
from enum import Enum
from typing import Any

import msgspec
import orjson
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


class _Float(float):
    """A float from the graph, written as the standard library writes it (`1e-05`, `NaN`): orjson hands
    float subclasses to `_default`, which keeps the document byte-identical to `json.dumps`."""


# Values that are already JSON and are kept as they are: checked inline to spare a call per field.
_SIMPLE = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    """Typed attributes -> JSON values (dataclasses to objects, tuples to lists, enums to strings)."""
    if isinstance(value, str | int | float | bool) or value is None:
        if isinstance(value, Enum):
            return value.value
        return _Float(value) if type(value) is float else value
    if isinstance(value, tuple | list):
        return [v if type(v) in _SIMPLE else _plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): v if type(v) in _SIMPLE else _plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return _plain_dataclass(value)


def _plain_dataclass(value: Any) -> Any:
    """_plain for a dataclass (fields cached per class); any other value is returned as it is."""
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value):
            return value
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(value))
    out = {}
    for name in names:
        v = getattr(value, name)
        out[name] = v if type(v) in _SIMPLE else _plain(v)
    return out


def _plain_attrs(attrs: object) -> Any:
    """A node's typed attributes as JSON data: `_plain` done by msgspec in C, about 3x faster (tuples
    stay tuples, written as arrays all the same). Exact because the attribute classes hold only strings,
    integers, booleans, None, tuples and attribute classes, never a float, which `_plain` would mark for
    the writer (tests/test_fast_paths.py checks the classes); anything else goes through `_plain`."""
    if attrs is None:
        return {}
    try:
        data = msgspec.to_builtins(attrs)
    except TypeError:  # a value msgspec does not know: `_plain` returns it as it is
        return _plain(attrs)
    return data if type(data) is dict else _plain(attrs)


def document_data(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> dict[str, Any]:
    """The graph document as plain JSON data, in the shape of `GraphDocument` (see `validate`)."""
    nodes = []
    for n in graph.nodes.values():
        attributes = _plain_attrs(n.attrs)
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
    for status, count in Counter(f.status for f in findings).items():
        summary[f"findings_{status.value}"] = summary.get(f"findings_{status.value}", 0) + count
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "nodes": nodes,
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "relation": e.relation.value,
                "attributes": _plain(e.attributes if type(e.attributes) is dict else dict(e.attributes)),
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
    return data


def validate(data: dict[str, Any]) -> GraphDocument:
    """Check graph-document data against the schema. The tests run it on every sample and generated
    estate; the CLI does not (0.15 s per 30,000 rows for data built by the code above, not read)."""
    return GraphDocument.model_validate(data)


def _item(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def dumps_data_stdlib(data: dict[str, Any]) -> str:
    """The reference writer (the standard library's C encoder, item by item): `dumps_data` must give
    exactly its bytes, and falls back to it for what orjson refuses (integers beyond 64 bits, lone
    surrogates)."""
    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and value:
            body = ",\n".join("  " + _item(v) for v in value)
            parts.append(f"{_item(key)}: [\n{body}\n]")
        else:
            parts.append(f"{_item(key)}: {_item(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# orjson encodes (sorted keys, compact); msgspec's formatter with indent=0 then puts one space after
# every ':' and ',' outside strings, copying strings and numbers byte for byte: together they give
# json.dumps(separators=(", ", ": ")) exactly, about 3x faster.
_SORT = orjson.OPT_SORT_KEYS


def _default(value: Any) -> Any:
    if isinstance(value, _Float):
        return orjson.Fragment(json.dumps(float(value)))
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def _one_line(value: Any) -> bytes:
    return msgspec.json.format(orjson.dumps(value, default=_default, option=_SORT), indent=0)


def _fast(data: dict[str, Any], consume: bool) -> bytes:
    """The document's bytes through orjson and msgspec. `consume`: drop each section from `data` once
    written, so the plain data and its encoding are not both held whole (peak memory)."""
    chunks = [b"{\n"]  # joined once: no intermediate copies of a 50 MB document
    for n, key in enumerate(sorted(data)):
        value = data.pop(key) if consume else data[key]
        chunks.append((b",\n" if n else b"") + orjson.dumps(key))
        if isinstance(value, list) and value:
            chunks.append(b": [\n  ")
            chunks.append(b",\n  ".join(_one_line(v) for v in value))
            chunks.append(b"\n]")
        else:
            chunks.append(b": " + _one_line(value))
        del value
    chunks.append(b"\n}\n")
    return b"".join(chunks)


_UNWRITABLE = (orjson.JSONEncodeError, msgspec.DecodeError)  # NaN and Infinity are not JSON for msgspec


def dumps_data(data: dict[str, Any]) -> str:
    """Deterministic JSON text: sorted keys, one list item per line (diff-friendly), trailing newline.

    Written with orjson and msgspec's formatter, byte-identical to `dumps_data_stdlib`, which it falls
    back to for what they cannot write (integers beyond 64 bits, lone surrogates, NaN, Infinity).
    """
    try:
        return _fast(data, consume=False).decode("utf-8")
    except _UNWRITABLE:
        return dumps_data_stdlib(data)


def dumps_graph(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> str:
    """The graph document's text (`dumps_data` of `document_data`, holding less memory at its peak)."""
    try:
        encoded = _fast(document_data(graph, findings, catalogue), consume=True)
    except _UNWRITABLE:
        return dumps_data_stdlib(document_data(graph, findings, catalogue))
    return encoded.decode("utf-8")
