"""Fixtures for the access controls (AOAI-IAM-04, AOAI-IAM-05), named by expected outcome."""

from __future__ import annotations

from tests import factory as f

Rows = list[f.Row]
SUB_ID = f"/subscriptions/{f.SUB}"
CUSTOM_ROLE = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def group_caller() -> f.Row:
    return f.role(f.GROUP_PRINCIPAL, f.OPENAI_USER, f.ACCOUNT, "ra-group", principal_type="Group")


def iam04_pass_local_auth_disabled() -> Rows:
    return [
        f.account(disableLocalAuth=True),
        f.role(f.USER_PRINCIPAL, f.CS_CONTRIBUTOR, f.RG_ID, principal_type="User"),
    ]


def iam04_pass_only_a_group_calls() -> Rows:
    return [f.account(), group_caller()]


def iam04_fail_user_reads_keys_at_resource_group() -> Rows:
    return [
        f.account(),
        group_caller(),
        f.role(f.USER_PRINCIPAL, f.CS_CONTRIBUTOR, f.RG_ID, principal_type="User"),
    ]


def iam04_fail_user_owns_the_subscription() -> Rows:
    return [f.account(), f.role(f.USER_PRINCIPAL, f.OWNER, SUB_ID, principal_type="user")]


def iam04_unknown_without_role_assignments() -> Rows:
    return [f.account()]


def iam04_unknown_with_assignments_only_on_other_scopes() -> Rows:
    """A role assignment on the vault says nothing about the account's own scope chain."""
    return [
        f.account(),
        f.vault(),
        f.role(f.USER_PRINCIPAL, f.OWNER, f.VAULT, "ra-kv", principal_type="User"),
    ]


def iam04_unknown_user_holds_a_custom_role() -> Rows:
    return [f.account(), f.role(f.USER_PRINCIPAL, CUSTOM_ROLE, f.ACCOUNT, principal_type="User")]


def iam05_pass_group_caller() -> Rows:
    return [f.account(), group_caller()]


def iam05_fail_user_caller() -> Rows:
    return [
        f.account(),
        group_caller(),
        f.role(f.USER_PRINCIPAL, f.OPENAI_USER, SUB_ID, "ra-u", principal_type="User"),
    ]


def iam05_unknown_without_role_assignments() -> Rows:
    return [f.account()]


def iam05_unknown_with_assignments_only_on_other_scopes() -> Rows:
    return iam04_unknown_with_assignments_only_on_other_scopes()
