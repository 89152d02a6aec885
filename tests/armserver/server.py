"""A loopback HTTPS server speaking Azure Resource Graph's and ARM's REST APIs over an in-memory tenant.

- `POST /providers/Microsoft.ResourceGraph/resources?api-version=...`: the QueryRequest body
  (`subscriptions`, `managementGroups`, `query`, `options{$top,$skipToken,resultFormat}`), answered
  with `{totalRecords, count, resultTruncated: "true"|"false", $skipToken?, data, facets}`; pages of at
  most `$top` (<= 1000) rows; quota headers `x-ms-user-quota-remaining` / `x-ms-user-quota-resets-after`
  on every answer, from a fixed window (by default 15 requests per 5 seconds).
- `GET {resourceId}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`.
- `GET {accountId}/deployments?api-version=2024-10-01`: `{"value": [...], "nextLink"?}` for an account
  in the inventory (paged when `deployments_page_size` is set), ARM's 404 `ResourceNotFound` /
  `ResourceGroupNotFound` body for an account that is not.

Switches (attributes, set by tests): `throttle_next` (429 RateLimiting without Retry-After),
`throttle_every`, `fail_next` (503), `malformed_next` (a 200 with a cut-off body), `forbidden`
(subscriptions answered 403 AuthorizationFailed), `forbidden_diagnostics` / `forbidden_deployments`
(lower-case resource / account ids whose diagnostic settings / deployments are answered 403),
`deployments_page_size` (deployments per page, 0 = one page), `invalid_query_marker` (a query
containing this text gets ARG's 400 BadRequest/InvalidQuery body). Any request or KQL shape the server was not taught is
answered 400 `UnknownQueryShape` and recorded in `unknown`; the test fixtures fail the test when
`unknown` is not empty, so the server fails loudly.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import ssl
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import faults as F
from . import kql

ARG_PATH = "/providers/microsoft.resourcegraph/resources"
DIAG_SUFFIX = "/providers/microsoft.insights/diagnosticsettings"
DEPLOYMENTS_API_VERSION = "2024-10-01"
# Other ARM child lists archgen reads: {accountId}/raiPolicies, {vaultId}/keys, {apimId}/backends, /apis,
# /policies and {apimId}/apis/{api}/policies, {profileId}/originGroups, /securityPolicies and
# {profileId}/originGroups/{g}/origins (one page each). Foundry (cognitiveservices 2025-06-01):
# {accountId}/projects, {accountId}/connections and {accountId}/projects/{name}/connections|capabilityHosts,
# keyed like the others by the lower-cased path.
CHILD_PATH = re.compile(
    r"(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/"
    r"(?:microsoft\.cognitiveservices/accounts/[^/]+/(?:raipolicies|projects|connections|projects/[^/]+/(?:connections|capabilityhosts))"
    r"|microsoft\.keyvault/vaults/[^/]+/keys"
    r"|microsoft\.apimanagement/service/[^/]+/(?:backends|apis|policies|apis/[^/]+/policies)"
    r"|microsoft\.cdn/profiles/[^/]+/(?:origingroups|securitypolicies|origingroups/[^/]+/origins)"
    r"|microsoft\.machinelearningservices/workspaces/[^/]+/connections))"
)
# A Foundry hub's connections: {workspaceId}/connections (machinelearningservices workspaceRP.json 2025-09-01).
ML_API = "2025-09-01"
APIM = "2022-08-01"
CHILD_API_VERSIONS = {
    "raipolicies": "2024-10-01",
    "keys": "2023-07-01",
    "projects": "2025-06-01",
    "connections": "2025-06-01",
    "capabilityhosts": "2025-06-01",
    "backends": APIM,
    "apis": APIM,
    "policies": APIM,
    # Front Door Standard/Premium (afdx.json 2024-09-01)
    "origingroups": "2024-09-01",
    "origins": "2024-09-01",
    "securitypolicies": "2024-09-01",
}
# {accountId}/deployments, matched on the lower-cased path.
DEPLOYMENTS_PATH = re.compile(
    r"(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.cognitiveservices/accounts/[^/]+)"
    r"/deployments"
)


@dataclass
class Tenant:
    """The in-memory inventory: rows per Resource Graph table, diagnostic settings, management groups."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    dnsresources: list[dict[str, Any]] = field(default_factory=list)
    authorizationresources: list[dict[str, Any]] = field(default_factory=list)
    resourcecontainers: list[dict[str, Any]] = field(default_factory=list)  # subscriptions (names)
    securityresources: list[dict[str, Any]] = field(default_factory=list)  # Defender plans (pricings)
    policyresources: list[dict[str, Any]] = field(default_factory=list)  # Azure Policy rows
    diagnostics: dict[str, list[dict[str, Any]]] = field(
        default_factory=dict
    )  # lower resource id -> settings
    management_groups: dict[str, set[str]] = field(default_factory=dict)  # mg name -> subscription ids
    # lower account id -> model deployments as ARM lists them (not in Resource Graph)
    deployments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # lower '{parent id}/raipolicies' or '{vault id}/keys' -> the items ARM lists (not in Resource Graph)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def table(self, name: str) -> list[dict[str, Any]]:
        return getattr(self, name)  # type: ignore[no-any-return]

    def all_rows(self) -> list[dict[str, Any]]:
        return [
            *self.resources,
            *self.dnsresources,
            *self.authorizationresources,
            *self.resourcecontainers,
            *self.securityresources,
            *self.policyresources,
        ]


