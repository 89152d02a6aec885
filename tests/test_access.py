"""Who can do what on the account: the scope chain, the classification, the coverage rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.controls.engine import evaluate
from archgen.model import access
from archgen.model.builder import build, iter_rows
from archgen.model.ids import norm_id
from archgen.model.types import identity
from tests import access_cases as ac
from tests import factory as f
from tests.conftest import graph_of

MG = "/providers/Microsoft.Management/managementGroups/mg-Corp"


def subscription_row(chain: list[dict[str, str]]) -> f.Row:
    return {
        "id": ac.SUB_ID,
        "name": "Contoso AI Prod",
        "type": "microsoft.resources/subscriptions",
        "subscriptionId": f.SUB,
        "properties": {"managementGroupAncestorsChain": chain},
    }


def test_assignments_at_the_account_and_every_scope_above_it_reach_it_and_no_others() -> None:
    other_rg = f"/subscriptions/{f.SUB}/resourceGroups/rg-other"
    rows = [
        f.account(),
        f.vault(),
        subscription_row([{"name": "mg-Corp", "displayName": "Corp"}, {"name": "tenant-root"}]),
        f.role(f.GROUP_PRINCIPAL, f.OPENAI_USER, f.ACCOUNT, "at-account", principal_type="Group"),
        f.role(f.USER_PRINCIPAL, f.CS_CONTRIBUTOR, f.RG_ID, "at-rg", principal_type="User"),
        f.role(f.USER_PRINCIPAL, f.OWNER, ac.SUB_ID, "at-sub", principal_type="User"),
        f.role(f.USER_PRINCIPAL, f.OWNER, MG, "at-mg", principal_type="User"),
        f.role(f.USER_PRINCIPAL, f.OWNER, other_rg, "elsewhere", principal_type="User"),
        f.role(f.USER_PRINCIPAL, f.OWNER, f.VAULT, "on-the-vault", principal_type="User"),
    ]
    graph = graph_of(rows)
    got = {
        (a.assignment_id.rsplit("/", 1)[-1], a.scope, a.grants)
        for a in access.access_of(graph, norm_id(f.ACCOUNT))
    }
    owner = ("change deployments", "read keys", "manage access")
    assert got == {
        ("at-account", norm_id(f.ACCOUNT), ("call the model",)),
        ("at-rg", norm_id(f.RG_ID), ("change deployments", "read keys")),
        ("at-sub", norm_id(ac.SUB_ID), owner),
        ("at-mg", norm_id(MG), owner),
    }


def test_what_each_role_grants_is_derived_once_in_the_model() -> None:
    assert identity.grants_of(f.OPENAI_USER) == ("call the model",)
    assert identity.grants_of("a001fd3d-188f-4b5d-821b-7da978bf7442") == (
        "call the model",
        "change deployments",
    )
    assert identity.grants_of("a97b65f3-24c7-4388-baec-2e87135dc908") == ("call the model", "read keys")
    assert identity.grants_of("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9") == ("manage access",)
    assert identity.grants_of("f58310d9-a9f6-439a-9e8d-f62e7b41a168") == ("manage access",)
    assert identity.grants_of("64702f94-c441-49e6-a78b-ef80e0188fee") == ("call the model",)  # AI Developer
    assert identity.grants_of(f.CRYPTO_USER) == ()  # a Key Vault role grants nothing on the account
    assert identity.grants_of(ac.CUSTOM_ROLE) is None


@settings(deadline=None)
@given(st.text(max_size=20))
def test_principal_type_is_an_enum_member_or_unknown(value: str) -> None:
    got = identity.principal_type(value)
    assert got in (*identity.PRINCIPAL_TYPES, "Unknown")
    if value.lower() == "foreigngroup":
        assert got == "ForeignGroup"


def test_a_failed_scope_lookup_makes_both_verdicts_unknown() -> None:
    inv = iter_rows(ac.iam04_pass_only_a_group_calls())
    inv.incomplete = [
        {"kind": "lookup", "query": "role_assignments_by_scope", "hop": 1, "error": "HTTP 500", "keys": []}
    ]
    findings = {x.control: x for x in evaluate(build(inv)) if x.resource == norm_id(f.ACCOUNT)}
    assert findings["AOAI-IAM-04"].status.value == "unknown"
    assert findings["AOAI-IAM-05"].status.value == "unknown"
    assert "role_assignments_by_scope" in findings["AOAI-IAM-04"].reason


def test_an_unrelated_failed_lookup_leaves_the_users_fail_standing() -> None:
    inv = iter_rows(ac.iam04_fail_user_reads_keys_at_resource_group())
    inv.incomplete = [
        {"kind": "lookup", "query": "a_records_by_ip", "hop": 1, "error": "HTTP 500", "keys": []}
    ]
    findings = {x.control: x for x in evaluate(build(inv)) if x.resource == norm_id(f.ACCOUNT)}
    assert findings["AOAI-IAM-04"].status.value == "fail"
    assert f.USER_PRINCIPAL in findings["AOAI-IAM-04"].reason


@settings(deadline=None, max_examples=50)
@given(st.lists(st.booleans(), min_size=len(f.RG_ID), max_size=len(f.RG_ID)))
def test_a_scope_in_any_letter_case_reaches_the_account(upper: list[bool]) -> None:
    scope = "".join(c.upper() if u else c.lower() for c, u in zip(f.RG_ID, upper, strict=True))
    graph = graph_of([f.account(), f.role(f.USER_PRINCIPAL, f.CS_CONTRIBUTOR, scope, principal_type="USER")])
    (only,) = access.access_of(graph, norm_id(f.ACCOUNT))
    assert (only.scope, only.principal_type, only.grants) == (
        norm_id(f.RG_ID),
        "User",
        ("change deployments", "read keys"),
    )


def test_the_diagram_groups_the_principals_in_one_node_per_account() -> None:
    from archgen.render.describe import describe_workload

    extra = [
        f.role(
            f"{i:08d}-0000-4000-8000-000000000000", f.OPENAI_USER, f.ACCOUNT, f"u{i}", principal_type="User"
        )
        for i in range(5)
    ]
    graph = graph_of([*ac.iam04_fail_user_reads_keys_at_resource_group(), *extra])
    desc = describe_workload(graph, evaluate(graph), norm_id(f.ACCOUNT))
    (who,) = [n for n in desc.nodes if n.label == "Who has access"]
    assert set(who.details) == {
        "call the model: 1 Group, 5 User",
        "change deployments: 1 User",
        "read keys: 1 User",
    }
    assert {(e.source, e.label) for e in desc.edges if e.target.startswith("n")} >= {(who.key, "granted on")}
