"""Guards around an output directory: one run at a time, only paths archgen may touch, no symlink escapes.

- `OutputLock`: `.archgen-lock` in `--out`, held with an OS file lock (`fcntl.flock`, `msvcrt.locking`
  on Windows) for the whole write; the OS drops it when the process dies, so a lock left by a killed
  run is recovered by the next one. The file records the holder's pid for the loser's message.
- `generated_path`: whether a path (from a manifest or a journal, both untrusted: they come with a
  cloned repository) is a normalised relative path inside archgen's generated locations.
- `refuse_links_out`: a symlinked folder on the way to a generated file (`docs/` or `docs/workloads`
  pointing elsewhere) is refused, naming the link, before anything is written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from types import TracebackType

from archgen.errors import OutputError
from archgen.publish import sitepages

LOCK_NAME = ".archgen-lock"
# Where archgen writes in an output directory (relative, POSIX): these files, and these folders' files
# (from the page table, archgen.publish.sitepages).
GENERATED_FILES = sitepages.generated_files()
GENERATED_DIRS = sitepages.generated_dirs()
# File types that can carry archgen's generated marker; a file of these types lacking it is never archgen's.
MARKED_SUFFIXES = (".md", ".css", ".js")
# Folders only archgen writes to: files there that cannot carry a marker (diagrams, downloads) are
# archgen's when the manifest records their exact content.
UNMARKED_OK_DIRS = ("docs/diagrams/", "docs/downloads/")


def generated_path(rel: object) -> bool:
    """Whether `rel` is a normalised relative POSIX path to a file in archgen's generated locations."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        return False
    pure = PurePosixPath(rel)
    if pure.is_absolute() or pure.as_posix() != rel or any(p in ("", ".", "..") for p in rel.split("/")):
        return False
    if rel in GENERATED_FILES:
        return True
    return any(rel.startswith(d) and len(rel) > len(d) for d in GENERATED_DIRS)


def refuse_links_out(out_dir: Path, rels: Iterable[str]) -> None:
    """OutputError naming the first symlinked folder between `out_dir` and any of `rels`.

    Only the folders are checked: a generated file that is itself a symlink is replaced (renamed over),
    never written through, and the ownership check already refuses it as the user's.
    """
    root = out_dir.resolve()
    seen: set[str] = set()
    for rel in rels:
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            if sub in seen:
                continue
            seen.add(sub)
            path = out_dir / sub
            if path.is_symlink():
                target = os.readlink(path)
                raise OutputError(
                    f"{path} is a symbolic link (to {target}); archgen does not write through links "
                    "in --out: replace it with a folder"
                )
            if path.exists() and not path.resolve().is_relative_to(root):
                raise OutputError(f"{path} resolves outside {out_dir}; archgen writes only inside --out")


def refuse_tree_links_out(root: Path, sub: str) -> None:
    """OutputError for the first symlink under `root/sub` whose real path leaves `root` (bundle input)."""
    real_root = root.resolve()
    start = root / sub
    if start.is_symlink() and not start.resolve().is_relative_to(real_root):
        raise OutputError(f"{start} is a symbolic link out of {root}; archgen does not follow it")
    for folder, dirs, files in os.walk(start):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                raise OutputError(f"{path} is a symbolic link out of {root}; archgen does not follow it")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class OutputLock:
    """Exclusive use of an output directory by this process; OutputError when another run holds it."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        for _ in range(5):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except OSError as exc:
                raise OutputError(f"cannot lock {self.path}: {exc.strerror or exc}") from None
            if not _try_lock(fd):
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise OutputError(
                    f"another archgen run is writing here (pid {holder}): {self.path.parent}; "
                    "wait for it to finish"
                )
            try:  # the file may have been unlinked by the previous holder between our open and lock
                same = os.path.samestat(os.fstat(fd), os.stat(self.path, follow_symlinks=False))
            except OSError:
                same = False
            if not same:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            self.fd = fd
            return
        raise OutputError(f"cannot lock {self.path}: it keeps changing")

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)  # closing drops the OS lock
            self.fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
