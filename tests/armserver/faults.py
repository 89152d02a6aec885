"""Endpoint faults the loopback server can inject (issue 13): what a misbehaving Azure does to a client.

Set on `server.faults` by a test. Resource Graph: an endless `$skipToken` (`skip_token_loop`: "same"
repeats one token, "new" sends a fresh one on every page forever), a 429 with a huge `Retry-After`
(`retry_after_next`) or a huge `x-ms-user-quota-resets-after` (`quota_reset_next`), a request that is
never answered (`hang_arg_next`), a connection reset (`reset_next`), a truncated page
(`truncate_next`: `resultTruncated: "true"`, or with `truncate_flag=False` only `count < totalRecords`
without `$skipToken`). ARM reads (diagnostic settings, deployments): never answered (`hang_arm`),
reset (`reset_arm`), a 503 storm (`arm_fail_all`), a 429 with `arm_retry_after`. Hanging handlers
wake when the server stops. Resource Graph faults start after `start_after` requests (0: at once), so
a test can let the seed through and break the lookups; `storm_after` (>= 0) answers every Resource
Graph request after that many with 503.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any


@dataclass
class Faults:
    start_after: int = 0
    arg_seen: int = 0
    storm_after: int = -1
    skip_token_loop: str = ""  # "" | "same" | "new"
    retry_after_next: int = 0
    retry_after: str = "3600"
    quota_reset_next: int = 0
    quota_reset: str = "01:00:00"
    hang_arg_next: int = 0
    reset_next: int = 0
    truncate_next: int = 0
    truncate_flag: bool = True
    hang_arm: bool = False
    reset_arm: bool = False
    arm_fail_all: bool = False
    arm_retry_after: str = ""
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def active(self) -> bool:
        return self.arg_seen > self.start_after

    def take(self, name: str) -> bool:
        """Consume one of a counted fault."""
        with self.lock:
            left = int(getattr(self, name))
            if left > 0:
                setattr(self, name, left - 1)
                return True
            return False


THROTTLED = {
    "error": {
        "code": "RateLimiting",
        "message": "Client application has been throttled and should not attempt to repeat the request "
        "until an amount of time has elapsed.",
    }
}


def reset(h: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP RST, without an answer."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()


def hang(faults: Faults) -> None:
    """Never answer (until the server stops)."""
    faults.stopping.wait(600)


def before_arg(server: Any, h: BaseHTTPRequestHandler, log: Callable[[int], None]) -> bool:
    """Apply a Resource Graph fault before the query is read; True when the request was dealt with.
    `log(status)` records it (0: no answer) before anything is sent."""
    f: Faults = server.faults
    with f.lock:
        f.arg_seen += 1
    unavailable = {"error": {"code": "ServiceUnavailable", "message": "try again"}}
    if 0 <= f.storm_after < f.arg_seen:
        log(503)
        server.send(h, 503, unavailable)
        return True
    if not f.active():
        return False
    if f.take("hang_arg_next"):
        log(0)
        hang(f)
    elif f.take("reset_next"):
        log(0)
        reset(h)
    elif f.take("retry_after_next"):
        log(429)
        server.send(h, 429, THROTTLED, {"Retry-After": f.retry_after})
    elif f.take("quota_reset_next"):
        log(429)
        headers = {"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": f.quota_reset}
        server.send(h, 429, THROTTLED, headers)
    else:
        return False
    return True


def shape_page(faults: Faults, response: dict[str, Any], token_for: Any, offset: int, size: int) -> None:
    """Make a page loop or arrive truncated."""
    if not faults.active():
        return
    if faults.skip_token_loop == "same":
        response["$skipToken"] = token_for(offset)
    elif faults.skip_token_loop == "new":
        response["$skipToken"] = token_for(offset + size)
    if faults.take("truncate_next"):
        data = response["data"]
        response["data"] = data[: len(data) // 2]
        response["count"] = len(response["data"])
        response["totalRecords"] = max(response["totalRecords"], len(data))
        response.pop("$skipToken", None)
        if faults.truncate_flag:
            response["resultTruncated"] = "true"


def before_arm(server: Any, h: BaseHTTPRequestHandler) -> bool:
    """Apply an ARM-read fault; True when the request was dealt with."""
    f: Faults = server.faults
    if f.hang_arm:
        hang(f)
        return True
    if f.reset_arm:
        reset(h)
        return True
    if f.arm_fail_all:
        server.send(h, 503, {"error": {"code": "ServiceUnavailable", "message": "try again"}})
        return True
    if f.arm_retry_after:
        server.send(h, 429, THROTTLED, {"Retry-After": f.arm_retry_after})
        return True
    return False
