"""Accepted risks: a review board's decisions (`--accept FILE`), validated at the boundary, matched to findings.

An acceptance names a control, a resource (an ARM id, compared case-insensitively, or a name pattern with
`*` and `?`), a justification, an approver and an expiry date. An accepted finding keeps its status and
evidence; it stops counting for `--fail-on` until the day after its expiry date, when it counts again and
is flagged as expired. Acceptances that match no failing or unknown finding are reported.

File format (YAML):

    accepted:
      - control: KV-NET-01
        resource: kv-claims-*            # or /subscriptions/.../vaults/kv-claims-prod
        justification: Reached only through the hub firewall until the 2027 migration.
        approver: Platform team (ARB 2026-11)
        expires: 2027-03-31
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
import yaml

from archgen.controls.catalogue import Catalogue
from archgen.controls.findings import Finding, Status
from archgen.errors import InputError
from archgen.model.graph import Graph
from archgen.model.ids import norm_id

if TYPE_CHECKING:
    from archgen.controls.acceptfile import Acceptance, AcceptFile

ACCEPTABLE = (Status.FAIL, Status.UNKNOWN)

__all__ = [  # with the file's models, which `__getattr__` loads when first asked for
    "ACCEPTABLE",
    "AcceptFile",
    "Acceptance",
    "Decision",
    "Review",
    "apply",
    "empty",
    "load",
]


def __getattr__(name: str) -> Any:
    """`Acceptance` and `AcceptFile` live in `acceptfile`: pydantic is imported only when they are used."""
    if name in ("Acceptance", "AcceptFile"):
        from archgen.controls import acceptfile

        return getattr(acceptfile, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(path: Path, catalogue: Catalogue) -> tuple[Acceptance, ...]:
    """Read and validate an acceptance file; InputError (exit 2) with one line for anything wrong."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"--accept {path}: cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"--accept {path}: not valid YAML ({first})") from None
    if not isinstance(data, dict):
        raise InputError(f"--accept {path}: expected a mapping with an 'accepted' list")
    from archgen.controls.acceptfile import parse  # pydantic: only when a file is given

    parsed = parse(data, f"--accept {path}")
    out = []
    for n, entry in enumerate(parsed.accepted):
        try:
            canonical = catalogue.control(entry.control).id
        except KeyError:
            raise InputError(
                f"--accept {path}: accepted.{n}.control: unknown control '{entry.control}' (see archgen controls)"
            ) from None
        out.append(entry.model_copy(update={"control": canonical}))
    return tuple(out)


class Decision(msgspec.Struct, frozen=True):
    """The acceptance that covers a finding, and whether it has expired on the review date."""

    acceptance: Acceptance
    expired: bool

    @property
    def label(self) -> str:
        verb = "acceptance expired on" if self.expired else "accepted until"
        return f"{verb} {self.acceptance.expires.isoformat()}"


class Review(msgspec.Struct, frozen=True):
    """Acceptances applied to one run's findings."""

    decisions: dict[tuple[str, str], Decision]  # (control id, resource id) -> decision
    unmatched: tuple[Acceptance, ...]
    as_of: date

    def decision(self, finding: Finding) -> Decision | None:
        return self.decisions.get((finding.control, norm_id(finding.resource)))

    def counts(self, finding: Finding) -> bool:
        """Whether the finding still counts against the workload (not covered by a live acceptance)."""
        d = self.decision(finding)
        return d is None or d.expired


def _matches(entry: Acceptance, finding: Finding, graph: Graph) -> bool:
    if entry.control != finding.control:
        return False
    pattern = entry.resource
    if pattern.startswith("/"):
        return norm_id(pattern) == norm_id(finding.resource)
    node = graph.node(norm_id(finding.resource))
    name = node.name if node is not None else finding.resource.rstrip("/").rsplit("/", 1)[-1]
    return fnmatch.fnmatchcase(name.lower(), pattern.lower())


def apply(
    acceptances: Sequence[Acceptance], findings: Sequence[Finding], graph: Graph, as_of: date
) -> Review:
    """Match each acceptance to the failing or unknown findings it covers (the first matching entry wins)."""
    if not acceptances:  # the usual run: nothing to match, no need to sort 50,000 findings
        return empty(as_of)
    decisions: dict[tuple[str, str], Decision] = {}
    used: set[int] = set()
    candidates = sorted(
        (f for f in findings if f.status in ACCEPTABLE), key=lambda f: (f.control, norm_id(f.resource))
    )
    for f in candidates:
        for n, entry in enumerate(acceptances):
            if _matches(entry, f, graph):
                decisions[(f.control, norm_id(f.resource))] = Decision(entry, entry.expires < as_of)
                used.add(n)
                break
    unmatched = tuple(e for n, e in enumerate(acceptances) if n not in used)
    return Review(decisions, unmatched, as_of)


def empty(as_of: date) -> Review:
    return Review({}, (), as_of)
