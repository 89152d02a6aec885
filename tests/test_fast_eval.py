"""The evaluation's sixth-round shapes (issue 14) give what the code they replace gives: each resource's quoted
properties read once before the controls run (`evaluators.quotes`), the findings built column by column
(`findings.make_findings`, `engine._verdicts`), and the per-node private-endpoint facts worked out once per
graph (`facts.vnet_of_endpoint`, `facts.endpoint_status`, `pedns.approved_endpoints`, `pedns.workload_vnets`).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.controls import engine
from archgen.controls.engine import evaluate
from archgen.controls.evaluators import EVALUATORS, quotes
from archgen.controls.evaluators.common import QUOTED, evidence_of, quote, raw
from archgen.controls.findings import Finding, Status, make_findings
from archgen.model import facts, pedns
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Graph, Node
from archgen.model.relations import Relation
from archgen.model.types import TYPES
from archgen.pipeline import sample_names, sample_path
from benchmarks.generate import generate_rows
from tests.test_fast_paths_controls import _JSON, _KEYS, _PATH, _reference_evaluate

# -- quotes: every path of a row read together gives what `quote` reads path by path ----------------------


def _plan(paths: list[str]) -> Any:
    return tuple((p, tuple((k, k.lower()) for k in p.split("."))) for p in dict.fromkeys(paths))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.dictionaries(_KEYS, _JSON, max_size=6), _JSON), st.lists(_PATH, min_size=1, max_size=6))
def test_quotes_read_together_are_what_quote_reads(row: Any, paths: list[str]) -> None:
    values = quotes._quotes(row, _plan(paths))
    assert list(values) == list(dict.fromkeys(paths))
    for path, value in values.items():
        expected = quote(row, path)
        assert value is expected or (value == expected and type(value) is type(expected))


@pytest.mark.parametrize(
    ("row", "path", "expected"),
    [
        ({"properties": {"PublicNetworkAccess": "Disabled"}}, "properties.publicNetworkAccess", "Disabled"),
        (
            {"properties": {1: "x", "publicnetworkaccess": "Enabled"}},
            "properties.publicNetworkAccess",
            "Enabled",
        ),
        ({"properties": {1: "x"}}, "properties.publicNetworkAccess", "not set"),
        ({"properties": {"İd": "x"}}, "properties.i̇d", "x"),
        ({"properties": {"networkAcls": ["Deny"]}}, "properties.networkAcls.bypass", "not set"),
        ({"properties": {"networkAcls": {"bypass": None}}}, "properties.networkAcls.bypass", "not set"),
        ({"properties": {"x": "\ud800", "y": 2**90}}, "properties.y", 2**90),
        ({"properties": "Disabled"}, "properties.publicNetworkAccess", "not set"),
    ],
)
def test_quotes_known_shapes(row: Any, path: str, expected: object) -> None:
    assert quotes._quotes(row, _plan([path, "properties.other"])) == {
        path: expected,
        "properties.other": "not set",
    }


def _node(row: Any, node_id: str = "/x") -> Node:
    return Node(node_id, "microsoft.keyvault/vaults", "n", None, "", "", None, (), None, row)  # type: ignore[arg-type]


def test_quoted_values_are_used_only_for_the_node_they_were_read_from() -> None:
    row = {"properties": {"enableSoftDelete": True, "publicNetworkAccess": "Enabled"}}
    node, twin = _node(row), _node({"properties": {"enableSoftDelete": False}})  # same id, another node
    with quotes.quoting({node.type: [node]}):
        table = QUOTED.get()
        assert table is not None and table[node.id][0] is node
        assert raw(node, "properties.enableSoftDelete") is True
        assert raw(twin, "properties.enableSoftDelete") is False
        assert evidence_of(twin, "properties.enableSoftDelete") == {"properties.enableSoftDelete": False}
        # a path the table does not hold is read from the row
        assert evidence_of(node, "properties.enableSoftDelete", "properties.tags") == {
            "properties.enableSoftDelete": True,
            "properties.tags": "not set",
        }
        first, second = (evidence_of(node, "properties.publicNetworkAccess") for _ in range(2))
        assert first == second == {"properties.publicNetworkAccess": "Enabled"} and first is not second
    assert QUOTED.get() is None


# -- the engine on hostile estates: the findings of the reference engine, field by field --------------------

_TARGETS = (
    "microsoft.cognitiveservices/accounts",
    "microsoft.keyvault/vaults",
    "microsoft.storage/storageaccounts",
)
_PROPS = sorted({p.split(".")[1] for paths in quotes.PATHS.values() for p in paths})
_ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["Disabled", "ENABLED", "deny", "AzureServices", "None", "ключ", "\ud800", "", "tls1_0"]),
    st.lists(st.sampled_from(["10.0.0.0/8", "1.2.3.4", "x", "*"]), max_size=2),
    st.dictionaries(
        st.sampled_from(["defaultAction", "bypass", "KeySource", "ipRules"]), st.text(max_size=3)
    ),
)
# (which target row, what to do, which property, its new value)
_EDIT = st.tuples(
    st.integers(0, 8),
    st.sampled_from(["set", "case", "drop", "conflict", "props"]),
    st.sampled_from(_PROPS),
    _ODD,
)


def _edit(rows: list[dict[str, Any]], edits: list[tuple[int, str, str, Any]]) -> list[dict[str, Any]]:
    targets = [r for r in rows if r["type"] in _TARGETS]
    for which, what, prop, value in edits:
        row = targets[which % len(targets)]
        props = row["properties"] if type(row.get("properties")) is dict else {}
        if what == "set":
            props[prop] = value
        elif what == "case" and prop in props:
            props[prop.upper() if prop != prop.upper() else prop.lower()] = props.pop(prop)
        elif what == "drop":
            props.pop(prop, None)
        elif what == "conflict":
            rows.append({**copy.deepcopy(row), "properties": {**props, prop: value}})
        elif what == "props":
            row["properties"] = value
    return rows


_BASE = list(generate_rows(accounts=3, subscriptions=2, rows_target=120))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_EDIT, max_size=8))
def test_engine_gives_the_reference_findings_on_hostile_estates(
    edits: list[tuple[int, str, str, Any]],
) -> None:
    graph = build(iter_rows(_edit(copy.deepcopy(_BASE), edits)))
    _same(graph)


def _same(graph: Graph) -> None:
    graph.memo.clear()
    fast = evaluate(graph)
    graph.memo.clear()
    reference = _reference_evaluate(graph)
    assert [tuple(vars_of(f)) for f in fast] == [tuple(vars_of(f)) for f in reference]
    assert [list(f.evidence) for f in fast] == [list(f.evidence) for f in reference]  # same keys, same order


def vars_of(finding: Finding) -> list[Any]:
    return [finding.control, finding.resource, finding.status, finding.reason, finding.evidence]


@pytest.mark.parametrize("name", sample_names())
def test_engine_gives_the_reference_findings_on_every_sample_field_by_field(name: str) -> None:
    from archgen.discovery.files import load_files

    _same(build(load_files([sample_path(name)])))


def test_every_quoted_path_is_read_beforehand() -> None:
    """The table covers what the evaluators quote on the samples and a generated estate (a path missing from
    it would still be read, from the row: this checks the speed, not the result)."""
    from archgen.controls.evaluators import common
    from archgen.discovery.files import load_files

    graphs = [build(load_files([sample_path(n)])) for n in sample_names()] + [build(iter_rows(_BASE))]
    read: set[tuple[str, str]] = set()

    def spy(row: object, path: str) -> object:
        read.add((next(n.type for n in g.nodes.values() if n.raw is row), path))
        return quote(row, path)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(common, "quote", spy)
        for g in graphs:
            evaluate(g)
    assert {(t, p) for t, p in read if p not in quotes.PATHS.get(t, (p,))} == set()


def _graphs() -> list[Graph]:
    from archgen.discovery.files import load_files

    return [build(load_files([sample_path(n)])) for n in sample_names()] + [build(iter_rows(_BASE))]


# -- findings built column by column ----------------------------------------------------------------------


@given(
    st.text(max_size=3),
    st.lists(st.tuples(st.text(max_size=3), st.sampled_from(list(Status)), st.text(max_size=3)), max_size=5),
)
def test_make_findings_builds_what_make_finding_builds(
    control: str, rows: list[tuple[str, Status, str]]
) -> None:
    evidences = [{"k": [i]} for i in range(len(rows))]
    fast = make_findings(control, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], evidences)
    plain = [Finding(control, r, s, why, e) for (r, s, why), e in zip(rows, evidences, strict=True)]
    assert fast == plain and [repr(f) for f in fast] == [repr(f) for f in plain]
    assert all(type(f) is Finding for f in fast)
    assert [f.evidence for f in fast] == evidences and all(
        f.evidence is e for f, e in zip(fast, evidences, strict=True)
    )


_BAD_VERDICTS = [
    (Status.PASS, "ok"),  # two items
    (Status.PASS, "ok", {}, "extra"),  # four
    "abc",  # an iterable of three that is not a triple: unpacked alike by both
    None,  # not iterable
    [Status.FAIL, "as a list", {"k": 1}],
]


@pytest.mark.parametrize("bad", _BAD_VERDICTS, ids=repr)
def test_an_evaluator_returning_a_bad_verdict_gives_the_reference_findings(
    bad: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evaluators are functions of (graph, node): a control whose verdicts cannot all be taken in one pass
    is judged again node by node, as the reference does."""
    graph = build(iter_rows(_BASE))
    odd_ones = {n.id for n in sorted(graph.of_type("microsoft.keyvault/vaults"), key=lambda n: n.id)[1::2]}

    def odd(graph: Graph, node: Node) -> Any:
        return bad if node.id in odd_ones else (Status.PASS, f"fine {node.name}", {"n": node.name})

    monkeypatch.setitem(EVALUATORS, "KV-NET-01", odd)
    monkeypatch.setitem(EVALUATORS, "AOAI-IAM-01", lambda graph, node: bad)
    assert evaluate(graph) == _reference_evaluate(graph)


