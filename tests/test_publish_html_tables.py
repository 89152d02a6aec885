"""A workload page's findings tables are raw HTML (issue 14: `mkdocs build` time): text from Azure in them
stays text, the control link is still MkDocs' own, the evidence and remediation stay on the page but out
of the search index, and a workload page of a large estate stays small."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.controls.catalogue import load
from archgen.controls.findings import Finding, Status
from archgen.model.graph import Node
from archgen.publish.escape import for_display, one_line
from archgen.publish.htmlcells import html_inline, trusted_html
from archgen.publish.pages import FindingView
from archgen.publish.templating import environment
from tests.test_publish_escape import HOSTILE, _extensions
from tests.test_publish_site import generate, mkdocs_build

CONTROL = next(c for c in load().controls if c.id == "AOAI-NET-01")
ACCOUNT = "/subscriptions/6b1f3c9e-2a47-4d8b-b0e5-91c2d7f4a803/resourcegroups/rg-aoai/providers/microsoft.cognitiveservices/accounts/aoai-test"


class _Rows(HTMLParser):
    """The body rows of the first table: each cell's text and the tags (with their attributes) inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, list[tuple[str, dict[str, str | None]]]]]] = []
        self._body = False
        self._text: list[str] | None = None
        self._tags: list[tuple[str, dict[str, str | None]]] = []
        self.cell_attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body:
            self.rows.append([])
        elif tag == "td" and self._body:
            self._text, self._tags = [], []
            self.cell_attrs |= {k for k, _ in attrs}
        elif self._text is not None:
            self._tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._text is not None:
            self.rows[-1].append(("".join(self._text), self._tags))
            self._text = None
        elif tag == "tbody":
            self._body = False

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _view(name: str, reason: str, value: str, status: Status = Status.FAIL) -> FindingView:
    node = Node(
        ACCOUNT, "microsoft.cognitiveservices/accounts", name, "OpenAI", "sub", "rg", "westeurope", (), None
    )  # type: ignore[arg-type]
    finding = Finding(CONTROL.id, ACCOUNT, status, reason, {"properties.x": value})
    return FindingView(finding, CONTROL, node)


def _render(views: list[FindingView], policy: dict[str, str] | None = None) -> _Rows:
    source = (
        environment()
        .from_string(
            '{% import "_macros.md.j2" as m %}# Page\n\n{{ m.findings_table(rows, "../", {}, policy)|safe }}\n\nAfter.\n'
        )
        .render(rows=views, policy=policy)
    )
    parser = _Rows()
    parser.feed(markdown.markdown(source, extensions=_extensions()))
    return parser


def _shown(value: str) -> str:
    text = one_line(for_display(value))
    return text if text.strip() else "—"


def _check_row(name: str, reason: str, value: str) -> None:
    parser = _render([_view(name, reason, value)], {f"{CONTROL.id}|{ACCOUNT}": value})
    assert len(parser.rows) == 1
    cells = parser.rows[0]
    assert len(cells) == 6
    (
        (_status, _),
        (control, control_tags),
        (resource, resource_tags),
        (why, why_tags),
        (ev, ev_tags),
        (pol, pol_tags),
    ) = cells
    # the control cell is Markdown: MkDocs' link to the control page, then the title as text
    assert control_tags == [("a", {"href": "../controls/aoai-net-01.md"})]
    assert control == f"{CONTROL.id} {CONTROL.title}"
    # text from Azure comes back as itself, with no tag but the table's own
    assert resource == _shown(name) + "Azure OpenAI / AI Services account"
    assert [t for t, _ in resource_tags] == ["br", "small"]
    assert why.startswith(_shown(reason) + "Remediation: ")
    assert {t for t, _ in why_tags} <= {"br", "span", "strong", "code"}
    assert ev == "properties.x = " + one_line(for_display(value))
    assert {t for t, _ in ev_tags} <= {"code", "span"}
    assert pol == _shown(value) and pol_tags == []
    # nothing from Azure becomes an attribute (attr_list reads a trailing `{: ... }` of a cell)
    assert parser.cell_attrs <= {"data-search-exclude"}
    for _, tags in cells:
        for tag, attrs in tags:
            assert set(attrs) <= {"class", "href", "data-search-exclude"}, (tag, attrs)


def test_hostile_text_in_the_findings_html_table_is_one_cell_of_plain_text() -> None:
    for value in HOSTILE:
        _check_row(value, value, value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_in_the_findings_html_table_stays_in_its_cell(value: str) -> None:
    _check_row(value, value, value)


def test_remediation_is_the_catalogues_markdown_as_inline_html() -> None:
    assert str(trusted_html("Set `publicNetworkAccess` to `Disabled`.")) == (
        "Set <code>publicNetworkAccess</code> to <code>Disabled</code>."
    )
    assert str(trusted_html("a\nb")) == "a b"


def test_passing_rows_show_no_remediation() -> None:
    cells = _render([_view("aoai-test", "ok", "v", Status.PASS)]).rows[0]
    assert "Remediation" not in cells[3][0] and len(cells) == 5


def test_evidence_and_remediation_render_but_stay_out_of_the_search_index(tmp_path: Path) -> None:
    project = tmp_path / "p"
    generate("regulated-vwan", project)
    site = mkdocs_build(project)
    page = (site / "workloads" / "aoai-claims-prod-weu" / "index.html").read_text(encoding="utf-8")
    rows = _Rows()
    rows.feed(page[page.index('<div class="ag-findings">') :])
    assert rows.rows, "the findings table is on the page"
    evidence = "properties.publicNetworkAccess = Disabled"
    assert evidence in page.replace("<code>", "").replace("</code>", "")
    assert "Remediation:" in page
    # Material's table styling applies to a table without a class, as to a Markdown table
    assert '<div class="ag-findings">\n<table>' in page
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith("workloads/aoai-claims-prod-weu/")]
    text = " ".join(d["text"] for d in entries)
    # what a reviewer searches for stays: the workload, its resources, the controls and the reasons
    for term in (
        "aoai-claims-prod-weu",
        "kv-aoai-claims-prod",
        "AOAI-NET-01",
        "has public network access disabled",
    ):
        assert term in text, term
    # the bulky parts do not: the evidence values and the catalogue's remediation (on the control's page)
    assert "properties.publicNetworkAccess" not in text.replace("publicNetworkAccess</code>", "")
    assert "Remediation:" not in text
    control = [d for d in index["docs"] if d["location"].startswith("controls/kv-net-01/")]
    assert any("networkAcls.defaultAction" in d["text"] for d in control)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_cell_text_is_one_line_html_escaped_with_braces_as_references(value: str) -> None:
    expected = html.escape(one_line(for_display(value)), quote=False)
    assert str(html_inline(value)) == expected.replace("{", "&#123;").replace("}", "&#125;")
