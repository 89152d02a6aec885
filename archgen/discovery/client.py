"""The one place archgen talks to Azure: Resource Graph queries and ARM reads (diagnostic settings, deployments).

Everything network-related lives here: endpoints and token scopes per cloud, the azure-core pipeline
(authentication, retry, quota pacing), paging, and the translation of Azure's failures into archgen's
errors. Sources for every API fact are in docs/discovery.md; the key ones are repeated where used.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, wait
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from azure.core import AzureClouds
from azure.core.credentials import TokenCredential
from azure.core.exceptions import (
    AzureError as AzureCoreError,
)
from azure.core.exceptions import (
    ClientAuthenticationError,
    DecodeError,
    DeserializationError,
    HttpResponseError,
    ServiceRequestError,
)
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import (
    ContentDecodePolicy,
    HeadersPolicy,
    HTTPPolicy,
    RequestIdPolicy,
    RetryPolicy,
    UserAgentPolicy,
)
from azure.identity import AzureAuthorityHosts
from azure.mgmt.core import ARMPipelineClient
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy
from azure.mgmt.core.tools import get_arm_endpoints
from azure.mgmt.resourcegraph import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

from archgen.discovery.arm_async import AsyncArmReader
from archgen.discovery.limits import Deadline, Guard, GuardPolicy, Health, Limits, WaitRefused, describe_wait
from archgen.errors import AuthError, AzureError, UsageError

# Resource Graph REST API: POST {ARM}/providers/Microsoft.ResourceGraph/resources?api-version=...
# (specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2021-03-01/resourcegraph.json).
# 2021-03-01 is the version azure-mgmt-resourcegraph 8.0.1 sends by default.
ARG_API_VERSION = "2021-03-01"
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
}
# "$top ... maximum 1000" (QueryRequestOptions in the spec above; the SDK validates minimum 1 / maximum 1000).
PAGE_SIZE = 1000
# "x-ms-user-quota-remaining (int)", "x-ms-user-quota-resets-after (hh:mm:ss)":
# https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests
QUOTA_REMAINING = "x-ms-user-quota-remaining"
QUOTA_RESETS_AFTER = "x-ms-user-quota-resets-after"
# "When a security principal has access to more than 10,000 subscriptions within the tenant or management
# group query scope, the response is limited to the first 10,000 subscriptions and the
# x-ms-tenant-subscription-limit-hit header is returned as true" (same page).
SUBSCRIPTION_LIMIT_HIT = "x-ms-tenant-subscription-limit-hit"

AUTH_HINT = (
    "run 'az login' (and 'az account set'), or set AZURE_CLIENT_ID, AZURE_TENANT_ID and "
    "AZURE_CLIENT_SECRET for a service principal"
)

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


def parse_resets_after(value: str | None) -> float | None:
    """Seconds from an `hh:mm:ss` (optionally `hh:mm:ss.fff`) quota header; None when absent or unreadable."""
    if not value:
        return None
    m = re.fullmatch(r"\s*(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*", value)
    if not m:
        return None
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))


@dataclass(slots=True)
class Pacer:
    """Shared quota state: read from every response, waited on before every request.

    Resource Graph grants a quota per user and time window (e.g. 15 queries per 5 seconds) and reports
    what is left in `x-ms-user-quota-remaining` and when it refills in `x-ms-user-quota-resets-after`.
    When the quota is spent, the next request waits until the window resets instead of drawing a 429.
    """

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    remaining: int | None = None
    resets_at: float = 0.0
    attempts: int = 0
    throttled: int = 0  # 429 answers
    server_errors: int = 0  # 5xx answers
    waits: int = 0
    waited: float = 0.0
    limit_hit: bool = False
    on_wait: Callable[[float], None] | None = None
    # bounds every quota wait (longest wait, deadline) and announces it; None = unbounded (unit tests)
    guard: Guard | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def before(self) -> None:
        with self.lock:
            delay = 0.0
            if self.remaining is not None and self.remaining <= 0:
                delay = self.resets_at - self.clock()
            if delay > 0:
                if self.guard is not None:
                    # raises WaitRefused (the request fails as throttled) past the longest wait
                    self.guard.approve_wait(delay, "Resource Graph quota (x-ms-user-quota-resets-after)")
                self.waits += 1
                self.waited += delay
                if self.on_wait:
                    self.on_wait(delay)
                self.sleep(delay)
                self.remaining = None
            self.attempts += 1
            if self.remaining is not None:
                self.remaining -= 1  # another request in flight draws on the same window

    def after(self, status: int, headers: Any) -> None:
        with self.lock:
            if status == 429:
                self.throttled += 1
            elif status >= 500:
                self.server_errors += 1
            remaining = headers.get(QUOTA_REMAINING)
            resets = parse_resets_after(headers.get(QUOTA_RESETS_AFTER))
            if remaining is not None:
                try:
                    self.remaining = int(remaining)
                except ValueError:
                    self.remaining = None
                if resets is not None:
                    self.resets_at = self.clock() + resets
            if status == 429 and self.remaining is None:
                self.remaining = 0
                self.resets_at = max(self.resets_at, self.clock() + (resets or 0.0))
            if str(headers.get(SUBSCRIPTION_LIMIT_HIT, "")).lower() == "true":
                self.limit_hit = True


class QuotaPacingPolicy(HTTPPolicy):  # type: ignore[type-arg]
    """A per-retry policy: every attempt (first try or retry) waits for quota and reports its headers."""

    def __init__(self, pacer: Pacer) -> None:
        super().__init__()
        self.pacer = pacer

    def send(self, request: PipelineRequest) -> PipelineResponse:  # type: ignore[type-arg]
        self.pacer.before()
        response = self.next.send(request)
        http = response.http_response
        self.pacer.after(http.status_code, http.headers)
        return response


class BoundedRetryPolicy(RetryPolicy):  # type: ignore[type-arg]
    """azure-core's RetryPolicy whose every wait (Retry-After or backoff) is approved by the run's Guard:
    a wait longer than `--max-wait` fails the request as throttled (WaitRefused) instead of sleeping,
    a wait past the deadline ends the run, and every wait is announced on the progress line."""

    def __init__(self, guard: Guard | None = None, service: str = "Azure", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.guard = guard
        self.service = service

    def sleep(self, settings: dict[str, Any], transport: Any, response: Any = None) -> None:
        delay = (self.get_retry_after(response) if response is not None else None) or 0.0
        if not delay:
            delay = self.get_backoff_time(settings)
        if delay <= 0:
            return
        if self.guard is not None:
            self.guard.approve_wait(delay, describe_wait(response, delay, self.service))
        transport.sleep(delay)


class ArgRetryPolicy(BoundedRetryPolicy):
    """azure-core's RetryPolicy, taught Resource Graph's throttling answer.

    azure-core retries a POST on 500/503/504 but a 429 only when it carries Retry-After, which
    Resource Graph's `RateLimiting` answer may lack; left alone the SDK raises on the first 429.
    Here a 429 is retried like a 503, and its wait comes from Retry-After, else from
    `x-ms-user-quota-resets-after`, else from the exponential backoff. The request (query text,
    scope and `$skipToken`) is re-sent unchanged, so a retry reads the same page.
    """

    def _is_method_retryable(self, settings: dict[str, Any], request: Any, response: Any = None) -> bool:
        if response is not None and response.status_code == 429:
            return True
        return bool(super()._is_method_retryable(settings, request, response=response))

    def get_retry_after(self, response: PipelineResponse) -> float | None:  # type: ignore[type-arg]
        value = super().get_retry_after(response)
        if value:
            return float(value)
        if response.http_response.status_code == 429:
            resets = parse_resets_after(response.http_response.headers.get(QUOTA_RESETS_AFTER))
            if resets:
                return resets
        return None


# -- failures -------------------------------------------------------------------------------------


class QueryFailure(Exception):
    """A request Azure answered with an error (or not at all) after the pipeline's retries."""

    def __init__(self, status: int | None, code: str, message: str, retryable: bool) -> None:
        super().__init__(status, code, message)
        self.status = status
        self.code = code
        self.message = message
        self.retryable = retryable

    @property
    def unanswered(self) -> bool:
        """Azure did not answer the question (throttled, failing, timed out, malformed), as opposed to
        answering it with a refusal (403, 404, 400): the former is a coverage gap, the latter a fact."""
        return self.retryable or self.status in (408, 429) or (self.status or 0) >= 500

    def __str__(self) -> str:
        where = f"HTTP {self.status} " if self.status else ""
        return f"{where}{self.code}: {self.message}".strip()


