"""Hardening (issue 13): names with whitespace or invisible characters; rows that differ only in case."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.cli import main
from archgen.controls.engine import evaluate
from archgen.model.builder import build, iter_rows
from archgen.model.ids import norm_id
from archgen.render import describe, graphviz

SAMPLES = Path(__file__).resolve().parent.parent / "archgen" / "samples"
VNET = "vnet-aoai-claims-prod-weu"
HUB = "vhub-weu"
ACCOUNT = "aoai-claims-prod-weu"
INVISIBLE = "\u202e\u200b\u200d\u2066\ufeff"


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((SAMPLES / "regulated-vwan.json").read_text())["data"]
    return rows


def _renamed(value: Any, renames: dict[str, str]) -> Any:
    """Every string of the rows with each old name replaced (ids, names, references alike)."""
    if isinstance(value, str):
        for old, new in renames.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_renamed(v, renames) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, renames) for k, v in value.items()}
    return value


def _outcome(rows: list[dict[str, Any]]) -> tuple[int, set[tuple[str, str]], str]:
    graph = build(iter_rows(rows))
    findings = evaluate(graph)
    assert len(graph.workloads) == 1
    desc = describe.describe_workload(graph, findings, graph.workloads[0].id)
    dot = graphviz.to_dot(desc)
    statuses = {(f.control, f.status.value) for f in findings}
    return len(graph.workloads[0].members), statuses, dot


BASELINE = _outcome(_rows())
name_part = st.text(alphabet="ab-_. \t" + INVISIBLE, min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lead=st.sampled_from(["", " ", "  ", "\t"]), inner=name_part, trail=st.sampled_from(["", " ", " \t"]))
def test_names_with_whitespace_or_invisible_characters_build_the_same_workload(
    lead: str, inner: str, trail: str
) -> None:
    name = f"{lead}x{inner}x{trail}"
    rows = _renamed(_rows(), {VNET: f"vnet{name}", HUB: f"hub{name}"})
    members, statuses, dot = _outcome(rows)
    assert (members, statuses) == BASELINE[:2]
    assert not any(ch in dot for ch in INVISIBLE)
    for ch in set(INVISIBLE) & set(name):
        assert f"&lt;U+{ord(ch):04X}&gt;" in dot


def test_ids_differing_only_in_whitespace_around_segments_are_one_id() -> None:
    a = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/vhub /hubVirtualNetworkConnections/c"
    b = "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualhubs/vhub/hubvirtualnetworkconnections/c "
    assert norm_id(a) == norm_id(b)
    assert norm_id(" /subscriptions/s/resourceGroups/my rg ") == "/subscriptions/s/resourcegroups/my rg"


def test_spoofing_characters_are_shown_escaped_in_the_site_and_diagram(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spoof = "prod\u202egpj.exe\u200b"
    source = tmp_path / "rows.json"
    source.write_text(
        json.dumps({"data": _renamed(_rows(), {ACCOUNT: f"{ACCOUNT}{spoof}", VNET: f"{VNET} "})})
    )
    out = tmp_path / "review"
    monkeypatch.setattr(sys, "argv", ["archgen", "discover", "--from", str(source), "--out", str(out), "-q"])
    try:
        main()
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr().err
    pages = {p: p.read_text() for p in (out / "docs").rglob("*") if p.suffix in (".md", ".svg", ".drawio")}
    assert pages
    assert not [p for p, text in pages.items() if "\u202e" in text or "\u200b" in text]
    workload = next(t for p, t in pages.items() if p.parent.name == "workloads")
    assert "<U+202E>gpj.exe<U+200B>" in html.unescape(workload)
    svgs = [t for p, t in pages.items() if p.suffix == ".svg"]
    assert any("&lt;U+202E&gt;gpj.exe&lt;U+200B&gt;" in t for t in svgs)


# -- item 8: rows that differ only in case, with conflicting properties --------------------------------
def _conflicting_rows() -> list[dict[str, Any]]:
    from tests import factory as f

    enabled = f.account(pe_status="Approved", publicNetworkAccess="Enabled", disableLocalAuth=False)
    disabled = f.account(pe_status="Approved", publicNetworkAccess="Disabled", disableLocalAuth=True)
    disabled["id"] = disabled["id"].upper().replace("/SUBSCRIPTIONS/", "/subscriptions/")
    return [enabled, disabled, *f.private_network()[1:]]


def test_conflicting_rows_give_the_same_document_in_either_order() -> None:
    from archgen.controls.catalogue import load
    from archgen.document import dumps_graph

    rows = _conflicting_rows()
    docs = set()
    for ordered in (rows, [rows[1], rows[0], *rows[2:]]):
        graph = build(iter_rows(ordered))
        docs.add(dumps_graph(graph, evaluate(graph), load()))
    assert len(docs) == 1


def test_conflicting_rows_are_warned_with_the_differing_properties_and_their_findings_unknown() -> None:
    from tests import factory as f

    graph = build(iter_rows(_conflicting_rows()))
    warnings = [w for w in graph.warnings if w.code == "conflicting_rows"]
    assert len(warnings) == 1
    details = dict(warnings[0].details)
    assert details["resource"] == norm_id(f.ACCOUNT)
    assert set(details["properties"].split(", ")) == {"disablelocalauth", "publicnetworkaccess"}
    account_findings = {
        f_.control: f_.status.value for f_ in evaluate(graph) if f_.resource == norm_id(f.ACCOUNT)
    }
    assert account_findings and set(account_findings.values()) == {"unknown"}


def test_identical_rows_differing_only_in_id_case_are_plain_duplicates() -> None:
    from tests import factory as f

    a = f.account(pe_status="Approved", publicNetworkAccess="Disabled")
    b = json.loads(json.dumps(a))
    b["id"] = a["id"].lower()
    b["properties"]["publicNetworkAccess"] = "disabled"  # Azure's enum casing varies too
    graph = build(iter_rows([a, b, *f.private_network()[1:]]))
    assert not [w for w in graph.warnings if w.code == "conflicting_rows"]
    assert "unknown" not in {f_.status.value for f_ in evaluate(graph) if f_.control == "AOAI-NET-01"}
