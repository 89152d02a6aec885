"""Hardening (issue 13): pages stay bounded on large inputs; the graph document keeps everything."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from archgen.cli import main
from tests import factory as f


def _site(rows: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    source = tmp_path / "rows.json"
    source.write_text(json.dumps({"data": rows}))
    out = tmp_path / "review"
    argv = [
        "discover",
        "--from",
        str(source),
        "--out",
        str(out),
        "--json",
        str(tmp_path / "graph.json"),
        "-q",
    ]
    monkeypatch.setattr(sys, "argv", ["archgen", *argv])
    try:
        main()
    except SystemExit as exc:
        assert not exc.code
    return out


def _largest_page(out: Path) -> int:
    return max(p.stat().st_size for p in (out / "docs").rglob("*.md"))


def test_zone_with_20000_records_shows_only_the_workloads_own_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    others = [f.a_record(f"host{i}", (f"10.9.{i // 250}.{i % 250}",)) for i in range(20_000)]
    out = _site([*f.private_network(), *others], tmp_path, monkeypatch)
    workload = html.unescape(next((out / "docs" / "workloads").glob("*.md")).read_text())
    assert "aoai-test" in workload and "10.42.1.4" in workload
    assert "host17" not in workload
    assert "1 link(s) and 20001 A record(s), of which 0 and 20000 concern other resources" in workload
    assert _largest_page(out) < 100_000
    zone = next(
        n for n in json.loads((tmp_path / "graph.json").read_text())["nodes"] if n["id"] == f.ZONE_ID.lower()
    )
    assert len(zone["attributes"]["a_records"]) == 20_001


def test_20000_identical_warnings_are_aggregated_on_the_home_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = [
        {"id": f.rid("Microsoft.Web", "sites", f"app{i}"), "type": "microsoft.web/sites"}
        for i in range(20_000)
    ]
    out = _site([*f.private_network(), *bare], tmp_path, monkeypatch)
    home = html.unescape((out / "docs" / "index.md").read_text())
    assert home.count("| properties_ignored |") == 6  # five examples and the count
    assert "and 19995 more properties_ignored warning(s), 20000 in all" in home
    assert _largest_page(out) < 100_000
    warnings = json.loads((tmp_path / "graph.json").read_text())["warnings"]
    assert sum(1 for w in warnings if w["code"] == "properties_ignored") == 20_000


def test_a_one_megabyte_name_is_cut_on_pages_and_kept_whole_in_the_graph_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = f.private_network()
    rows[0]["name"] = "n" * 1_000_000
    out = _site(rows, tmp_path, monkeypatch)
    # Every finding row on the account's page shows the name cut to DISPLAY_MAX characters (46 controls, about
    # 2.6 kB a row): bounded by the catalogue, not by the name, which whole would make it 46 MB.
    assert _largest_page(out) < 200_000
    assert "characters; the full value is in graph.json" in html.unescape(
        (out / "docs" / "index.md").read_text()
    )
    nodes = json.loads((tmp_path / "graph.json").read_text())["nodes"]
    assert any(n["name"] == "n" * 1_000_000 for n in nodes)
