"""Live discovery is bounded (issue 13, items 9 and 10): every endpoint fault ends in bounded time, loudly.

The faults are injected into the loopback server (tests/armserver/faults.py); archgen's own client,
azure-core pipeline and policies run unchanged, with short limits so that the suite stays fast.
"""

from __future__ import annotations

import io
import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from archgen.discovery import live
from archgen.discovery.client import Azure, ClientSettings, QueryFailure, resolve_endpoint
from archgen.discovery.kqltext import load_query, render
from archgen.discovery.limits import Limits
from archgen.discovery.progress import Progress
from archgen.errors import AzureError
from tests.armserver import tenant as T
from tests.armserver.fixtures import Certificates, StaticToken, options
from tests.test_live_cli import run_cli

ACCOUNTS_QUERY = render(load_query("accounts"), scope_filters="")


def fast(**kwargs: Any) -> Limits:
    """Short limits for tests: sub-second timeouts, a breaker that trips after one second of failures."""
    base: dict[str, Any] = dict(
        connect_timeout=1.0, read_timeout=0.5, max_wait=120.0, storm_seconds=1.0, storm_failures=2
    )
    base.update(kwargs)
    return Limits(**base)


def azure_for(server: Any, certificates: Certificates, limits: Limits, **kwargs: Any) -> Azure:
    settings = ClientSettings(verify=certificates.ca_bundle, retry_backoff_factor=0.01, limits=limits)
    return Azure(resolve_endpoint("public", server.url), StaticToken(), settings, **kwargs)


def timed_discover(server: Any, certificates: Certificates, **kwargs: Any) -> tuple[Exception, float]:
    start = time.monotonic()
    with pytest.raises(AzureError) as caught:
        live.discover(live.Scope(), options(server, certificates, **kwargs))
    return caught.value, time.monotonic() - start


# -- endless paging ------------------------------------------------------------------------------


