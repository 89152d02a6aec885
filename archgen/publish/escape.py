"""Escaping text from Azure for each output language: Markdown text and table cells, HTML, titles, YAML.

Everything that came from Azure (names, tags, reasons quoting them, evidence values) goes through one of
these before it reaches a page. Markdown escaping uses numeric character references rather than
backslashes: a reference is inert in every Markdown construct (tables, links, emphasis, attribute lists)
and in raw HTML, and the browser shows the original character.
"""

from __future__ import annotations

import html
import re
import unicodedata

from markupsafe import Markup

# Characters with a meaning in Markdown or in the extensions the site enables (tables, attr_list,
# md_in_html, admonition, superfences) or in HTML. Each becomes a numeric character reference.
_MD_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|&:~^=$\"'")
_TITLE_UNSAFE = re.compile(r"[^\w .,:()/@+-]")
_SPACES = re.compile(r"\s+")
# Line breaks for `one_line`: the control characters (general category Cc: C0, DEL, C1, which includes
# NEL) and the line and paragraph separators (Zl, Zp). Cc is fixed by Unicode's stability policy; a
# test checks this class against unicodedata over every code point.
BREAKS = "".join(map(chr, (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)))
_ONE_LINE = str.maketrans(dict.fromkeys(BREAKS, " "))
_MD_TEXT = str.maketrans({**dict.fromkeys(BREAKS, " "), **{ch: f"&#{ord(ch)};" for ch in _MD_SPECIAL}})


def as_markup(text: str) -> Markup:
    """Mark text as finished output. Only for text built from escaped parts and archgen's own constants."""
    return Markup(text)  # noqa: S704 - the one place output is marked safe; callers escape what they embed


def one_line(text: str) -> str:
    """`text` with every control character and line break replaced by a space (they would end a table
    row or a raw HTML block)."""
    return text.translate(_ONE_LINE)


def md_text(value: object) -> Markup:
    """Inline Markdown that renders as exactly `value` (line breaks become spaces), never as markup."""
    return as_markup(str(value).translate(_MD_TEXT))


def md_cell(value: object) -> Markup:
    """A Markdown table cell that renders as exactly `value`: one cell, no markup; empty becomes a dash."""
    text = md_text(value)
    return text if text.strip() else Markup("&#8212;")


def html_text(value: object) -> Markup:
    """HTML text or attribute value: html.escape with quotes, on one line (a blank line ends a raw block)."""
    return as_markup(html.escape(one_line(str(value)), quote=True))


def safe_title(value: object, limit: int = 80) -> str:
    """Text for page titles and navigation entries, which MkDocs themes insert without escaping.

    Only letters, digits, spaces and `.,:()/@+-` survive; anything else becomes `_`.
    """
    text = _SPACES.sub(" ", one_line(str(value))).strip()
    text = _TITLE_UNSAFE.sub("_", text)
    return (text[: limit - 1] + "…") if len(text) > limit else (text or "untitled")


def trusted_md(value: str) -> Markup:
    """archgen's own Markdown prose (catalogue text): kept as Markdown, on one line, safe inside a table."""
    return as_markup(one_line(value).replace("|", "\\|"))


# -- display only: invisible characters and very long values (issue 13) ------------------------------
# Format characters (Unicode category Cf: bidi overrides and isolates such as U+202E, zero-width space,
# joiners, the BOM) change how a name looks without being seen: shown as `<U+202E>` so a name cannot
# spoof another. The graph document keeps the exact value.
# Characters of one value on a page (Azure's names are far shorter); the full value is in graph.json.
DISPLAY_MAX = 1000


def reveal_invisible(text: str) -> str:
    """`text` with every format character (category Cf) written visibly as `<U+XXXX>`."""
    if text.isascii():
        return text
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) == "Cf" else ch for ch in text)


def for_display(value: object, limit: int = DISPLAY_MAX) -> str:
    """A value as a page shows it: invisible characters revealed, cut at `limit` characters with a note."""
    text = reveal_invisible(str(value))
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters; the full value is in graph.json)"
