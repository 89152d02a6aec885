"""`--redact`: no original id, private address, e-mail or chosen tag value in any output file, verdicts unchanged."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archgen.cli import main
from archgen.redact import Redactor
from tests import clirun
from tests import factory as fx

EMAIL = "alice.smith@contoso.com"
SECRET_TAG = "CC-4711-secret"
ORIGINALS = {
    fx.SUB,
    fx.HUB_SUB,
    fx.TENANT,
    fx.UAMI_PRINCIPAL,
    fx.UAMI_CLIENT,
    fx.SAI_PRINCIPAL,
    "10.42.1.4",
    "10.42.0.0",
    "10.42.1.0",
    "10.10.0.0",
    EMAIL,
    SECRET_TAG,
}


def _rows() -> list[dict[str, Any]]:
    rows = [
        *fx.private_network(),
        fx.vault(),
        fx.uami(),
        fx.storage(),
        fx.role(fx.UAMI_PRINCIPAL, fx.CRYPTO_USER, fx.VAULT),
        fx.diag(fx.ACCOUNT, [{"category": "Audit", "enabled": True}]),
        fx.workspace(),
        fx.vnet(fx.HUB_VNET, prefix="10.10.0.0/16", peer_to=(fx.VNET,)),
    ]
    rows[0]["identity"] = {
        **fx.UAMI_IDENTITY,
        "principalId": fx.SAI_PRINCIPAL,
        "type": "SystemAssigned,UserAssigned",
    }
    rows[0]["properties"]["encryption"] = fx.CMK
    rows[0]["tags"] = {"owner": EMAIL, "CostCenter": SECRET_TAG}
    return rows


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    code, _, err = clirun.run(argv, capsys, monkeypatch)
    return code, err


def _texts(path: Path) -> list[tuple[str, str]]:
    """(name, text) of a file, or of every member of a zip (bundle, XLSX)."""
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [(f"{path}!{n}", zf.read(n).decode("utf-8", "replace")) for n in zf.namelist()]
    return [(str(path), data.decode("utf-8", "replace"))]


def _verdicts(doc_path: Path) -> Counter[tuple[str, str]]:
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    return Counter((f["control"], f["status"]) for f in doc["findings"])


def test_no_original_value_is_left_in_any_output_and_verdicts_are_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "input" / "rows.json"
    source.parent.mkdir()
    source.write_text(json.dumps(_rows()), encoding="utf-8")
    out = tmp_path / "out"
    args = [
        "discover",
        "--from",
        str(source),
        "-q",
        "--redact",
        "--redact-salt",
        "s1",
        "--redact-tag",
        "costcenter",
    ]
    args += ["--out", str(out / "site"), "--json", str(out / "g.json"), "--findings-csv", str(out / "f.csv")]
    args += ["--findings-xlsx", str(out / "f.xlsx"), "--sarif", str(out / "f.sarif"), "--owner-tag", "owner"]
    code, err = run(args, capsys, monkeypatch)
    assert code == 0, err
    code, err = run(
        ["bundle", "--project", str(out / "site"), "-o", str(out / "review.zip")], capsys, monkeypatch
    )
    assert code == 0, err
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert {p.suffix for p in files} >= {
        ".json",
        ".csv",
        ".xlsx",
        ".sarif",
        ".md",
        ".svg",
        ".drawio",
        ".zip",
        ".yml",
    }
    leaks = [
        (name, value)
        for p in files
        for name, text in _texts(p)
        for value in ORIGINALS
        if value.lower() in text.lower()
    ]
    assert leaks == []
    plain = tmp_path / "plain.json"
    assert (
        run(
            ["discover", "--from", str(source), "-q", "--no-site", "--json", str(plain)], capsys, monkeypatch
        )[0]
        == 0
    )
    assert _verdicts(out / "g.json") == _verdicts(plain)
    unredacted = plain.read_text(encoding="utf-8")
    assert {fx.SUB, fx.UAMI_PRINCIPAL, "10.42.1.4", EMAIL} <= {v for v in ORIGINALS if v in unredacted}


def test_the_same_salt_gives_the_same_pseudonyms_and_another_salt_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "rows.json"
    source.write_text(json.dumps(_rows()), encoding="utf-8")

    def doc(salt: str) -> str:
        code, out = 0, ""
        monkeypatch.setattr(
            sys,
            "argv",
            [
                "archgen",
                "discover",
                "--from",
                str(source),
                "-q",
                "--no-site",
                "--json",
                "-",
                "--redact",
                "--redact-salt",
                salt,
            ],
        )
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr().out
        assert code == 0
        return out

    assert doc("a") == doc("a")
    assert doc("a") != doc("b")


def test_redact_tag_without_redact_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err = run(
        ["discover", "--sample", "quickstart", "--no-site", "-q", "--redact-tag", "owner"],
        capsys,
        monkeypatch,
    )
    assert code == 2 and err.count("\n") == 1


@given(a=st.integers(0, 2**24 - 1), b=st.integers(0, 2**24 - 1), bits=st.integers(8, 32))
def test_private_addresses_keep_their_shared_prefix_and_stay_private(a: int, b: int, bits: int) -> None:
    import ipaddress

    r = Redactor("salt")
    ip_a, ip_b = ipaddress.IPv4Address((10 << 24) | a), ipaddress.IPv4Address((10 << 24) | b)
    net = ipaddress.ip_network(f"{ip_a}/{bits}", strict=False)
    mapped_a, mapped_b = ipaddress.IPv4Address(r.text(str(ip_a))), ipaddress.IPv4Address(r.text(str(ip_b)))
    mapped_net = ipaddress.ip_network(r.text(f"{net.network_address}/{bits}"))
    assert mapped_a in ipaddress.ip_network("10.0.0.0/8")
    assert (ip_b in net) == (mapped_b in mapped_net)
    assert mapped_a in mapped_net
    assert (ip_a == ip_b) == (mapped_a == mapped_b)
