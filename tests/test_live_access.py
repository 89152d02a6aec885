"""Role assignments on the scope chain, discovered through the real SDK against the loopback server."""

from __future__ import annotations

from typing import Any

from archgen.controls.engine import evaluate
from archgen.discovery import live, snapshot
from archgen.model.access import access_of
from archgen.model.builder import build
from archgen.model.ids import norm_id
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options

USER = "7a9c1e3b-5d2f-4a8b-9c0d-4e6f8a0b2c35"
GROUP = "2c4e6a8b-0d1f-4b3c-8d5e-7f9a1b3c5d46"
CS_CONTRIBUTOR = "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68"
OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"


def assignment(sub: str, scope: str, principal: str, kind: str, role: str) -> dict[str, Any]:
    ra = f"{scope}/providers/Microsoft.Authorization/roleAssignments/{T.guid(principal, scope, role)}"
    return {
        "id": ra,
        "name": ra.rsplit("/", 1)[-1],
        "type": "Microsoft.Authorization/roleAssignments",
        "subscriptionId": sub,
        "tenantId": T.TENANT_ID,
        "properties": {
            "principalId": principal,
            "principalType": kind,
            "scope": scope,
            "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role}",
        },
    }


def test_assignments_at_the_account_and_above_are_read_in_one_query_per_batch(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()
    sub, rg, acct = info["w1"]["sub"], info["w1"]["rg"], info["w1"]["account"]
    for container in tenant.resourcecontainers:
        if container["subscriptionId"] == sub:
            container["properties"]["managementGroupAncestorsChain"] = [
                {"name": "mg-Corp", "displayName": "Corp"}
            ]
    rg_id = f"/subscriptions/{sub}/resourceGroups/{rg}"
    mg = "/providers/Microsoft.Management/managementGroups/mg-Corp"
    tenant.authorizationresources += [
        assignment(sub, acct, GROUP, "Group", OPENAI_USER),
        assignment(sub, rg_id.upper(), USER, "User", CS_CONTRIBUTOR),  # scope ids compare case-insensitively
        assignment(sub, mg, USER, "User", OWNER),
        assignment(sub, f"/subscriptions/{sub}/resourceGroups/rg-elsewhere", USER, "User", OWNER),
    ]
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(sub,)), options(server, certificates))
    by_scope = [q for q in snap.queries if q.name == "role_assignments_by_scope"]
    assert len(by_scope) == 2  # the accounts' scope chains in one hop, the management group in the next
    assert acct.lower() in by_scope[0].text and "mg-corp" in by_scope[1].text
    graph = build(snapshot.to_inventory(snap, "live"))
    got = {(a.principal_id, a.principal_type, a.scope) for a in access_of(graph, norm_id(acct))}
    assert got == {
        (GROUP, "Group", norm_id(acct)),
        (USER, "User", norm_id(rg_id)),
        (USER, "User", norm_id(mg)),
    }
    findings = {x.control: x for x in evaluate(graph) if x.resource == norm_id(acct)}
    assert findings["AOAI-IAM-05"].status.value == "pass"


def test_a_truncated_scope_lookup_leaves_the_users_verdict_unknown(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant = T.accounts_only(1, 1)
    (account,) = [r for r in tenant.resources if r["type"].lower() == "microsoft.cognitiveservices/accounts"]
    account["properties"]["disableLocalAuth"] = False
    sub = account["subscriptionId"]
    tenant.authorizationresources.append(assignment(sub, account["id"], GROUP, "Group", OPENAI_USER))
    server = arm_server(tenant)
    server.faults.start_after = 1  # the seed answers; the first lookup of hop 1 is cut short
    server.faults.truncate_next = 1
    snap = live.discover(live.Scope(subscriptions=(sub,)), options(server, certificates, diagnostics=False))
    assert [g["query"] for g in snap.incomplete] == ["role_assignments_by_scope"]
    graph = build(snapshot.to_inventory(snap, "live"))
    findings = {x.control: x for x in evaluate(graph) if x.resource == norm_id(account["id"])}
    assert findings["AOAI-IAM-04"].status.value == "unknown"
    assert "role_assignments_by_scope" in findings["AOAI-IAM-04"].reason
