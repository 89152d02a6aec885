"""End to end, a large estate (issue 14): the Workloads page filters its table in headless Chromium."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.document import dumps_graph
from archgen.model.builder import build, iter_rows
from archgen.publish import RunOutputs, write_project
from archgen.publish.shared import NAV_WORKLOADS
from archgen.run import InputFile, RunInfo
from benchmarks.generate import generate_rows
from tests.test_publish_site import mkdocs_build
from tests.test_site_e2e import CHROMIUM, _load, _Quiet, browser

__all__ = ["browser"]  # the Chromium fixture, shared with tests/test_site_e2e.py

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]
WORKLOADS = NAV_WORKLOADS + 5


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    graph = build(iter_rows(generate_rows(WORKLOADS, 7, 0), "gen.json"))
    findings = evaluate(graph)
    run = RunInfo(
        "0.1.0", "2026-11-28T10:00:00Z", "2026-11-28T10:00:01Z", "file", [InputFile("g", "0" * 64, 1)]
    )
    project = tmp_path_factory.mktemp("large")
    write_project(project, RunOutputs(graph, findings, load(), run, dumps_graph(graph, findings, load())))
    site: Path = mkdocs_build(project)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_workloads_page_filter_shows_only_matching_rows(browser: Any, large_site: str) -> None:
    page, rec = _load(browser, f"{large_site}/all-workloads/")
    rows = page.locator("table tbody tr")
    assert rows.count() == WORKLOADS
    page.fill("input.ag-filter", "aoai-0001")
    visible = {
        t.strip() for t in page.locator("table tbody tr:not([hidden]) td:first-child").all_inner_texts()
    }
    assert visible == {f"aoai-0001{i}" for i in range(10)}
    assert page.locator(".ag-filter-count").inner_text() == f"10 of {WORKLOADS} shown"
    page.fill("input.ag-filter", "")
    assert page.locator("table tbody tr:not([hidden])").count() == WORKLOADS
    assert rec.errors == [] and rec.hosts() == {"127.0.0.1"}
    page.close()


def test_large_estate_nav_holds_the_workloads_page_not_each_workload(browser: Any, large_site: str) -> None:
    page, _ = _load(browser, f"{large_site}/")
    nav_links = page.locator("nav.md-nav--primary a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert not any("workloads/aoai-" in (h or "") for h in nav_links)
    assert any("all-workloads" in (h or "") for h in nav_links)
    page.close()
