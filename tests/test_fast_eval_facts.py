"""The sixth round's second evaluation pass (issue 14) gives what the code it replaced gives: private name
resolution with each zone's links judged once per (zone, client VNet) and each zone name's candidates once per
graph (`archgen.model.pedns`), and `PolicyFacts` with each resource's scope chain worked out once
(`collected`, `on_chain`, `coverage`) and its exemptions indexed by scope (`_exempt`), and the accounts injecting agents into each subnet indexed once per
graph (`agentsubnet._sharers`); the reference code is kept in `tests/reference_eval.py`. Each fact is
asked twice over each graph: the first call fills the tables, the second reads them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.controls.evaluators import agentsubnet
from archgen.controls.policymap import network_policies
from archgen.discovery.files import load_files
from archgen.model import pedns
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Graph
from archgen.model.ids import norm_id
from archgen.model.types import network
from archgen.model.types import policy as p
from archgen.pipeline import sample_names, sample_path
from benchmarks.generate import generate_rows
from tests import factory as f
from tests import foundry_cases as fdy
from tests import pedns_cases as pc
from tests import policy_cases as pol
from tests import reference_eval as ref
from tests.test_controls import CASES

_FIXTURES: list[Callable[[], list[dict[str, Any]]]] = list(dict.fromkeys(case[1] for case in CASES))


def _graphs() -> list[Graph]:
    return [
        *(build(load_files([sample_path(n)])) for n in sample_names()),
        build(iter_rows(list(generate_rows(accounts=6, subscriptions=3, rows_target=300)))),
    ]


# -- private name resolution ---------------------------------------------------------------------------------


def _asks(graph: Graph) -> list[tuple[str, str, str | None]]:
    """(endpoint, target, client VNet) for every endpoint-target pair of the graph, for the endpoint's own
    VNet (None) and for every VNet of the graph, and an endpoint and a target that are not in it."""
    vnets = [None, *(n.id for n in graph.of_type(network.VIRTUAL_NETWORK)), "/subscriptions/x/absent"]
    pairs = {(e.source, e.target) for e in graph.edges if e.relation.value == "private_endpoint_of"}
    pairs |= {("/subscriptions/x/absent-pe", t) for _pe, t in pairs} | {(pe, "/x/absent") for pe, _t in pairs}
    return [(pe, t, v) for pe, t in sorted(pairs) for v in vnets]


def _same_resolutions(graph: Graph) -> None:
    asks = _asks(graph)
    for _ in range(2):  # filled, then read
        for pe_id, target_id, vnet in asks:
            assert pedns.endpoint_resolution(graph, pe_id, target_id, vnet) == ref.endpoint_resolution(
                graph, pe_id, target_id, vnet
            )


@pytest.mark.parametrize("graph", _graphs(), ids=[*sample_names(), "generated"])
def test_resolutions_are_the_reference_ones_on_every_sample(graph: Graph) -> None:
    _same_resolutions(graph)


@pytest.mark.parametrize("rows", _FIXTURES, ids=[fn.__name__ for fn in _FIXTURES])
def test_resolutions_are_the_reference_ones_on_every_control_fixture(rows: Callable[[], Any]) -> None:
    _same_resolutions(build(iter_rows(rows(), "test.json")))


_DNS_TYPES = (
    "microsoft.network/privatednszones",
    "microsoft.network/privatednszones/virtualnetworklinks",
    "microsoft.network/privatednszones/a",
    "microsoft.network/virtualnetworks",
    "microsoft.network/privateendpoints",
)
_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["Completed", "COMPLETED", "InProgress", "", "ключ", "\ud800", "10.42.1.4", "10.42.1.5"]),
    st.lists(st.sampled_from(["10.42.1.4", "10.42.1.6", "168.63.129.16", "10.42.0.4", "x"]), max_size=3),
    st.fixed_dictionaries({"id": st.sampled_from([f.VNET, f.VNET.upper(), pc.DATA_VNET, "/", ""])}),
)
# (which DNS-side row, what to do, which property, its new value)
_EDIT = st.tuples(
    st.integers(0, 40),
    st.sampled_from(["set", "drop", "twin", "props"]),
    st.sampled_from(
        ["virtualNetworkLinkState", "virtualNetwork", "aRecords", "dhcpOptions", "customDnsConfigs", "subnet"]
    ),
    _VALUES,
)


def _edit(rows: list[dict[str, Any]], edits: list[tuple[int, str, str, Any]]) -> list[dict[str, Any]]:
    for which, what, prop, value in edits:
        targets = [r for r in rows if str(r.get("type", "")).lower() in _DNS_TYPES]
        if not targets:
            return rows
        row = targets[which % len(targets)]
        props = row["properties"] if type(row.get("properties")) is dict else {}
        if what == "set":
            props[prop] = {"dnsServers": value} if prop == "dhcpOptions" else value
        elif what == "drop":
            rows.remove(row)
        elif what == "twin":  # the same zone, record or link under another resource group
            rows.append({**copy.deepcopy(row), "id": row["id"].replace("rg-dns", "rg-dns-2", 1)})
        else:
            row["properties"] = value
    return rows


_BASES = [pc.vault_private(), pc.storage_private(data_vnet=True), f.private_network()]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_BASES) - 1), st.lists(_EDIT, max_size=6))
def test_resolutions_are_the_reference_ones_on_hostile_dns(base: int, edits: list[Any]) -> None:
    _same_resolutions(build(iter_rows(_edit(copy.deepcopy(_BASES[base]), edits), "test.json")))


def test_one_zone_judged_for_many_endpoints_shares_the_link_verdict_not_the_proof() -> None:
    graph = build(iter_rows(pc.vault_private(), "test.json"))
    pe_id, vault_id = norm_id(pc.VAULT_PE), norm_id(f.VAULT)
    first = pedns.endpoint_resolution(graph, pe_id, vault_id)
    again = ref.endpoint_resolution(graph, pe_id, vault_id)
    assert first is not None and again is not None and first.status == "pass" == again.status
    graph.memo.pop("pedns:resolved")  # resolved again: the links' verdict comes from the table
    second = pedns.endpoint_resolution(graph, pe_id, vault_id)
    assert second == first and second is not first
    proofs = [next(iter(r.proofs.values()))["linked_vnets"] for r in (first, second)]
    assert proofs[0] == proofs[1] and proofs[0] is not proofs[1]  # each proof holds a dict of its own


# -- Azure Policy: each resource's scope chain once ----------------------------------------------------------

_SCOPES = [
    f"/subscriptions/{f.SUB}",
    f"/subscriptions/{f.SUB}/resourcegroups/rg-aoai",
    norm_id(f.ACCOUNT),
    norm_id(f.ACCOUNT) + "/",
    "/providers/microsoft.management/managementgroups/mg-corp",
    "/subscriptions/other",
    "/",
    "",
    "/subscriptions/ключ",
]
_DEFINITIONS = [
    f"/providers/microsoft.authorization/policydefinitions/{guid}"
    for guid in (pol.RESTRICT_NETWORK, pol.PRIVATE_LINK, pol.LOCAL_AUTH)
] + [pol.INITIATIVE.lower(), "/providers/microsoft.authorization/policysetdefinitions/absent"]
_ASSIGNMENT = st.builds(
    p.Assignment,
    id=st.sampled_from(["/a/1", "/a/2", "/A/3", "/a/ключ"]),
    name=st.just("a"),
    scope=st.sampled_from(_SCOPES),
    definition_id=st.sampled_from(_DEFINITIONS),
    enforced=st.booleans(),
    not_scopes=st.lists(st.sampled_from(_SCOPES), max_size=2).map(tuple),
    parameters=st.just({}),
)
_RESOURCES = st.sampled_from(
    [
        f.ACCOUNT,
        norm_id(f.ACCOUNT),
        f.ACCOUNT.upper(),
        f"/subscriptions/{f.SUB}",
        "/",
        "",
        "x",
        "/subscriptions/ключ/\ud800",
    ]
)


def _facts(assignments: list[p.Assignment], mgs: bool) -> p.PolicyFacts:
    groups = {f"/subscriptions/{f.SUB}": ("/providers/microsoft.management/managementgroups/mg-corp",)}
    return p.PolicyFacts(
        assignments=tuple(sorted(assignments, key=lambda a: a.id)), mgs=groups if mgs else {}
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(_ASSIGNMENT, max_size=5), st.booleans(), st.lists(_RESOURCES, min_size=1, max_size=4))
def test_policy_chain_once_gives_the_reference_facts(
    assignments: list[p.Assignment], mgs: bool, resources: list[str]
) -> None:
    facts = _facts(assignments, mgs)
    guids = [pol.RESTRICT_NETWORK, pol.PRIVATE_LINK, pol.LOCAL_AUTH, "absent"]
    for _ in range(2):  # filled, then read
        for rid in resources:
            assert facts.collected(rid) is ref.collected(facts, rid)
            found = facts.on_chain(rid)
            assert found == ref.on_chain(facts, rid)
            assert found is not facts.on_chain(rid)  # a list of its own
            for guid in guids:
                assert facts.coverage(rid, guid) == ref.coverage(facts, rid, guid)


@pytest.mark.parametrize("graph", _graphs(), ids=[*sample_names(), "generated"])
def test_policy_facts_of_every_sample_node_are_the_reference_ones(graph: Graph) -> None:
    for _ in range(2):
        for node in graph.nodes.values():
            assert graph.policy.collected(node.id) is ref.collected(graph.policy, node.id)
            for _control, guid, _name in network_policies(node.type):
                assert graph.policy.coverage(node.id, guid) == ref.coverage(graph.policy, node.id, guid)


@pytest.mark.parametrize("rows", _FIXTURES, ids=[fn.__name__ for fn in _FIXTURES])
def test_policy_facts_of_every_control_fixture_are_the_reference_ones(rows: Callable[[], Any]) -> None:
    graph = build(iter_rows(rows(), "test.json"))
    for _ in range(2):
        for node in graph.nodes.values():
            assert graph.policy.collected(node.id) is ref.collected(graph.policy, node.id)
            for guid in (pol.RESTRICT_NETWORK, pol.PRIVATE_LINK, pol.LOCAL_AUTH):
                assert graph.policy.coverage(node.id, guid) == ref.coverage(graph.policy, node.id, guid)


_EXEMPTION_SCOPES = [
    *_SCOPES,
    norm_id(f.ACCOUNT)[:-1],  # a prefix of the id that no `/` follows
    f"/subscriptions/{f.SUB}/",
    f"/subscriptions/{f.SUB}//",
    f"/subscriptions/{f.SUB}/resourcegroups",
    "//",
    "/subscriptions/ключ/\ud800",
]
_EXEMPTION = st.builds(
    p.Exemption,
    id=st.sampled_from(["/e/1", "/e/2", "/E/3", "/e/ü"]),
    scope=st.sampled_from(_EXEMPTION_SCOPES),
    assignment_id=st.sampled_from(["/a/1", "/a/2", "/A/3"]),
    reference_ids=st.lists(st.sampled_from(["ref-1", "ref-2", ""]), max_size=2).map(tuple),
    category=st.none(),
    expires_on=st.sampled_from([None, "2020-01-01T00:00:00Z", "2999-01-01", "not a date", ""]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_EXEMPTION, max_size=6),
    st.lists(_ASSIGNMENT, min_size=1, max_size=3),
    st.lists(st.one_of(_RESOURCES, st.sampled_from(_EXEMPTION_SCOPES)), min_size=1, max_size=4),
)
def test_exemptions_indexed_by_scope_give_the_reference_exemption(
    exemptions: list[p.Exemption], assignments: list[p.Assignment], resources: list[str]
) -> None:
    facts = p.PolicyFacts(
        assignments=tuple(assignments),
        exemptions=tuple(sorted(exemptions, key=lambda e: e.id)),
        as_of=datetime(2026, 1, 1, tzinfo=UTC),
    )
    for _ in range(2):  # filled, then read
        for rid in resources:
            for a in assignments:
                for reference_id in ("ref-1", "ref-2", ""):
                    assert facts._exempt(rid, a, reference_id) == ref.exempt(facts, rid, a, reference_id)


# -- accounts sharing an agent subnet: indexed once per graph ------------------------------------------------

_SUBNETS = [fdy.AGENT_SUBNET, fdy.AGENT_SUBNET.upper(), f.SUBNET, f.VNET + "/subnets/snet-ключ", "", "/"]
_INJECTION = st.fixed_dictionaries(
    {
        "scenario": st.sampled_from(["agent", "Agent", "other"]),
        "subnetArmId": st.sampled_from(_SUBNETS),
        "useMicrosoftManagedNetwork": st.booleans(),
    }
)
_ACCOUNT = st.tuples(st.sampled_from(["ais-a", "ais-b", "AIS-A", "ais-ü"]), st.sampled_from(["rg-1", "rg-2"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_ACCOUNT, st.lists(_INJECTION, max_size=3)), min_size=1, max_size=5))
def test_agent_subnet_sharers_are_the_reference_ones(accounts: list[Any]) -> None:
    rows = [fdy.agent_vnet()]
    for (name, rg), injections in accounts:
        row = fdy.foundry_account(networkInjections=injections)
        row["id"], row["name"] = f.rid("Microsoft.CognitiveServices", "accounts", name, rg=rg), name
        rows.append(row)
    graph = build(iter_rows(rows, "test.json"))
    for _ in range(2):  # filled, then read
        for node in graph.of_type("microsoft.cognitiveservices/accounts"):
            for subnet in [*_SUBNETS, *(norm_id(s) for s in _SUBNETS)]:
                assert agentsubnet._sharers(graph, node, subnet) == ref.sharers(graph, node, subnet)
