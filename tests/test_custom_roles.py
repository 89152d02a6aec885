"""Custom role definitions: wildcard matching, the grant classes they map to, and their discovery by id list
through the real SDK against the loopback server."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.access import access_of
from archgen.model.builder import build
from archgen.model.types import identity, roledefs
from tests import customrole_cases as cr
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options
from tests.conftest import graph_of
from tests.test_live_access import assignment

op = st.text(alphabet=st.sampled_from("abcXYZ/.*_"), min_size=1, max_size=20)


@given(operation=op)
def test_a_star_matches_everything_and_a_literal_only_itself(operation: str) -> None:
    assert roledefs.matches("*", operation)
    literal = operation.replace("*", "")
    assert roledefs.matches(literal, literal.upper())
    assert not roledefs.matches(literal + "x", literal)


def test_wildcards_are_matched_per_segment_of_the_string() -> None:
    call = roledefs.CALL_DATA_ACTION
    assert roledefs.matches("Microsoft.CognitiveServices/*", call)
    assert roledefs.matches("microsoft.cognitiveservices/accounts/OpenAI/*", call)
    assert not roledefs.matches("Microsoft.CognitiveServices/accounts/SpeechServices/*", call)
    assert roledefs.matches("Microsoft.CognitiveServices/*/action", call)


def _definition(**permission: list[str]) -> roledefs.RoleDefinition:
    row = cr.definition(permission.get("data", []), permission.get("not_data", []))
    row["properties"]["permissions"][0]["actions"] = permission.get("actions", [])
    row["properties"]["permissions"][0]["notActions"] = permission.get("not_actions", [])
    parsed = roledefs.parse_role_definition(row)
    assert parsed is not None and parsed.custom
    return parsed


def test_custom_roles_map_to_the_grant_classes() -> None:
    contributor_like = _definition(actions=["*"], not_actions=["Microsoft.Authorization/*/Write"])
    assert roledefs.grants_of_definition(contributor_like) == (identity.DEPLOY, identity.KEYS)
    caller = _definition(data=["Microsoft.CognitiveServices/accounts/OpenAI/*"])
    assert roledefs.grants_of_definition(caller) == (identity.CALL,)
    assert roledefs.wildcard_call(caller) == ["microsoft.cognitiveservices/accounts/openai/*"]
    excluded = _definition(data=["*"], not_data=["Microsoft.CognitiveServices/*"])
    assert roledefs.grants_of_definition(excluded) == ()


def test_the_who_can_do_what_rows_carry_a_custom_roles_name_and_grants() -> None:
    graph = graph_of(cr.iam06_fail_wildcard_custom_role_at_subscription())
    (row,) = access_of(graph, cr.A)
    assert (row.role_name, row.grants, row.wildcard_call) == (
        "Contoso AI Model Caller",
        (identity.CALL,),
        ("microsoft.cognitiveservices/*",),
    )
    (unread,) = access_of(graph_of(cr.iam06_unknown_definition_not_read()), cr.A)
    assert unread.grants is None and unread.wildcard_call is None


def test_custom_role_definitions_are_read_in_one_batched_query(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()
    sub, acct = info["w1"]["sub"], info["w1"]["account"]
    scope = f"/subscriptions/{sub}"
    custom = assignment(sub, scope, "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "Group", cr.CUSTOM_ROLE)
    other = assignment(
        sub, scope, "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "Group", "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"
    )
    definition = cr.definition(["Microsoft.CognitiveServices/*"])
    definition["subscriptionId"] = sub
    tenant.authorizationresources += [custom, other, definition]
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(sub,)), options(server, certificates))
    lookups = [q for q in snap.queries if q.name == "role_definitions_by_name"]
    assert len(lookups) == 1 and lookups[0].requests == 1
    graph = build(snapshot.to_inventory(snap, "live"))
    finding = next(x for x in evaluate(graph) if x.control == "AOAI-IAM-06" and x.resource == acct.lower())
    assert finding.status.value == "fail"
    assert "Contoso AI Model Caller" in finding.reason and scope.lower() in finding.reason
