"""Loading the control catalogue (`catalogue.yaml`), validated at the boundary with msgspec.

The catalogue ships with archgen; it is checked on every run all the same (strict types, no unknown
field, the allowed values of `domain`, `severity`, ...) with msgspec structs, which import in a tenth of
the time pydantic's models take to build. The user's files (`--accept`, snapshots) keep pydantic.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import msgspec
import msgspec.json
import yaml


class CatalogueError(ValueError):
    """The catalogue does not match its schema (a defect of archgen's packaged file, not of user input)."""


class _Frozen(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class Reference(_Frozen, frozen=True, kw_only=True):
    """A cited page: `date` is the page's ms.date; `scope` says where an attestation applies."""

    title: str
    url: str
    date: str | None = None
    scope: str | None = None


class DiagramOverlay(_Frozen, frozen=True, kw_only=True):
    """What the diagram draws when the control fails on a resource."""

    overlay: Literal["exposure", "shared-key", "dns", "cmk-chain", "bypass"]
    phrase: str | None = None
    opens_network: bool = False


class Control(_Frozen, frozen=True, kw_only=True):
    """One control: identity, prose and references. Logic is in evaluators.EVALUATORS[id]."""

    id: str
    title: str
    domain: Literal["network", "identity", "encryption", "logging", "data"]
    severity: Literal["high", "medium", "low"]
    responsibility: Literal["customer", "shared", "microsoft"]
    applies_to: str
    rationale: str
    remediation: str
    references: tuple[Reference, ...]
    tradeoff: str | None = None
    aliases: tuple[str, ...] = ()
    diagram: DiagramOverlay | None = None


class MicrosoftDuty(_Frozen, frozen=True, kw_only=True):
    """A duty Microsoft carries under the shared-responsibility model, with its attestations."""

    id: str
    area: str
    domain: str
    description: str
    sources: tuple[Reference, ...]
    attestations: tuple[Reference, ...] = ()
    scope: str | None = None


class Catalogue(_Frozen, frozen=True, kw_only=True):
    schema_: str = msgspec.field(default="archgen.controls/v1", name="schema")
    sources: dict[str, Reference] = msgspec.field(default_factory=dict)
    controls: tuple[Control, ...]
    microsoft_duties: tuple[MicrosoftDuty, ...]

    def control(self, control_id: str) -> Control:
        for c in self.controls:
            if c.id == control_id or control_id in c.aliases:
                return c
        raise KeyError(control_id)


DOMAINS = ("network", "identity", "encryption", "logging", "data")

# libyaml's loader parses the catalogue in ~2 ms instead of ~24 ms; PyYAML built without libyaml has
# only the pure-Python one, which reads the same YAML into the same data.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def plain(value: msgspec.Struct, *, exclude_none: bool = False) -> dict[str, Any]:
    """A catalogue object as JSON data (every field, nested objects as dicts, tuples as lists), as
    pydantic's `model_dump(mode="json")` gave it; `exclude_none` leaves out the fields that are None."""
    data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(value))
    if exclude_none:
        return {k: v for k, v in data.items() if v is not None}
    return data


def validate(data: Any) -> Catalogue:
    """The catalogue from its YAML data; CatalogueError naming the first field that does not fit."""
    try:
        return msgspec.convert(data, Catalogue, strict=True)
    except msgspec.ValidationError as exc:
        raise CatalogueError(f"catalogue.yaml does not match the catalogue schema: {exc}") from None


@lru_cache(maxsize=1)
def load() -> Catalogue:
    """The catalogue shipped with archgen."""
    text = resources.files("archgen.controls").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    return validate(yaml.load(text, Loader=SAFE_LOADER))  # noqa: S506 - a safe loader (C or Python)
