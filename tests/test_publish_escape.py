"""Escaping for the site: text from Azure renders as itself, never as Markdown or HTML structure."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import UndefinedError

from archgen.publish.config import MARKDOWN_EXTENSIONS
from archgen.publish.escape import md_cell, md_text, one_line, safe_title
from archgen.publish.templating import environment, external_url, fenced, site_path

HOSTILE = [
    "<script>alert(1)</script>",
    "| a | b |",
    "*bold* _it_ **x**",
    "[link](https://evil.example)",
    "![img](x.png)",
    "`code`",
    "{{ jinja }} {% raw %} {% endraw %}",
    "\"'><img src=x onerror=alert(2)>",
    "line1\nline2\r\n\tline3",
    "{: .cls #id onclick=alert(3) }",
    ":material-check: ==mark== ~~del~~ ^^ins^^ $math$",
    "&lt;already escaped&gt; &amp; &#124;",
    "# heading\n- item\n1. item",
    "<https://autolink.example>",
    "\\*backslash\\|",
]


def _extensions() -> list[object]:
    out: list[object] = []
    for ext in MARKDOWN_EXTENSIONS:
        out.append(next(iter(ext)) if isinstance(ext, dict) else ext)
    return out


class _Cells(HTMLParser):
    """Collect the body cells of the first table: their text, and any tag found inside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.tags_in_cells: list[str] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "td" and self._in_body:
            self._cell = []
        elif self._cell is not None:
            self.tags_in_cells.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _render_row(value: str) -> _Cells:
    source = f"| a | b | c |\n|---|---|---|\n| left | {md_cell(value)} | right |\n"
    parser = _Cells()
    parser.feed(markdown.markdown(source, extensions=_extensions()))
    return parser


def _expected(value: str) -> str:
    """What the cell shows: the text on one line, trimmed of spaces like Markdown does; blank shows a dash."""
    text = one_line(value)
    return text.strip(" ") if text.strip() else "—"


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_in_a_table_cell_is_one_cell_of_plain_text(value: str) -> None:
    cells = _render_row(value)
    assert cells.cells == ["left", _expected(value), "right"]
    assert cells.tags_in_cells == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_in_a_table_cell_is_exactly_one_cell_and_no_markup(value: str) -> None:
    cells = _render_row(value)
    assert cells.cells[0] == "left" and cells.cells[-1] == "right"
    assert len(cells.cells) == 3
    assert cells.tags_in_cells == []
    # Markdown strips the cell; inner whitespace and every character come back unchanged
    assert cells.cells[1] == _expected(value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_md_text_in_a_paragraph_is_plain_text(value: str) -> None:
    rendered = markdown.markdown(f"Name: {md_text(value)} end", extensions=_extensions())
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner.replace("&lt;", "")
    assert html.unescape(inner) == f"Name: {one_line(value)} end"


def test_md_text_has_no_raw_special_characters() -> None:
    text = str(md_text("<a href='x'>|*_[]{}`#</a>"))
    for ch in "<>|*_[]{}`'":
        assert ch not in text
    assert "\n" not in str(md_text("a\nb")) and str(md_text("a\nb")) == "a b"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("aoai-claims-prod-weu", "aoai-claims-prod-weu"),
        ("</title><script>alert(1)</script>", "_/title__script_alert(1)_/script_"),
        ("a\nb", "a b"),
        ("", "untitled"),
    ],
)
def test_safe_title_keeps_only_inert_characters(value: str, expected: str) -> None:
    assert safe_title(value) == expected


def test_fenced_block_is_longer_than_any_fence_inside() -> None:
    block = str(fenced("a\n```\nb\n````", "text"))
    assert block.startswith("`````text\n") and block.endswith("\n`````")


def test_link_targets_are_checked() -> None:
    assert site_path("../controls/aoai-net-01.md") == "../controls/aoai-net-01.md"
    with pytest.raises(ValueError):
        site_path("javascript:alert(1)")
    with pytest.raises(ValueError):
        site_path("../../etc/passwd/../x")
    assert external_url("https://learn.microsoft.com/a#b") == "https://learn.microsoft.com/a#b"
    with pytest.raises(ValueError):
        external_url("javascript:alert(1)")


def test_templates_escape_by_default_and_fail_on_missing_values() -> None:
    env = environment()
    # Azure text is a value, never template source: its Jinja syntax stays text
    out = env.from_string("{{ v }}").render(v="{{ 7*7 }} {% raw %}<b>")
    assert "49" not in out and "<b>" not in out
    assert html.unescape(out) == "{{ 7*7 }} {% raw %}<b>"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
