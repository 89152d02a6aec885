"""Printing a site page from the browser: content at full width, nothing cut on the right, no chrome."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_publish_site import generate, mkdocs_build
from tests.test_site_e2e import ARGS, CHROMIUM

pytestmark = pytest.mark.e2e


def test_a_printed_workload_page_fits_the_paper_and_shows_the_diagram_full_width(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    generate("regulated-vwan", tmp_path / "proj")
    site = mkdocs_build(tmp_path / "proj")
    page_path = next((site / "workloads").glob("*/index.html"))
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 760, "height": 1000},  # about A4's printable width at 96 dpi
        )
        try:
            page: Any = context.new_page()
            page.goto(page_path.as_uri(), wait_until="load")
            page.emulate_media(media="print")
            width = page.evaluate("document.documentElement.clientWidth")
            overflowing = page.evaluate(
                """w => Array.from(document.querySelectorAll('article table, article td'))
                     .filter(e => e.getBoundingClientRect().right > w + 1).length""",
                width,
            )
            assert overflowing == 0
            # a table wider than its wrapper would be cut on paper (the wrapper scrolls on screen only)
            clipped = page.evaluate(
                """() => Array.from(document.querySelectorAll('.md-typeset__scrollwrap, .md-typeset__table'))
                     .filter(e => e.scrollWidth > e.clientWidth + 1).length"""
            )
            assert clipped == 0
            hidden = page.evaluate(
                """() => ['.md-header', '.md-sidebar--primary', '.ag-tools'].map(s => {
                       const e = document.querySelector(s); return !e || getComputedStyle(e).display === 'none'; })"""
            )
            assert hidden == [True, True, True], hidden
            img = page.evaluate(
                "(() => { const r = document.querySelector('img.ag-diagram').getBoundingClientRect();"
                " const a = document.querySelector('article').getBoundingClientRect(); return [r.width, a.width]; })()"
            )
            assert img[0] >= 0.95 * img[1]
            pdf = page.pdf(format="A4", print_background=True)
            assert pdf[:5] == b"%PDF-"
        finally:
            context.close()
