"""Bounds on live discovery: timeouts, the longest wait, a deadline, and a breaker for a failing service.

Nothing here talks to the network; `client` puts these into the azure-core pipeline as a per-retry
policy (`GuardPolicy`) and consults them before every sleep, so that no fault of the endpoint (an
endless `$skipToken`, a `Retry-After` of an hour, a read that never returns, a storm of 503s) can keep
a run alive without bound or in silence.

- Connect and read timeouts go to the transport (azure-core's defaults are 300 s each).
- `max_wait`: the longest single wait archgen accepts (Retry-After, `x-ms-user-quota-resets-after`,
  backoff). Past it the request fails as throttled (`WaitRefused`), at once.
- `deadline`: the discovery phase (every Resource Graph query and ARM read) ends by then or the run
  stops with exit status 5.
- `Health`: a service that has answered nothing but failures (429, 5xx, timeouts, resets) for
  `storm_seconds` (and at least `storm_failures` times) is declared failing: exit status 5, with why.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from azure.core.exceptions import AzureError as AzureCoreError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy

from archgen.errors import AzureError


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds of one run; every figure is configurable (LiveOptions, and the CLI for the main ones)."""

    connect_timeout: float = 10.0  # seconds to open a connection (TCP and TLS)
    read_timeout: float = 30.0  # seconds of silence accepted while reading an answer
    max_wait: float = 120.0  # the longest single wait for quota, Retry-After or backoff
    timeout: float | None = 1800.0  # the whole discovery phase; None = no deadline
    # pages of one query (1,000 rows each) before it is taken for a paging loop: 200,000 rows, far more
    # than any archgen query returns (the largest, the seed, holds one row per account)
    max_pages: int = 200
    storm_seconds: float = 60.0  # a service failing every request this long is declared failing
    storm_failures: int = 3  # ... and at least this many times in a row


class WaitRefused(Exception):
    """Azure asked for a wait longer than `Limits.max_wait`: the request fails as throttled."""

    def __init__(self, seconds: float, what: str, limit: float) -> None:
        super().__init__(seconds, what, limit)
        self.seconds = seconds
        self.what = what
        self.limit = limit

    def __str__(self) -> str:
        return (
            f"{self.what}: asked to wait {self.seconds:.0f} s, longer than the longest wait allowed "
            f"({self.limit:.0f} s, --max-wait)"
        )


def clock_text(seconds_from_now: float) -> str:
    """Wall-clock time `seconds_from_now` ahead, as HH:MM:SS UTC (for 'waiting ... until ...')."""
    at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds_from_now)
    return at.strftime("%H:%M:%S UTC")


@dataclass(slots=True)
class Deadline:
    """The end of the discovery phase (`--timeout`); `check` raises AzureError past it."""

    seconds: float | None
    clock: Callable[[], float] = time.monotonic
    start: float = 0.0

    def __post_init__(self) -> None:
        self.start = self.clock()

    def remaining(self) -> float:
        if self.seconds is None:
            return float("inf")
        return self.start + self.seconds - self.clock()

    def message(self, what: str) -> str:
        return f"discovery did not finish within {self.seconds:.0f} s (--timeout) while {what}"

    def check(self, what: str) -> None:
        if self.remaining() <= 0:
            raise AzureError(self.message(what))


@dataclass(slots=True)
class Health:
    """Consecutive failures of one service (Resource Graph, or ARM's reads), shared by its threads."""

    service: str
    endpoint: str
    limits: Limits
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    first_failure: float = 0.0
    last_reason: str = ""
    tripped: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self) -> None:
        with self.lock:
            self.failures = 0

    def failed(self, reason: str, started: float | None = None) -> None:
        """One more failure; `started` is when the failed attempt was sent (a timeout means the service
        has been silent since then), so the streak counts from there."""
        with self.lock:
            now = self.clock()
            if self.failures == 0:
                self.first_failure = now if started is None else min(started, now)
            self.failures += 1
            self.last_reason = reason
            self._trip_if_over(now - self.first_failure)

    def before_wait(self, seconds: float) -> None:
        """A retry is about to wait `seconds`: when the failure streak would then outlast the window,
        the service is declared failing now rather than after one more wait."""
        with self.lock:
            if self.failures:
                self._trip_if_over(self.clock() - self.first_failure + seconds)
        self.check()

    def _trip_if_over(self, span: float) -> None:
        if self.failures >= self.limits.storm_failures and span >= self.limits.storm_seconds:
            self.tripped = (
                f"{self.service} at {self.endpoint} is failing: {self.failures} requests in a row "
                f"over {self.clock() - self.first_failure:.0f} s got no answer but failures "
                f"(last: {self.last_reason})"
            )

    def check(self) -> None:
        if self.tripped:
            raise AzureError(self.tripped)


class Guard:
    """What every request and every wait of one service consults: health, deadline, longest wait."""

    def __init__(
        self,
        health: Health,
        deadline: Deadline,
        on_wait: Callable[[float, str], None] | None = None,
    ) -> None:
        self.health = health
        self.deadline = deadline
        self.limits = health.limits
        self.on_wait = on_wait

    def before_request(self) -> float:
        """Refuse to send when the service is failing or the deadline has passed; the attempt's start."""
        self.health.check()
        self.deadline.check(f"sending a request to {self.health.service}")
        return self.health.clock()

    def raised(self, exc: Exception, started: float) -> None:
        """An attempt that got no answer (a timeout, a reset)."""
        self.health.failed(type(exc).__name__ + ": " + str(exc).splitlines()[0][:120], started)

    def answered(self, status: int, started: float) -> None:
        """An attempt's answer: a failure status counts against the service's health."""
        if is_failure_status(status):
            self.health.failed(f"HTTP {status}", started)
        else:
            self.health.ok()

    def approve_wait(self, seconds: float, what: str) -> None:
        """Allow a wait of `seconds` for `what`, and say so; raise when it is too long or past the deadline."""
        if seconds > self.limits.max_wait:
            raise WaitRefused(seconds, what, self.limits.max_wait)
        self.health.before_wait(seconds)
        if seconds >= self.deadline.remaining():
            raise AzureError(self.deadline.message(f"waiting {seconds:.0f} s for {what}"))
        if self.on_wait is not None and seconds > 0:
            self.on_wait(seconds, what)

    def wait(self, seconds: float, what: str, sleep: Callable[[float], None] = time.sleep) -> None:
        self.approve_wait(seconds, what)
        if seconds > 0:
            sleep(seconds)


def is_failure_status(status: int) -> bool:
    """Answers that say the service is not serving: throttled, timed out, or failing."""
    return status in (408, 429) or status >= 500


class GuardPolicy(HTTPPolicy):  # type: ignore[type-arg]
    """A per-retry policy: refuses to send when the service is failing or the deadline has passed, and
    records every attempt's outcome (a failure status, a timeout or a reset) in the service's health."""

    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def send(self, request: PipelineRequest) -> PipelineResponse:  # type: ignore[type-arg]
        started = self.guard.before_request()
        try:
            response = self.next.send(request)
        except AzureCoreError as exc:
            self.guard.raised(exc, started)
            raise
        self.guard.answered(response.http_response.status_code, started)
        return response


def describe_wait(response: Any, seconds: float, service: str) -> str:
    """What a retry waits for, for the progress line: `Resource Graph retry after HTTP 429`."""
    status = getattr(getattr(response, "http_response", None), "status_code", None)
    return f"{service} retry after HTTP {status}" if status else f"{service} retry"
