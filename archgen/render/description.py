"""The diagram description's plain data (clusters, nodes with badges, labelled edges) and its text rules.

Strings are raw here (unescaped, but truncated and stripped of control characters); each writer
escapes for its own format.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from archgen.naming import short_hash

NAME_MAX = 38
LABEL_MAX = 52

DOMAIN_ABBREV: dict[str, str] = {
    "network": "NET",
    "identity": "IAM",
    "encryption": "ENC",
    "logging": "LOG",
    "data": "DATA",
}


@dataclass(frozen=True, slots=True)
class Badge:
    """One control domain's verdicts on a node. `text` carries the counts, so colour is never alone."""

    domain: str
    passed: int
    failed: int
    unknown: int

    @property
    def tone(self) -> str:
        return "fail" if self.failed else "unknown" if self.unknown else "pass"

    @property
    def text(self) -> str:
        return f"{DOMAIN_ABBREV[self.domain]} ✔{self.passed} ✘{self.failed} ?{self.unknown}"


@dataclass(frozen=True, slots=True)
class DNode:
    key: str
    label: str
    title: str  # what it is ("Azure OpenAI", "Private endpoint")
    icon: str  # key of icons.ICONS
    details: tuple[str, ...] = ()
    badges: tuple[Badge, ...] = ()
    tone: str = "none"  # worst verdict on the node: fail | unknown | pass | none | ghost
    resource_id: str = ""
    rows: tuple[tuple[str, tuple[Badge, ...]], ...] = ()  # collapsed groups: (member name, its badges)
    tags: tuple[str, ...] = ()  # "key: value" of SHOWN_TAGS


@dataclass(frozen=True, slots=True)
class DCluster:
    key: str
    label: str
    level: str  # subscription | resource_group | virtual_network | subnet
    nodes: tuple[str, ...] = ()
    clusters: tuple[DCluster, ...] = ()


@dataclass(frozen=True, slots=True)
class DEdge:
    source: str
    target: str
    label: str
    style: str  # solid | dashed | dotted | bold
    tone: str  # neutral | fail | warn | ghost
    both: bool = False


@dataclass(frozen=True, slots=True)
class Description:
    title: str
    subtitle: str
    nodes: tuple[DNode, ...]
    clusters: tuple[DCluster, ...]
    top_level: tuple[str, ...]  # node keys outside every cluster
    edges: tuple[DEdge, ...]
    collapsed: tuple[str, ...] = ()
    icons_used: tuple[str, ...] = field(default=())

    def node(self, key: str) -> DNode:
        for n in self.nodes:
            if n.key == key:
                return n
        raise KeyError(key)


def clean(text: str, limit: int = NAME_MAX) -> str:
    """One line, no control or unassigned characters, format characters (U+202E, U+200B) shown as
    `<U+XXXX>`, at most `limit` characters (ellipsis when cut)."""
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if ch in "\t\n\r\v\f\x85\u2028\u2029":
            out.append(" ")
        elif cat in ("Cc", "Cs", "Co", "Cn") or ch in "\ufffe\uffff":
            continue
        elif cat == "Cf":  # bidi overrides, zero-width characters: shown, so a name cannot spoof another
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    one = " ".join("".join(out).split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def short_subscription(sub: str, names: Mapping[str, str] | None) -> str:
    if names and (name := names.get(sub) or names.get(sub.lower())):
        return f"{clean(name)} ({sub[:8]}…)"
    return f"{sub[:8]}…" if len(sub) > 8 else sub


def node_key(resource_id: str) -> str:
    return "n" + short_hash(resource_id, 12)


def to_plain(desc: Description) -> dict[str, Any]:
    """The description as JSON-ready data (badge text included), for golden files."""
    data = asdict(desc)
    for n, plain in zip(desc.nodes, data["nodes"], strict=True):
        plain["badges"] = [b.text for b in n.badges]
        plain["rows"] = [[name, [b.text for b in badges]] for name, badges in n.rows]
    return data
