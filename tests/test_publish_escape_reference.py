"""The table-driven escapes (issue 14) give exactly what the character-by-character definitions give."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.publish.escape import _MD_SPECIAL, BREAKS, md_text, one_line


def _is_break(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch == "\x85"


def _one_line_reference(text: str) -> str:
    return "".join(" " if _is_break(ch) else ch for ch in text)


def _md_text_reference(value: object) -> str:
    return "".join(f"&#{ord(ch)};" if ch in _MD_SPECIAL else ch for ch in _one_line_reference(str(value)))


def test_break_table_is_every_control_line_and_paragraph_separator() -> None:
    expected = {chr(cp) for cp in range(sys.maxunicode + 1) if _is_break(chr(cp))}
    assert set(BREAKS) == expected


TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"), st.sampled_from(sorted(_MD_SPECIAL) + list(BREAKS) + ["é", "😀"])
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_one_line_matches_reference_definition(text: str) -> None:
    assert one_line(text) == _one_line_reference(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_md_text_matches_reference_definition(text: str) -> None:
    assert str(md_text(text)) == _md_text_reference(text)
