"""Which principals' role assignments were read: live discovery records the principals its by-principal
lookup answered for (`principals_collected` in the snapshot), so the CMK chain's RBAC step is judged per
principal, never inferred from unrelated assignment rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import files, live, snapshot
from archgen.discovery.frontier import PRINCIPALS, collected_keys
from archgen.model.builder import build, iter_rows
from archgen.model.inventory import Inventory
from tests import factory as f
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options


def _uami_principal(tenant: T.Tenant, uami: str) -> str:
    row = next(r for r in tenant.resources if r["id"] == uami)
    return str(row["properties"]["principalId"]).lower()


def _enc02(graph: Any, account: str) -> Any:
    return next(x for x in evaluate(graph) if x.control == "AOAI-ENC-02" and x.resource == account.lower())


def test_principal_lookups_are_recorded_and_judge_a_missing_grant_as_a_failure(
    arm_server: Any, certificates: Certificates, tmp_path: Path
) -> None:
    tenant, info = T.regulated()
    w1 = info["w1"]
    principal = _uami_principal(tenant, w1["uami"])
    # the key identity holds no assignment at all: the lookup answers with no rows
    tenant.authorizationresources = [
        r for r in tenant.authorizationresources if str(r["properties"]["principalId"]).lower() != principal
    ]
    server = arm_server(tenant)
    snap = live.discover(
        live.Scope(subscriptions=(w1["sub"], info["w2"]["sub"])), options(server, certificates)
    )
    assert snap.principals_collected is not None and principal in snap.principals_collected
    finding = _enc02(build(snapshot.to_inventory(snap, "live")), w1["account"])
    assert finding.status.value == "fail" and "no key-crypto role" in finding.reason
    # a replayed snapshot keeps the record
    path = tmp_path / "snap.json"
    path.write_text(snapshot.dumps(snap), encoding="utf-8")
    replayed = build(files.load_files([path]))
    assert principal in replayed.principals_collected
    assert _enc02(replayed, w1["account"]).status.value == "fail"


def test_a_principal_not_looked_up_stays_unknown_even_with_other_assignments() -> None:
    rows = [
        f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK),
        f.uami(),
        f.vault(),
        f.key(),
        f.role(f.GROUP_PRINCIPAL, f.OPENAI_USER, f.ACCOUNT),
    ]
    finding = _enc02(build(iter_rows(rows)), f.ACCOUNT)
    assert finding.status.value == "unknown" and "were not read" in finding.reason
    looked_up = Inventory(iter_rows(rows).blocks, principals_collected=frozenset({f.UAMI_PRINCIPAL}))
    assert _enc02(build(looked_up), f.ACCOUNT).status.value == "fail"


def test_failed_batches_do_not_count_as_collected() -> None:
    incomplete = [{"query": PRINCIPALS, "keys": ["b"]}, {"query": "a_records_by_ip", "keys": ["a"]}]
    assert collected_keys({"A", "b", "c"}, incomplete, PRINCIPALS) == ["a", "c"]


def test_redaction_keeps_the_record_matching_the_pseudonymised_principal() -> None:
    """`--redact` rewrites the principal ids in the rows; the record must follow, or the verdict would change."""
    from archgen.redact import Redactor

    rows = [f.account(identity=f.UAMI_IDENTITY, encryption=f.CMK), f.uami(), f.vault(), f.key()]
    looked_up = Inventory(iter_rows(rows).blocks, principals_collected=frozenset({f.UAMI_PRINCIPAL.lower()}))
    redacted = Redactor("salt").inventory(looked_up)
    assert redacted.principals_collected is not None
    assert f.UAMI_PRINCIPAL.lower() not in {p.lower() for p in redacted.principals_collected}
    (finding,) = [x for x in evaluate(build(redacted)) if x.control == "AOAI-ENC-02"]
    assert finding.status.value == "fail" and "no key-crypto role" in finding.reason
