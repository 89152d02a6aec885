"""Live discovery through Azure Resource Graph (issue 3): scope, credential, queries, snapshot.

Contract used by the CLI (`archgen.pipeline`): `discover(scope, options) -> Snapshot`. The expansion
is in `expand`, every network call in `client`; this module wires them and records the evidence.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from azure.identity import DefaultAzureCredential

from archgen import __version__
from archgen.discovery.client import (
    ARG_API_VERSION,
    DIAGNOSTICS_API_VERSION,
    Azure,
    Pacer,
    connection_verify,
    resolve_endpoint,
    translate,
)
from archgen.discovery.expand import MAX_QUERY_CHARS, SUBSCRIPTION_BATCH, Expander, kql_string
from archgen.discovery.progress import Progress
from archgen.discovery.snapshot import SNAPSHOT_SCHEMA, Snapshot
from archgen.errors import ArchgenError, AuthError, UsageError
from archgen.model.ids import parse_id


@dataclass(frozen=True, slots=True)
class Scope:
    """What the user asked for; no field set = every subscription the caller can read."""

    subscriptions: tuple[str, ...] = ()
    management_groups: tuple[str, ...] = ()
    resource_groups: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    accounts: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "subscriptions": list(self.subscriptions),
            "management_groups": list(self.management_groups),
            "resource_groups": list(self.resource_groups),
            "tags": [[k, v] for k, v in self.tags],
            "accounts": list(self.accounts),
        }


@dataclass(frozen=True, slots=True)
class LiveOptions:
    cloud: str = "public"
    arm_endpoint: str | None = None
    token_scope: str | None = None
    diagnostics: bool = True
    quiet: bool = False
    credential: Any = None  # an azure.core.credentials.TokenCredential; None = DefaultAzureCredential
    # CA bundle path (or False/True); None = REQUESTS_CA_BUNDLE, else SSL_CERT_FILE, else the system's.
    ca_bundle: str | bool | None = None
    max_query_chars: int = MAX_QUERY_CHARS
    subscription_batch: int = SUBSCRIPTION_BATCH
    retry_total: int = 10
    retry_backoff_factor: float = 0.8
    page_attempts: int = 4
    diagnostics_workers: int = 8


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def validate(scope: Scope) -> None:
    """Refuse scope values that cannot be Azure names (before any network access)."""
    for value in (*scope.subscriptions, *scope.management_groups, *scope.resource_groups, *scope.accounts):
        if not value.strip():
            raise UsageError("an empty scope value was given")
        kql_string(value)
    for account in scope.accounts:
        if account.startswith("/") and parse_id(account) is None:
            raise UsageError(f"--account '{account}' is neither an account name nor a resource id")
    for key, value in scope.tags:
        if not key:
            raise UsageError("--tag needs KEY=VALUE with a non-empty KEY")
        kql_string(key)
        kql_string(value)


def _quiet_azure_loggers() -> None:
    """azure-identity logs each failed credential as a WARNING; without a handler Python prints it to
    stderr. archgen reports failures itself, in one line, so the azure loggers get a NullHandler."""
    logger = logging.getLogger("azure")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def _default_credential(authority: str) -> Any:
    try:
        return DefaultAzureCredential(authority=authority)
    except ValueError as exc:  # e.g. an invalid AZURE_TOKEN_CREDENTIALS value
        raise AuthError(f"{str(exc).splitlines()[0]}") from None


def discover(scope: Scope, options: LiveOptions) -> Snapshot:
    """Query Azure Resource Graph (and ARM for diagnostic settings) and return the run's snapshot."""
    validate(scope)
    _quiet_azure_loggers()
    endpoint = resolve_endpoint(options.cloud, options.arm_endpoint, options.token_scope)
    started = _now()
    own_credential = options.credential is None
    credential = options.credential if not own_credential else _default_credential(endpoint.authority_host)
    progress = Progress(options.quiet)
    pacer = Pacer(on_wait=progress.on_wait)
    azure = Azure(
        endpoint,
        credential,
        verify=connection_verify(options.ca_bundle),
        pacer=pacer,
        retry_total=options.retry_total,
        retry_backoff_factor=options.retry_backoff_factor,
        page_attempts=options.page_attempts,
        diagnostics_workers=options.diagnostics_workers,
    )
    expander = Expander(
        azure,
        diagnostics=options.diagnostics,
        max_query_chars=options.max_query_chars,
        subscription_batch=options.subscription_batch,
        on_query=progress.on_query,
        on_rows=progress.on_rows,
    )
    try:
        result = expander.run(
            scope.subscriptions, scope.management_groups, scope.resource_groups, scope.tags, scope.accounts
        )
    except ArchgenError:
        raise
    except Exception as exc:  # an azure-core error that escaped the client's translation
        mapped = translate(exc, endpoint.arm_endpoint)
        if mapped is exc:
            raise
        raise mapped from None
    finally:
        progress.close()
        azure.close()
        if own_credential and hasattr(credential, "close"):
            credential.close()
    return Snapshot(
        schema=SNAPSHOT_SCHEMA,
        archgen_version=__version__,
        cloud=endpoint.cloud,
        arm_endpoint=endpoint.arm_endpoint,
        token_scope=endpoint.token_scope,
        scope=scope.as_dict(),
        started_at=started,
        ended_at=_now(),
        queries=result.queries,
        diagnostics_api_version=DIAGNOSTICS_API_VERSION if options.diagnostics else "",
        diagnostics_collected=result.diagnostics_collected,
        warnings=result.warnings,
        rows=result.rows,
        stats={**result.stats, "api_version": ARG_API_VERSION},
    )
