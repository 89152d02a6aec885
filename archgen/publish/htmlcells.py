"""HTML table cells for the pages' bulky tables (issue 14: `mkdocs build` time).

A workload page's findings tables were Markdown tables whose cells escaped every special character as a
numeric character reference: Python-Markdown's inline processor then matched each reference one by one
(about 60 % of a workload page's conversion time). They are now raw HTML tables, which Python-Markdown
passes through untouched: text from Azure is escaped with `html_inline` (`& < >` and braces), archgen's own
Markdown prose (the catalogue's remediation) is converted here once per text, and only the cell holding
a link to another page stays Markdown (`markdown="span"`, md_in_html), so MkDocs still rewrites and
checks the link (`.md` to the built URL, with or without directory URLs).

A raw HTML table without a class gets Material's table styling like a Markdown one: Material's script
wraps every `table:not([class])` of the content in its scroll wrapper, and its stylesheet styles them.
"""

from __future__ import annotations

from functools import lru_cache

import markdown
from markupsafe import Markup

from archgen.publish.escape import BREAKS, as_markup, for_display, one_line

_PARAGRAPH = ("<p>", "</p>")
_DASH = as_markup("&#8212;")
# md_in_html makes the raw cells of a `markdown="1"` row etree elements; their text is not parsed as
# Markdown (AtomicString), but attr_list still reads a trailing `{: ... }` of a cell (or a leading one
# after an inline element) as attributes for it (`onclick=...`). Braces are written as references.
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
# One pass for a cell's text: line breaks to spaces (`one_line`), `& < >` escaped (`html.escape` without
# quotes), braces as references. tests/test_publish_html_tables.py compares it with that composition.
_CELL_TEXT = str.maketrans(
    {**dict.fromkeys(BREAKS, " "), "&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"}
)


@lru_cache(maxsize=512)
def _inline_html(text: str) -> str:
    out = markdown.markdown(text)
    if out.startswith(_PARAGRAPH[0]) and out.endswith(_PARAGRAPH[1]) and out.count("<p>") == 1:
        out = out[len(_PARAGRAPH[0]) : -len(_PARAGRAPH[1])]
    return one_line(out)


def trusted_html(value: str) -> Markup:
    """archgen's own one-line Markdown prose (catalogue text, never Azure's) as inline HTML, for a cell of
    a raw HTML table: the HTML Python-Markdown gives for it in a Markdown table cell (backticks become
    `<code>`), without the paragraph around it."""
    return as_markup(_inline_html(one_line(value)).translate(_BRACES))


def html_inline(value: object) -> Markup:
    """Text from Azure as element content in a raw HTML table (never an attribute value): shown as
    `for_display` gives it (invisible characters revealed, long values cut), on one line, with `& < >`
    escaped and braces as references. Quotes are inert in element content and stay as they are (the
    evidence's JSON is full of them)."""
    return as_markup(for_display(value).translate(_CELL_TEXT))


def html_cell(value: object) -> Markup:
    """`html_inline`, and a dash when the value is blank (a whole cell)."""
    text = html_inline(value)
    return text if text.strip() else _DASH
