"""What changed between two runs: `archgen diff OLD NEW` and the site's "Changes since the last review" page.

Works on two graph documents (`archgen.graph/v1`), validated at the boundary. Ids are compared
case-insensitively; a resource whose id stays but whose name changes is a change, not a removal and an
addition. Every list is sorted, so the same two documents always give the same text and JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archgen.document import SCHEMA
from archgen.errors import InputError

# Order of verdict changes: what got worse first (to fail, then to unknown), then what improved.
_WORSE = {"fail": 0, "unknown": 1, "not_applicable": 2, "pass": 3}


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    type: str
    name: str


@dataclass(frozen=True, slots=True)
class Renamed:
    id: str
    type: str
    old_name: str
    new_name: str


@dataclass(frozen=True, slots=True)
class Relation:
    source: str
    relation: str
    target: str


@dataclass(frozen=True, slots=True)
class Verdict:
    control: str
    resource: str
    old: str  # a status, or 'absent' when the finding did not exist in that run
    new: str
    reason: str  # the new reason (the old one when the finding went away)

    @property
    def worse(self) -> bool:
        """Now failing or unknown, and better than that before (a new finding that fails is worse too)."""
        return self.new in ("fail", "unknown") and _WORSE[self.new] < _WORSE.get(self.old, 4)


@dataclass(frozen=True, slots=True)
class NewWarning:
    code: str
    message: str


@dataclass(slots=True)
class Changes:
    resources_added: list[Resource] = field(default_factory=list)
    resources_removed: list[Resource] = field(default_factory=list)
    resources_renamed: list[Renamed] = field(default_factory=list)
    relations_added: list[Relation] = field(default_factory=list)
    relations_removed: list[Relation] = field(default_factory=list)
    verdicts_changed: list[Verdict] = field(default_factory=list)
    new_warnings: list[NewWarning] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f) for f in self.__dataclass_fields__)

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema"] = "archgen.diff/v1"
        return data


def load_document(path: Path) -> dict[str, Any]:
    """A graph document read and validated; InputError (exit 2) with one line otherwise."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON graph document ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(
            f"{path}: not an archgen graph document (expected schema {SCHEMA}; write one with --json)"
        )
    from pydantic import ValidationError  # the schema's models are built only when a document is read

    from archgen.docschema import GraphDocument

    try:
        GraphDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: invalid graph document at {where}: {first['msg']}") from None
    return data


def _resources(doc: dict[str, Any]) -> dict[str, Resource]:
    return {n["id"].lower(): Resource(n["id"].lower(), n["type"].lower(), n["name"]) for n in doc["nodes"]}


def _relations(doc: dict[str, Any]) -> set[Relation]:
    return {Relation(e["source"].lower(), e["relation"], e["target"].lower()) for e in doc["edges"]}


def _verdicts(doc: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str]]:
    return {(f["control"], f["resource"].lower()): (f["status"], f["reason"]) for f in doc["findings"]}


def _verdict_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Verdict]:
    before, after = _verdicts(old), _verdicts(new)
    out = []
    for key in set(before) | set(after):
        o_status, o_reason = before.get(key, ("absent", ""))
        n_status, n_reason = after.get(key, ("absent", ""))
        if o_status != n_status:
            out.append(Verdict(key[0], key[1], o_status, n_status, n_reason or o_reason))
    return sorted(out, key=lambda v: (not v.worse, _WORSE.get(v.new, 4), v.control, v.resource))


def _key(r: Relation) -> tuple[str, str, str]:
    return (r.source, r.relation, r.target)


def compare(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """The changes from graph document `old` to graph document `new`."""
    r_old, r_new = _resources(old), _resources(new)
    renamed = [
        Renamed(i, r_new[i].type, r_old[i].name, r_new[i].name)
        for i in sorted(set(r_old) & set(r_new))
        if r_old[i].name != r_new[i].name
    ]
    e_old, e_new = _relations(old), _relations(new)
    warnings_old = {(w["code"], w["message"]) for w in old["warnings"]}
    return Changes(
        resources_added=[r_new[i] for i in sorted(set(r_new) - set(r_old))],
        resources_removed=[r_old[i] for i in sorted(set(r_old) - set(r_new))],
        resources_renamed=renamed,
        relations_added=sorted(e_new - e_old, key=_key),
        relations_removed=sorted(e_old - e_new, key=_key),
        verdicts_changed=_verdict_changes(old, new),
        new_warnings=[
            NewWarning(code, message)
            for code, message in sorted({(w["code"], w["message"]) for w in new["warnings"]} - warnings_old)
        ],
    )


def _short(resource_id: str) -> str:
    return resource_id.rsplit("/", 1)[-1] or resource_id


def _resource(r: Any) -> str:
    return f"{r.name} ({r.type}) {r.id}"


def _relation(e: Any) -> str:
    return f"{_short(e.source)} {e.relation} {_short(e.target)}"


def text(changes: Changes) -> list[str]:
    """The changes as terminal lines (plain text; the CLI prints them without markup)."""
    if changes.empty:
        return ["no changes"]
    sections: list[tuple[str, Sequence[Any], Callable[[Any], str]]] = [
        (
            "verdicts changed",
            changes.verdicts_changed,
            lambda v: (
                f"{v.control} on {_short(v.resource)}: {v.old} -> {v.new}" + (" (worse)" if v.worse else "")
            ),
        ),
        ("resources added", changes.resources_added, _resource),
        ("resources removed", changes.resources_removed, _resource),
        ("resources renamed", changes.resources_renamed, lambda r: f"{r.old_name} -> {r.new_name} {r.id}"),
        ("relations added", changes.relations_added, _relation),
        ("relations removed", changes.relations_removed, _relation),
        ("new warnings", changes.new_warnings, lambda w: f"{w.code}: {w.message}"),
    ]
    lines = []
    for title, items, line in sections:
        if items:
            lines.append(f"{title} ({len(items)}):")
            lines += [f"  {line(item)}" for item in items]
    return lines


def dumps(changes: Changes) -> str:
    return json.dumps(changes.to_data(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