def test_repeated_skip_token_fails_the_query_as_a_paging_loop(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.skip_token_loop = "same"
    azure = azure_for(server, certificates, fast())
    try:
        with pytest.raises(QueryFailure) as caught:
            azure.query(ACCOUNTS_QUERY)
    finally:
        azure.close()
    assert caught.value.code == "PagingLoop" and "same $skipToken" in str(caught.value)
    assert len(server.arg_requests()) == 2, "the second page repeats the first token: stop there"


def test_endless_fresh_skip_tokens_stop_at_the_page_cap(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.skip_token_loop = "new"
    error, seconds = timed_discover(server, certificates, limits=fast(max_pages=5))
    assert "PagingLimit" in str(error) and "page cap is 5" in str(error)
    assert len(server.arg_requests()) == 5 and seconds < 10


# -- waits longer than allowed -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "value"),
    [("retry_after_next", "3600"), ("quota_reset_next", "01:00:00")],
)
def test_hour_long_throttling_wait_fails_as_throttled_at_once(
    arm_server: Any, certificates: Certificates, fault: str, value: str
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    setattr(server.faults, fault, 1)
    server.faults.retry_after = server.faults.quota_reset = value
    error, seconds = timed_discover(server, certificates, limits=fast())
    assert re.search(r"Throttled: Resource Graph .*asked to wait 3600 s", str(error)), str(error)
    assert "--max-wait" in str(error)
    assert seconds < 5 and len(server.arg_requests()) == 1, "no second request within the refused wait"


def test_max_wait_is_configurable(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.retry_after_next = 1
    server.faults.retry_after = "1"
    waits: list[tuple[float, str]] = []
    azure = azure_for(server, certificates, fast(max_wait=0.5), on_wait=lambda s, w: waits.append((s, w)))
    try:
        with pytest.raises(QueryFailure) as caught:
            azure.query(ACCOUNTS_QUERY)
    finally:
        azure.close()
    assert caught.value.code == "Throttled" and "asked to wait 1 s" in str(caught.value)
    assert waits == []


def test_accepted_wait_is_announced_with_what_it_waits_for(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.retry_after_next = 1
    server.faults.retry_after = "1"
    waits: list[tuple[float, str]] = []
    azure = azure_for(server, certificates, fast(), on_wait=lambda s, w: waits.append((s, w)))
    try:
        result = azure.query(ACCOUNTS_QUERY)
    finally:
        azure.close()
    assert result.rows and waits == [(1.0, "Resource Graph retry after HTTP 429")]


def test_long_wait_line_says_what_and_until_when() -> None:
    stream = io.StringIO()
    progress = Progress(stream=stream)
    progress.on_wait(1.0, "Resource Graph quota")  # short: only on the status line
    progress.on_wait(90.0, "Resource Graph quota (x-ms-user-quota-resets-after)")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        r"archgen: waiting 90\.0 s for Resource Graph quota \(x-ms-user-quota-resets-after\), "
        r"until \d\d:\d\d:\d\d UTC",
        lines[0],
    )


def test_quiet_progress_prints_no_wait_line() -> None:
    stream = io.StringIO()
    progress = Progress(quiet=True, stream=stream)
    progress.on_wait(90.0, "Resource Graph quota")
    assert stream.getvalue() == ""


# -- the deadline --------------------------------------------------------------------------------


def test_wait_past_the_deadline_ends_the_run_with_exit_5(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.retry_after_next = 1
    server.faults.retry_after = "5"
    error, seconds = timed_discover(server, certificates, limits=fast(timeout=2.0))
    assert error.exit_status == 5  # type: ignore[attr-defined]
    assert "did not finish within 2 s (--timeout)" in str(error) and "HTTP 429" in str(error)
    assert seconds < 3


# -- endpoints that do not answer, or only fail --------------------------------------------------


def test_hanging_diagnostic_settings_endpoint_exits_5_in_seconds(
    arm_server: Any, certificates: Certificates
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.hang_arm = True
    error, seconds = timed_discover(server, certificates, limits=fast())
    assert re.search(r"Azure Resource Manager at \S+ is failing: \d+ requests in a row", str(error))
    assert "ServiceResponseTimeoutError" in str(error) or "Timeout" in str(error)
    assert seconds < 15


def test_503_storm_after_the_seed_exits_5_in_seconds(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.storm_after = 1  # the seed is answered, every lookup meets a 503
    error, seconds = timed_discover(server, certificates, limits=fast(), diagnostics=False)
    assert re.search(r"Resource Graph at \S+ is failing: .*last: HTTP 503", str(error)), str(error)
    assert seconds < 15


def test_429_storm_exits_5_in_seconds(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.throttle_every = 1
    error, seconds = timed_discover(server, certificates, limits=fast())
    assert re.search(r"Resource Graph at \S+ is failing: .*last: HTTP 429", str(error)), str(error)
    assert seconds < 15


def test_arm_503_storm_exits_5_in_seconds(arm_server: Any, certificates: Certificates) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    server.faults.arm_fail_all = True
    error, seconds = timed_discover(server, certificates, limits=fast())
    assert re.search(r"Azure Resource Manager at \S+ is failing: .*last: HTTP 503", str(error)), str(error)
    assert seconds < 15


def test_endpoint_that_never_completes_the_handshake_exits_5_in_seconds(certificates: Certificates) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) but never speaks TLS
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"https://127.0.0.1:{silent.getsockname()[1]}"
        start = time.monotonic()
        with pytest.raises(AzureError) as caught:
            live.discover(
                live.Scope(),
                live.LiveOptions(
                    arm_endpoint=url,
                    ca_bundle=certificates.ca_bundle,
                    credential=StaticToken(),
                    retry_backoff_factor=0.01,
                    quiet=True,
                    limits=fast(connect_timeout=0.3, read_timeout=0.3),
                ),
            )
        seconds = time.monotonic() - start
    assert re.match(
        rf"Resource Graph at {re.escape(url)} is failing: \d+ requests in a row", str(caught.value)
    )
    assert "timed out" in str(caught.value) and seconds < 15


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--timeout", "0"),
        ("--timeout", "soon"),
        ("--timeout", "inf"),
        ("--max-wait", "-1"),
        ("--max-wait", "nan"),
    ],
)
def test_cli_refuses_a_bad_bound_with_exit_2(
    certificates: Certificates, tmp_path: Path, option: str, value: str
) -> None:
    result = run_cli(
        ["--arm-endpoint", "https://127.0.0.1:9", "--no-site", option, value],
        tmp_path,
        certificates,
        logged_in=True,
    )
    assert result.returncode == 2, result.stderr
    assert option in result.stderr and "Traceback" not in result.stderr
