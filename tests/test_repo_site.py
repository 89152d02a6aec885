"""The repository's own mkdocs.yml carries the archgen block `make demo` writes: it must not drift."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from archgen.cli import main

REPO = Path(__file__).resolve().parent.parent
HAND_WRITTEN = (
    "cli.md",
    "diagram.md",
    "discovery.md",
    "extending.md",
    "graph-document.md",
    "input.md",
    "performance.md",
    "site.md",
)


def _block(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# >>> archgen"))
    end = next(i for i, line in enumerate(lines) if line.startswith("# <<< archgen"))
    return lines[start : end + 1]


def test_committed_mkdocs_block_is_what_the_demo_generates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    # the repository's hand-written pages (they appear in the nav under "Documentation")
    for page in HAND_WRITTEN:
        (tmp_path / "docs").mkdir(exist_ok=True)
        (tmp_path / "docs" / page).write_text(
            (REPO / "docs" / page).read_text(encoding="utf-8"), encoding="utf-8"
        )
    monkeypatch.setattr(
        sys, "argv", ["archgen", "discover", "--sample", "regulated-vwan", "--out", str(tmp_path), "-q"]
    )
    main()  # returns normally on success; a refusal would exit with status 4
    generated = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert _block(generated) == _block((REPO / "mkdocs.yml").read_text(encoding="utf-8")), (
        "run `make demo` (or archgen discover --sample regulated-vwan --out . --force) and commit mkdocs.yml"
    )