def test_verdicts_of_one_control_fall_back_node_by_node_on_an_error() -> None:
    graph = build(iter_rows(_BASE))
    nodes = sorted(graph.of_type("microsoft.keyvault/vaults"), key=lambda n: n.id)

    def flaky(graph: Graph, node: Node) -> Any:
        if node is nodes[1]:
            raise ValueError("boom")
        return Status.PASS, node.name, {}

    found = engine._verdicts(graph, "X-1", flaky, nodes)
    assert [f.status for f in found] == [Status.PASS, Status.UNKNOWN, Status.PASS][: len(nodes)]
    assert found[1].reason == f"X-1 could not be evaluated on '{nodes[1].name}' (ValueError: boom)."
    assert found[0] == Finding("X-1", nodes[0].id, Status.PASS, nodes[0].name, {})


@pytest.mark.parametrize("graph", _graphs(), ids=[*sample_names(), "generated"])
def test_members_of_each_type_are_those_the_sorted_ids_gave(graph: Graph) -> None:
    reference: dict[str, list[Node]] = {}
    for node_id in sorted({m for w in graph.workloads for m in w.members}):
        reference.setdefault(graph.nodes[node_id].type, []).append(graph.nodes[node_id])
    found = engine._members_by_type(graph, [*TYPES, "microsoft.example/absent"])
    assert found == reference
    assert all(a is b for t in found for a, b in zip(found[t], reference[t], strict=True))


