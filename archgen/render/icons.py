"""The icon table: ARM type (and kind where it matters) -> `diagrams.azure` class and draw.io Azure stencil.

One row per node type, read from its spec in `archgen.model.types.TYPES` (a test fails when one is
missing), plus the pseudo-nodes the renderer draws itself (the Internet, a reference not in the input, a collapsed group).
Classes are named as strings and imported only when a diagram is drawn: nothing happens at import time.
`diagrams` ships two sets of Azure classes (`network` and `networking`, ...); this table picks one each.

draw.io stencil paths were checked against draw.io's sidebar source
(`jgraph/drawio: src/main/webapp/js/diagramly/sidebar/Sidebar-Azure2.js`, `img/lib/azure2/...`).
Where no stencil was verified (`drawio=None`) the draw.io file embeds the same PNG as a data URI.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archgen.model.types import TYPES


@dataclass(frozen=True, slots=True)
class Icon:
    """Where an icon comes from: the `diagrams` class (module, name), the draw.io stencil, a title."""

    module: str
    cls: str
    drawio: str | None
    title: str


INTERNET = "pseudo:internet"
GHOST = "pseudo:not-in-input"
GROUP = "pseudo:collapsed"
GENERIC = "pseudo:generic"
CALLERS = "pseudo:callers"

_PSEUDO: dict[str, Icon] = {
    INTERNET: Icon("diagrams.azure.general", "GlobeWarning", None, "Internet (public endpoints)"),
    GHOST: Icon("diagrams.azure.general", "Resource", None, "Not in input"),
    GROUP: Icon(
        "diagrams.azure.network", "PrivateEndpoint", "networking/Private_Endpoint.svg", "Collapsed group"
    ),
    GENERIC: Icon("diagrams.azure.general", "Resource", None, "Azure resource"),
    CALLERS: Icon("diagrams.azure.identity", "Groups", None, "Principals holding roles on the account"),
}


def _from_specs() -> dict[str, Icon]:
    """Each type's icon comes from its spec (archgen.model.types); kinds that change it get type#kind."""
    out: dict[str, Icon] = {}
    for arm_type, spec in TYPES.items():
        for kind, ref in spec.kind_icons.items():
            out[f"{arm_type}#{kind}"] = Icon(ref.module, ref.cls, ref.drawio, ref.title)
        if spec.icon is not None:
            out[arm_type] = Icon(spec.icon.module, spec.icon.cls, spec.icon.drawio, spec.icon.title)
    return out


# Key: lower-case ARM type, or "type#kind" (kind lower-case) when the kind changes the icon.
ICONS: dict[str, Icon] = {**_from_specs(), **_PSEUDO}

DRAWIO_PREFIX = "img/lib/azure2/"


def icon_key(node_type: str, kind: str | None = None) -> str:
    """The ICONS key for a node: type#kind when the table has it, else the type, else the generic icon."""
    if kind and (k := f"{node_type}#{kind.lower()}") in ICONS:
        return k
    return node_type if node_type in ICONS else GENERIC


def icon(key: str) -> Icon:
    return ICONS.get(key, ICONS[GENERIC])


def icon_class(key: str) -> type:
    """The `diagrams` node class of an icon key (imported on first use)."""
    entry = icon(key)
    cls: type = getattr(importlib.import_module(entry.module), entry.cls)
    return cls


@functools.cache
def icon_file(key: str) -> Path:
    """The PNG file the `diagrams` class draws (inside the installed `resources/` folder); resolved once
    per key (every diagram asks for every icon it draws)."""
    cls: Any = icon_class(key)
    package = Path(importlib.import_module("diagrams").__file__ or "").resolve().parent
    return package.parent / "resources" / str(cls._icon_dir).removeprefix("resources/") / str(cls._icon)
