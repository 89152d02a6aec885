"""The Jinja2 environment for the Markdown page templates, with Markdown escaping as its autoescape.

Templates are archgen's own files, loaded from the package; text from Azure only ever arrives as a
value, never as template source. Every `{{ value }}` that is not already `Markup` is escaped for
Markdown (`finalize`), so forgetting a filter cannot produce markup; `StrictUndefined` makes a missing
value an error instead of an empty string.
"""

from __future__ import annotations

import re
import shlex
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from archgen.publish.escape import (
    as_markup,
    for_display,
    html_text,
    md_cell,
    md_text,
    safe_title,
    trusted_md,
)
from archgen.publish.htmlcells import html_cell, html_inline, trusted_html
from archgen.publish.pages import control_slug, type_label
from archgen.publish.settings import short_ref

_PATH = re.compile(r"^(\.\./)*([a-z0-9][a-z0-9._/-]*)?$")
_URL = re.compile(r"^https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~!$&'*+,;=:@%/#?-]*)?$")
_BACKTICKS = re.compile(r"`+")


def _finalize(value: object) -> object:
    """Markdown autoescape: what is not Markup is escaped for Markdown (None is shown as a dash)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return as_markup("&#8212;")
    return md_text(for_display(value))


def _shown_md(value: object) -> Markup:
    return md_text(for_display(value))


def _shown_cell(value: object) -> Markup:
    return md_cell(for_display(value))


def _shown_html(value: object) -> Markup:
    return html_text(for_display(value))


def site_path(value: object) -> Markup:
    """A link target archgen built itself (slugs, file names): checked, then left as is."""
    text = str(value)
    m = _PATH.match(text)
    if m is None or ".." in (m.group(2) or ""):
        raise ValueError(f"not a site path: {text!r}")
    return as_markup(text)


def external_url(value: object) -> Markup:
    """An https URL from the catalogue, as a Markdown link target."""
    text = str(value)
    if not _URL.match(text) or "(" in text or ")" in text:
        raise ValueError(f"not a plain https URL: {text!r}")
    return as_markup(text)


def fenced(text: object, lang: str = "text") -> Markup:
    """A fenced code block holding `text` literally: the fence is longer than any backtick run inside."""
    body = str(text).replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    longest = max((len(m) for m in _BACKTICKS.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return as_markup(f"{fence}{lang}\n{body}\n{fence}")


def control_path(value: object) -> Markup:
    """The page name of a control id (`AOAI-NET-01` -> `aoai-net-01`)."""
    return site_path(control_slug(str(value)))


def shell_quote(value: object) -> str:
    return shlex.quote(str(value))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("archgen.publish", "templates"),
        # The page templates are Markdown (`*.md.j2`): escaping is `_finalize`, not HTML autoescape.
        # An HTML template (`*.html.j2`) would get Jinja's HTML autoescape.
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default=False),
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        # Text from Azure: invisible characters revealed and long values cut (issue 13), then escaped.
        md=_shown_md,
        cell=_shown_cell,
        html=_shown_html,
        title=safe_title,
        trusted=trusted_md,
        # Cells of raw HTML tables (htmlcells.py)
        hcell=html_cell,
        htext=html_inline,
        trusted_html=trusted_html,
        path=site_path,
        url=external_url,
        fenced=fenced,
        short=short_ref,
        type_label=type_label,
        shell=shell_quote,
        cslug=control_path,
    )
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
