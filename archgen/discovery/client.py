"""The one place archgen talks to Azure: Resource Graph queries and ARM reads (diagnostic settings, deployments).

Everything network-related lives here: endpoints and token scopes per cloud, the azure-core pipeline
(authentication, retry, quota pacing), paging, and the translation of Azure's failures into archgen's
errors. Sources for every API fact are in docs/discovery.md; the key ones are repeated where used.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from azure.core import AzureClouds
from azure.core.credentials import TokenCredential
from azure.identity import AzureAuthorityHosts
from azure.mgmt.core.tools import get_arm_endpoints
from azure.mgmt.resourcegraph import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

from archgen.discovery.arm_async import ArmTarget, AsyncArmReader
from archgen.discovery.armreads import (
    CHILD_LISTS,
    DEPLOYMENTS_API_VERSION,
    DIAGNOSTICS_API_VERSION,
    ArmReads,
    raise_first_error,
)
from archgen.discovery.failures import QueryFailure, translate
from archgen.discovery.limits import Deadline, Guard, GuardPolicy, Health, Limits, WaitRefused
from archgen.discovery.pacing import (
    QUOTA_REMAINING,
    QUOTA_RESETS_AFTER,
    SUBSCRIPTION_LIMIT_HIT,
    ArgRetryPolicy,
    Pacer,
    QuotaPacingPolicy,
    parse_resets_after,
)
from archgen.errors import UsageError

# Resource Graph REST API: POST {ARM}/providers/Microsoft.ResourceGraph/resources?api-version=...
# (specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2021-03-01/resourcegraph.json).
# 2021-03-01 is the version azure-mgmt-resourcegraph 8.0.1 sends by default.
ARG_API_VERSION = "2021-03-01"
# "$top ... maximum 1000" (QueryRequestOptions in the spec above; the SDK validates minimum 1 / maximum 1000).
PAGE_SIZE = 1000

# --cloud name -> azure-core's cloud enum (azure.mgmt.core.tools.get_arm_endpoints maps it to the ARM
# endpoint and token scope) and azure-identity's authority host constant name.
CLOUDS: dict[str, tuple[AzureClouds, str]] = {
    "public": (AzureClouds.AZURE_PUBLIC_CLOUD, "AZURE_PUBLIC_CLOUD"),
    "usgov": (AzureClouds.AZURE_US_GOVERNMENT, "AZURE_GOVERNMENT"),
    "china": (AzureClouds.AZURE_CHINA_CLOUD, "AZURE_CHINA"),
}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where ARM is and which token it wants."""

    cloud: str
    arm_endpoint: str  # no trailing slash
    token_scope: str
    authority_host: str


def resolve_endpoint(cloud: str, arm_endpoint: str | None = None, token_scope: str | None = None) -> Endpoint:
    """The ARM endpoint, token scope and Entra authority for a cloud name or an explicit endpoint."""
    if cloud not in CLOUDS:
        raise UsageError(f"--cloud '{cloud}' is not one of: {', '.join(CLOUDS)}")
    enum, authority_name = CLOUDS[cloud]
    table = get_arm_endpoints(enum)
    default_endpoint = str(table["resource_manager"]).rstrip("/")
    authority = str(getattr(AzureAuthorityHosts, authority_name))
    if arm_endpoint:
        parts = urlsplit(arm_endpoint)
        if parts.scheme != "https" or not parts.netloc:
            raise UsageError(f"--arm-endpoint '{arm_endpoint}' is not an https:// URL")
        endpoint = arm_endpoint.rstrip("/")
        if endpoint.lower() == default_endpoint.lower():
            scope = token_scope or str(table["credential_scopes"][0])
        else:
            # An ARM endpoint's token audience is its origin (e.g. https://management.azure.com/.default);
            # clouds that differ (US Gov: management.core.usgovcloudapi.net) take --token-scope.
            scope = token_scope or f"{parts.scheme}://{parts.netloc}/.default"
        return Endpoint(cloud, endpoint, scope, authority)
    return Endpoint(cloud, default_endpoint, token_scope or str(table["credential_scopes"][0]), authority)


# -- clients --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Page:
    rows: list[Any]
    skip_token: str | None
    truncated: str  # why the page is an incomplete answer; "" = complete


@dataclass(slots=True)
class QueryResult:
    rows: list[Any]
    requests: int
    pages: int
    seconds: float
    truncated: str  # why the result is incomplete (resultTruncated, count < totalRecords); "" = complete


