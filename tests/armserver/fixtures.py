"""Shared pieces for the live-discovery tests: test CA, static token credential, server factory."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from azure.core.credentials import AccessToken

from .server import ArmServer, Tenant

TOKEN = "test-token"


class StaticToken:
    """A TokenCredential that hands out one fixed token, without any network access."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls += 1
        return AccessToken(self.token, int(time.time()) + 3600)


class Certificates:
    """A trustme CA and a server certificate for 127.0.0.1, written to files."""

    def __init__(self, directory: Path) -> None:
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        self.ca_bundle = str(directory / "ca.pem")
        self.cert_chain = str(directory / "server-chain.pem")
        self.key = str(directory / "server-key.pem")
        ca.cert_pem.write_to_path(self.ca_bundle)
        cert.private_key_pem.write_to_path(self.key)
        with open(self.cert_chain, "wb") as fh:
            for blob in cert.cert_chain_pems:
                fh.write(blob.bytes())


def make_certificates() -> Certificates:
    return Certificates(Path(tempfile.mkdtemp(prefix="armserver-")))


@pytest.fixture(scope="session")
def certificates() -> Certificates:
    return make_certificates()


@pytest.fixture
def arm_server(certificates: Certificates) -> Iterator[Callable[..., ArmServer]]:
    """Factory: `arm_server(tenant, quota=..., window=...)` starts a server; stopped and checked after the test.

    The check is the loud failure: a request or KQL shape the server was not taught fails the test
    even when archgen coped with the 400 it got (unless the test clears `server.unknown`).
    """
    started: list[ArmServer] = []

    def factory(tenant: Tenant, **kwargs: Any) -> ArmServer:
        kwargs.setdefault("quota", 1000)
        kwargs.setdefault("window", 5.0)
        server = ArmServer(tenant, (certificates.cert_chain, certificates.key), token=TOKEN, **kwargs).start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()
    unknown = [u for s in started for u in s.unknown]
    assert not unknown, "the test server was sent requests it was not taught:\n" + "\n".join(unknown)


def options(server: ArmServer, certificates: Certificates, **kwargs: Any) -> Any:
    """LiveOptions pointing at `server`, with a static token and fast retries.

    A test that turns the diagnostic-settings reads off (a Resource Graph test) turns the deployments
    reads off too unless it says otherwise, as the benchmark does: the paging tests' 10,000 accounts
    would otherwise cost 10,000 ARM reads they do not look at.
    """
    from archgen.discovery.live import LiveOptions

    kwargs.setdefault("deployments", kwargs.get("diagnostics", True))
    kwargs.setdefault("credential", StaticToken())
    kwargs.setdefault("retry_backoff_factor", 0.01)
    kwargs.setdefault("quiet", True)
    return LiveOptions(arm_endpoint=server.url, ca_bundle=certificates.ca_bundle, **kwargs)


def client(server: ArmServer, certificates: Certificates) -> Any:
    """archgen's own Azure client pointed at `server`, with a static token and fast retries."""
    from archgen.discovery.client import Azure, ClientSettings, resolve_endpoint

    settings = ClientSettings(verify=certificates.ca_bundle, retry_backoff_factor=0.01)
    return Azure(resolve_endpoint("public", server.url), StaticToken(), settings)