def _error_parts(exc: HttpResponseError) -> tuple[str, str]:
    """(code, message) from an ARM error body, naming the detail codes (InvalidQuery, ...)."""
    code = ""
    message = ""
    try:
        body = json.loads(exc.response.text()) if exc.response is not None else {}
    except (ValueError, AttributeError, TypeError):
        body = {}
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        code = str(err.get("code") or "")
        message = str(err.get("message") or "")
        details = err.get("details")
        if isinstance(details, list):
            parts = []
            for d in details:
                if isinstance(d, dict):
                    text = " ".join(str(x) for x in (d.get("code"), d.get("message")) if x)
                    if text:
                        parts.append(text)
            if parts:
                code = "/".join(
                    [code, *[str(d.get("code")) for d in details if isinstance(d, dict) and d.get("code")]]
                )
                message = f"{message} ({'; '.join(parts)})" if message else "; ".join(parts)
    if not code:
        code = str(getattr(exc, "error_code", None) or exc.reason or "HttpResponseError")
    if not message:
        message = str(exc.message or exc).splitlines()[0]
    return code, " ".join(message.split())


def translate(exc: Exception, endpoint: str) -> Exception:
    """Map an azure-core exception to an archgen error (auth, unreachable) or a QueryFailure."""
    if isinstance(exc, ClientAuthenticationError) and getattr(exc, "status_code", None) == 401:
        code, _ = _error_parts(exc)
        return AuthError(f"Azure refused the token (HTTP 401 {code}); {AUTH_HINT}")
    if isinstance(exc, ClientAuthenticationError):
        # DefaultAzureCredential's message: a summary, "Attempted credentials:", one line per credential,
        # a troubleshooting link. Keep the summary and the credentials' reasons, on one line.
        text = [ln.strip() for ln in str(exc.message or exc).splitlines() if ln.strip()]
        kept = [ln for ln in text if ln != "Attempted credentials:" and not ln.startswith("To mitigate")]
        reason = " ".join(kept) or "no credential"
        return AuthError(f"Azure authentication failed ({reason[:300]}); {AUTH_HINT}")
    if isinstance(exc, WaitRefused):
        return QueryFailure(429, "Throttled", str(exc), retryable=False)
    if isinstance(exc, (DecodeError, DeserializationError)):
        return QueryFailure(None, "MalformedResponse", str(exc).splitlines()[0][:200], retryable=True)
    if isinstance(exc, HttpResponseError):
        status = exc.status_code
        code, message = _error_parts(exc)
        if status == 401:
            return AuthError(f"Azure refused the token (HTTP 401 {code}); {AUTH_HINT}")
        return QueryFailure(status, code, message, retryable=status in (408, 429) or (status or 0) >= 500)
    if isinstance(exc, ServiceRequestError):
        first = str(exc.message or exc).splitlines()[0][:200]
        return AzureError(f"cannot reach Azure Resource Manager at {endpoint}: {first}")
    if isinstance(exc, AzureCoreError):
        return QueryFailure(None, type(exc).__name__, str(exc).splitlines()[0][:200], retryable=True)
    return exc


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


