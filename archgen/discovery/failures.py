"""A query or read that failed after the pipeline's retries, and azure-core's errors in archgen's words."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from azure.core.exceptions import AzureError as AzureCoreError
from azure.core.exceptions import (
    ClientAuthenticationError,
    DecodeError,
    DeserializationError,
    HttpResponseError,
    ServiceRequestError,
)

from archgen.discovery.limits import WaitRefused
from archgen.errors import AuthError, AzureError

AUTH_HINT = (
    "run 'az login' (and 'az account set'), or set AZURE_CLIENT_ID, AZURE_TENANT_ID and "
    "AZURE_CLIENT_SECRET for a service principal"
)


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


def _auth(exc: Any, endpoint: str) -> Exception:
    if getattr(exc, "status_code", None) == 401:
        code, _ = _error_parts(exc)
        return AuthError(f"Azure refused the token (HTTP 401 {code}); {AUTH_HINT}")
    # DefaultAzureCredential's message: a summary, "Attempted credentials:", one line per credential, a
    # troubleshooting link. Keep the summary and the credentials' reasons, on one line.
    text = [ln.strip() for ln in str(exc.message or exc).splitlines() if ln.strip()]
    kept = [ln for ln in text if ln != "Attempted credentials:" and not ln.startswith("To mitigate")]
    reason = " ".join(kept) or "no credential"
    return AuthError(f"Azure authentication failed ({reason[:300]}); {AUTH_HINT}")


def _http(exc: Any, endpoint: str) -> Exception:
    status = exc.status_code
    code, message = _error_parts(exc)
    if status == 401:
        return AuthError(f"Azure refused the token (HTTP 401 {code}); {AUTH_HINT}")
    return QueryFailure(status, code, message, retryable=status in (408, 429) or (status or 0) >= 500)


def _first_line(exc: Any) -> str:
    return str(getattr(exc, "message", None) or exc).splitlines()[0][:200]


# azure-core exception -> archgen's error, in order (ClientAuthenticationError is an HttpResponseError).
_TRANSLATIONS: tuple[
    tuple[type[BaseException] | tuple[type[BaseException], ...], Callable[[Any, str], Exception]], ...
] = (
    (ClientAuthenticationError, _auth),
    (WaitRefused, lambda e, _ep: QueryFailure(429, "Throttled", str(e), retryable=False)),
    (
        (DecodeError, DeserializationError),
        lambda e, _ep: QueryFailure(None, "MalformedResponse", _first_line(e), True),
    ),
    (HttpResponseError, _http),
    (
        ServiceRequestError,
        lambda e, ep: AzureError(f"cannot reach Azure Resource Manager at {ep}: {_first_line(e)}"),
    ),
    (AzureCoreError, lambda e, _ep: QueryFailure(None, type(e).__name__, _first_line(e), retryable=True)),
)


def translate(exc: Exception, endpoint: str) -> Exception:
    """Map an azure-core exception to an archgen error (auth, unreachable) or a QueryFailure."""
    for kinds, make in _TRANSLATIONS:
        if isinstance(exc, kinds):
            mapped: Exception = make(exc, endpoint)
            return mapped
    return exc