def truncation(response: Any, rows_so_far: int, skip_token: str | None) -> str:
    """Why the last page of a Resource Graph query makes its answer incomplete, or "".

    `resultTruncated` "indicates whether the query results are truncated"; `count` is the "number of
    records returned in the current response" and `totalRecords` the "number of total records matching
    the query"; `$skipToken`, "when present", asks for the next page (QueryResponse in the 2021-03-01 spec,
    resourcegraph.json; https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources).
    So when no `$skipToken` is left and the pages together hold fewer rows than `totalRecords`, the
    answer was cut short.
    """
    if skip_token:
        return ""
    if str(getattr(response, "result_truncated", "")).lower() == "true":
        return "resultTruncated: true"
    total = getattr(response, "total_records", None)
    if isinstance(total, int) and rows_so_far < total:
        return f"{rows_so_far} rows < totalRecords {total} and no $skipToken"
    return ""


def connection_verify(explicit: str | bool | None) -> str | bool:
    """The CA bundle: explicit, else REQUESTS_CA_BUNDLE or SSL_CERT_FILE (as requests/OpenSSL read them)."""
    if explicit is not None:
        return explicit
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE") or True


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """How the client talks to Azure: TLS verification, retries, ARM reads in flight, the run's bounds."""

    verify: str | bool = True
    retry_total: int = 10
    retry_backoff_factor: float = 0.8
    retry_backoff_max: int = 30
    page_attempts: int = 4
    diagnostics_workers: int = 8
    limits: Limits | None = None


def _retry_settings(settings: ClientSettings) -> dict[str, Any]:
    return dict(
        retry_total=settings.retry_total,
        retry_status=settings.retry_total,
        retry_connect=2,
        retry_read=2,
        retry_backoff_factor=settings.retry_backoff_factor,
        retry_backoff_max=settings.retry_backoff_max,
    )


