"""Run the test server in its own process (for the benchmark): `python -m tests.armserver --accounts N ...`.

Prints one JSON line `{"url": ..., "ca_bundle": ..., "rows": ...}` on stdout when it is listening,
then serves until stdin is closed, and prints its own counters as a last JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys

from .fixtures import make_certificates
from .server import ArmServer
from .tenant import generate


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.armserver")
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--quota", type=int, default=15)
    parser.add_argument("--window", type=float, default=5.0)
    args = parser.parse_args()
    tenant, _ = generate(args.accounts, args.resources, args.subscriptions)
    certs = make_certificates()
    server = ArmServer(tenant, (certs.cert_chain, certs.key), quota=args.quota, window=args.window).start()
    rows = len(tenant.resources) + len(tenant.dnsresources) + len(tenant.authorizationresources)
    print(json.dumps({"url": server.url, "ca_bundle": certs.ca_bundle, "rows": rows}), flush=True)
    sys.stdin.read()
    server.stop()
    arg = server.arg_requests()
    print(
        json.dumps(
            {
                "arg_requests": len(arg),
                "quota_429": server.quota_429,
                "diag_requests": sum(1 for e in server.log if e.kind == "diag"),
                "deployments_requests": len(server.deployment_requests()),
                "unknown": server.unknown,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
