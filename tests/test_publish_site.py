"""The MkDocs project archgen writes: builds with --strict for every sample, regenerates safely, escapes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.document import dumps_graph
from archgen.errors import OutputError
from archgen.model.builder import build
from archgen.publish import ProjectOptions, RunOutputs, make_bundle, write_project
from archgen.publish import project as project_mod
from archgen.publish.owned import BLOCK_BEGIN, BLOCK_END, MANIFEST, MARKER, STAGING_PREFIX
from archgen.run import InputFile, RunInfo

SAMPLES = ("regulated-vwan", "estate", "quickstart", "hostile-names")
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "archgen" / "samples"


def generate(sample: str, out: Path, force: bool = False, snapshot: bool = True) -> Path:
    path = SAMPLE_DIR / f"{sample}.json"
    graph = build(load_files([path]))
    findings = evaluate(graph)
    catalogue = load()
    run = RunInfo(
        "0.1.0",
        "2026-11-28T10:00:00Z",
        "2026-11-28T10:00:03Z",
        "sample",
        [InputFile(f"sample:{sample}", hashlib.sha256(path.read_bytes()).hexdigest(), 21)],
        {"sample": sample},
        "public",
        [
            {
                "name": "accounts",
                "table": "resources",
                "text": "resources\n| where type =~ 'microsoft.cognitiveservices/accounts'\n| project id",
                "rows": 4,
                "seconds": 0.5,
            }
        ],
    )
    snap = '{"schema": "archgen.snapshot/v1", "rows": []}\n' if snapshot else None
    outputs = RunOutputs(graph, findings, catalogue, run, dumps_graph(graph, findings, catalogue), snap)
    return write_project(out, outputs, ProjectOptions(force=force))


def mkdocs_build(project: Path) -> Path:
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return site


Built = Callable[[str], Path]
_BUILT: dict[str, Path] = {}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Sample name -> its built project directory (generated and built once per session)."""

    def get(sample: str) -> Path:
        if sample not in _BUILT:
            project = tmp_path_factory.mktemp(sample)
            generate(sample, project)
            mkdocs_build(project)
            _BUILT[sample] = project
        return _BUILT[sample]

    return get


class _Doc(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.script_srcs: list[str] = []
        self.stylesheets: list[str] = []
        self.imgs: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.tables = 0
        self.attr_names: set[str] = set()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.attr_names |= set(a)
        if tag == "script":
            self._in_script = True
            if a.get("src"):
                self.script_srcs.append(a["src"] or "")
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a.get("href") or "")
        elif tag == "img":
            self.imgs.append(a)
        elif tag == "table":
            self.tables += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def parse(path: Path) -> _Doc:
    doc = _Doc()
    doc.feed(path.read_text(encoding="utf-8"))
    return doc


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_builds_with_strict_and_has_every_page(built: Built, sample: str) -> None:
    project = built(sample)
    site = project / "site"
    graph = build(load_files([SAMPLE_DIR / f"{sample}.json"]))
    for page in (
        "index.html",
        "shared-responsibility/index.html",
        "data-handling/index.html",
        "controls/index.html",
        "evidence/index.html",
    ):
        assert (site / page).is_file(), page
    for control in load().controls:
        assert (site / "controls" / control.id.lower() / "index.html").is_file()
    pages = list((site / "workloads").glob("*/index.html"))
    assert len(pages) == len(graph.workloads)
    for html_page in pages:
        doc = parse(html_page)
        assert doc.tables >= 3  # posture, components, findings
        assert any("diagrams/" in (i.get("src") or "") for i in doc.imgs)


@pytest.mark.parametrize("sample", SAMPLES)
def test_built_site_loads_nothing_from_the_network(built: Built, sample: str) -> None:
    site = built(sample) / "site"
    for page in site.rglob("*.html"):
        doc = parse(page)
        for ref in doc.script_srcs + doc.stylesheets + [i.get("src") or "" for i in doc.imgs]:
            assert not re.match(r"^(https?:)?//", ref), f"{page}: {ref}"
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
        assert "@import" not in css.read_text(encoding="utf-8") or "fonts.googleapis" not in css.read_text(
            encoding="utf-8"
        )


