"""The graph document (`archgen.graph/v1`): the stable, machine-readable output of a run.

Same input, same bytes: every list is sorted, keys are sorted, and no timestamp is inside.
The schema is documented in docs/graph-document.md.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from functools import partial
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import msgspec
import orjson

from archgen.controls.catalogue import Catalogue, plain
from archgen.controls.findings import Finding, Status
from archgen.doclines import EdgeLines, FindingLines
from archgen.doctext import UNWRITABLE, GraphText
from archgen.model import records
from archgen.model.graph import Edge, Graph
from archgen.model.relations import Relation

if TYPE_CHECKING:  # pydantic's schema is for the tests and `diff`: not imported on the CLI path
    from archgen.docschema import GraphDocument

SCHEMA = "archgen.graph/v1"


_FIELDS: dict[type, tuple[str, ...]] = {}


class _Float(float):
    """A float from the graph, written as the standard library writes it (`1e-05`, `NaN`): orjson hands
    float subclasses to `_default`, which keeps the document byte-identical to `json.dumps`."""


# Values that are already JSON and are kept as they are: checked inline to spare a call per field.
_SIMPLE = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    """Typed attributes -> JSON values (records to objects, tuples to lists, enums to strings)."""
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
    """_plain for a record, a dataclass or a Struct (fields cached per class); any other value is returned
    as it is."""
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None:
        if not records.is_record(value):
            return value
        names = _FIELDS[cls] = records.field_names(cls)
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


def _finding_doc(f: Finding) -> dict[str, Any]:
    return {
        "control": f.control,
        "resource": f.resource,
        "status": f.status.value,
        "reason": f.reason,
        "evidence": _plain(f.evidence),
    }


def _edge_doc(e: Edge) -> dict[str, Any]:
    return {
        "source": e.source,
        "target": e.target,
        "relation": e.relation.value,
        "attributes": _plain(e.attributes if type(e.attributes) is dict else dict(e.attributes)),
    }


_STATUS = attrgetter("status")
_FINDING_ORDER = attrgetter("control", "resource")  # in C: no tuple built by a lambda per finding


def _sections(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> dict[str, Any]:
    """The document's sections, with the edges as `Edge`s and the findings as `Finding`s (sorted):
    `document_data` turns them into plain data; the writer encodes them from the objects (`_object_lines`)."""
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
    for status, count in Counter(map(_STATUS, findings)).items():
        summary[f"findings_{status.value}"] = summary.get(f"findings_{status.value}", 0) + count
    return {
        "schema": SCHEMA,
        "nodes": nodes,
        "edges": list(graph.edges),
        "workloads": [{"id": w.id, "name": w.name, "members": list(w.members)} for w in graph.workloads],
        "findings": sorted(findings, key=_FINDING_ORDER),
        "controls": [
            {
                "id": c.id,
                "title": c.title,
                "domain": c.domain,
                "severity": c.severity,
                "responsibility": c.responsibility,
                "references": [plain(r, exclude_none=True) for r in c.references],
            }
            for c in sorted(catalogue.controls, key=lambda c: c.id)
        ],
        "warnings": [{"code": w.code, "message": w.message, **dict(w.details)} for w in graph.warnings],
        "summary": dict(sorted(summary.items())),
    }


def document_data(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> dict[str, Any]:
    """The graph document as plain JSON data, in the shape of `GraphDocument` (see `validate`)."""
    data = _sections(graph, findings, catalogue)
    data["edges"] = [_edge_doc(e) for e in data["edges"]]
    data["findings"] = [_finding_doc(f) for f in data["findings"]]
    return data


def validate(data: dict[str, Any]) -> GraphDocument:
    """Check graph-document data against the schema. The tests run it on every sample and generated
    estate; the CLI does not (0.15 s per 30,000 rows for data built by the code above, not read)."""
    from archgen.docschema import GraphDocument

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


# Edges and findings are written straight from their records (Structs): msgspec's encoder writes the fields
# and the attributes' or evidence's keys sorted, which is `_one_line(_edge_doc(e))` (`_finding_doc(f)`)
# byte for byte as long as those hold only strings, integers (of any size), booleans, None, and lists,
# tuples and dicts with string keys of those (exact types). msgspec writes a float its own way (`1e16`
# where the standard library writes `1e+16`), and enums, dataclasses and Structs by rules of its own: anything
# else goes through the dict and `_one_line`. Twice as fast as the dict, `_plain` and orjson.
_ENCODE_SORTED = msgspec.json.Encoder(order="sorted").encode


_DIRECT_EDGE = records.field_names(Edge) == ("source", "target", "relation", "attributes")
_DIRECT_FINDING = records.field_names(Finding) == ("control", "resource", "status", "reason", "evidence")


def _json_safe(value: Any) -> bool:
    """Whether msgspec writes `value` exactly as the reference writer writes `_plain(value)` (see
    `_ENCODE_SORTED`)."""
    kind = type(value)
    if kind is dict:
        for k, v in value.items():
            if type(k) is not str or (type(v) not in _SIMPLE and not _json_safe(v)):
                return False
        return True
    if kind is not list and kind is not tuple:
        return kind in _SIMPLE
    for v in value:  # a loop, not all(<generator>): a third faster on 84,000 evidence dicts
        if type(v) not in _SIMPLE and not _json_safe(v):
            break
    else:
        return True
    return False


def _direct_line(value: object) -> bytes | None:
    """`value`'s line from msgspec, or None where orjson must write it (a lone surrogate: orjson refuses
    it too, and the standard library writer takes over)."""
    try:
        return msgspec.json.format(_ENCODE_SORTED(value), indent=0)
    except UnicodeEncodeError:
        return None


def _plain_edge(e: Edge) -> bool:
    """Whether msgspec writes `e` as the reference writer writes `_edge_doc(e)` (see `_ENCODE_SORTED`);
    the one test of it, for the line writers here and the batch writers (`archgen.doclines`)."""
    return (
        type(e.relation) is Relation
        and type(e.source) is type(e.target) is str
        and type(e.attributes) is dict
        and _json_safe(e.attributes)
    )


def _plain_finding(f: Finding) -> bool:
    """Whether msgspec writes `f` as the reference writer writes `_finding_doc(f)` (as `_plain_edge`)."""
    return (
        type(f.status) is Status
        and type(f.control) is type(f.resource) is type(f.reason) is str
        and type(f.evidence) is dict
        and _json_safe(f.evidence)
    )


def _edge_line(e: Edge) -> bytes:
    """`_one_line(_edge_doc(e))`, written from the edge itself where that gives the same bytes."""
    if _DIRECT_EDGE and _plain_edge(e):
        line = _direct_line(e)
        if line is not None:
            return line
    return _one_line(_edge_doc(e))


def _finding_line(f: Finding) -> bytes:
    """`_one_line(_finding_doc(f))`, written from the finding itself where that gives the same bytes."""
    if _DIRECT_FINDING and _plain_finding(f):
        line = _direct_line(f)
        if line is not None:
            return line
    return _one_line(_finding_doc(f))


Batch = Callable[[Sequence[Any]], Iterable[bytes]]  # the lines of a batch of a section's items


def _one_lines(batch: Sequence[Any]) -> Iterable[bytes]:
    return map(_one_line, batch)


def _object_lines() -> dict[str, Batch]:
    """The edges' and findings' batch writers for one document (`archgen.doclines`), each with its own
    cache of encoded ids; item by item through `_edge_line` / `_finding_line` if the classes changed."""
    return {
        "edges": EdgeLines(_edge_line, _plain_edge) if _DIRECT_EDGE else partial(map, _edge_line),
        "findings": FindingLines(_finding_line, _plain_finding)
        if _DIRECT_FINDING
        else partial(map, _finding_line),
    }


_BATCH = 512  # item lines per chunk: blocks of ~0.25 MB written as they are, never one 40 MB buffer


def _chunks(data: dict[str, Any], consume: bool, lines: dict[str, Batch] | None = None) -> Iterator[bytes]:
    """The document's bytes, chunk by chunk, through orjson and msgspec. `consume`: drop each section from
    `data` once written, so the plain data and its encoding are not both held whole (peak memory).
    `lines`: the writer of a batch of items' lines, by section (default `_one_line` on each)."""
    yield b"{\n"
    for n, key in enumerate(sorted(data)):
        value = data.pop(key) if consume else data[key]
        yield (b",\n" if n else b"") + orjson.dumps(key)
        if isinstance(value, list) and value:
            write = (lines or {}).get(key, _one_lines)
            yield b": [\n  "
            for start in range(0, len(value), _BATCH):
                if start:
                    yield b",\n  "
                yield b",\n  ".join(write(value[start : start + _BATCH]))
            yield b"\n]"
        else:
            yield b": " + _one_line(value)
        del value
    yield b"\n}\n"


