"""ARM reads of what Resource Graph does not hold, on the asynchronous reader: diagnostic settings and
the child lists (model deployments, content filter policies, vault keys), with `nextLink` paging kept on
the ARM endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, wait
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from archgen.discovery.failures import QueryFailure

if TYPE_CHECKING:
    from archgen.discovery.arm_async import AsyncArmReader

# ARM diagnostic settings: GET {resourceId}/providers/Microsoft.Insights/diagnosticSettings
# (https://learn.microsoft.com/rest/api/monitor/diagnostic-settings/list?view=rest-monitor-2021-05-01-preview).
DIAGNOSTICS_API_VERSION = "2021-05-01-preview"
# ARM model deployments of a Cognitive Services account: GET {accountId}/deployments, paged by `nextLink`
# (https://learn.microsoft.com/rest/api/aiservices/accountmanagement/deployments/list; spec
# specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2024-10-01/cognitiveservices.json).
DEPLOYMENTS_API_VERSION = "2024-10-01"
# A deployments list longer than this many pages is taken for a nextLink loop (an account holds tens).
MAX_DEPLOYMENT_PAGES = 100
# Other child lists read through ARM like deployments ({parent}/{segment}?api-version=..., `nextLink`):
# content filter policies of an account (`accounts/raiPolicies`, same spec and version as deployments;
# examples/GetRaiPolicy.json) and the keys of a vault as the management plane lists them (readable with
# Reader, key material never returned: specification/keyvault/resource-manager/Microsoft.KeyVault/stable/
# 2023-07-01/keyvault.json, examples/listKeys.json).
CHILD_LISTS: dict[str, tuple[str, str]] = {
    "deployments": ("deployments", DEPLOYMENTS_API_VERSION),
    "content filter policies": ("raiPolicies", "2024-10-01"),
    "vault keys": ("keys", "2023-07-01"),
    # Foundry projects and connections of an AI Services account, and a project's connections
    # (cognitiveservices.json stable 2025-06-01: Projects_List, AccountConnections_List, ProjectConnections_List).
    "projects": ("projects", "2025-06-01"),
    "connections": ("connections", "2025-06-01"),
    # a project's capability hosts (ProjectCapabilityHosts_List, example ProjectCapabilityHost/list.json)
    "capability hosts": ("capabilityHosts", "2025-06-01"),
    # API Management backends: GET {service}/backends?api-version=2022-08-01, `nextLink` (specification/
    # apimanagement/resource-manager/Microsoft.ApiManagement/stable/2022-08-01/apimbackends.json,
    # Backend_ListByService). Named values (secrets) are never read.
    "gateway backends": ("backends", "2022-08-01"),
    # Its APIs (`apimapis.json` Api_ListByService), global policy (`apimpolicies.json` Policy_ListByService) and
    # each API's policy (`apimapis.json` ApiPolicy_ListByApi); of a policy only its element names are kept.
    "gateway apis": ("apis", "2022-08-01"),
    "gateway policies": ("policies", "2022-08-01"),
    "api policies": ("policies", "2022-08-01"),
    # Front Door Standard/Premium: GET {profile}/originGroups, {profile}/originGroups/{g}/origins and
    # {profile}/securityPolicies, `nextLink` (specification/cdn/resource-manager/Microsoft.Cdn/stable/2024-09-01/
    # afdx.json: AFDOriginGroups_ListByProfile, AFDOrigins_ListByOriginGroup, SecurityPolicies_ListByProfile).
    "front door origin groups": ("originGroups", "2024-09-01"),
    "front door origins": ("origins", "2024-09-01"),
    "front door security policies": ("securityPolicies", "2024-09-01"),
    # A Foundry hub's or hub-based project's connections: GET {workspace}/connections?api-version=2025-09-01
    # (machinelearningservices workspaceRP.json stable 2025-09-01, example WorkspaceConnection/list.json).
    "hub connections": ("connections", "2025-09-01"),
}


class ArmReads:
    """The ARM reads of `Azure` (a mixin: it needs the client's endpoint and its asynchronous reader)."""

    endpoint: Any  # client.Endpoint
    deployment_requests: int

    def reader(self) -> AsyncArmReader:
        raise NotImplementedError

    async def _diagnostic_settings(self, resource_id: str) -> list[Any]:
        url = (
            f"{self.endpoint.arm_endpoint}{quote(resource_id, safe='/')}"
            f"/providers/Microsoft.Insights/diagnosticSettings?api-version={DIAGNOSTICS_API_VERSION}"
        )
        body = await self.reader().get_json(url, "diagnostic settings")
        value = body.get("value") if isinstance(body, dict) else None
        if not isinstance(value, list):
            raise QueryFailure(200, "MalformedResponse", "diagnostic settings body has no 'value' list", True)
        return value

    def diagnostic_settings(self, resource_id: str) -> list[Any]:
        """The diagnostic settings of one resource (`{"value": [...]}`); raises QueryFailure and friends."""
        return self.reader().run(self._diagnostic_settings(resource_id)).result()

    def diagnostic_settings_many(self, resource_ids: Sequence[str]) -> dict[str, list[Any] | QueryFailure]:
        """Diagnostic settings of many resources with bounded concurrency; a failure per resource."""

        async def one(rid: str) -> list[Any] | QueryFailure:
            try:
                return await self._diagnostic_settings(rid)
            except QueryFailure as failure:
                return failure

        reader = self.reader()
        futures = [reader.run(one(rid)) for rid in resource_ids]
        raise_first_error(futures)
        return {rid: f.result() for rid, f in zip(resource_ids, futures, strict=True)}

    # -- ARM: child lists (model deployments, content filter policies, vault keys) -------------------
    async def _children(self, parent_id: str, what: str) -> list[Any]:
        """Every item of one child list (`{"value": [...], "nextLink"?}`, `nextLink` followed).

        Raises QueryFailure (403, 404, a failure after the pipeline's retries, a malformed body),
        AuthError or AzureError. A `nextLink` must stay on the ARM endpoint: the pipeline sends the
        bearer token with every request, so a link elsewhere is refused rather than followed.
        """
        segment, api_version = CHILD_LISTS[what]
        url = f"{self.endpoint.arm_endpoint}{quote(parent_id, safe='/')}/{segment}?api-version={api_version}"
        origin = urlsplit(self.endpoint.arm_endpoint)
        items: list[Any] = []
        reader = self.reader()
        for _ in range(MAX_DEPLOYMENT_PAGES):
            if what == "deployments":
                self.deployment_requests += 1  # only the reader's event loop thread counts
            body = await reader.get_json(url, what)
            value = body.get("value") if isinstance(body, dict) else None
            if not isinstance(value, list):
                raise QueryFailure(200, "MalformedResponse", f"{what} body has no 'value' list", True)
            items.extend(value)
            link = body.get("nextLink")
            if not link:
                return items
            parts = urlsplit(str(link))
            if (parts.scheme, parts.netloc.lower()) != (origin.scheme, origin.netloc.lower()):
                raise QueryFailure(
                    200, "MalformedResponse", f"{what} nextLink leaves the ARM endpoint", False
                )
            url = str(link)
        raise QueryFailure(
            200, "MalformedResponse", f"{what} list still paging after {MAX_DEPLOYMENT_PAGES} pages", False
        )

    async def _deployments(self, account_id: str) -> list[Any]:
        return await self._children(account_id, "deployments")

    def deployments(self, account_id: str) -> list[Any]:
        """Every model deployment of one account; raises QueryFailure, AuthError or AzureError."""
        return self.reader().run(self._deployments(account_id)).result()

    def submit_children(self, parent_id: str, what: str) -> Future[list[Any] | QueryFailure]:
        """Read one child list on the ARM reader; the future holds a QueryFailure rather than raising one
        (AuthError and AzureError still raise from `result()`)."""

        async def one() -> list[Any] | QueryFailure:
            try:
                return await self._children(parent_id, what)
            except QueryFailure as failure:
                return failure

        return self.reader().run(one())

    def submit_deployments(self, account_id: str) -> Future[list[Any] | QueryFailure]:
        return self.submit_children(account_id, "deployments")

    def deployments_many(self, account_ids: Sequence[str]) -> dict[str, list[Any] | QueryFailure]:
        """Deployments of many accounts with bounded concurrency; a failure per account."""
        futures = [self.submit_deployments(a) for a in account_ids]
        raise_first_error(futures)
        return {a: f.result() for a, f in zip(account_ids, futures, strict=True)}


def raise_first_error(futures: Sequence[Future[Any]]) -> None:
    """Wait for every future, but raise as soon as one raises (the run is over: a failing service, the
    deadline, a refused token) instead of waiting for reads still in flight before it."""
    done, _ = wait(futures, return_when=FIRST_EXCEPTION)
    for f in done:
        error = f.exception()
        if error is not None:
            raise error