def test_injection_sample_renders_as_text(built: Built) -> None:
    site = built("hostile-names") / "site"
    page = next((site / "workloads").glob("*/index.html"))
    raw = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in raw
    assert "<img src=x" not in raw
    doc = parse(page)
    # the text shows `onerror=alert(2)` (the findings tables are HTML: `<` and `"` escaped, `=` kept), but
    # no element of the page carries an event handler
    assert not [name for name in doc.attr_names if name.startswith("on")]
    assert not any("alert(" in s for s in doc.scripts)
    assert [i for i in doc.imgs if (i.get("src") or "") == "x"] == []
    text = " ".join(doc.text)
    assert "owner = <script>alert(1)</script>" in text
    assert "*bold* [link](https://evil.example) `code` {{ jinja }} {% raw %}" in text
    assert "| a | b |" in text
    assert "line1 line2 \\ backslash & ampersand" in text
    # the "Network path" table: hostile NSG rule names stay text
    assert "<script>alert(7)" not in raw
    assert "<script>alert(7)</script> (100): Internet → port 443" in text
    assert "|*rule*| `x` {{ y }} (200)" in text
    # the "Who can do what" table: a hostile principal id stays text, a hostile principal type is not echoed
    assert "<img src=x onerror=alert(3)>|*who*" in text
    assert "alert(4)" not in raw
    # the search index keeps the text escaped too
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in index


def test_pages_carry_the_marker_and_mkdocs_yml_the_block(built: Built) -> None:
    project = built("regulated-vwan")
    for page in (project / "docs").rglob("*.md"):
        head = page.read_text(encoding="utf-8").splitlines()[:6]
        assert MARKER in head, page
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert config.startswith(BLOCK_BEGIN) and BLOCK_END in config
    assert "font: false" in config and "scheme: slate" in config and "- search" in config
    assert (project / MANIFEST).is_file()


def test_evidence_page_gives_the_downloads_with_their_sha256(built: Built) -> None:
    project = built("regulated-vwan")
    evidence_html = project / "site" / "evidence" / "index.html"
    evidence = "".join(parse(evidence_html).text)
    for name in ("graph.json", "snapshot.json"):
        digest = hashlib.sha256((project / "docs" / "downloads" / name).read_bytes()).hexdigest()
        assert digest in evidence
        assert (project / "site" / "downloads" / name).is_file()
    assert "archgen discover --sample regulated-vwan" in evidence
    assert "microsoft.cognitiveservices/accounts" in evidence  # the KQL text


def test_regeneration_keeps_user_pages_and_settings(tmp_path: Path) -> None:
    generate("regulated-vwan", tmp_path)
    (tmp_path / "docs" / "notes.md").write_text("# Our notes\n\nKeep me.\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "# our project\n"
        + config.read_text(encoding="utf-8")
        + "site_name: Claims review\nextra:\n  team: platform\n",
        encoding="utf-8",
    )
    old_page = tmp_path / "docs" / "workloads" / "aoai-claims-prod-weu.md"
    assert old_page.is_file()

    generate("estate", tmp_path)

    assert (tmp_path / "docs" / "notes.md").read_text(encoding="utf-8") == "# Our notes\n\nKeep me.\n"
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# our project\n")
    assert "site_name: Claims review\nextra:\n  team: platform\n" in text
    assert text.count("site_name:") == 1  # archgen leaves out the default the user replaced
    assert "- notes.md" in text  # the user's page stays in the navigation
    assert not old_page.exists()  # archgen's page for a workload no longer found is removed
    assert len(list((tmp_path / "docs" / "workloads").glob("*.md"))) == 4
    assert not list(tmp_path.glob(f"{STAGING_PREFIX}*"))
    site = mkdocs_build(tmp_path)
    assert (site / "notes" / "index.html").is_file()
    assert "Claims review" in (site / "index.html").read_text(encoding="utf-8")


def test_regeneration_is_deterministic(tmp_path: Path) -> None:
    generate("estate", tmp_path / "a")
    generate("estate", tmp_path / "b")
    for p in (tmp_path / "a").rglob("*"):
        if p.is_file() and p.suffix in (".md", ".yml", ".json"):
            assert p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes(), p


