"""Switching a staged site into place all or nothing, with a journal a crash cannot leave half-done.

The new tree (pages, diagrams, downloads, then `.archgen-manifest.json` and `mkdocs.yml`) is fully
written in a staging folder first. The commit then:

1. writes `.archgen-journal.json`: the staging and backup folders and every path it will touch;
2. for each file, renames the previous one (if any) into the backup folder, then the new one into place;
   files archgen no longer generates are renamed into the backup folder;
3. removes the journal: this is the commit point; then the backup and staging folders are removed.

Every step is a rename inside `--out`. If the process stops between 1 and 3 (an error, Ctrl-C, SIGKILL,
a power cut), the journal is still there: the same run rolls back at once when it can, and the next run
rolls back before doing anything else (`recover`). Rolling back puts every backed-up file back and
removes the new files it had moved in (recognised by their SHA-256), so the site is the previous one,
its manifest matching its files: archgen never refuses its own files after an interruption.

The journal is read as untrusted input: only paths `guard.generated_path` accepts (and the two top
files) and folder names of archgen's own prefixes are acted on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archgen.publish import guard

JOURNAL = ".archgen-journal.json"
JOURNAL_SCHEMA = "archgen.commit-journal/v1"
BACKUP_PREFIX = ".archgen-undo-"  # transient; user-facing backups of --force are .archgen-backup-*
STAGING_PREFIX = ".archgen-staging-"
TOP_FILES = (".archgen-manifest.json", "mkdocs.yml")
# Tests only: stop the commit after this many renames, by SIGKILL, SIGINT or an OSError.
FAULT_AFTER_ENV = "ARCHGEN_TEST_COMMIT_FAULT_AFTER"
FAULT_KIND_ENV = "ARCHGEN_TEST_COMMIT_FAULT"


@dataclass(frozen=True, slots=True)
class Move:
    path: str  # relative to --out
    sha256: str  # of the new content
    had_old: bool  # a file was there before


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _allowed(rel: object) -> bool:
    return rel in TOP_FILES or guard.generated_path(rel)


def _fault(step: int) -> None:
    """The test hook (see FAULT_AFTER_ENV): a controlled interruption in the middle of a commit."""
    after = os.environ.get(FAULT_AFTER_ENV)
    if after is None or step != int(after):
        return
    kind = os.environ.get(FAULT_KIND_ENV, "kill")
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "interrupt":
        raise KeyboardInterrupt
    raise OSError(30, "Read-only file system (test fault)")


def _fsync_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _move(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)


def _prune(out_dir: Path, rel: str) -> None:
    """Remove the folders a removed file leaves empty, up to (not including) `out_dir`."""
    parent = (out_dir / rel).parent
    while parent != out_dir and parent.is_dir() and not parent.is_symlink() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def commit(out_dir: Path, staging: Path, moves: list[Move], removals: list[str]) -> None:
    """Switch the staged files into place and remove `removals`, all or nothing (see the module doc)."""
    backup = out_dir / f"{BACKUP_PREFIX}{staging.name.removeprefix(STAGING_PREFIX)}"
    backup.mkdir()
    journal = {
        "schema": JOURNAL_SCHEMA,
        "staging": staging.name,
        "backup": backup.name,
        "moves": [{"path": m.path, "sha256": m.sha256, "had_old": m.had_old} for m in moves],
        "removals": removals,
    }
    _fsync_write(out_dir / JOURNAL, json.dumps(journal, indent=1).encode("utf-8"))
    try:
        step = 0
        for m in moves:
            target = out_dir / m.path
            if os.path.lexists(target):
                _move(target, backup / m.path)
                step += 1
                _fault(step)
            _move(staging / m.path, target)
            step += 1
            _fault(step)
        for rel in removals:
            _move(out_dir / rel, backup / rel)
            _prune(out_dir, rel)
            step += 1
            _fault(step)
    except BaseException:
        rollback(out_dir)
        raise
    (out_dir / JOURNAL).unlink()  # the commit point
    shutil.rmtree(backup, ignore_errors=True)


def _read_journal(out_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((out_dir / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("schema") == JOURNAL_SCHEMA else None


def _own_folder(out_dir: Path, name: object, prefix: str) -> Path | None:
    if not isinstance(name, str) or not name.startswith(prefix) or "/" in name or "\\" in name:
        return None
    path = out_dir / name
    return path if path.is_dir() and not path.is_symlink() else None


def rollback(out_dir: Path) -> bool:
    """Undo an unfinished commit recorded in the journal; False when there was none to undo."""
    journal_path = out_dir / JOURNAL
    if not os.path.lexists(journal_path):
        return False
    data = _read_journal(out_dir)
    if data is None:  # not a journal archgen wrote; leave it, it does not steer anything
        return False
    backup = _own_folder(out_dir, data.get("backup"), BACKUP_PREFIX)
    removals = [r for r in data.get("removals", []) if guard.generated_path(r)]
    moves = [m for m in data.get("moves", []) if isinstance(m, dict) and _allowed(m.get("path"))]
    for rel in reversed(removals):
        saved = backup / rel if backup is not None else None
        if saved is not None and os.path.lexists(saved) and not os.path.lexists(out_dir / rel):
            _move(saved, out_dir / rel)
    for m in reversed(moves):
        rel = str(m["path"])
        target = out_dir / rel
        saved = backup / rel if backup is not None else None
        if saved is not None and os.path.lexists(saved):
            _move(saved, target)
        elif (
            not m.get("had_old")
            and target.is_file()
            and not target.is_symlink()
            and _sha256(target) == m.get("sha256")
        ):
            target.unlink()
            _prune(out_dir, rel)
    journal_path.unlink()
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
    staging = _own_folder(out_dir, data.get("staging"), STAGING_PREFIX)
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)
    return True
