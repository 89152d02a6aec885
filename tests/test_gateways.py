"""Gateways and callers in front of the account: the `fronts` and `calls` joins by value, the site rows and
the parsers' behaviour on hostile input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archgen.model.gateways import fronts_of
from archgen.model.ids import norm_id
from archgen.model.relations import Relation
from archgen.model.types.gateway import host_of, parse_apim, parse_app_gateway, parse_backend, policy_elements
from archgen.publish.gateway_rows import gateway_rows
from tests import factory as f
from tests import gateway_cases as gc
from tests.conftest import graph_of

A = norm_id(f.ACCOUNT)


def edges_of(rows: list[f.Row], relation: Relation) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in graph_of(rows).edges if e.relation is relation}


def test_apim_and_app_gateway_join_the_workload_left_of_the_account() -> None:
    graph = graph_of(gc.net09_pass_prevention_policy_in_front_of_apim())
    (workload,) = graph.workloads
    assert {norm_id(gc.APIM), norm_id(gc.APPGW), norm_id(gc.WAF)} <= set(workload.members)
    assert {(f.gateway, f.through) for f in fronts_of(graph, A)} == {
        (norm_id(gc.APIM), None),
        (norm_id(gc.APPGW), norm_id(gc.APIM)),
    }


def test_a_backend_on_another_host_fronts_nothing() -> None:
    assert edges_of(gc.net08_na_backend_elsewhere(), Relation.FRONTS) == set()


def test_every_account_host_is_matched_case_insensitively() -> None:
    for host in (
        "AOAI-TEST.openai.azure.com",
        "aoai-test.services.ai.azure.com",
        "Aoai-Test.cognitiveservices.azure.com",
    ):
        rows = [f.account(), gc.apim(), gc.backend(url=f"https://{host}/openai")]
        assert edges_of(rows, Relation.FRONTS) == {(norm_id(gc.APIM), A)}, host


def test_callers_are_apps_whose_identity_calls_the_model() -> None:
    assert edges_of(gc.caller_calls_through_openai_user(), Relation.CALLS) == {(norm_id(gc.APP), A)}
    assert edges_of(gc.caller_through_user_assigned_identity(), Relation.CALLS) == {(norm_id(gc.APP), A)}
    assert edges_of(gc.caller_absent_with_reader_only(), Relation.CALLS) == set()


def test_site_rows_name_the_gateway_its_backend_and_its_waf() -> None:
    graph = graph_of(gc.net09_fail_detection_policy())
    rows = {(r.gateway, r.waf) for r in gateway_rows(graph, A)}
    assert rows == {("apim-aoai-test", "not applicable"), ("agw-aoai-test", "Detection")}
    apim = next(r for r in gateway_rows(graph, A) if r.gateway == "apim-aoai-test")
    assert apim.identity_auth.startswith("unknown") and "internal" in apim.exposure


@given(st.text(max_size=80))
def test_host_of_never_raises_and_is_lower_case(text: str) -> None:
    host = host_of(text)
    assert host is None or host == host.lower()


@given(
    st.dictionaries(
        st.sampled_from(["url", "name", "properties"]), st.one_of(st.none(), st.text(), st.integers())
    )
)
def test_backend_parser_takes_any_row(row: dict[str, object]) -> None:
    parse_backend({"properties": row, **row})


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "virtualNetworkType",
                "publicNetworkAccess",
                "gatewayUrl",
                "hostnameConfigurations",
                "backendAddressPools",
                "firewallPolicy",
                "webApplicationFirewallConfiguration",
            ]
        ),
        st.one_of(st.none(), st.text(), st.lists(st.text()), st.dictionaries(st.text(), st.text())),
    )
)
def test_gateway_parsers_take_any_properties(properties: dict[str, object]) -> None:
    parse_apim({}, properties)
    parse_app_gateway({}, properties)


def test_diagram_marks_a_bypassable_gateway_and_draws_a_caller_once() -> None:
    from archgen.controls.engine import evaluate
    from archgen.render import describe

    rows = [
        *gc.net08_fail_apim_in_front_of_public_account(),
        gc.web_app(),
        f.role(gc.APP_PRINCIPAL, f.OPENAI_USER, f.ACCOUNT, name="ra-app"),
    ]
    graph = graph_of(rows)
    desc = describe.describe_workload(graph, evaluate(graph), graph.workloads[0].id)
    labels = {(e.label, e.style, e.tone) for e in desc.edges}
    assert ("fronts · backend aoai · bypassable", "bold", "fail") in labels
    assert ("calls · Cognitive Services OpenAI User", "solid", "neutral") in labels
    assert not any(label.startswith("RBAC") for label, _s, _t in labels), "the calls edge names the role"


def test_policy_elements_drop_comments_and_text() -> None:
    document = '<policies><!-- <authentication-managed-identity /> --><inbound><set-header name="k"><value>key</value></set-header></inbound></policies>'
    assert policy_elements(document) == ["inbound", "policies", "set-header", "value"]
    assert policy_elements(None) == [] and policy_elements(42) == []


@given(st.text(max_size=200))
def test_policy_elements_never_raise_and_keep_only_names(document: str) -> None:
    names = policy_elements(document)
    assert names == sorted(set(names)) and all(n == n.lower() and " " not in n for n in names)


def test_managed_identity_auth_is_read_from_api_policies_only_as_far_as_read() -> None:
    api = f"{gc.APIM}/apis/aoai"
    rows = [
        f.account(**gc.CLOSED),
        gc.apim(),
        {
            "id": api,
            "name": "aoai",
            "type": "Microsoft.ApiManagement/service/apis",
            "properties": {"serviceUrl": "https://aoai-test.openai.azure.com/openai"},
        },
        {
            "id": f"{api}/policies/policy",
            "name": "policy",
            "type": "Microsoft.ApiManagement/service/apis/policies",
            "properties": {"elements": ["authentication-managed-identity", "inbound", "policies"]},
        },
    ]
    (row,) = gateway_rows(graph_of(rows), A)
    assert row.identity_auth == "yes: authentication-managed-identity in API aoai"
    assert row.backend.endswith("(API aoai (serviceUrl))"), "an API's serviceUrl fronts the account too"
    rows[-1] = {**rows[-1], "properties": {"elements": ["inbound", "policies"]}}
    (row,) = gateway_rows(graph_of(rows), A)
    assert row.identity_auth.startswith("unknown: not in the global or API policies")


def _verdicts_with_gap(query: str, kind: str = "lookup") -> dict[str, str]:
    from archgen.controls.engine import evaluate
    from archgen.model.builder import build, iter_rows

    inv = iter_rows(gc.net08_na_no_gateway())
    inv.incomplete = [{"kind": kind, "query": query, "hop": 1, "error": "HTTP 500", "keys": []}]
    return {
        x.control: x.status.value
        for x in evaluate(build(inv))
        if x.resource == A and x.control.startswith("AOAI-NET-0")
    }


def test_a_failed_gateway_lookup_or_backends_read_makes_no_gateway_unknown_not_not_applicable() -> None:
    for query, kind in (("gateways_by_subscription", "lookup"), ("gateway_backends", "arm")):
        got = _verdicts_with_gap(query, kind)
        assert (got["AOAI-NET-08"], got["AOAI-NET-09"]) == ("unknown", "unknown"), query
    got = _verdicts_with_gap("a_records_by_ip")
    assert (got["AOAI-NET-08"], got["AOAI-NET-09"]) == ("not_applicable", "not_applicable")
