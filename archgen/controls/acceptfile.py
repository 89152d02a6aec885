"""The `--accept` file's schema (pydantic: the user's file is validated at the boundary), imported by
`accept.load` only when a run is given one, so that other runs do not import pydantic."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from archgen.errors import InputError


class Acceptance(BaseModel):
    """One decision of the board."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    control: str = Field(min_length=1)
    resource: str = Field(min_length=1)
    justification: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: date


class AcceptFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    accepted: tuple[Acceptance, ...]  # required: an empty file is more likely the wrong file than no decision


def _where(exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "file"
    return f"{loc}: {first['msg']}"


def parse(data: Any, where: str) -> AcceptFile:
    """The validated file; InputError (exit 2) with `where` and the first problem on one line."""
    try:
        return AcceptFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{where}: {_where(exc)}") from None
