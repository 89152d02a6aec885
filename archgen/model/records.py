"""The model's records, read the same way whatever they are made of.

The attribute records of `archgen.model.types` and the records made on the CLI path (`Node`, `Edge`,
`Finding`, the builder's rows and ids, the pipeline's options and result) are `msgspec.Struct`s (made in C,
~10x faster to create than a frozen dataclass, and ~40x faster to define at import); the records elsewhere
(publishing, discovery, `policy.PolicyFacts`) are dataclasses. Code that reads or copies a record of either
kind goes through these three functions instead of `dataclasses.replace` / `dataclasses.fields` /
`dataclasses.is_dataclass`, which do not know Structs."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, cast

import msgspec

R = TypeVar("R")

_NAMES: dict[type, tuple[str, ...]] = {}


def is_record(value: object) -> bool:
    """Whether `value` is a record instance (a Struct or a dataclass instance; not a class)."""
    return isinstance(value, msgspec.Struct) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    )


def field_names(cls: type) -> tuple[str, ...]:
    """A record class's field names, in order (what `dataclasses.fields` gives, as names)."""
    names = _NAMES.get(cls)
    if names is None:
        if issubclass(cls, msgspec.Struct):
            names = cls.__struct_fields__
        else:
            names = tuple(f.name for f in dataclasses.fields(cast(Any, cls)))
        _NAMES[cls] = names
    return names


def replace(record: R, /, **changes: Any) -> R:
    """A copy of `record` with the named fields changed (`dataclasses.replace` for either kind)."""
    if isinstance(record, msgspec.Struct):
        return cast(R, msgspec.structs.replace(record, **changes))
    return cast(R, dataclasses.replace(cast(Any, record), **changes))
