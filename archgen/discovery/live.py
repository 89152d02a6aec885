"""Live discovery through Azure Resource Graph (issue 3): scope, credential, queries, snapshot.

Contract used by the CLI (`archgen.pipeline`): `discover(scope, options) -> Snapshot`. The expansion
is in `expand`, every network call in `client`; this module wires them and records the evidence. It
also reads each workload account's model deployments from ARM (Resource Graph does not hold them): a
read starts the moment the expansion finds the account, in the pool the diagnostic-settings reads use,
so it runs while the Resource Graph queries wait for their quota.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from azure.identity import DefaultAzureCredential

from archgen import __version__
from archgen.discovery.childkinds import (
    CHILD_KINDS,
    GATEWAY_KINDS,
    child_row,
)
from archgen.discovery.client import (
    ARG_API_VERSION,
    DEPLOYMENTS_API_VERSION,
    DIAGNOSTICS_API_VERSION,
    Azure,
    ClientSettings,
    Endpoint,
    Pacer,
    QueryFailure,
    connection_verify,
    raise_first_error,
    resolve_endpoint,
    translate,
)
from archgen.discovery.expand import Expander
from archgen.discovery.foundryreads import FoundryReads
from archgen.discovery.frontdoor_reads import FD_KINDS, PROFILE_KINDS, SECOND_ROUND, is_front_door
from archgen.discovery.frontier import (
    ACCOUNT,
    MAX_QUERY_CHARS,
    SUBSCRIPTION_BATCH,
    VAULT,
    WORKLOAD_KINDS,
    Result,
)
from archgen.discovery.kqltext import kql_string
from archgen.discovery.limits import Limits
from archgen.discovery.progress import Progress
from archgen.discovery.rows import gap, gap_key, row_key
from archgen.discovery.snapshot import SNAPSHOT_SCHEMA, Snapshot
from archgen.errors import ArchgenError, AuthError, UsageError
from archgen.model.ids import norm_id, parse_id
from archgen.model.types.mlhub import TYPE as HUB_TYPE


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
    deployments: bool = True  # read each workload account's model deployments and content filters (ARM)
    keys: bool = True  # read each vault's keys through the management plane (ARM; type, size, expiry)
    quiet: bool = False
    credential: Any = None  # an azure.core.credentials.TokenCredential; None = DefaultAzureCredential
    # CA bundle path (or False/True); None = REQUESTS_CA_BUNDLE, else SSL_CERT_FILE, else the system's.
    ca_bundle: str | bool | None = None
    max_query_chars: int = MAX_QUERY_CHARS
    subscription_batch: int = SUBSCRIPTION_BATCH
    retry_total: int = 10
    retry_backoff_factor: float = 0.8
    page_attempts: int = 4
    diagnostics_workers: int = 8  # ARM reads in flight at once (diagnostic settings and deployments)
    # Bounds (archgen/discovery/limits.py): timeouts, the longest single wait, the deadline of the
    # discovery phase (--timeout), the page cap and the failing-service breaker.
    limits: Limits = field(default_factory=Limits)


class ChildReads:
    """ARM child lists of what the expansion finds (a workload account's model deployments and content
    filter policies, a vault's keys): one list read per parent and kind, started when asked."""

    def __init__(self, azure: Azure, kinds: frozenset[str]) -> None:
        self.azure = azure
        self.kinds = kinds
        self.pending: dict[tuple[str, str], Future[list[Any] | QueryFailure]] = {}

    def want(self, parent_id: str, what: str) -> None:
        if what in self.kinds and (parent_id, what) not in self.pending:
            self.pending[(parent_id, what)] = self.azure.submit_children(parent_id, what)

    def collect(self) -> tuple[list[dict[str, Any]], list[str], list[dict[str, str]], list[dict[str, Any]]]:
        """(rows, account ids whose deployments were read, warnings, coverage gaps), waiting for every read;
        AuthError/AzureError raise. A read Azure failed to answer (5xx, 429, timeout, malformed) is a gap; a
        403/404 is not."""
        rows: list[dict[str, Any]] = []
        collected: list[str] = []
        warnings: list[dict[str, str]] = []
        gaps: list[dict[str, Any]] = []
        raise_first_error(list(self.pending.values()))
        for parent_id, what in sorted(self.pending):
            value = self.pending[(parent_id, what)].result()
            code = CHILD_KINDS[what][1]
            if isinstance(value, QueryFailure):
                warnings.append(
                    {"code": code, "message": f"{what} of {parent_id} could not be read ({value})"}
                )
                if value.unanswered:
                    gaps.append(gap("arm", what.replace(" ", "_"), 0, str(value), [parent_id]))
                continue
            if what == "deployments":
                collected.append(parent_id)
            rows.extend(
                child_row(item, parent_id, what, i)
                for i, item in enumerate(value)
                if isinstance(item, Mapping)
            )
        return rows, collected, warnings, gaps


# kept for callers of the earlier name (benchmarks, tests)
def DeploymentReads(azure: Azure) -> ChildReads:
    return ChildReads(azure, frozenset({"deployments"}))


class _Expander(Expander):
    """The expansion, asking for a workload account's deployments as soon as the account is found."""

    def __init__(self, azure: Azure, child_reads: ChildReads | None, **kwargs: Any) -> None:
        super().__init__(azure, **kwargs)
        self.child_reads = child_reads
        self.foundry = (
            FoundryReads(azure) if child_reads is not None and "deployments" in child_reads.kinds else None
        )

    def run_hop(self) -> None:
        """A hop, then the Foundry reads that are done (all of them when the expansion would stop), so the
        next hop reads the resources their connections name."""
        super().run_hop()
        if self.foundry is not None:
            rows, warnings, gaps = self.foundry.harvest(wait=self.frontier.empty())
            for w in warnings:
                self.warn(w["code"], w["message"])
            self.incomplete.extend({**g, "hop": self.hop} for g in gaps)
            self.add_rows(rows)

    def extract(self, rid: str, row: Mapping[str, Any]) -> None:
        super().extract(rid, row)
        if self.child_reads is None or parse_id(rid) is None:
            return
        rtype = str(row.get("type") or "").lower()
        if rtype == ACCOUNT and str(row.get("kind") or "").lower() in WORKLOAD_KINDS:
            self.child_reads.want(rid, "deployments")
            self.child_reads.want(rid, "content filter policies")
            if self.foundry is not None and str(row.get("kind") or "").lower() == "aiservices":
                self.foundry.want(rid)
        elif rtype == VAULT:
            self.child_reads.want(rid, "vault keys")
        elif rtype == "microsoft.apimanagement/service":
            for what in GATEWAY_KINDS:
                self.child_reads.want(rid, what)
        elif is_front_door(rtype, row):
            for what in PROFILE_KINDS:
                self.child_reads.want(rid, what)
        elif rtype == HUB_TYPE and str(row.get("kind") or "").lower() in ("hub", "project"):
            self.child_reads.want(rid, "hub connections")


def merge_rows(rows: list[Any], extra: list[dict[str, Any]]) -> list[Any]:
    """`rows` plus the `extra` rows whose id is new, in the snapshot's order (lower-case id, type)."""
    seen = {norm_id(r.get("id")) for r in rows if isinstance(r, Mapping)}
    added = []
    for row in extra:
        rid = norm_id(row.get("id"))
        if rid and rid not in seen:
            seen.add(rid)
            added.append(row)
    return sorted([*rows, *added], key=row_key)


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


def _client(endpoint: Endpoint, credential: Any, options: LiveOptions, progress: Progress) -> Azure:
    settings = ClientSettings(
        verify=connection_verify(options.ca_bundle),
        retry_total=options.retry_total,
        retry_backoff_factor=options.retry_backoff_factor,
        page_attempts=options.page_attempts,
        diagnostics_workers=options.diagnostics_workers,
        limits=options.limits,
    )
    return Azure(endpoint, credential, settings, pacer=Pacer(), on_wait=progress.on_wait)


def _api_policies(
    azure: Azure, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str], list[dict[str, str]], list[dict[str, Any]]]:
    """The second round: the policy of each API Management API read in the first round (element names only)
    and the origins of each Front Door origin group."""
    reads = ChildReads(azure, frozenset(SECOND_ROUND.values()))
    for row in rows:
        if (what := SECOND_ROUND.get(str(row.get("type") or "").lower())) is not None:
            reads.want(str(row["id"]), what)
    return reads.collect() if reads.pending else ([], [], [], [])


