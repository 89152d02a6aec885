"""End to end: the built site in headless Chromium (Debian's `chromium`, driven by Playwright).

Checks what only a browser can: every image decodes, the findings table is there, no request leaves
127.0.0.1, and the injection sample's payloads never run.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.model.builder import build
from tests.test_publish_site import SAMPLE_DIR, generate, mkdocs_build

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Both sample sites built and served from one local server: /regulated/ and /hostile/."""
    root = tmp_path_factory.mktemp("served")
    for sample, name in (("regulated-vwan", "regulated"), ("hostile-names", "hostile")):
        project = tmp_path_factory.mktemp(name)
        generate(sample, project)
        shutil.copytree(mkdocs_build(project), root / name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


class Recorder:
    """Every request, console error, dialog and page error of one page."""

    def __init__(self, page: Any) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def hosts(self) -> set[str]:
        return {urlsplit(u).hostname or "" for u in self.requests if not u.startswith(("data:", "blob:"))}


def _load(browser: Any, url: str) -> tuple[Any, Recorder]:
    page = browser.new_page()
    rec = Recorder(page)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, rec


def _images_all_loaded(page: Any) -> list[str]:
    """The src of every <img> that did not decode (naturalWidth 0), after scrolling them into view."""
    page.evaluate("Array.from(document.images).forEach(i => i.scrollIntoView())")
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    broken: list[str] = page.evaluate(
        "Array.from(document.images).filter(i => !(i.naturalWidth > 0)).map(i => i.src)"
    )
    return broken


def test_home_and_workload_page_load_fully_and_locally(browser: Any, sites: str) -> None:
    page, rec = _load(browser, f"{sites}/regulated/")
    assert "Azure OpenAI security review" in page.title()
    assert page.locator(".ag-posture table").count() == 1
    assert _images_all_loaded(page) == []
    page.close()

    page, rec2 = _load(browser, f"{sites}/regulated/workloads/aoai-claims-prod-weu/")
    imgs = page.locator("img.ag-diagram")
    assert imgs.count() == 1
    assert _images_all_loaded(page) == []
    assert page.locator(".ag-findings table").count() >= 1
    expected = len(evaluate(build(load_files([SAMPLE_DIR / "regulated-vwan.json"]))))  # one workload
    assert page.locator(".ag-findings tbody tr").count() == expected
    # the pan/zoom script ran: its buttons are there and zooming transforms the image
    page.get_by_role("button", name="Zoom in").click()
    assert "scale(1.25)" in (imgs.first.get_attribute("style") or "")
    for r in (rec, rec2):
        assert r.hosts() <= {"127.0.0.1", "localhost"}, r.hosts()
        assert r.errors == []
    page.close()


def test_html_tables_get_materials_table_styling(browser: Any, sites: str) -> None:
    """The workload page's tables are raw HTML (issue 14): Material's script wraps them in its scrolling
    box and its stylesheet styles them, like the Markdown tables of the other pages."""
    page, rec = _load(browser, f"{sites}/regulated/workloads/aoai-claims-prod-weu/")
    for selector in (".ag-findings", ".ag-components", "#who-can-do-what ~ .md-typeset__scrollwrap"):
        table = page.locator(f"{selector} .md-typeset__table > table").first
        assert table.count() == 1, selector
        assert table.evaluate("t => getComputedStyle(t).borderTopStyle") == "solid", selector
    # the same as a Markdown table of another page
    home, rec2 = _load(browser, f"{sites}/regulated/")
    md_table = home.locator(".ag-posture .md-typeset__table > table").first
    assert md_table.evaluate("t => getComputedStyle(t).borderTopStyle") == "solid"
    assert rec.errors == [] and rec2.errors == []
    page.close()
    home.close()


def test_injection_sample_does_not_execute(browser: Any, sites: str) -> None:
    page, rec = _load(browser, f"{sites}/hostile/workloads/aoai-claims-prod-weu/")
    # the payloads are shown as text...
    body = page.locator("article").inner_text()
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(2)>" in body
    # ...and created nothing
    assert page.evaluate('document.querySelectorAll(\'img[src="x"], a[href^="https://evil"]\').length') == 0
    assert (
        page.evaluate("Array.from(document.scripts).filter(s => s.textContent.includes('alert(')).length")
        == 0
    )
    # searching for the payload shows it as text too (the search index is rendered as HTML)
    page.keyboard.press("s")
    page.locator("input.md-search__input").fill("alert")
    page.wait_for_timeout(1500)
    assert rec.dialogs == []
    assert rec.hosts() <= {"127.0.0.1", "localhost"}
    page.close()
