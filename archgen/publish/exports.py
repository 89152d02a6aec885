"""Findings for trackers and pipelines: one row per finding, as CSV and XLSX; the gate of `--fail-on`.

Pure functions over the graph, the findings, the catalogue and the accepted risks; nothing here reads
or writes a file. Control metadata (title, severity, remediation, responsibility, references) always
comes from the catalogue.

Due dates (documented in docs/cli.md): a failing or unknown finding is due `DUE_DAYS[severity]` days
after the review date (high 30, medium 90, low 180); a finding covered by a live acceptance is due when
the acceptance expires; passing and not-applicable findings have no due date.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime, timedelta

from archgen.controls.accept import Review
from archgen.controls.catalogue import Catalogue, Control
from archgen.controls.findings import Finding, Status
from archgen.model.graph import Graph
from archgen.model.ids import norm_id

SEVERITIES = ("high", "medium", "low")
SEVERITY_RANK = {s: n for n, s in enumerate(SEVERITIES)}
DUE_DAYS = {"high": 30, "medium": 90, "low": 180}
STATUS_RANK = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2, Status.NOT_APPLICABLE: 3}
# "MCSB NS-2: ...", "NIST SP 800-53 AC-4: ...", "ISO 27001 A.8.20: ..." -> the framework id before the colon
_FRAMEWORK = re.compile(
    r"^((?:MCSB|NIST SP 800-53(?: Rev\. ?5)?|ISO(?:/IEC)? 27001(?::\d{4})?|CIS) [\w.()\-]+)"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One finding as a tracker sees it. Field order is the column order of the CSV and XLSX files."""

    control: str
    title: str
    severity: str
    domain: str
    status: str
    workload: str
    resource_name: str
    resource_type: str
    resource_id: str
    reason: str
    remediation: str
    responsibility: str
    frameworks: str
    references: str
    owner: str
    due: str
    acceptance: str  # '', 'accepted' or 'expired'
    accepted_until: str
    justification: str
    approver: str

    @property
    def counts(self) -> bool:
        """Whether the finding fails and is not covered by a live acceptance."""
        return self.status == Status.FAIL.value and self.acceptance != "accepted"


COLUMNS = tuple(f.name for f in fields(FindingRow))


def framework_ids(control: Control) -> list[str]:
    """Framework control ids named by the control's references (MCSB, NIST SP 800-53, ISO 27001, CIS)."""
    ids = [m.group(1) for r in control.references if (m := _FRAMEWORK.match(r.title))]
    return list(dict.fromkeys(ids))


def _owner(graph: Graph, resource: str, workload_accounts: list[str], tag: str | None) -> str:
    if not tag:
        return ""
    wanted = tag.lower()
    for node_id in (resource, *workload_accounts):
        node = graph.node(node_id)
        if node is None:
            continue
        for key, value in node.tags:
            if key.lower() == wanted and value.strip():
                return value
    return ""


def _due(status: Status, severity: str, as_of: date, until: str) -> str:
    if until:
        return until
    if status in (Status.FAIL, Status.UNKNOWN):
        return (as_of + timedelta(days=DUE_DAYS[severity])).isoformat()
    return ""


def finding_rows(
    graph: Graph,
    findings: Sequence[Finding],
    catalogue: Catalogue,
    review: Review,
    owner_tag: str | None = None,
) -> list[FindingRow]:
    """Every finding as a row, failures first, then by severity, control and resource."""
    in_workloads: dict[str, list[tuple[str, str]]] = {}
    for w in graph.workloads:
        for member in w.members:
            in_workloads.setdefault(member, []).append((w.name, w.id))
    rows = []
    for f in findings:
        control = catalogue.control(f.control)
        rid = norm_id(f.resource)
        node = graph.node(rid)
        workloads = sorted(in_workloads.get(rid, []))
        decision = review.decision(f)
        acceptance = "" if decision is None else ("expired" if decision.expired else "accepted")
        until = decision.acceptance.expires.isoformat() if decision is not None else ""
        live_until = until if acceptance == "accepted" else ""
        rows.append(
            FindingRow(
                control=control.id,
                title=control.title,
                severity=control.severity,
                domain=control.domain,
                status=f.status.value,
                workload="; ".join(name for name, _ in workloads),
                resource_name=node.name if node is not None else f.resource.rstrip("/").rsplit("/", 1)[-1],
                resource_type=node.type if node is not None else "",
                resource_id=f.resource,
                reason=f.reason,
                remediation=control.remediation.strip(),
                responsibility=control.responsibility,
                frameworks="; ".join(framework_ids(control)),
                references="; ".join(r.url for r in control.references),
                owner=_owner(graph, rid, [wid for _, wid in workloads], owner_tag),
                due=_due(f.status, control.severity, review.as_of, live_until),
                acceptance=acceptance,
                accepted_until=until,
                justification=decision.acceptance.justification if decision else "",
                approver=decision.acceptance.approver if decision else "",
            )
        )
    rows.sort(
        key=lambda r: (STATUS_RANK[Status(r.status)], SEVERITY_RANK[r.severity], r.control, r.resource_id)
    )
    return rows


def neutralise(value: str) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab/CR) gets a leading quote."""
    one_line = value.replace("\r\n", "\n")
    return "'" + one_line if one_line.startswith(_FORMULA_START) else one_line


def csv_text(rows: Sequence[FindingRow]) -> str:
    """RFC 4180 CSV (CRLF line ends, header row), every cell neutralised against formula injection."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([neutralise(str(v)) for v in astuple(r)])
    return buf.getvalue()


def is_archgen_csv(text: str) -> bool:
    return text.split("\r\n", 1)[0].split("\n", 1)[0] == ",".join(COLUMNS)


XLSX_TITLE = "archgen findings"
_FIXED = datetime(2000, 1, 1)  # XLSX stores naive times; fixed for same input, same bytes


def xlsx_bytes(rows: Sequence[FindingRow]) -> bytes:
    """One worksheet with a header row, filters and frozen panes; every cell stored as text, never a formula."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "findings"
    ws.append(list(COLUMNS))
    for n, r in enumerate(rows, start=2):
        for col, value in enumerate(astuple(r), start=1):
            cell = ws.cell(row=n, column=col)
            cell.value = str(value).replace("\r\n", "\n")
            cell.data_type = "s"  # text even when it starts with '=': openpyxl would store a formula
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.properties.creator = "archgen"
    wb.properties.title = XLSX_TITLE
    wb.properties.created = wb.properties.modified = _FIXED
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip_times(raw.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def is_archgen_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return False
    return f"<dc:title>{XLSX_TITLE}</dc:title>" in core


def gate(rows: Sequence[FindingRow], threshold: str) -> list[FindingRow]:
    """The failing findings at or above `threshold` severity that no live acceptance covers."""
    limit = SEVERITY_RANK[threshold]
    return [r for r in rows if r.counts and SEVERITY_RANK[r.severity] <= limit]
