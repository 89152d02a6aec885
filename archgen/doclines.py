"""The graph document's edge and finding lines, a batch at a time, from pieces encoded once per run.

For an edge or finding msgspec may write direct (`document._edge_line`, `document._finding_line`), the
line is `format(encode(item), indent=0)` with the fields sorted. msgspec writes each field's value as it
writes that value alone, and the formatter adds one space after every ':' and ',' outside strings and
copies strings byte for byte, so the line is the fixed text between the fields with each value put in:
a string as `encode(value)` (the same bytes formatted), the evidence or attributes dict as
`format(encode(value))` (`{}` when empty). The ids, control ids, relations and statuses repeat (12,000
node ids for 84,000 findings at 100,000 rows) and are encoded once each. A batch with any item that is
not plainly of that shape, or that msgspec refuses (a lone surrogate, an integer too long to print), is
written item by item by the reference line writer, which writes it or raises as it always did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from archgen.controls.findings import Finding
from archgen.model.graph import Edge

_ENCODE = msgspec.json.Encoder(order="sorted").encode
_FORMAT = msgspec.json.format

_FINDING = b'{"control": %b, "evidence": %b, "reason": %b, "resource": %b, "status": %b}'
_EDGE = b'{"attributes": %b, "relation": %b, "source": %b, "target": %b}'

Line = Callable[[Any], bytes]
Plain = Callable[[Any], bool]


class _Encoded(dict[Any, bytes]):
    """Each key's JSON, encoded on first use (keys are exact `str`s, `Status`es or `Relation`s)."""

    __slots__ = ()

    def __missing__(self, key: Any) -> bytes:
        value = self[key] = _ENCODE(key)
        return value


class _Lines:
    """A section's line writer for a batch of items: direct where every item allows it, else `line`."""

    __slots__ = ("_enum", "_line", "_plain", "_text")

    def __init__(self, line: Line, plain: Plain) -> None:
        self._line = line  # the reference line writer of one item
        self._plain = plain  # whether msgspec writes an item as the reference writer does (`document`)
        self._text = _Encoded()
        self._enum = _Encoded()

    def __call__(self, batch: Sequence[Any]) -> list[bytes]:
        try:
            lines = self._direct(batch)
        except (UnicodeEncodeError, ValueError):
            lines = None
        return list(map(self._line, batch)) if lines is None else lines

    def _direct(self, batch: Sequence[Any]) -> list[bytes] | None:
        raise NotImplementedError


class FindingLines(_Lines):
    __slots__ = ()

    def _direct(self, batch: Sequence[Finding]) -> list[bytes] | None:
        text, status, plain = self._text, self._enum, self._plain
        lines = []
        for f in batch:
            if not plain(f):
                return None
            st, control, resource, reason, evidence = f.status, f.control, f.resource, f.reason, f.evidence
            lines.append(
                _FINDING
                % (
                    text[control],
                    _FORMAT(_ENCODE(evidence), indent=0) if evidence else b"{}",
                    _ENCODE(reason),
                    text[resource],
                    status[st],
                )
            )
        return lines


class EdgeLines(_Lines):
    __slots__ = ()

    def _direct(self, batch: Sequence[Edge]) -> list[bytes] | None:
        text, relation, plain = self._text, self._enum, self._plain
        lines = []
        for e in batch:
            if not plain(e):
                return None
            rel, source, target, attributes = e.relation, e.source, e.target, e.attributes
            lines.append(
                _EDGE
                % (
                    _FORMAT(_ENCODE(attributes), indent=0) if attributes else b"{}",
                    relation[rel],
                    text[source],
                    text[target],
                )
            )
        return lines
