"""The export for the review board: the site built with `mkdocs build --strict`, zipped into one file.

The bundle is built with `--no-directory-urls`, so every link points at an `.html` file and the site
works when unzipped and opened from disk (search needs a web server; everything else works offline).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from archgen.errors import OutputError
from archgen.publish import guard

BUNDLE_COMMENT = b"archgen site bundle"


def _is_archgen_bundle(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.comment == BUNDLE_COMMENT
    except (OSError, zipfile.BadZipFile):
        return False


def build_site(project_dir: Path, site_dir: Path, directory_urls: bool = True) -> None:
    """`mkdocs build --strict` in a subprocess (MkDocs keeps global state; a child keeps it away)."""
    config = project_dir / "mkdocs.yml"
    if not config.is_file():
        raise OutputError(f"{config} does not exist; run archgen discover --out {project_dir} first")
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--quiet",
        "-f",
        str(config),
        "-d",
        str(site_dir),
    ]
    cmd.append("--use-directory-urls" if directory_urls else "--no-directory-urls")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=project_dir)
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
        last = lines[-1].strip() if lines else f"exit status {proc.returncode}"
        raise OutputError(f"mkdocs build --strict failed for {config}: {last}")


def make_bundle(project_dir: Path, output: Path, force: bool = False) -> Path:
    """Build the site in `project_dir` and zip it into `output` (one folder inside); return `output`."""
    project_dir, output = Path(project_dir), Path(output)
    if output.exists() and not force and not _is_archgen_bundle(output):
        raise OutputError(
            f"{output} exists and is not an archgen bundle; choose another name or pass --force"
        )
    if output.is_dir():
        raise OutputError(f"{output} is a directory")
    # MkDocs copies what docs/ links to: a link out of the project would put outside files in the zip.
    guard.refuse_tree_links_out(project_dir, "docs")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".archgen-bundle-", dir=output.parent) as tmp:
            site = Path(tmp) / "site"
            build_site(project_dir, site, directory_urls=False)
            top = output.stem or "site"
            part = Path(tmp) / "bundle.zip"
            with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                zf.comment = BUNDLE_COMMENT
                for path in sorted(site.rglob("*")):
                    if path.is_file():
                        zf.write(path, f"{top}/{path.relative_to(site).as_posix()}")
            os.replace(part, output)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    return output
