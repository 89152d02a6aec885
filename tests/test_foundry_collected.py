"""Which accounts' Foundry lists were read (`foundry_collected`): only for them is "no connection" evidence
that nothing authenticates with a key (FDY-IAM-01 pass); every other account stays unknown. The record
survives the snapshot, a replay of several snapshots and `--redact`."""

from __future__ import annotations

from typing import Any

import pytest

from archgen.controls.engine import evaluate
from archgen.discovery import files
from archgen.discovery import snapshot as snap
from archgen.model.builder import build
from archgen.model.ids import norm_id
from archgen.model.inventory import Inventory
from archgen.redact import Redactor
from tests import factory as f
from tests import foundry_cases as fdy

A = f.ACCOUNT.lower()
OTHER = f.rid("Microsoft.CognitiveServices", "accounts", "ais-other")


def _snapshot(rows: list[f.Row], collected: list[str] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": snap.SNAPSHOT_SCHEMA, "rows": rows}
    if collected is not None:
        data["foundry_collected"] = collected
    return data


# fixtures: a snapshot document each, named by the FDY-IAM-01 outcome on the account
def iam_pass_lists_read_and_empty() -> dict[str, Any]:
    return _snapshot([fdy.foundry_account()], [f.ACCOUNT])


def iam_pass_lists_read_id_in_other_case() -> dict[str, Any]:
    return _snapshot([fdy.foundry_account()], [f.ACCOUNT.upper()])


def iam_pass_project_read_without_connections() -> dict[str, Any]:
    return _snapshot([fdy.foundry_account(), fdy.project()], [f.ACCOUNT])


def iam_fail_lists_read_with_api_key_connection() -> dict[str, Any]:
    rows = [fdy.foundry_account(), fdy.project(), fdy.search_key_connection(), f.search_service(None)]
    return _snapshot(rows, [f.ACCOUNT])


def iam_unknown_only_another_account_read() -> dict[str, Any]:
    return _snapshot([fdy.foundry_account()], [OTHER])


def iam_unknown_lists_not_recorded() -> dict[str, Any]:
    return _snapshot([fdy.foundry_account(), fdy.project()], None)


def iam_unknown_read_of_account_failed() -> dict[str, Any]:
    return _snapshot([fdy.foundry_account()], [])


CASES = [
    (iam_pass_lists_read_and_empty, "pass"),
    (iam_pass_lists_read_id_in_other_case, "pass"),
    (iam_pass_project_read_without_connections, "pass"),
    (iam_fail_lists_read_with_api_key_connection, "fail"),
    (iam_unknown_only_another_account_read, "unknown"),
    (iam_unknown_lists_not_recorded, "unknown"),
    (iam_unknown_read_of_account_failed, "unknown"),
]


def _inventory(*documents: dict[str, Any]) -> Inventory:
    inv = Inventory()
    for i, document in enumerate(documents):
        files.read_document(document, f"snap{i}.json", inv)
    return inv


def _iam(inv: Inventory, account: str = A) -> Any:
    found = {(x.control, x.resource): x for x in evaluate(build(inv))}
    return found[("FDY-IAM-01", norm_id(account))]


@pytest.mark.parametrize(("fixture", "expected"), CASES, ids=[c[0].__name__ for c in CASES])
def test_connection_control_outcome(fixture: Any, expected: str) -> None:
    finding = _iam(_inventory(fixture()))
    assert finding.status.value == expected, finding.reason
    if expected == "pass":
        assert finding.evidence and "key" in finding.reason


def test_a_snapshot_keeps_the_record_through_dumps_and_replay() -> None:
    parsed = snap.Snapshot.model_validate(iam_pass_lists_read_and_empty())
    again = snap.Snapshot.model_validate_json(snap.dumps(parsed))
    assert again.foundry_collected == [f.ACCOUNT]
    assert snap.to_inventory(again, "s").foundry_collected == frozenset({A})
    unrecorded = snap.Snapshot.model_validate(iam_unknown_lists_not_recorded())
    assert snap.to_inventory(unrecorded, "s").foundry_collected is None


def test_replayed_snapshots_merge_their_records() -> None:
    other = f.account(kind="AIServices", name="ais-other", allowProjectManagement=True)
    other["id"] = OTHER
    first = _snapshot([fdy.foundry_account()], [f.ACCOUNT])
    second = _snapshot([other], [OTHER])
    inv = _inventory(first, second)
    assert inv.foundry_collected == {A, OTHER.lower()}
    assert {_iam(inv).status.value, _iam(inv, OTHER).status.value} == {"pass"}
    without = _inventory(first, _snapshot([other], None))
    assert without.foundry_collected == {A}
    assert (_iam(without).status.value, _iam(without, OTHER).status.value) == ("pass", "unknown")


def test_redaction_rewrites_the_record_and_keeps_the_verdict() -> None:
    inv = _inventory(iam_pass_lists_read_and_empty())
    redacted = Redactor("salt").inventory(inv)
    assert redacted.foundry_collected is not None and len(redacted.foundry_collected) == 1
    assert f.SUB not in next(iter(redacted.foundry_collected))  # the subscription id is pseudonymised
    accounts = [r.row["id"] for r in redacted.rows if "accounts" in str(r.row.get("type", "")).lower()]
    assert {norm_id(a) for a in accounts} == redacted.foundry_collected
    assert _iam(redacted, accounts[0]).status.value == "pass"
