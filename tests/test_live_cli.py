"""`archgen discover` end to end against the loopback server, authenticated by the real AzureCliCredential.

DefaultAzureCredential is narrowed to AzureCliCredential with AZURE_TOKEN_CREDENTIALS (azure-identity
1.27 accepts 'dev', 'prod' or one credential's class name, case-insensitive:
azure/identity/_internal/utils.py process_credential_exclusions), so it never probes the managed
identity endpoint. A fake `az` on PATH prints what `az account get-access-token --output json` prints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.armserver import tenant as T
from tests.armserver.fixtures import TOKEN, Certificates

REPO = Path(__file__).resolve().parent.parent


def fake_az(directory: Path, *, logged_in: bool) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    az = directory / "az"
    if logged_in:
        token = json.dumps(
            {
                "accessToken": TOKEN,
                "expiresOn": time.strftime("%Y-%m-%d %H:%M:%S.000000", time.localtime(time.time() + 3600)),
                "expires_on": int(time.time()) + 3600,
                "subscription": T.sub_id(2),
                "tenant": T.TENANT_ID,
                "tokenType": "Bearer",
            }
        )
        az.write_text(f'#!/bin/sh\necho "$@" >> "{directory}/calls"\ncat <<\'EOF\'\n{token}\nEOF\n')
    else:
        az.write_text("#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n")
    az.chmod(0o755)
    return az


def run_cli(args: list[str], tmp_path: Path, certificates: Certificates, *, logged_in: bool) -> Any:
    bindir = tmp_path / "bin"
    fake_az(bindir, logged_in=logged_in)
    env = {
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "AZURE_TOKEN_CREDENTIALS": "AzureCliCredential",
        "REQUESTS_CA_BUNDLE": certificates.ca_bundle,
        "PYTHONPATH": str(REPO),
        "NO_PROXY": "127.0.0.1",
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        [sys.executable, "-c", "from archgen.cli import main; main()", "discover", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_discovers_with_the_azure_cli_login(
    arm_server: Any, certificates: Certificates, tmp_path: Path
) -> None:
    tenant, info = T.regulated()
    server = arm_server(tenant)
    out = tmp_path / "graph.json"
    snap_path = tmp_path / "evidence.json"
    result = run_cli(
        [
            "--arm-endpoint",
            server.url,
            "-s",
            info["w1"]["sub"],
            "--json",
            str(out),
            "--snapshot",
            str(snap_path),
            "--no-site",
            "--quiet",
        ],
        tmp_path,
        certificates,
        logged_in=True,
    )
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "bin" / "calls").read_text()
    assert f"account get-access-token --output json --resource {server.url}" in calls
    document = json.loads(out.read_text())
    assert [w["name"] for w in document["workloads"]] == ["oai-00001"]
    snap = json.loads(snap_path.read_text())
    assert snap["schema"] == "archgen.snapshot/v1" and snap["rows"]
    # replaying the snapshot without the network gives the same graph document, byte for byte
    replay = tmp_path / "replay.json"
    again = run_cli(
        ["--from", str(snap_path), "--json", str(replay), "--no-site", "--quiet"],
        tmp_path,
        certificates,
        logged_in=False,
    )
    assert again.returncode == 0, again.stderr
    assert replay.read_bytes() == out.read_bytes()


def test_cli_without_login_exits_3_with_a_hint(
    arm_server: Any, certificates: Certificates, tmp_path: Path
) -> None:
    tenant, _ = T.regulated()
    server = arm_server(tenant)
    result = run_cli(
        ["--arm-endpoint", server.url, "--json", str(tmp_path / "g.json"), "--no-site"],
        tmp_path,
        certificates,
        logged_in=False,
    )
    assert result.returncode == 3, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "az login" in lines[0] and "Traceback" not in result.stderr
    assert not server.arg_requests()
