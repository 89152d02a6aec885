"""`archgen report -o review.pdf`: every finding in the text, the diagram full width on a landscape page,
page number and dates on every page. Uses poppler-utils (pdftotext, pdftoppm, pdfinfo; in the Makefile)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.clirun import run

SAMPLE = "regulated-vwan"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    tmp = tmp_path_factory.mktemp("report")
    pdf = tmp / "review.pdf"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from archgen.cli import main; main()",
            "report",
            "--sample",
            SAMPLE,
            "-o",
            str(pdf),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from archgen.cli import main; main()",
            "discover",
            "--sample",
            SAMPLE,
            "--no-site",
            "--json",
            "-",
            "-q",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return pdf, json.loads(doc.stdout)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def _squash(text: str) -> str:
    """Text without whitespace or hyphens: pdftotext joins a word broken after a hyphen at a line end."""
    return "".join(text.split()).replace("-", "")


def _blocks(pdf: Path) -> str:
    """The PDF's text block by block (pdftotext -bbox-layout): a table cell's lines stay together."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    blocks = re.findall(r"<block[^>]*>(.*?)</block>", out, re.S)
    return "\n".join(
        "".join(html.unescape(w) for w in re.findall(r"<word[^>]*>(.*?)</word>", b, re.S)) for b in blocks
    )


def test_the_pdf_text_holds_every_finding(report: tuple[Path, dict[str, object]]) -> None:
    pdf, doc = report
    text = _squash(_blocks(pdf))
    findings = doc["findings"]
    assert isinstance(findings, list) and findings
    names = {n["id"]: n["name"] for n in doc["nodes"]}  # type: ignore[index]
    missing = [
        (f["control"], f["resource"])
        for f in findings
        if _squash(f["reason"]) not in text
        or _squash(f["control"]) not in text
        or _squash(names.get(f["resource"], "")) not in text
    ]
    assert missing == []


def test_every_page_carries_its_number_the_run_date_and_the_data_date(
    report: tuple[Path, dict[str, object]],
) -> None:
    pdf, _ = report
    pages = _pages(pdf)
    assert len(pages) >= 4
    for n, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert f"Page {n} of {len(pages)}" in flat
        assert re.search(r"run \d{4}-\d{2}-\d{2}T", flat) and "data as of" in flat


def test_the_diagram_fills_a_landscape_page(report: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    pdf, _ = report
    pages = _pages(pdf)
    page_no = next(n for n, p in enumerate(pages, start=1) if ": diagram" in p)
    info = subprocess.run(
        ["pdfinfo", "-f", str(page_no), "-l", str(page_no), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    width, height = map(float, re.search(rf"Page\s+{page_no} size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert width > height  # landscape
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            str(page_no),
            "-l",
            str(page_no),
            str(pdf),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    # the columns with ink (the diagram, below the heading) span most of the page width
    w, h = image.size
    band = image.crop((0, int(h * 0.12), w, int(h * 0.9)))
    ink = band.point(lambda v: 255 if v < 200 else 0).getbbox()
    assert ink is not None and (ink[2] - ink[0]) > 0.85 * w


def test_report_refuses_to_replace_a_file_that_is_not_a_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "notes.pdf"
    target.write_text("my notes", encoding="utf-8")
    code, _, err = run(["report", "--sample", "quickstart", "-o", str(target)], capsys, monkeypatch)
    assert code == 4 and err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "my notes"
    code, _, err = run(["report"], capsys, monkeypatch)
    assert code == 2 and "--from FILE or --sample NAME" in err
