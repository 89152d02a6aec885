"""`archgen report -o review.pdf`: one PDF to attach to the review, rendered with WeasyPrint.

WeasyPrint implements CSS paged media (page counters, running footers, named landscape pages), which is
what an attachable report needs, and runs without a browser or any network access (it is given only
local files and data URIs). Contents: an executive summary (posture per workload, the most important
gaps, accepted risks), each workload's diagram on a landscape page at full width, its findings with
evidence that wraps, the shared-responsibility matrix and the evidence; every page carries the page
number, the run date and the data-as-of date.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import markdown
from markupsafe import Markup

from archgen import __version__
from archgen.controls.accept import Review
from archgen.controls.catalogue import Catalogue
from archgen.controls.findings import Finding, Status
from archgen.errors import OutputError
from archgen.model.graph import Graph
from archgen.publish.exports import SEVERITY_RANK
from archgen.publish.inputs import RunOutputs
from archgen.publish.pages import SiteModel, build_model
from archgen.publish.templating import environment
from archgen.run import RunInfo

STATUS_WORDS = {
    Status.PASS: "pass",
    Status.FAIL: "fail",
    Status.UNKNOWN: "unknown",
    Status.NOT_APPLICABLE: "n/a",
}


def data_as_of(run: RunInfo) -> str:
    """When the data was true (computed once by the pipeline, `archgen.run.data_as_of`)."""
    return run.data_as_of or "not known"


def _prose(text: str) -> Markup:
    """Catalogue prose (archgen's own Markdown, not Azure's) as HTML."""
    return Markup(markdown.markdown(text))  # noqa: S704 - the catalogue ships with archgen


def _gaps(site: SiteModel, review: Review) -> list[Any]:
    views = [fv for cv in site.controls for fv in cv.findings if fv.finding.status is Status.FAIL]
    live = [fv for fv in views if review.counts(fv.finding)]
    live.sort(key=lambda fv: (SEVERITY_RANK[fv.control.severity], fv.control.id, fv.resource_name))
    return live


def _accepted(site: SiteModel, review: Review) -> list[tuple[Any, Any]]:
    out = []
    for cv in site.controls:
        for fv in cv.findings:
            decision = review.decision(fv.finding)
            if decision is not None:
                out.append((fv, decision))
    return out


def report_html(
    graph: Graph,
    findings: Sequence[Finding],
    catalogue: Catalogue,
    run: RunInfo,
    review: Review,
    diagrams: dict[str, Path],
) -> str:
    """The report as one HTML document (diagrams referenced as local files by absolute path)."""
    site = build_model(graph, findings, catalogue)
    css = resources.files("archgen.publish").joinpath("templates", "assets", "report.css").read_text("utf-8")
    template = environment().get_template("report.html.j2")
    return template.render(
        css=Markup(css),  # noqa: S704 - archgen's own stylesheet
        site=site,
        run=run,
        version=__version__,
        as_of=data_as_of(run),
        gaps=_gaps(site, review),
        accepted=_accepted(site, review),
        review=review,
        diagrams={k: v.as_uri() for k, v in diagrams.items()},
        words=STATUS_WORDS,
        prose=_prose,
        Status=Status,
    )


def write_pdf(html: str, output: Path, force: bool = False) -> Path:
    """Render `html` to `output` through a temporary file and a rename; refuse to replace a non-PDF."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # local files and data URIs only: a report never reaches the network
    fetcher = URLFetcher(allowed_protocols=("file", "data"))

    output = Path(output).expanduser().absolute()
    if output.is_dir():
        raise OutputError(f"{output} is a directory")
    if output.exists() and not force and not output.read_bytes()[:5] == b"%PDF-":
        raise OutputError(f"{output} exists and is not a PDF; choose another name or pass --force")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
        os.close(fd)
        try:
            HTML(string=html, base_url=str(output.parent), url_fetcher=fetcher).write_pdf(tmp)
            os.replace(tmp, output)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    return output


def make_report(outputs: RunOutputs, review: Review, output: Path, force: bool = False) -> Path:
    """Draw the diagrams into a temporary folder, render the HTML and write the PDF."""
    from archgen.render import render_workload

    graph, findings, catalogue, run = outputs.graph, outputs.findings, outputs.catalogue, outputs.run

    with tempfile.TemporaryDirectory(prefix="archgen-report-") as tmp:
        site = build_model(graph, findings, catalogue)
        diagrams = {
            w.workload.id: render_workload(graph, list(findings), w.workload.id, Path(tmp), w.slug).svg
            for w in site.workloads
        }
        html = report_html(graph, findings, catalogue, run, review, diagrams)
        return write_pdf(html, output, force)