def _expand(
    azure: Azure, scope: Scope, options: LiveOptions, progress: Progress
) -> tuple[Result, list[Any], list[str] | None]:
    """The expansion and the ARM child lists: (result, child rows, accounts whose deployments were read)."""
    kinds = (
        frozenset({"deployments", "content filter policies"} if options.deployments else ())
        | frozenset({"vault keys"} if options.keys else ())
        | set(GATEWAY_KINDS)
        | set(FD_KINDS)
        | {"hub connections"}
    )
    child_reads = ChildReads(azure, kinds) if kinds else None
    expander = _Expander(
        azure,
        child_reads,
        diagnostics=options.diagnostics,
        max_query_chars=options.max_query_chars,
        subscription_batch=options.subscription_batch,
        on_query=progress.on_query,
        on_rows=progress.on_rows,
    )
    result = expander.run(
        scope.subscriptions, scope.management_groups, scope.resource_groups, scope.tags, scope.accounts
    )
    if child_reads is None:
        return result, [], None
    if child_reads.pending:
        what = f"ARM child lists: deployments, content filters, vault keys, gateways ({len(child_reads.pending)})"
        progress.on_query(what, expander.hop)
    rows, read, warnings, gaps = child_reads.collect()
    if expander.foundry is not None:  # reads still out when the expansion ended at its seed
        late_rows, late_warnings, late_gaps = expander.foundry.harvest(wait=True)
        rows, warnings, gaps = [*rows, *late_rows], [*warnings, *late_warnings], [*gaps, *late_gaps]
        result.foundry_collected = sorted(expander.foundry.collected)
    api_rows, _, api_warnings, api_gaps = _api_policies(azure, rows)  # a second round: each API's policy
    rows, warnings, gaps = [*rows, *api_rows], [*warnings, *api_warnings], [*gaps, *api_gaps]
    result.warnings = sorted([*result.warnings, *warnings], key=lambda w: (w["code"], w["message"]))
    result.incomplete = sorted([*result.incomplete, *gaps], key=gap_key)
    return result, rows, read if options.deployments else None


def discover(scope: Scope, options: LiveOptions) -> Snapshot:
    """Query Azure Resource Graph (and ARM for diagnostic settings and the child lists) and return the
    run's snapshot."""
    validate(scope)
    _quiet_azure_loggers()
    endpoint = resolve_endpoint(options.cloud, options.arm_endpoint, options.token_scope)
    started = _now()
    own_credential = options.credential is None
    credential = options.credential if not own_credential else _default_credential(endpoint.authority_host)
    progress = Progress(options.quiet)
    azure = _client(endpoint, credential, options, progress)
    try:
        result, child_rows, deployments_collected = _expand(azure, scope, options, progress)
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
    rows = merge_rows(result.rows, child_rows)
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
        deployments_api_version=DEPLOYMENTS_API_VERSION if options.deployments else "",
        deployments_collected=deployments_collected,
        principals_collected=result.principals_collected,
        foundry_collected=result.foundry_collected,
        assessments_collected=result.assessments_collected,
        warnings=result.warnings,
        incomplete=result.incomplete,
        rows=rows,
        stats={
            **result.stats,
            "rows": len(rows),
            "deployments_requests": azure.deployment_requests,
            "api_version": ARG_API_VERSION,
        },
    )
