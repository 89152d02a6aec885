"""The site says when the data was true, not only when archgen ran, and how it knows."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from archgen.pipeline import DiscoverOptions, discover


def _home(out: Path) -> str:
    return html.unescape((out / "docs" / "index.md").read_text(encoding="utf-8"))


def test_exported_file_gives_its_modification_time_labelled_as_such(tmp_path: Path) -> None:
    export = tmp_path / "arg-export.json"
    sample = Path("archgen/samples/quickstart.json")
    export.write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(export, (1_767_225_600, 1_767_225_600))  # 2026-01-01T00:00:00Z
    result = discover(DiscoverOptions(from_files=[export], out_dir=tmp_path / "site"))
    assert result.run.data_as_of == (
        "2026-01-01T00:00:00Z (the input file's modification time: when it was exported, if untouched since)"
    )
    assert "2026-01-01T00:00:00Z" in _home(tmp_path / "site")


def test_replayed_snapshot_gives_its_own_discovery_start(tmp_path: Path) -> None:
    snap = {
        "schema": "archgen.snapshot/v1",
        "archgen_version": "0.1.0",
        "cloud": "public",
        "started_at": "2026-10-05T07:30:00.000Z",
        "ended_at": "2026-10-05T07:31:12.000Z",
        "rows": [json.loads(Path("archgen/samples/quickstart.json").read_text(encoding="utf-8"))],
    }
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(snap), encoding="utf-8")
    result = discover(DiscoverOptions(from_files=[path], out_dir=None))
    assert (
        result.run.data_as_of == "2026-10-05T07:30:00.000Z (the replayed snapshot's live discovery started)"
    )


def test_sample_says_it_is_sample_data(tmp_path: Path) -> None:
    result = discover(DiscoverOptions(sample="quickstart", out_dir=None))
    assert result.run.data_as_of == "embedded sample data"
