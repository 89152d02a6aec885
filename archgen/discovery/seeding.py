"""Hop 0: the accounts query over the scope, in batches of subscriptions or management groups.

A batch that Azure refuses with 403 is split in halves until the forbidden subscription stands alone,
so one subscription the caller cannot read costs only its own accounts (reported as
`subscription_forbidden`), never its neighbours'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archgen.discovery.client import QueryFailure
from archgen.discovery.kqltext import chunks, render, scope_filters
from archgen.discovery.rows import gap
from archgen.errors import AzureError

if TYPE_CHECKING:
    from archgen.discovery.expand import Expander

Batch = tuple[list[str] | None, list[str] | None]  # (subscriptions, management groups)


@dataclass(frozen=True, slots=True)
class Scope:
    subscriptions: Sequence[str] = ()
    management_groups: Sequence[str] = ()
    resource_groups: Sequence[str] = ()
    tags: Sequence[tuple[str, str]] = ()
    accounts: Sequence[str] = ()

    def batches(self, size: int) -> list[Batch]:
        scopes: list[Batch] = [(b, None) for b in chunks(sorted(set(self.subscriptions)), size)]
        scopes += [(None, b) for b in chunks(sorted(set(self.management_groups)), size)]
        return scopes or [(None, None)]


def _what(subs: list[str] | None, mgs: list[str] | None) -> str:
    members = subs or mgs or []
    if subs and len(members) == 1:
        return f"subscription {members[0]}"
    if mgs and len(members) == 1:
        return f"management group {members[0]}"
    return f"{len(members)} subscriptions" if subs else "the tenant"


def seed(expander: Expander, scope: Scope) -> None:
    """Runs the accounts query over every batch; raises AzureError when no batch was answered."""
    text = render(
        expander.template("accounts"),
        scope_filters=scope_filters(scope.resource_groups, scope.tags, scope.accounts),
    )
    answered = 0
    failures: list[str] = []
    pending = scope.batches(expander.subscription_batch)
    while pending:
        subs, mgs = pending.pop(0)
        try:
            rows = expander.run_query(
                "accounts", "resources", text, subscriptions=subs, management_groups=mgs
            )
        except QueryFailure as failure:
            if failure.status == 400:
                raise AzureError(f"Resource Graph rejected query 'accounts': {failure}") from None
            members = subs or mgs or []
            if failure.status == 403 and len(members) > 1:
                # One forbidden subscription fails the whole batch: split it until the culprit is alone.
                half = len(members) // 2
                pending[:0] = [(h, None) if subs else (None, h) for h in (members[:half], members[half:])]
                continue
            what = _what(subs, mgs)
            code = "subscription_forbidden" if failure.status == 403 else "query_failed"
            expander.warn(code, f"{what}: query accounts failed ({failure}); its accounts are missing")
            failures.append(str(failure))
            if failure.status != 403:  # a forbidden subscription is a permission, reported as such
                expander.incomplete.append(gap("seed", "accounts", 0, f"{what}: {failure}", members))
            continue
        answered += 1
        expander.add_rows(rows)
    if not answered:
        raise AzureError(
            f"Resource Graph at {expander.azure.endpoint.arm_endpoint} answered no query: "
            f"{failures[0] if failures else 'no scope'}"
        )