# -- per-node private endpoint facts, once per graph -------------------------------------------------------


def _endpoint_status_reference(graph: Graph, node_id: str) -> dict[str, str]:
    found = {
        e.source: str(e.attributes.get("status", "")).lower()
        for e in graph.into(node_id, Relation.PRIVATE_ENDPOINT_OF)
    }
    node = graph.node(node_id)
    for c in getattr(node.attrs, "private_endpoint_connections", ()) if node else ():
        found[c.private_endpoint_id] = c.status or found.get(c.private_endpoint_id, "")
    return found


@pytest.mark.parametrize("graph", _graphs(), ids=[*sample_names(), "generated"])
def test_private_endpoint_facts_are_the_uncached_ones(graph: Graph) -> None:
    ids = [*sorted(graph.nodes), "/subscriptions/absent/providers/x/y/z"]
    for _ in range(2):  # the first call fills the tables, the second reads them
        for node_id in ids:
            assert facts.endpoint_status(graph, node_id) == _endpoint_status_reference(graph, node_id)
            assert facts.vnet_of_endpoint(graph, node_id) == facts._vnet_of_endpoint(graph, node_id)
            approved = pedns.approved_endpoints(graph, node_id)
            assert approved == sorted(
                pe for pe, s in _endpoint_status_reference(graph, node_id).items() if s == "approved"
            )
            assert approved is not pedns.approved_endpoints(graph, node_id)  # a list of its own
            vnets = pedns.workload_vnets(graph, node_id)
            assert vnets == pedns._workload_vnets(graph, node_id)
            assert vnets is not pedns.workload_vnets(graph, node_id)
