"""The export for the review board: the site built strictly, offline-capable, zipped into one file.

The bundle is built with `--no-directory-urls` and Material's `offline` plugin, so every link points at an
`.html` file and the site, search included, works when unzipped and opened from disk. Source maps are left
out; `inputs=False` leaves the raw export (the input files and the snapshot) out too. The site is built in
the system's temporary directory, never inside the project, and every path handed to MkDocs is absolute.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from archgen.errors import InputError, OutputError
from archgen.publish import guard
from archgen.publish.mkbuild import LOCAL_SHIM

BUNDLE_COMMENT = b"archgen site bundle"
# the raw export: input files as read and the live snapshot (tags, owner e-mails, principal ids)
RAW_EXPORT = ("downloads/input-*", "downloads/snapshot.json")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # a fixed time in every entry: same site, same bytes


def _is_archgen_bundle(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.comment == BUNDLE_COMMENT
    except (OSError, zipfile.BadZipFile):
        return False


def project_config(project_dir: Path) -> Path:
    """The absolute path of the project's mkdocs.yml; InputError (exit 2) when there is none."""
    project = Path(project_dir).expanduser().absolute()
    if not project.is_dir():
        raise InputError(
            f"{project_dir}: no such project directory; run archgen discover --out {project_dir}"
        )
    config = project / "mkdocs.yml"
    if not config.is_file():
        raise InputError(f"{config} does not exist; run archgen discover --out {project_dir} first")
    return config


def build_site(
    project_dir: Path,
    site_dir: Path,
    directory_urls: bool = True,
    offline: bool = False,
    exclude: tuple[str, ...] = (),
) -> None:
    """A strict MkDocs build in a child process (MkDocs keeps global state; a child keeps it away)."""
    config = project_config(project_dir)
    site = Path(site_dir).expanduser().absolute()
    cmd = [sys.executable, "-m", "archgen.publish.mkbuild", "--config", str(config), "--site-dir", str(site)]
    if not directory_urls:
        cmd.append("--no-directory-urls")
    if offline:
        cmd.append("--offline")
    for pattern in exclude:
        cmd += ["--exclude", pattern]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=config.parent, env=env)
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
        last = lines[-1].strip() if lines else f"exit status {proc.returncode}"
        raise OutputError(f"mkdocs build --strict failed for {config}: {last}")


def _members(site: Path, top: str) -> list[tuple[str, Path]]:
    """(name in the zip, file) for every file of the built site except source maps."""
    return [
        (f"{top}/{p.relative_to(site).as_posix()}", p)
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.name.endswith(".map")
    ]


def _write_zip(part: Path, members: list[tuple[str, Path]], extra: dict[str, bytes]) -> None:
    entries = sorted([(name, p.read_bytes()) for name, p in members] + list(extra.items()))
    with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.comment = BUNDLE_COMMENT
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def _check_output(output: Path, force: bool) -> None:
    if output.is_dir():
        raise OutputError(f"{output} is a directory")
    if output.exists() and not force and not _is_archgen_bundle(output):
        raise OutputError(
            f"{output} exists and is not an archgen bundle; choose another name or pass --force"
        )


def make_bundle(project_dir: Path, output: Path, force: bool = False, inputs: bool = True) -> Path:
    """Build the site in `project_dir` and zip it into `output` (one folder inside); return `output`.

    `inputs=False` leaves the raw export out (see RAW_EXPORT). Never reports success for a zip without
    the site's home page.
    """
    config = project_config(project_dir)
    output = Path(output).expanduser().absolute()
    _check_output(output, force)
    # MkDocs copies what docs/ links to: a link out of the project would put outside files in the zip.
    guard.refuse_tree_links_out(config.parent, "docs")
    shim = resources.files("archgen.publish").joinpath("templates", "assets", "iframe-worker-shim.js")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="archgen-bundle-") as tmp:
            site = Path(tmp) / "site"
            exclude = () if inputs else RAW_EXPORT
            build_site(config.parent, site, directory_urls=False, offline=True, exclude=exclude)
            top = output.stem or "site"
            members = _members(site, top)
            if not (site / "index.html").is_file():
                raise OutputError(f"mkdocs built no index.html from {config}; nothing to bundle")
            fd, part_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
            os.close(fd)
            part = Path(part_name)
            try:
                _write_zip(part, members, {f"{top}/{LOCAL_SHIM}": shim.read_bytes()})
                os.replace(part, output)
            finally:
                part.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    return output
