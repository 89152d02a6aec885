"""A page's table rows as Markdown rows, whether the page writes the table in Markdown or in raw HTML.

The workload pages' tables are raw HTML (`archgen.publish.htmlcells`, issue 14); tests that read a row of
a page's source compare it as `| a | b |`, the cells' content as written (tags kept, references unresolved).
"""

from __future__ import annotations

import re

_CELL = re.compile(r"<t[dh](?: [^>]*)?>(.*?)</t[dh]>")


def table_lines(text: str) -> list[str]:
    """The lines of `text`, each raw HTML table row (`<tr ...><td>a</td>...</tr>`, one a line) as `| a | ... |`."""
    out = []
    for line in text.splitlines():
        if line.startswith("<tr"):
            out.append("| " + " | ".join(_CELL.findall(line)) + " |")
        else:
            out.append(line)
    return out
