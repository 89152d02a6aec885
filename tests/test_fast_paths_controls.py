"""The evaluation's shortcuts (issue 14) give what the plain code gives: evidence quoted from the row with one
dict lookup per key (falling back to `props.get`), findings built by setting their slots, the engine's loop
over the members of each type, and the network policies of a type read from the catalogue once."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.controls import policymap
from archgen.controls.catalogue import load
from archgen.controls.coverage import mark_incomplete
from archgen.controls.engine import evaluate
from archgen.controls.evaluators import EVALUATORS
from archgen.controls.evaluators.common import evidence_of, raw
from archgen.controls.findings import Finding, Status
from archgen.model import props
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Graph, Node
from archgen.model.types import TYPES
from archgen.pipeline import sample_names, sample_path
from benchmarks.generate import generate_rows

# -- evidence: the row's own values ------------------------------------------------------------------------

# Keys in Azure's spelling and in other cases, non-ASCII ones whose lower case differs in length
# ('İ'.lower() is two characters) or that have no case, and a key holding a dot.
_KEYS = st.sampled_from(
    [
        "properties",
        "Properties",
        "PROPERTIES",
        "networkAcls",
        "networkacls",
        "NetworkACLs",
        "bypass",
        "Bypass",
        "publicNetworkAccess",
        "İd",
        "i̇d",
        "ß",
        "SS",
        "ключ",
        "a.b",
        "",
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=5),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(_KEYS, inner, max_size=5),
        st.dictionaries(st.integers(), inner, max_size=2),  # keys that are not strings: never matched
        st.dictionaries(_KEYS, inner, max_size=3).map(types.MappingProxyType),  # a mapping, not a dict
    ),
    max_leaves=12,
)
_PATH = st.lists(_KEYS.filter(lambda k: "." not in k), min_size=1, max_size=3).map(".".join)


def _node(row: Any) -> Node:
    return Node("/x", "t", "n", None, "", "", None, (), None, row)  # type: ignore[arg-type]


def _reference(node: Node, path: str) -> object:
    value = props.get(node.raw, *path.split("."))
    return "not set" if value is None else value


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _JSON, max_size=6), st.lists(_PATH, min_size=1, max_size=4))
def test_evidence_quotes_what_props_get_reads(row: dict[str, Any], paths: list[str]) -> None:
    node = _node(row)
    for path in paths:
        assert raw(node, path) is _reference(node, path) or raw(node, path) == _reference(node, path)
    assert evidence_of(node, *paths) == {p: _reference(node, p) for p in paths}


@settings(max_examples=200, deadline=None)
@given(_JSON, _PATH)
def test_evidence_of_any_value_reads_as_props_get(value: Any, path: str) -> None:
    node = _node(value)
    assert raw(node, path) == _reference(node, path)


@pytest.mark.parametrize(
    ("row", "path", "expected"),
    [
        (
            {"properties": {"networkAcls": {"bypass": "AzureServices"}}},
            "properties.networkAcls.bypass",
            "AzureServices",
        ),
        ({"Properties": {"NETWORKACLS": {"ByPass": "None"}}}, "properties.networkAcls.bypass", "None"),
        ({"properties": {"networkAcls": "Deny"}}, "properties.networkAcls.bypass", "not set"),
        ({"properties": {"other": 1}}, "properties.networkAcls.bypass", "not set"),
        ({"properties": {1: "x", "NetworkAcls": {"bypass": 2**80}}}, "properties.networkAcls.bypass", 2**80),
        ({"properties": types.MappingProxyType({"Bypass": False})}, "properties.bypass", False),
        ({"properties": {"bypass": None}}, "properties.bypass", "not set"),
        ({"properties": {"İd": "x"}}, "properties.i̇d", "x"),
    ],
)
def test_evidence_known_shapes(row: Mapping[str, Any], path: str, expected: object) -> None:
    assert raw(_node(row), path) == expected == _reference(_node(row), path)


# -- findings ----------------------------------------------------------------------------------------------


# -- the engine --------------------------------------------------------------------------------------------


def _reference_evaluate(graph: Graph) -> list[Finding]:
    """The engine as it was before issue 14's fifth round."""
    catalogue = load()
    by_type: dict[str, list[str]] = {}
    for node_id in sorted({m for w in graph.workloads for m in w.members}):
        by_type.setdefault(graph.nodes[node_id].type, []).append(node_id)
    conflicted = {
        d["resource"]: d.get("properties", "")
        for w in graph.warnings
        if w.code == "conflicting_rows" and "resource" in (d := dict(w.details))
    }
    findings: list[Finding] = []
    for control in catalogue.controls:
        evaluator = EVALUATORS[control.id]
        for node_id in by_type.get(control.applies_to, ()):
            node = graph.nodes[node_id]
            try:
                status, reason, evidence = evaluator(graph, node)
            except Exception as exc:
                status, reason, evidence = (
                    Status.UNKNOWN,
                    f"{control.id} could not be evaluated on '{node.name}' ({type(exc).__name__}: {exc}).",
                    {},
                )
            if node_id in conflicted:
                status, reason, evidence = (
                    Status.UNKNOWN,
                    f"'{node.name}' appears in the input more than once with different properties "
                    f"({conflicted[node_id]}); archgen does not choose between them.",
                    {"conflicting_properties": conflicted[node_id]},
                )
            findings.append(Finding(control.id, node_id, status, reason, evidence))
    return mark_incomplete(graph, findings)


def _same(graph: Graph) -> None:
    graph.memo.clear()
    fast = evaluate(graph)
    graph.memo.clear()
    assert fast == _reference_evaluate(graph)
    assert [type(f.status) for f in fast] == [Status] * len(fast)


@pytest.mark.parametrize("name", sample_names())
def test_engine_gives_the_reference_findings_on_every_sample(name: str) -> None:
    from archgen.discovery.files import load_files

    _same(build(load_files([sample_path(name)])))


def test_engine_gives_the_reference_findings_on_a_generated_estate() -> None:
    _same(build(iter_rows(generate_rows(accounts=12, subscriptions=3, rows_target=900))))


def test_engine_gives_the_reference_findings_for_conflicting_rows_and_a_failing_evaluator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests import factory as f

    enabled = f.account(pe_status="Approved", publicNetworkAccess="Enabled", disableLocalAuth=False)
    disabled = f.account(pe_status="Approved", publicNetworkAccess="Disabled", disableLocalAuth=True)
    disabled["id"] = disabled["id"].upper().replace("/SUBSCRIPTIONS/", "/subscriptions/")
    graph = build(iter_rows([enabled, disabled, *f.private_network()[1:]]))
    assert any(w.code == "conflicting_rows" for w in graph.warnings)

    def broken(graph: Graph, node: Node) -> Any:
        raise KeyError("x")

    monkeypatch.setitem(EVALUATORS, "AOAI-NET-02", broken)
    monkeypatch.setitem(EVALUATORS, "KV-NET-01", broken)
    _same(graph)
    graph = build(iter_rows(f.private_network()))
    _same(graph)
    assert any("could not be evaluated" in x.reason for x in evaluate(graph))


# -- the catalogue's network policies ----------------------------------------------------------------------


@pytest.mark.parametrize("node_type", sorted(TYPES))
def test_network_policies_of_a_type_are_those_the_catalogue_cites(node_type: str) -> None:
    assert policymap.network_policies(node_type) == policymap.network_policies.__wrapped__(node_type)