def test_refuses_to_overwrite_a_file_archgen_does_not_own(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    mine = tmp_path / "docs" / "index.md"
    mine.write_text("# My home page\n", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        generate("quickstart", tmp_path)
    assert err.value.exit_status == 4
    assert "docs/index.md" in str(err.value) and "--force" in str(err.value) and "\n" not in str(err.value)
    assert mine.read_text(encoding="utf-8") == "# My home page\n"
    assert not (tmp_path / "mkdocs.yml").exists() and not (tmp_path / "docs" / "evidence.md").exists()
    assert not list(tmp_path.glob(f"{STAGING_PREFIX}*"))
    generate("quickstart", tmp_path, force=True)
    assert MARKER in mine.read_text(encoding="utf-8")


def test_refuses_an_edited_generated_page_and_a_foreign_mkdocs_yml(tmp_path: Path) -> None:
    generate("quickstart", tmp_path)
    page = tmp_path / "docs" / "evidence.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMy annotation.\n", encoding="utf-8")
    with pytest.raises(OutputError, match="edited since archgen wrote it"):
        generate("quickstart", tmp_path)
    assert page.read_text(encoding="utf-8").endswith("My annotation.\n")

    other = tmp_path / "other"
    other.mkdir()
    (other / "mkdocs.yml").write_text("site_name: Theirs\ntheme: readthedocs\n", encoding="utf-8")
    with pytest.raises(OutputError, match="not written by archgen"):
        generate("quickstart", other)
    generate("quickstart", other, force=True)
    text = (other / "mkdocs.yml").read_text(encoding="utf-8")
    # issue 12: --force keeps the user's theme (archgen's wanted value is left as a comment in its block)
    assert "site_name: Theirs" in text and "\ntheme: readthedocs\n" in text
    assert text.count("\ntheme:") + text.startswith("theme:") == 1


def test_owned_key_outside_the_block_is_refused(tmp_path: Path) -> None:
    generate("quickstart", tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "plugins:\n  - privacy\n", encoding="utf-8")
    with pytest.raises(OutputError, match="plugins"):
        generate("quickstart", tmp_path)


def test_unwritable_output_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        generate("quickstart", blocker / "out")
    assert err.value.exit_status == 4


def test_an_interrupted_run_leaves_the_previous_site_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate("regulated-vwan", tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(project_mod, "_render_pages", crash)
    with pytest.raises(KeyboardInterrupt):
        generate("estate", tmp_path)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
    # a staging directory left by a killed run is cleaned up by the next one
    (tmp_path / f"{STAGING_PREFIX}dead" / "docs").mkdir(parents=True)
    monkeypatch.undo()
    generate("regulated-vwan", tmp_path)
    assert not list(tmp_path.glob(f"{STAGING_PREFIX}*"))


def test_bundle_is_one_zip_with_the_site(built: Built, tmp_path: Path) -> None:
    project = built("regulated-vwan")
    out = make_bundle(project, tmp_path / "review.zip")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "review/index.html" in names
        assert any(n.startswith("review/workloads/") and n.endswith(".html") for n in names)
        home = zf.read("review/index.html").decode("utf-8")
    assert 'href="evidence.html"' in home  # no directory URLs: it works opened from disk
    make_bundle(project, out)  # archgen's own bundle is replaced without --force
    foreign = tmp_path / "notes.zip"
    foreign.write_bytes(b"not ours")
    with pytest.raises(OutputError):
        make_bundle(project, foreign)
    assert foreign.read_bytes() == b"not ours"


def test_a_hostile_resource_name_stays_text_in_titles_and_navigation(tmp_path: Path) -> None:
    row = json.loads((SAMPLE_DIR / "quickstart.json").read_text(encoding="utf-8"))
    name = "</title><script>alert(9)</script>|*x*[y](z)"
    row["name"] = name
    row["location"] = "<b>west</b>"
    source = tmp_path / "hostile-account.json"
    source.write_text(json.dumps(row), encoding="utf-8")
    graph = build(load_files([source]))
    findings = evaluate(graph)
    catalogue = load()
    run = RunInfo("0.1.0", "", "", "file", [InputFile("hostile; rm -rf ~.json", "0" * 64, 1)], {})
    project = tmp_path / "project"
    write_project(
        project, RunOutputs(graph, findings, catalogue, run, dumps_graph(graph, findings, catalogue))
    )
    site = mkdocs_build(project)
    for page in site.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "<script>alert(9)" not in raw, page
        assert "<b>west</b>" not in raw, page
    workload = next((site / "workloads").glob("*/index.html"))
    assert name in "".join(parse(workload).text)
    evidence = "".join(parse(site / "evidence" / "index.html").text)
    assert "--from 'hostile; rm -rf ~.json'" in evidence


def test_workload_page_shows_the_network_path(built: Built) -> None:
    page = next((built("regulated-vwan") / "site" / "workloads").glob("*/index.html"))
    text = " ".join(parse(page).text)
    assert "Network path" in text
    assert "nsg-snet-privateendpoints: applies" in text
    assert "AllowVnetHttpsToPrivateEndpoints (100): 10.42.0.0/22 → port 443" in text
    assert "rt-snet-privateendpoints: 0.0.0.0/0 through firewall/NVA 10.100.0.132" in text