@dataclass
class Logged:
    kind: str  # 'arg' | 'diag' | 'deployments' | 'other'
    status: int
    subscriptions: list[str] | None = None
    management_groups: list[str] | None = None
    query: str = ""
    skip_token: bool = False
    rows: int = 0
    shape: list[str] = field(default_factory=list)
    at: float = 0.0


class ArmServer:
    """Start with `start()` (or as a context manager); `url` is the ARM endpoint to give archgen."""

    def __init__(
        self,
        tenant: Tenant,
        cert_chain: tuple[str, str],
        *,
        quota: int = 15,
        window: float = 5.0,
        token: str = "test-token",
    ) -> None:
        self.tenant = tenant
        self.cert_chain = cert_chain
        self.quota = quota
        self.window = window
        self.token = token
        # switches
        self.throttle_next = 0
        self.throttle_every = 0
        self.fail_next = 0
        self.malformed_next = 0
        self.forbidden: set[str] = set()
        self.forbidden_children: set[str] = set()  # lower-case child list keys answered 403
        self.failing_children: set[str] = set()  # lower-case child list keys answered 503 (Azure failing)
        self.forbidden_diagnostics: set[str] = set()  # lower-case resource ids answered 403
        self.forbidden_deployments: set[str] = set()  # lower-case account ids answered 403
        self.deployments_page_size = 0  # deployments per page (nextLink); 0 = all in one page
        self.deployments_foreign_next_link = False  # nextLink on another host (a client must not follow)
        self.arm_delay = 0.0  # seconds each ARM GET (diagnostic settings, deployments) takes
        self.arm_in_flight = 0
        self.arm_in_flight_max = 0  # most ARM GETs answered at the same time
        self.invalid_query_marker: str | None = None
        self.page_cap = 1000
        self.subscription_limit_hit = False  # send x-ms-tenant-subscription-limit-hit: true
        self.faults = F.Faults()  # endpoint faults (faults.py)
        # records
        self.log: list[Logged] = []
        self.unknown: list[str] = []
        self.quota_429 = 0  # 429s the quota itself caused (a paced client never draws one)
        self.storm_429 = 0
        self._lock = threading.Lock()
        self._window_start = 0.0
        self._used = 0
        self._arg_count = 0
        self._results: dict[str, list[dict[str, Any]]] = {}
        self._index: dict[str, dict[str, dict[str, Any]]] = {}
        self._by_type: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self.reindex()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def reindex(self) -> None:
        for name in kql.TABLES:
            rows = self.tenant.table(name)
            self._index[name] = {str(r["id"]).lower(): r for r in rows}
            by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for r in rows:
                by_type[str(r.get("type", "")).lower()].append(r)
            self._by_type[name] = dict(by_type)

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"https://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self, port: int = 0) -> ArmServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm holds
            # the body back until the client's delayed ACK (about 40 ms per response on Linux).
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                server.handle(self, "POST")

            def do_GET(self) -> None:
                server.handle(self, "GET")

            def do_PUT(self) -> None:
                server.handle(self, "PUT")

            def do_DELETE(self) -> None:
                server.handle(self, "DELETE")

        httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        httpd.daemon_threads = True
        httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]  # resets
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*self.cert_chain)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="armserver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faults.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ArmServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- HTTP ----------------------------------------------------------------------------------
    def send(
        self,
        h: BaseHTTPRequestHandler,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def loud(self, h: BaseHTTPRequestHandler, what: str, entry: Logged | None = None) -> None:
        with self._lock:
            self.unknown.append(what)
            if entry is not None:
                entry.status = 400
                self.log.append(entry)
        self.send(
            h, 400, {"error": {"code": "UnknownQueryShape", "message": f"test server was not taught: {what}"}}
        )

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        parts = urlsplit(h.path)
        path = unquote(parts.path)
        params = parse_qs(parts.query)
        if h.headers.get("Authorization") != f"Bearer {self.token}":
            self.send(
                h,
                401,
                {"error": {"code": "AuthenticationFailed", "message": "missing or wrong bearer token"}},
            )
            return
        if method == "POST" and path.lower() == ARG_PATH:
            if not params.get("api-version"):
                self.loud(h, f"POST {h.path} without api-version")
                return
            self.handle_arg(h, body)
        elif method == "GET" and (
            path.lower().endswith(DIAG_SUFFIX)
            or DEPLOYMENTS_PATH.fullmatch(path.lower())
            or CHILD_PATH.fullmatch(path.lower())
        ):
            with self._lock:
                self.arm_in_flight += 1
                self.arm_in_flight_max = max(self.arm_in_flight_max, self.arm_in_flight)
            try:
                if self.arm_delay:
                    time.sleep(self.arm_delay)
                if not F.before_arm(self, h):
                    self.handle_arm_get(h, path, params)
            finally:
                with self._lock:
                    self.arm_in_flight -= 1
        else:
            self.loud(h, f"{method} {h.path}", Logged("other", 400))

    def handle_arm_get(self, h: BaseHTTPRequestHandler, path: str, params: dict[str, list[str]]) -> None:
        if path.lower().endswith(DIAG_SUFFIX):
            if params.get("api-version") != ["2021-05-01-preview"]:
                self.loud(h, f"GET {h.path}: unexpected api-version")
                return
            self.handle_diag(h, path[: -len(DIAG_SUFFIX)])
        elif m := DEPLOYMENTS_PATH.fullmatch(path.lower()):
            if params.get("api-version") != [DEPLOYMENTS_API_VERSION] or set(params) - {
                "api-version",
                "$skipToken",
            }:
                self.loud(h, f"GET {h.path}: unexpected api-version or parameter")
                return
            self.handle_deployments(h, path, m.group(1), params.get("$skipToken"))
        elif m := CHILD_PATH.fullmatch(path.lower()):
            segment = m.group(1).rsplit("/", 1)[-1]
            ml = "/microsoft.machinelearningservices/" in m.group(1)
            version = ML_API if ml else CHILD_API_VERSIONS[segment]
            if params.get("api-version") != [version] or set(params) != {"api-version"}:
                self.loud(h, f"GET {h.path}: unexpected api-version or parameter")
                return
            self.handle_children(h, m.group(1))
        else:
            self.loud(h, f"GET {h.path}")

    def handle_children(self, h: BaseHTTPRequestHandler, key: str) -> None:
        """A child list of a resource in the inventory (ARM's 404 ResourceNotFound for an unknown parent)."""
        parent = key.rsplit("/", 1)[0].split("/projects/", 1)[0]  # a project's list: its account must exist
        entry = Logged("children", 200, query=key)
        if key in self.forbidden_children:
            entry.status = 403
            with self._lock:
                self.log.append(entry)
            message = f"The client does not have authorization to perform action over scope '{key}'."
            self.send(h, 403, {"error": {"code": "AuthorizationFailed", "message": message}})
            return
        if key in self.failing_children:
            entry.status = 503
            with self._lock:
                self.log.append(entry)
            self.send(h, 503, {"error": {"code": "ServiceUnavailable", "message": "try again"}})
            return
        if self._index["resources"].get(parent) is None and key not in self.tenant.children:
            entry.status = 404
            with self._lock:
                self.log.append(entry)
            self.send(
                h,
                404,
                {"error": {"code": "ResourceNotFound", "message": f"The Resource '{parent}' was not found."}},
            )
            return
        items = self.tenant.children.get(key, [])
        entry.rows = len(items)
        with self._lock:
            self.log.append(entry)
        self.send(h, 200, {"value": items})

    def quota_headers(self, now: float) -> dict[str, str]:
        remaining = max(0, self.quota - self._used)
        left = max(0.0, self._window_start + self.window - now)
        secs = math.ceil(left)
        headers = {
            "x-ms-user-quota-remaining": str(remaining),
            "x-ms-user-quota-resets-after": f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}",
        }
        if self.subscription_limit_hit:
            headers["x-ms-tenant-subscription-limit-hit"] = "true"
        return headers

    def handle_arg(self, h: BaseHTTPRequestHandler, body: bytes) -> None:
        try:
            req = json.loads(body)
            text = req["query"]
        except (ValueError, KeyError, TypeError):
            self.loud(h, f"ARG body is not a QueryRequest: {body[:200]!r}")
            return
        subs = req.get("subscriptions")
        mgs = req.get("managementGroups")
        options = req.get("options") or {}
        entry = Logged("arg", 200, subs, mgs, text, bool(options.get("$skipToken")), at=time.monotonic())

        def log_fault(status: int) -> None:  # logged before the answer goes out: no race with the test
            entry.status = status
            with self._lock:
                self.log.append(entry)

        if F.before_arg(self, h, log_fault):
            return
        now = time.monotonic()
        with self._lock:
            self._arg_count += 1
            count = self._arg_count
            if now - self._window_start >= self.window:
                self._window_start, self._used = now, 0
            # switches that answer before the quota is consumed
            if self.throttle_next > 0 or (self.throttle_every and count % self.throttle_every == 0):
                self.throttle_next = max(0, self.throttle_next - 1)
                self.storm_429 += 1
                headers = {"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:00"}
                entry.status = 429
                self.log.append(entry)
                throttled = True
            elif self._used >= self.quota:
                self.quota_429 += 1
                headers = self.quota_headers(now)
                entry.status = 429
                self.log.append(entry)
                throttled = True
            else:
                self._used += 1
                headers = self.quota_headers(now)
                throttled = False
        if throttled:
            self.send(
                h,
                429,
                {
                    "error": {
                        "code": "RateLimiting",
                        "message": "Please provide below info when asking "
                        "for support: timestamp = now, correlationId = test.",
                        "details": [
                            {
                                "code": "RateLimiting",
                                "message": "Client application has been throttled and "
                                "should not attempt to repeat the request until an amount of time has elapsed. "
                                "Please see https://aka.ms/resourcegraph-throttling for help.",
                            }
                        ],
                    }
                },
                headers,
            )
            return
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                entry.status = 503
                self.log.append(entry)
                fail = "503"
            elif self.malformed_next > 0:
                self.malformed_next -= 1
                entry.status = 200
                self.log.append(entry)
                fail = "malformed"
            else:
                fail = ""
        if fail == "503":
            self.send(h, 503, {"error": {"code": "ServiceUnavailable", "message": "try again"}}, headers)
            return
        if fail == "malformed":
            self.send(
                h, 200, None, headers, raw=b'{"totalRecords": 12, "count": 12, "data": [{"id": "/subscr'
            )
            return
        if self.invalid_query_marker and self.invalid_query_marker in text:
            entry.status = 400
            with self._lock:
                self.log.append(entry)
            self.send(
                h,
                400,
                {
                    "error": {
                        "code": "BadRequest",
                        "message": "Please provide below info when asking for support: timestamp = now, correlationId = t.",
                        "details": [
                            {
                                "code": "InvalidQuery",
                                "message": "Query is invalid. Please refer to the documentation for "
                                "the Azure Resource Graph service and fix the query before resubmitting.",
                            },
                            {
                                "code": "ParserFailure",
                                "message": "ParserFailure",
                                "line": 2,
                                "characterPositionInLine": 8,
                            },
                        ],
                    }
                },
                headers,
            )
            return
        members = (subs or []) + [
            s for mg in (mgs or []) for s in self.tenant.management_groups.get(mg, set())
        ]
        denied = sorted(s for s in members if s.lower() in self.forbidden)
        if denied:
            entry.status = 403
            with self._lock:
                self.log.append(entry)
            self.send(
                h,
                403,
                {
                    "error": {
                        "code": "AuthorizationFailed",
                        "message": "The client does not have "
                        f"authorization to perform action 'Microsoft.ResourceGraph/resources/read' over scope "
                        f"'/subscriptions/{denied[0]}'.",
                    }
                },
                headers,
            )
            return
        top = options.get("$top")
        if not isinstance(top, int) or not 1 <= top <= 1000:
            self.loud(h, f"$top must be 1..1000, got {top!r}", entry)
            return
        if options.get("resultFormat", "objectArray") != "objectArray":
            self.loud(h, f"resultFormat {options.get('resultFormat')!r}", entry)
            return
        try:
            query = kql.parse(text)
        except (kql.UnknownShape, IndexError) as exc:
            self.loud(h, f"KQL: {exc}\n{text}", entry)
            return
        entry.shape = [query.table, *query.shape]
        key = hashlib.sha256(json.dumps([text, subs, mgs], sort_keys=True).encode()).hexdigest()[:16]
        token = options.get("$skipToken")
        offset = 0
        if token:
            try:
                decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
                offset = int(decoded["o"])
                if decoded["k"] != key:
                    raise ValueError("token for another query or scope")
            except (ValueError, KeyError, TypeError) as exc:
                self.loud(h, f"bad $skipToken ({exc})", entry)
                return
        with self._lock:
            cached = self._results.get(key)
        if cached is None or not token:
            cached = self.evaluate(query, subs, mgs)
            with self._lock:
                self._results[key] = cached
        size = min(top, self.page_cap)
        page = cached[offset : offset + size]
        more = offset + size < len(cached)
        entry.rows = len(page)
        with self._lock:
            self.log.append(entry)
        response: dict[str, Any] = {
            "totalRecords": len(cached),
            "count": len(page),
            "resultTruncated": "false",
            "data": page,
            "facets": [],
        }

        def token_for(at: int) -> str:
            return base64.urlsafe_b64encode(json.dumps({"k": key, "o": at}).encode()).decode()

        if more:
            response["$skipToken"] = token_for(offset + size)
        F.shape_page(self.faults, response, token_for, offset, size)
        self.send(h, 200, response, headers)

    def evaluate(
        self, query: kql.Query, subs: list[str] | None, mgs: list[str] | None
    ) -> list[dict[str, Any]]:
        if subs:
            allowed: set[str] | None = {s.lower() for s in subs}
        elif mgs:
            allowed = {s.lower() for mg in mgs for s in self.tenant.management_groups.get(mg, set())}
        else:
            allowed = None  # tenant scope: every subscription the caller can read
        if query.id_in is not None:
            index = self._index[query.table]
            candidates = [index[i] for i in sorted(query.id_in) if i in index]
        elif query.type_eq is not None:
            candidates = self._by_type[query.table].get(query.type_eq, [])
        else:
            candidates = self.tenant.table(query.table)

        def visible(row: dict[str, Any]) -> bool:
            sub = str(row.get("subscriptionId", "")).lower()
            if sub in self.forbidden:
                return False
            return allowed is None or sub in allowed

        return query.run(r for r in candidates if visible(r))

    def handle_diag(self, h: BaseHTTPRequestHandler, resource_id: str) -> None:
        rid = resource_id.lower().rstrip("/")
        entry = Logged("diag", 200, query=rid)
        sub = rid.split("/")[2] if rid.startswith("/subscriptions/") else ""
        if sub in self.forbidden or rid in self.forbidden_diagnostics:
            entry.status = 403
            with self._lock:
                self.log.append(entry)
            self.send(h, 403, {"error": {"code": "AuthorizationFailed", "message": f"no access to {rid}"}})
            return
        if rid not in self._index["resources"]:
            entry.status = 404
            with self._lock:
                self.log.append(entry)
            self.send(h, 404, {"error": {"code": "ResourceNotFound", "message": f"{rid} was not found"}})
            return
        settings = self.tenant.diagnostics.get(rid, [])
        entry.rows = len(settings)
        with self._lock:
            self.log.append(entry)
        self.send(h, 200, {"value": settings})

    def handle_deployments(
        self, h: BaseHTTPRequestHandler, path: str, account: str, skip: list[str] | None
    ) -> None:
        entry = Logged("deployments", 200, query=account, skip_token=bool(skip))
        parts = account.split("/")
        sub, rg, name = parts[2], parts[4], parts[-1]
        if sub in self.forbidden or account in self.forbidden_deployments:
            entry.status = 403
            with self._lock:
                self.log.append(entry)
            self.send(
                h,
                403,
                {
                    "error": {
                        "code": "AuthorizationFailed",
                        "message": f"The client '00000000-0000-0000-0000-000000000000' with object id "
                        f"'00000000-0000-0000-0000-000000000000' does not have authorization to perform "
                        f"action 'Microsoft.CognitiveServices/accounts/deployments/read' over scope "
                        f"'{account}/deployments' or the scope is invalid. If access was recently granted, "
                        f"please refresh your credentials.",
                    }
                },
            )
            return
        row = self._index["resources"].get(account)
        if row is None or str(row.get("type", "")).lower() != "microsoft.cognitiveservices/accounts":
            entry.status = 404
            with self._lock:
                self.log.append(entry)
            rg_known = any(
                str(r.get("subscriptionId", "")).lower() == sub
                and str(r.get("resourceGroup", "")).lower() == rg
                for r in self.tenant.resources
            )
            error = (
                {
                    "code": "ResourceNotFound",
                    "message": f"The Resource 'Microsoft.CognitiveServices/accounts/{name}' under resource "
                    f"group '{rg}' was not found. For more details please go to "
                    f"https://aka.ms/ARMResourceNotFoundFix",
                }
                if rg_known
                else {
                    "code": "ResourceGroupNotFound",
                    "message": f"Resource group '{rg}' could not be found.",
                }
            )
            self.send(h, 404, {"error": error})
            return
        items = self.tenant.deployments.get(account, [])
        offset = 0
        if skip:
            try:
                offset = int(skip[0])
                if not 0 < offset < len(items):
                    raise ValueError("out of range")
            except ValueError as exc:
                self.loud(h, f"bad deployments $skipToken {skip[0]!r} ({exc})", entry)
                return
        size = self.deployments_page_size or len(items) or 1
        page = items[offset : offset + size]
        body: dict[str, Any] = {"value": page}
        if offset + size < len(items):
            base = "https://arm.invalid" if self.deployments_foreign_next_link else self.url
            body["nextLink"] = (
                f"{base}{path}?api-version={DEPLOYMENTS_API_VERSION}&$skipToken={offset + size}"
            )
        entry.rows = len(page)
        with self._lock:
            self.log.append(entry)
        self.send(h, 200, body)

    # -- assertions helpers ------------------------------------------------------------------------
    def arg_requests(self) -> list[Logged]:
        return [e for e in self.log if e.kind == "arg"]

    def deployment_requests(self) -> list[Logged]:
        return [e for e in self.log if e.kind == "deployments"]
