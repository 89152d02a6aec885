"""Switching a staged project into the output directory: conflicts, backups, manifest, mkdocs.yml, commit."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from archgen.errors import OutputError
from archgen.publish import commit, guard, owned
from archgen.publish.changes import with_changes_page
from archgen.publish.commit import Move
from archgen.publish.config import block_yaml, user_pages
from archgen.publish.inputs import ProjectOptions
from archgen.publish.pages import SiteModel


def _moves(out_dir: Path, staging: Path, files: dict[str, str], manifest: str, config: str) -> list[Move]:
    """What the commit renames into place: the pages and files, then the manifest, then mkdocs.yml."""
    moves = [Move(rel, sha, os.path.lexists(out_dir / rel)) for rel, sha in sorted(files.items())]
    for name, text in ((owned.MANIFEST, manifest), ("mkdocs.yml", config)):
        data = text.encode("utf-8")
        (staging / name).write_bytes(data)
        os.chmod(staging / name, 0o644)
        moves.append(Move(name, owned.sha256_bytes(data), os.path.lexists(out_dir / name)))
    return moves


def _conflicts(out_dir: Path, files: dict[str, str], previous: dict[str, str]) -> list[tuple[str, str]]:
    """Files archgen would replace that it did not write, or that were edited since."""
    problems = []
    for rel in files:
        state = owned.ownership(out_dir / rel, rel, previous)
        if state in ("foreign", "edited"):
            problems.append((rel, state))
    return problems


def _previous(out_dir: Path, warnings: list[str] | None) -> dict[str, str]:
    """The previous run's manifest, its untrusted entries reported and left out (never obeyed)."""
    rejected: list[str] = []
    previous = owned.read_manifest(out_dir, rejected)
    if warnings is not None and rejected:
        shown = ", ".join(repr(r) for r in sorted(rejected)[:5])
        more = f" and {len(rejected) - 5} more" if len(rejected) > 5 else ""
        warnings.append(
            f"{out_dir / owned.MANIFEST}: ignored {len(rejected)} entr{'y' if len(rejected) == 1 else 'ies'} "
            f"outside archgen's generated files ({shown}{more}); nothing there was touched"
        )
    return previous


def _refusal(out_dir: Path, problems: list[tuple[str, str]], config_problems: list[str]) -> str:
    """One line naming every file archgen would have to replace."""
    items = [
        f"{rel} ({'edited since archgen wrote it' if state == 'edited' else 'not written by archgen'})"
        for rel, state in problems
    ] + config_problems
    return (
        f"{out_dir}: {len(items)} conflict(s): {'; '.join(items)}; move them away or pass --force "
        "(replaced files are moved to a .archgen-backup-* folder first)"
    )


def install(out_dir: Path, staging: Path, site: SiteModel, opts: ProjectOptions) -> Path:
    """Move the staged project into `out_dir` all or nothing; return the path of its mkdocs.yml.

    Files archgen did not write (or that were edited since) are refused, or with --force moved to a
    backup first; the previous run's files that this run no longer writes are removed.
    """
    files = {
        p.relative_to(staging).as_posix(): owned.sha256_file(p)
        for p in sorted(staging.rglob("*"))
        if p.is_file()
    }
    previous = _previous(out_dir, opts.warnings)
    removals = sorted(
        rel for rel in set(previous) - set(files) if owned.ownership(out_dir / rel, rel, previous) == "owned"
    )
    guard.refuse_links_out(out_dir, [*files, *removals])
    merge = _merge_config(out_dir, files, previous, opts)
    config_text = merge.assemble(
        with_changes_page(
            block_yaml(site, user_pages(out_dir, set(files), previous), merge.user_keys),
            opts.changes is not None,
        )
    )
    try:
        moves = _moves(out_dir, staging, files, owned.manifest_text(files), config_text)
        commit.commit(out_dir, staging, moves, removals)
    except OSError as exc:
        raise OutputError(
            f"cannot write to {out_dir}: {exc.strerror or exc}; the previous site is unchanged"
        ) from None
    return out_dir / "mkdocs.yml"


def _merge_config(
    out_dir: Path, files: dict[str, str], previous: dict[str, str], opts: ProjectOptions
) -> owned.ConfigMerge:
    """Check for conflicts (refused, or backed up with --force) and read the user's mkdocs.yml."""
    config_path = out_dir / "mkdocs.yml"
    try:
        existing = config_path.read_text(encoding="utf-8") if config_path.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read {config_path}: {exc}") from None
    problems = _conflicts(out_dir, files, previous)
    config_problems = owned.config_conflicts(existing)
    if (problems or config_problems) and not opts.force:
        raise OutputError(_refusal(out_dir, problems, config_problems))
    merge = owned.ConfigMerge(existing, opts.force)
    if problems or config_problems:
        backed = [rel for rel, _ in problems] + (["mkdocs.yml"] if config_problems else [])
        folder = owned.backup_files(out_dir, backed, datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
        if folder is not None and opts.notes is not None:
            opts.notes.append(f"--force: moved {len(backed)} file(s) archgen replaced to {folder}")
    if opts.notes is not None:
        opts.notes.extend(merge.notes)
    return merge
