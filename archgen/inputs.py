"""What `--from` names: files, directories (their `*.json` files) and glob patterns, expanded once, sorted."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from archgen.errors import InputError

_GLOB_CHARS = set("*?[")


def expand_inputs(items: Sequence[Path]) -> list[Path]:
    """Each item as given when it is a file; a directory's `*.json` files; a pattern's matches.

    Order: the items' order, each expansion sorted by name; a file named twice is read once.
    InputError (exit 2) for a directory without JSON files or a pattern that matches nothing.
    """
    out: list[Path] = []
    for item in items:
        text = str(item)
        if item.is_dir():
            found = sorted(p for p in item.glob("*.json") if p.is_file())
            if not found:
                raise InputError(f"{text}: directory holds no *.json file")
        elif not item.exists() and _GLOB_CHARS & set(text):
            found = sorted(Path(p) for p in glob.glob(text) if Path(p).is_file())
            if not found:
                raise InputError(f"{text}: no file matches this pattern")
        else:
            found = [item]
        out.extend(found)
    return list(dict.fromkeys(out))