class Azure(ArmReads):
    """Resource Graph (through azure-mgmt-resourcegraph's ResourceGraphClient) and ARM reads."""

    def __init__(
        self,
        endpoint: Endpoint,
        credential: TokenCredential,
        settings: ClientSettings | None = None,
        *,
        pacer: Pacer | None = None,
        on_wait: Callable[[float, str], None] | None = None,
    ) -> None:
        settings = settings or ClientSettings()
        verify = settings.verify
        retry_backoff_factor, page_attempts = settings.retry_backoff_factor, settings.page_attempts
        diagnostics_workers, limits = settings.diagnostics_workers, settings.limits
        self.endpoint = endpoint
        self.limits = limits or Limits()
        self.deadline = Deadline(self.limits.timeout)
        self.arg_guard = Guard(
            Health("Resource Graph", endpoint.arm_endpoint, self.limits), self.deadline, on_wait
        )
        self.arm_guard = Guard(
            Health("Azure Resource Manager", endpoint.arm_endpoint, self.limits), self.deadline, on_wait
        )
        self.pacer = pacer or Pacer()
        if self.pacer.guard is None:
            self.pacer.guard = self.arg_guard
        self.page_attempts = page_attempts
        self.diagnostics_workers = diagnostics_workers
        self.deployment_requests = 0  # GETs sent for deployments lists (pages, not counting retries)
        self._backoff = retry_backoff_factor
        self._credential = credential
        self._verify = verify
        self._reader: AsyncArmReader | None = None
        self._reader_lock = threading.Lock()
        self._retry = _retry_settings(settings)
        self.arg = self._arg_client(credential, verify)

    def _arg_client(self, credential: TokenCredential, verify: str | bool) -> ResourceGraphClient:
        # azure-core's transports wait 300 s to connect and 300 s for each read unless told otherwise.
        return ResourceGraphClient(
            credential,
            base_url=self.endpoint.arm_endpoint,
            credential_scopes=[self.endpoint.token_scope],
            retry_policy=ArgRetryPolicy(self.arg_guard, "Resource Graph", **self._retry),
            per_retry_policies=[GuardPolicy(self.arg_guard), QuotaPacingPolicy(self.pacer)],
            connection_verify=verify,
            api_version=ARG_API_VERSION,
            connection_timeout=self.limits.connect_timeout,
            read_timeout=self.limits.read_timeout,
        )

    def close(self) -> None:
        with self._reader_lock:
            reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()
        self.arg.close()

    def reader(self) -> AsyncArmReader:
        """The one asynchronous pipeline for ARM reads (diagnostic settings, deployments): at most
        `diagnostics_workers` requests in flight, whichever phase sent them; started on first use."""
        with self._reader_lock:
            if self._reader is None:
                target = ArmTarget(
                    self.endpoint.arm_endpoint,
                    self._credential,
                    self.endpoint.token_scope,
                    self._verify,
                    self._retry,
                    self.diagnostics_workers,
                )
                self._reader = AsyncArmReader(
                    target,
                    self.arm_guard,
                    lambda exc: translate(exc, self.endpoint.arm_endpoint),
                    lambda what: QueryFailure(None, "MalformedResponse", what, True),
                )
            return self._reader

    # -- Resource Graph ---------------------------------------------------------------------------
    def _page(
        self,
        text: str,
        subscriptions: Sequence[str] | None,
        management_groups: Sequence[str] | None,
        skip_token: str | None,
        rows_before: int = 0,
    ) -> Page:
        request = QueryRequest(
            query=text,
            subscriptions=list(subscriptions) if subscriptions else None,
            management_groups=list(management_groups) if management_groups else None,
            options=QueryRequestOptions(top=PAGE_SIZE, skip_token=skip_token, result_format="objectArray"),
        )
        response = self.arg.resources(request)
        data: Any = response.data
        if isinstance(data, dict) and "rows" in data and "columns" in data:  # table format, defensively
            names = [c.get("name") for c in data["columns"]]
            data = [dict(zip(names, r, strict=False)) for r in data["rows"]]
        if not isinstance(data, list):
            raise QueryFailure(200, "MalformedResponse", "'data' is not a list of rows", retryable=True)
        token = response.skip_token or None
        return Page(data, token, truncation(response, rows_before + len(data), token))

    def _page_with_retries(
        self,
        text: str,
        subscriptions: Sequence[str] | None,
        management_groups: Sequence[str] | None,
        token: str | None,
        rows_before: int,
    ) -> Page:
        """One page, asked again (same `$skipToken`) up to `page_attempts` times after retryable failures."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._page(text, subscriptions, management_groups, token, rows_before)
            except QueryFailure as failure:
                if not failure.retryable or attempt >= self.page_attempts:
                    raise
            except Exception as exc:  # azure-core errors, translated
                mapped = translate(exc, self.endpoint.arm_endpoint)
                if (
                    not isinstance(mapped, QueryFailure)
                    or not mapped.retryable
                    or attempt >= self.page_attempts
                ):
                    raise mapped from None
            self.arg_guard.health.check()
            try:
                self.arg_guard.wait(min(30.0, self._backoff * (2**attempt)), "Resource Graph page retry")
            except WaitRefused as refused:
                raise translate(refused, self.endpoint.arm_endpoint) from None

    def query(
        self,
        text: str,
        subscriptions: Sequence[str] | None = None,
        management_groups: Sequence[str] | None = None,
        on_page: Callable[[int], None] | None = None,
    ) -> QueryResult:
        """Every page of one query for one scope; raises QueryFailure, AuthError or AzureError.

        A page the pipeline could not get after its retries (a throttling storm, a run of 5xx, a
        malformed body) is requested again, with the same `$skipToken`, up to `page_attempts` times,
        so a page is never skipped: the query either returns every row or fails as a whole. A
        `$skipToken` seen before, or more than `Limits.max_pages` pages, is a paging loop: the query fails.
        """
        start = time.monotonic()
        first_attempt = self.pacer.attempts
        rows: list[Any] = []
        token: str | None = None
        seen: set[str] = set()
        pages = 0
        truncated = ""
        while True:
            page = self._page_with_retries(text, subscriptions, management_groups, token, len(rows))
            pages += 1
            rows.extend(page.rows)
            truncated = truncated or page.truncated
            if on_page:
                on_page(len(page.rows))
            if not page.skip_token:
                break
            if page.skip_token in seen:
                raise QueryFailure(
                    200,
                    "PagingLoop",
                    f"Resource Graph sent the same $skipToken again after {pages} pages",
                    False,
                )
            if pages >= self.limits.max_pages:
                raise QueryFailure(
                    200,
                    "PagingLimit",
                    f"still paging after {pages} pages ({len(rows)} rows); the page cap is {self.limits.max_pages}",
                    False,
                )
            seen.add(page.skip_token)
            token = page.skip_token
        return QueryResult(
            rows, self.pacer.attempts - first_attempt, pages, time.monotonic() - start, truncated
        )


__all__ = [
    "ARG_API_VERSION",
    "CHILD_LISTS",
    "DEPLOYMENTS_API_VERSION",
    "DIAGNOSTICS_API_VERSION",
    "QUOTA_REMAINING",
    "QUOTA_RESETS_AFTER",
    "SUBSCRIPTION_LIMIT_HIT",
    "Azure",
    "ClientSettings",
    "Endpoint",
    "Pacer",
    "QueryFailure",
    "connection_verify",
    "parse_resets_after",
    "raise_first_error",
    "resolve_endpoint",
    "translate",
]
