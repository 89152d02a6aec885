"""The "Changes since the last review" page (`archgen discover --since OLD`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from archgen.controls.findings import Status
from archgen.diff import Changes
from archgen.publish import owned
from archgen.publish.escape import as_markup
from archgen.publish.pages import SiteModel, status_badge
from archgen.publish.sitepages import BY_KEY, page
from archgen.publish.templating import render

PAGE = page("changes")
NAV_TITLE = BY_KEY["changes"].nav or "Changes"


def _badge(status: str) -> Any:
    try:
        return status_badge(Status(status))
    except ValueError:
        return as_markup("<em>absent</em>")


def render_changes(docs: Path, changes: Changes, site: SiteModel) -> None:
    """Write docs/changes.md from the changes between the previous run and this one."""
    del site  # the page links controls only; kept in the signature for workload links later
    text = render("changes.md.j2", marker=as_markup(owned.MARKER), c=changes, badge=_badge)
    (docs / PAGE).write_text(text, encoding="utf-8")


def with_changes_page(block: str, present: bool) -> str:
    """archgen's mkdocs.yml block with the changes page in the navigation, after Home, when present."""
    if not present:
        return block
    data = yaml.safe_load(block)
    nav = list(data.get("nav") or [])
    nav.insert(1 if nav else 0, {NAV_TITLE: PAGE})
    data["nav"] = nav
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
