"""Live discovery of an app that calls the model as a user-assigned managed identity: the role assignment's
principal is the identity's, and `callers_by_user_identity` finds the app by the `principalId` of an entry of
its `identity.userAssignedIdentities` (`mv-expand kind=array`), one query per batch; through the real SDK
against the loopback server."""

from __future__ import annotations

from typing import Any

from archgen.discovery import live, snapshot
from archgen.model.builder import build
from archgen.model.relations import Relation
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, options

OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"


def test_app_running_as_a_user_assigned_identity_is_found_in_one_query(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, info = T.regulated()
    w1 = info["w1"]
    uami = T.rid(w1["sub"], "rg-apps", "Microsoft.ManagedIdentity/userAssignedIdentities", "id-claims-worker")
    principal = T.guid("id-claims-worker", "principal")
    worker = T.rid(w1["sub"], "rg-apps", "Microsoft.App/containerApps", "ca-claims-worker")
    bystander = T.rid(w1["sub"], "rg-apps", "Microsoft.App/containerApps", "ca-unrelated")
    for app, pid in ((worker, principal), (bystander, T.guid("other", "principal"))):
        tenant.resources.append(
            T.row(
                app,
                "Microsoft.App/containerApps",
                identity={
                    "type": "UserAssigned",
                    "userAssignedIdentities": {
                        uami if app == worker else f"{uami}-other": {
                            "principalId": pid,
                            "clientId": T.guid(pid, "client"),
                        }
                    },
                },
                properties={"configuration": {"ingress": {"fqdn": f"{app.rsplit('/', 1)[-1]}.example.net"}}},
            )
        )
    scope = w1["account"]
    tenant.authorizationresources.append(T.role_assignment(scope, principal, OPENAI_USER))
    server = arm_server(tenant)
    snap = live.discover(live.Scope(subscriptions=(w1["sub"],)), options(server, certificates))
    assert len([q for q in snap.queries if q.name == "callers_by_user_identity"]) == 1
    read = {str(r["id"]).lower() for r in snap.rows}
    assert worker.lower() in read and bystander.lower() not in read
    graph = build(snapshot.to_inventory(snap, "live"))
    calls = {(e.source, e.target) for e in graph.edges if e.relation is Relation.CALLS}
    assert calls == {(worker.lower(), w1["account"].lower())}
