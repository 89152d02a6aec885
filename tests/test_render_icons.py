"""The icon table: every node type has an icon, every class imports, every icon file exists."""

from __future__ import annotations

import pytest

from archgen.model.types import NODE_TYPES, cognitive
from archgen.render import icons


@pytest.mark.parametrize("node_type", sorted(NODE_TYPES))
def test_every_node_type_has_its_own_icon(node_type: str) -> None:
    assert icons.icon_key(node_type) == node_type


@pytest.mark.parametrize("key", sorted(icons.ICONS))
def test_every_icon_class_imports_and_its_png_exists(key: str) -> None:
    cls = icons.icon_class(key)
    assert cls.__module__.startswith("diagrams.azure.")
    assert icons.icon_file(key).is_file()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("OpenAI", "Azure OpenAI"),
        ("AIServices", "Azure AI Services"),
        ("FormRecognizer", "Cognitive Services account"),
    ],
)
def test_account_kind_picks_the_icon(kind: str, expected: str) -> None:
    assert icons.icon(icons.icon_key(cognitive.TYPE, kind)).title == expected


def test_unknown_type_falls_back_to_the_generic_icon() -> None:
    assert icons.icon_key("microsoft.compute/virtualmachines") == icons.GENERIC
    assert icons.icon_file(icons.GENERIC).is_file()


def test_drawio_stencils_are_azure2_svgs() -> None:
    for entry in icons.ICONS.values():
        if entry.drawio:
            assert entry.drawio.endswith(".svg") and "/" in entry.drawio
