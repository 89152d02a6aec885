"""Make Graphviz's SVG self-contained and reproducible: icons as data URIs, no paths, no comments.

Graphviz writes `<image xlink:href="/abs/path/icon.png">` for every icon (so the SVG breaks on any other
machine), a DOCTYPE pointing at w3.org, and comments naming its version. Icons we drew are replaced by
`data:image/png;base64,...`; any other image reference is dropped; comments and the DOCTYPE go.
"""

from __future__ import annotations

import base64
import functools
import html
import re
from collections.abc import Iterable
from pathlib import Path

_IMAGE_HREF = re.compile(r'(<image\b[^>]*?\s)(?:xlink:)?href="([^"]*)"')
_IMAGE_ELEMENT = re.compile(r"<image\b[^>]*/>")
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL)


@functools.cache
def data_uri(path: Path) -> str:
    """An icon as a data URI (icons are package files: read and encoded once per process)."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def self_contained(svg: str, icon_files: Iterable[Path]) -> str:
    """The SVG with every known icon embedded and every other image reference removed."""
    uris = {str(p): data_uri(p) for p in sorted(set(icon_files))}

    def embed(match: re.Match[str]) -> str:
        uri = uris.get(html.unescape(match.group(2)))
        return f'{match.group(1)}xlink:href="{uri}"' if uri else f'{match.group(1)}data-dropped="1"'

    out = _COMMENT.sub("", _DOCTYPE.sub("", svg))
    out = _IMAGE_HREF.sub(embed, out)
    out = _IMAGE_ELEMENT.sub(lambda m: "" if 'data-dropped="1"' in m.group(0) else m.group(0), out)
    return out