_UNWRITABLE = UNWRITABLE  # (archgen.doctext) what sends the document to the reference writer


def dumps_data(data: dict[str, Any]) -> str:
    """Deterministic JSON text: sorted keys, one list item per line (diff-friendly), trailing newline.

    Written with orjson and msgspec's formatter, byte-identical to `dumps_data_stdlib`, which it falls
    back to for what they cannot write (integers beyond 64 bits, lone surrogates, NaN, Infinity).
    """
    try:
        return b"".join(_chunks(data, consume=False)).decode("utf-8")
    except _UNWRITABLE:
        return dumps_data_stdlib(data)


def _graph_chunks(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> Iterator[bytes]:
    """The graph document's chunks, from the objects (`_sections`, the batch writers); raises
    `_UNWRITABLE` where the reference writer must write the document."""
    yield from _chunks(_sections(graph, findings, catalogue), consume=True, lines=_object_lines())


def _graph_reference(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> str:
    return dumps_data_stdlib(document_data(graph, findings, catalogue))


def encode_graph(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> GraphText:
    """The graph document (`dumps_data(document_data(...))`'s bytes, holding less memory at its peak and
    writing the findings from the objects)."""
    try:
        return GraphText(chunks=list(_graph_chunks(graph, findings, catalogue)))
    except _UNWRITABLE:
        return GraphText(text=_graph_reference(graph, findings, catalogue))


def encode_graph_later(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> GraphText:
    """`encode_graph`'s document, encoded when it is first used: chunk by chunk into the file when it
    is only written (`GraphText.write_to`); the graph and findings must not change until then."""
    return GraphText.later(
        partial(_graph_chunks, graph, findings, catalogue),
        partial(_graph_reference, graph, findings, catalogue),
    )


def dumps_graph(graph: Graph, findings: Sequence[Finding], catalogue: Catalogue) -> str:
    """The graph document's text."""
    return encode_graph(graph, findings, catalogue).text
