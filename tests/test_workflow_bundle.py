"""`archgen bundle`: every path form works, failures are one-line errors, the zip is complete and offline."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from archgen.publish.bundle import RAW_EXPORT
from tests import clirun

SAMPLE = "quickstart"


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    code, _, err = clirun.run(argv, capsys, monkeypatch)
    return code, err


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    proj = tmp_path / "proj"
    code, err = run(["discover", "--sample", SAMPLE, "--out", str(proj), "-q"], capsys, monkeypatch)
    assert code == 0, err
    return proj


def _files(project: Path) -> set[str]:
    return {p.relative_to(project).as_posix() for p in project.rglob("*")}


def _names(zip_path: Path) -> set[str]:
    with zipfile.ZipFile(zip_path) as zf:
        return set(zf.namelist())


@pytest.mark.parametrize("form", ["relative", "absolute", "from-another-directory"])
def test_bundle_works_for_every_path_form_and_leaves_the_project_untouched(
    form: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _files(project)
    base = project.parent
    if form == "relative":
        monkeypatch.chdir(base)
        args = ["--project", "proj", "-o", "review.zip"]
    elif form == "absolute":
        monkeypatch.chdir(base)
        args = ["--project", str(project), "-o", str(base / "review.zip")]
    else:
        (base / "sub").mkdir()
        monkeypatch.chdir(base / "sub")
        args = ["--project", "../proj", "-o", "../review.zip"]
    code, err = run(["bundle", *args], capsys, monkeypatch)
    assert code == 0, err
    names = _names(base / "review.zip")
    assert {"review/index.html", "review/evidence.html", "review/search/search_index.js"} <= names
    assert any(n.startswith("review/workloads/") and n.endswith(".html") for n in names)
    assert _files(project) == before  # no .archgen-bundle-* folder, no site/ left in the project
    assert not list(base.glob(".review.zip.*"))  # no partial file left beside the zip


def test_bundle_leaves_out_source_maps_and_fetches_nothing_from_the_web(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "r.zip"
    code, err = run(["bundle", "--project", str(project), "-o", str(out)], capsys, monkeypatch)
    assert code == 0, err
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        pages = [zf.read(n).decode("utf-8") for n in names if n.endswith(".html")]
    assert [n for n in names if n.endswith(".map")] == []
    assert "r/assets/archgen/iframe-worker-shim.js" in names
    assert all("unpkg.com" not in page for page in pages)
    assert all('src="https://' not in page for page in pages)


def test_no_inputs_leaves_the_raw_export_out_but_keeps_the_graph(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_inputs, without = tmp_path / "a.zip", tmp_path / "b.zip"
    assert run(["bundle", "--project", str(project), "-o", str(with_inputs)], capsys, monkeypatch)[0] == 0
    code, err = run(
        ["bundle", "--project", str(project), "-o", str(without), "--no-inputs"], capsys, monkeypatch
    )
    assert code == 0, err
    raw = {n for n in _names(with_inputs) if n.startswith("a/downloads/input-")}
    assert raw  # the sample's input file is offered by default
    assert [n for n in _names(without) if n.startswith("b/downloads/input-")] == []
    assert "b/downloads/graph.json" in _names(without)
    assert all(p.startswith("downloads/") for p in RAW_EXPORT)


def test_same_project_same_zip_bytes(project: Path, tmp_path: Path) -> None:
    from archgen.publish import make_bundle

    first = make_bundle(project, tmp_path / "one" / "r.zip").read_bytes()
    make_bundle(project, tmp_path / "two" / "r.zip")
    with zipfile.ZipFile(tmp_path / "one" / "r.zip") as a, zipfile.ZipFile(tmp_path / "two" / "r.zip") as b:
        assert {i.filename: i.CRC for i in a.infolist() if "sitemap" not in i.filename} == {
            i.filename: i.CRC for i in b.infolist() if "sitemap" not in i.filename
        }
    assert len(first) > 10_000


@pytest.mark.parametrize("missing", ["nope", "empty-dir"])
def test_missing_project_is_a_one_line_error_with_status_2_and_no_zip(
    missing: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if missing == "empty-dir":
        (tmp_path / missing).mkdir()
    code, err = run(["bundle", "--project", missing, "-o", "r.zip"], capsys, monkeypatch)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("archgen: error:")
    assert "Traceback" not in err
    assert not (tmp_path / "r.zip").exists()


def test_a_project_that_builds_no_home_page_is_refused_not_zipped(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (project / "docs" / "index.md").unlink()
    code, err = run(["bundle", "--project", str(project), "-o", str(tmp_path / "r.zip")], capsys, monkeypatch)
    assert code == 4
    assert "Traceback" not in err
    assert not (tmp_path / "r.zip").exists()


@pytest.mark.e2e
def test_search_works_in_the_unzipped_bundle_opened_from_disk(project: Path, tmp_path: Path) -> None:
    from archgen.publish import make_bundle
    from tests.test_site_e2e import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    with zipfile.ZipFile(make_bundle(project, tmp_path / "review.zip")) as zf:
        zf.extractall(tmp_path / "unzipped")
    home = (tmp_path / "unzipped" / "review" / "index.html").as_uri()
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS
        )
        try:
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(home, wait_until="load")
            page.keyboard.press("s")
            page.locator("input.md-search__input").press_sequentially("evidence", delay=20)
            page.wait_for_selector(".md-search-result__item", timeout=10_000)
            assert page.locator(".md-search-result__item").count() >= 1
            assert {u.split(":", 1)[0] for u in requests} <= {"file", "data", "blob"}
        finally:
            context.close()
