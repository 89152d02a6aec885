"""Front Door in front of the account: origins matched to the account's hosts by value, how an origin is
reached (Private Link), the WAF mode of the linked policies, the site rows, and the parsers on hostile input."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from archgen.model.gateways import fronts_of, waf_mode
from archgen.model.ids import norm_id
from archgen.model.relations import Relation
from archgen.model.types.frontdoor import FrontDoor, parse_origin, waf_policy_of
from archgen.publish.gateway_rows import gateway_rows
from tests import factory as f
from tests import frontdoor_cases as fd
from tests import gateway_cases as gc
from tests.conftest import graph_of

A = norm_id(f.ACCOUNT)
P = norm_id(fd.PROFILE)


def fronts(rows: list[f.Row]) -> set[tuple[str, str, Any]]:
    return {
        (e.source, e.target, e.attributes.get("reach"))
        for e in graph_of(rows).edges
        if e.relation is Relation.FRONTS and e.source == P
    }


def test_an_origin_on_the_account_host_fronts_it_in_any_case() -> None:
    for host in ("AOAI-TEST.openai.azure.com", "aoai-test.cognitiveservices.azure.com."):
        rows = [f.account(), fd.profile(), fd.origin(host=host)]
        assert fronts(rows) == {(P, A, "over Private Link (approved)")}, host


def test_an_origin_elsewhere_fronts_nothing() -> None:
    assert fronts([f.account(), fd.profile(), fd.origin(host="www.contoso.example")]) == set()


def test_reach_says_whether_the_private_link_is_approved() -> None:
    assert fronts([f.account(), fd.profile(), fd.origin(status=None)]) == {
        (P, A, "over the internet (no Private Link on the origin)")
    }
    assert fronts([f.account(), fd.profile(), fd.origin(status="Pending")]) == {
        (P, A, "Private Link requested, not approved (pending): no traffic passes privately")
    }


def test_front_door_in_front_of_apim_fronts_the_account_through_it() -> None:
    graph = graph_of(fd.net09_pass_front_door_in_front_of_apim())
    (workload,) = graph.workloads
    assert {P, norm_id(gc.APIM), norm_id(fd.FD_WAF)} <= set(workload.members)
    assert {(x.gateway, x.through) for x in fronts_of(graph, A)} == {
        (norm_id(gc.APIM), None),
        (P, norm_id(gc.APIM)),
    }
    assert {(e.source, e.target) for e in graph.edges if e.relation is Relation.PROTECTED_BY} == {
        (P, norm_id(fd.FD_WAF))
    }


def test_waf_mode_is_the_worst_linked_policy_and_unknown_when_not_read() -> None:
    cases = {
        "prevention": fd.net09_pass_front_door_prevention(),
        "detection": fd.net09_fail_front_door_detection(),
        "disabled": fd.net09_fail_front_door_policy_disabled(),
        "none": fd.net09_fail_front_door_security_policy_without_waf(),
        "unknown": fd.net09_unknown_front_door_security_policies_not_read(),
    }
    assert {want: waf_mode(graph_of(rows), P)[0] for want, rows in cases.items()} == {k: k for k in cases}


def test_site_row_names_the_origin_its_reach_and_waf() -> None:
    graph = graph_of(fd.net09_fail_front_door_detection())
    (row,) = gateway_rows(graph, A)
    assert (row.gateway, row.type, row.waf) == (
        "afd-aoai-test",
        "Front Door (premium_azurefrontdoor)",
        "Detection",
    )
    assert row.backend == "aoai-test.openai.azure.com (origin og-aoai/aoai)"
    assert row.reaches == "origin over Private Link (approved)"


def test_profile_attributes_join_the_child_rows() -> None:
    graph = graph_of(fd.net09_pass_front_door_prevention())
    attrs = graph.attrs(P, FrontDoor)
    assert attrs is not None
    assert (attrs.origins_read, attrs.security_policies_read, attrs.waf_policies) == (
        True,
        True,
        (norm_id(fd.FD_WAF),),
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=10,
)


@given(json_values, json_values)
def test_parsers_never_raise_on_hostile_rows(properties: Any, parameters: Any) -> None:
    origin = parse_origin({"name": "o", "properties": properties}, "g")
    assert origin.host is None or origin.host == origin.host.lower()
    assert isinstance(waf_policy_of({"properties": {"parameters": parameters}}), str)
    assert isinstance(waf_policy_of({"properties": properties}), str)
