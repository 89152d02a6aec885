"""Loading the control catalogue (`catalogue.yaml`), validated at the boundary with pydantic."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict


class Reference(BaseModel):
    """A cited page: `date` is the page's ms.date; `scope` says where an attestation applies."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str
    url: str
    date: str | None = None
    scope: str | None = None


class DiagramOverlay(BaseModel):
    """What the diagram draws when the control fails on a resource."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    overlay: Literal["exposure", "shared-key", "dns", "cmk-chain", "bypass"]
    phrase: str | None = None
    opens_network: bool = False


class Control(BaseModel):
    """One control: identity, prose and references. Logic is in evaluators.EVALUATORS[id]."""

    model_config = ConfigDict(frozen=True, extra="forbid")
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


class MicrosoftDuty(BaseModel):
    """A duty Microsoft carries under the shared-responsibility model, with its attestations."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    area: str
    domain: str
    description: str
    sources: tuple[Reference, ...]
    attestations: tuple[Reference, ...] = ()
    scope: str | None = None


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    schema_: str = "archgen.controls/v1"
    sources: dict[str, Reference] = {}
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


@lru_cache(maxsize=1)
def load() -> Catalogue:
    """The catalogue shipped with archgen."""
    text = resources.files("archgen.controls").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader (C or Python)
    data["schema_"] = data.pop("schema")
    return Catalogue.model_validate(data)
