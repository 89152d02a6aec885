"""ARM reads (diagnostic settings, model deployments) through azure-core's asynchronous pipeline (issue 14).

A run reads four ARM resources per workload. Through azure-core's synchronous pipeline over requests
each GET cost about 3.7 ms of client CPU, 40 % of the wall time of a 2,000-workload run. Here the same
kind of pipeline runs asynchronously over aiohttp (`AsyncARMPipelineClient`, `AioHttpTransport`): the
same credential (wrapped: its `get_token` runs in a worker thread, and the bearer policy caches the
token), the same ARM challenge-authentication policy, request-id, user-agent and content-decode
policies, and the run's bounds (`limits.Guard`: longest wait, deadline, failing-service breaker) in an
async retry policy and a per-retry guard policy. One event loop runs in one background thread; callers
get `concurrent.futures.Future`s, and at most `max_in_flight` requests are in flight at once.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

import aiohttp
from azure.core.credentials import AccessToken, TokenCredential
from azure.core.exceptions import AzureError as AzureCoreError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import (
    AsyncHTTPPolicy,
    AsyncRetryPolicy,
    HeadersPolicy,
    ProxyPolicy,
    RequestIdPolicy,
    UserAgentPolicy,
)
from azure.core.pipeline.transport import AioHttpTransport
from azure.core.rest import HttpRequest
from azure.mgmt.core import AsyncARMPipelineClient
from azure.mgmt.core.policies import AsyncARMChallengeAuthenticationPolicy

from archgen.discovery.limits import Guard, describe_wait

T = TypeVar("T")


def env_proxies(base_url: str) -> dict[str, str] | None:
    """The proxy for `base_url` from HTTPS_PROXY / NO_PROXY (the rules requests and urllib follow)."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    proxies = urllib.request.getproxies()
    if "https" not in proxies or urllib.request.proxy_bypass(host):
        return None
    return {"https": proxies["https"]}


def tls_context(verify: str | bool) -> ssl.SSLContext | bool:
    """aiohttp's `ssl` for a CA bundle path (a context built once), or True/False (verify or not)."""
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return bool(verify)


class AsyncCredential:
    """A synchronous TokenCredential seen as an AsyncTokenCredential: `get_token` runs in a thread."""

    def __init__(self, credential: TokenCredential) -> None:
        self.credential = credential

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return await asyncio.to_thread(self.credential.get_token, *scopes, **kwargs)

    async def close(self) -> None:
        return None

    async def __aenter__(self) -> AsyncCredential:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        return None


class AsyncBoundedRetryPolicy(AsyncRetryPolicy):  # type: ignore[type-arg]
    """azure-core's AsyncRetryPolicy whose every wait is approved by the run's Guard (see client)."""

    def __init__(self, guard: Guard, service: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.guard = guard
        self.service = service

    async def sleep(self, settings: dict[str, Any], transport: Any, response: Any = None) -> None:
        delay = (self.get_retry_after(response) if response is not None else None) or 0.0
        if not delay:
            delay = self.get_backoff_time(settings)
        if delay <= 0:
            return
        self.guard.approve_wait(delay, describe_wait(response, delay, self.service))
        await transport.sleep(delay)


class AsyncGuardPolicy(AsyncHTTPPolicy):  # type: ignore[type-arg]
    """The async twin of limits.GuardPolicy: refuse when failing or late; record each attempt."""

    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    async def send(self, request: PipelineRequest) -> PipelineResponse:  # type: ignore[type-arg]
        started = self.guard.before_request()
        try:
            response = await self.next.send(request)
        except AzureCoreError as exc:
            self.guard.raised(exc, started)
            raise
        self.guard.answered(response.http_response.status_code, started)
        return response


@dataclass(frozen=True, slots=True)
class ArmTarget:
    """Where and how the reader sends its GETs: ARM's endpoint, the token, TLS, retries, reads in flight."""

    base_url: str
    credential: TokenCredential
    token_scope: str
    verify: str | bool
    retry: dict[str, Any]
    max_in_flight: int


class AsyncArmReader:
    """GETs of ARM JSON documents on an event loop in a background thread."""

    def __init__(
        self,
        target: ArmTarget,
        guard: Guard,
        translate: Callable[[Exception], Exception],
        malformed: Callable[[str], Exception],
    ) -> None:
        self.translate = translate
        self.malformed = malformed
        base_url, credential, token_scope = target.base_url, target.credential, target.token_scope
        verify, retry, max_in_flight = target.verify, target.retry, target.max_in_flight
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="archgen-arm", daemon=True)
        self.thread.start()
        limits = guard.limits

        async def make() -> tuple[AsyncARMPipelineClient[Any, Any], asyncio.Semaphore]:
            # One TLS context for the run, on the connector: given a CA-bundle path, AioHttpTransport
            # would build a new SSLContext for every request (and aiohttp, whose connection pool is keyed
            # by the context, a new TLS connection): about 3 ms of CPU per GET instead of a fraction.
            # trust_env would make aiohttp read ~/.netrc and the proxy variables in a worker thread
            # for every request; the proxy is resolved once instead (ProxyPolicy below).
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=tls_context(verify)), trust_env=False
            )
            transport = AioHttpTransport(
                session=session,
                session_owner=True,
                connection_verify=True,
                connection_timeout=limits.connect_timeout,
                read_timeout=limits.read_timeout,
            )
            client: AsyncARMPipelineClient[Any, Any] = AsyncARMPipelineClient(
                base_url=base_url,
                policies=[
                    RequestIdPolicy(),
                    HeadersPolicy(),
                    ProxyPolicy(proxies=env_proxies(base_url)),
                    UserAgentPolicy(sdk_moniker="archgen"),
                    # no ContentDecodePolicy: get_json parses the body once, itself
                    AsyncBoundedRetryPolicy(guard, "Azure Resource Manager", **retry),
                    AsyncARMChallengeAuthenticationPolicy(AsyncCredential(credential), token_scope),
                    AsyncGuardPolicy(guard),
                ],
                transport=transport,
            )
            return client, asyncio.Semaphore(max(1, max_in_flight))

        self.client, self.slots = self.run(make()).result()

    def run(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        """Schedule `coro` on the reader's loop."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    async def get_json(self, url: str, what: str) -> Any:
        """The JSON body of `GET url`; raises what `translate` makes of azure-core's errors."""
        async with self.slots:
            try:
                response = await self.client.send_request(HttpRequest("GET", url))
                response.raise_for_status()
                await response.read()
                return response.json()
            except ValueError:
                raise self.malformed(f"{what} body is not JSON") from None
            except Exception as exc:
                raise self.translate(exc) from None

    async def _shutdown(self) -> None:
        """Cancel the reads still running (a run that stopped early) and close the transport."""
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.client.close()

    def close(self) -> None:
        if not self.loop.is_running():
            return
        try:
            self.run(self._shutdown()).result(timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()