class Azure:
    """Resource Graph (through azure-mgmt-resourcegraph's ResourceGraphClient) and ARM reads."""

    def __init__(
        self,
        endpoint: Endpoint,
        credential: TokenCredential,
        *,
        verify: str | bool = True,
        pacer: Pacer | None = None,
        retry_total: int = 10,
        retry_backoff_factor: float = 0.8,
        retry_backoff_max: int = 30,
        page_attempts: int = 4,
        diagnostics_workers: int = 8,
        limits: Limits | None = None,
        on_wait: Callable[[float, str], None] | None = None,
    ) -> None:
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
        retry: dict[str, Any] = dict(
            retry_total=retry_total,
            retry_status=retry_total,
            retry_connect=2,
            retry_read=2,
            retry_backoff_factor=retry_backoff_factor,
            retry_backoff_max=retry_backoff_max,
        )
        # azure-core's transports wait 300 s to connect and 300 s for each read unless told otherwise.
        timeouts: dict[str, Any] = {
            "connection_timeout": self.limits.connect_timeout,
            "read_timeout": self.limits.read_timeout,
        }
        self.arg = ResourceGraphClient(
            credential,
            base_url=endpoint.arm_endpoint,
            credential_scopes=[endpoint.token_scope],
            retry_policy=ArgRetryPolicy(self.arg_guard, "Resource Graph", **retry),
            per_retry_policies=[GuardPolicy(self.arg_guard), QuotaPacingPolicy(self.pacer)],
            connection_verify=verify,
            api_version=ARG_API_VERSION,
            **timeouts,
        )
        self.arm: ARMPipelineClient[Any, Any] = ARMPipelineClient(
            base_url=endpoint.arm_endpoint,
            policies=[
                RequestIdPolicy(),
                HeadersPolicy(),
                UserAgentPolicy(sdk_moniker="archgen"),
                ContentDecodePolicy(),
                BoundedRetryPolicy(self.arm_guard, "Azure Resource Manager", **retry),
                ARMChallengeAuthenticationPolicy(credential, endpoint.token_scope),
                GuardPolicy(self.arm_guard),
            ],
            connection_verify=verify,
            **timeouts,
        )
        self._retry = retry

    def close(self) -> None:
        with self._reader_lock:
            reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()
        self.arg.close()
        self.arm.close()

    def reader(self) -> AsyncArmReader:
        """The one asynchronous pipeline for ARM reads (diagnostic settings, deployments): at most
        `diagnostics_workers` requests in flight, whichever phase sent them; started on first use."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = AsyncArmReader(
                    self.endpoint.arm_endpoint,
                    self._credential,
                    self.endpoint.token_scope,
                    guard=self.arm_guard,
                    verify=self._verify,
                    retry=self._retry,
                    translate=lambda exc: translate(exc, self.endpoint.arm_endpoint),
                    malformed=lambda what: QueryFailure(None, "MalformedResponse", what, True),
                    max_in_flight=self.diagnostics_workers,
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

    # -- ARM: diagnostic settings ---------------------------------------------------------------
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
