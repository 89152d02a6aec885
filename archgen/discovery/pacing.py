"""Resource Graph's quota, read from its headers and honoured before each request; retries bounded by the run's limits."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy, RetryPolicy

from archgen.discovery.limits import Guard, describe_wait

# "x-ms-user-quota-remaining (int)", "x-ms-user-quota-resets-after (hh:mm:ss)":
# https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests
QUOTA_REMAINING = "x-ms-user-quota-remaining"
QUOTA_RESETS_AFTER = "x-ms-user-quota-resets-after"
# "When a security principal has access to more than 10,000 subscriptions within the tenant or management
# group query scope, the response is limited to the first 10,000 subscriptions and the
# x-ms-tenant-subscription-limit-hit header is returned as true" (same page).
SUBSCRIPTION_LIMIT_HIT = "x-ms-tenant-subscription-limit-hit"


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
