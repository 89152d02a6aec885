"""The generated project builds with Zensical too (Material for MkDocs' announced successor), strictly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archgen.pipeline import DiscoverOptions, discover


def test_generated_project_builds_with_zensical_strict(tmp_path: Path) -> None:
    discover(DiscoverOptions(sample="regulated-vwan", out_dir=tmp_path))
    exe = Path(sys.executable).parent / "zensical"
    proc = subprocess.run(
        [str(exe), "build", "--strict", "-f", "mkdocs.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (tmp_path / "site" / "workloads" / "aoai-claims-prod-weu" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "aoai-claims-prod-weu" in page and "aoai-claims-prod-weu.svg" in page
    assert (tmp_path / "site" / "shared-responsibility" / "index.html").is_file()
