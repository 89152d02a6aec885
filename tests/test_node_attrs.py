"""`NodeAttrs` (what mypy checks) and `NODE_ATTR_CLASSES` (what the builder accepts) name the same classes,
and every resource type's parser returns one of them."""

from __future__ import annotations

import typing

import pytest

from archgen.discovery.files import load_files
from archgen.model.attrs import NODE_ATTR_CLASSES, NodeAttrs
from archgen.model.builder import build
from archgen.model.graph import Node
from archgen.model.types import TYPES, keyvault
from archgen.pipeline import sample_names, sample_path


def test_the_alias_and_the_runtime_tuple_agree() -> None:
    assert set(typing.get_args(NodeAttrs)) - {type(None)} == set(NODE_ATTR_CLASSES)


@pytest.mark.parametrize("arm_type", sorted(t for t, s in TYPES.items() if s.parse is not None))
def test_every_parser_returns_a_node_attrs_class(arm_type: str) -> None:
    parse = TYPES[arm_type].parse
    assert parse is not None
    assert typing.get_type_hints(parse)["return"] in NODE_ATTR_CLASSES


@pytest.mark.parametrize("name", sample_names())
def test_every_node_of_the_samples_carries_typed_attributes(name: str) -> None:
    graph = build(load_files([sample_path(name)]))
    assert all(isinstance(n.attrs, NODE_ATTR_CLASSES) for n in graph.nodes.values())


def test_attrs_as_names_a_mismatch() -> None:
    graph = build(load_files([sample_path("quickstart")]))
    account: Node = graph.nodes[graph.workloads[0].id]
    with pytest.raises(TypeError, match="not Vault"):
        account.attrs_as(keyvault.Vault)
