"""Hostile names (quotes, <, >, &, braces, backslashes, newlines, very long, unicode) never break the
DOT, the SVG or the .drawio, and never add an element: property-based over the regulated-vwan graph with
every name, resource group, role, key name and subscription display name replaced.
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archgen.model import records
from archgen.model.graph import BuildRecord, Edge, Graph
from archgen.model.relations import Relation
from archgen.render import describe, drawio, graphviz, render_description
from tests.test_render_describe import all_clusters, sample

NASTY = [
    "\"'><img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "a & b &amp; &lt; &#60; &#x3c;",
    "{{ jinja }} {% raw %} ${x} }{ ]] [[",
    'back\\slash \\N \\G \\n \\\\ \\"',
    "line1\nline2\r\nline3\x00\x0b\x1f",
    '"; node [label="pwned"]; x -> y; "',
    "]]><!-- --> <![CDATA[ x ]]>",
    "<<TABLE><TR><TD>x</TD></TR></TABLE>>",
    "名前-ñ-é-🚀-\u202e-\u200b-\ufeff",
    "x" * 1000,
]
names = st.one_of(st.sampled_from(NASTY), st.text(max_size=120))
SVG_TAGS = {"svg", "g", "title", "polygon", "path", "text", "image", "ellipse", "polyline", "a"}
SUBSCRIPTION = "6b1f3c9e-2a47-4d8b-b0e5-91c2d7f4a803"


def hostile_graph(draw: st.DrawFn) -> tuple[Graph, dict[str, str]]:
    graph, _ = sample("regulated-vwan")
    nodes = [records.replace(n, name=draw(names), resource_group=draw(names)) for n in graph.nodes.values()]
    edges = []
    for e in graph.edges:
        attrs = dict(e.attributes)
        for key in ("role_name", "key_name", "ip", "status", "state"):
            if key in attrs:
                attrs[key] = draw(names)
        if "categories" in attrs:
            attrs["categories"] = [draw(names)]
        edges.append(Edge(e.source, e.target, e.relation, attrs))
    account = graph.workloads[0].id
    ghost = f"/subscriptions/{SUBSCRIPTION}/resourcegroups/rg/providers/microsoft.keyvault/vaults/" + draw(
        names
    )
    dangling = [(account, Relation.CMK_KEY_IN, ghost)]
    hostile = Graph(nodes, edges, graph.workloads, BuildRecord(dangling=dangling))
    return hostile, {SUBSCRIPTION: draw(names)}


@st.composite
def cases(draw: st.DrawFn) -> tuple[Graph, dict[str, str]]:
    return hostile_graph(draw)


def check_svg(text: str, desc: describe.Description) -> None:
    root = ET.fromstring(text)
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert tags <= SVG_TAGS, tags - SVG_TAGS
    groups = [el.get("class") for el in root.iter("{http://www.w3.org/2000/svg}g")]
    assert groups.count("node") == len(desc.nodes)
    assert groups.count("edge") == len(desc.edges)
    assert groups.count("cluster") == len(all_clusters(desc.clusters))


def check_drawio(text: str, desc: describe.Description) -> None:
    root = ET.fromstring(text)
    cells = root.findall(".//mxCell")
    assert len(cells) == 2 + 1 + len(all_clusters(desc.clusters)) + len(desc.nodes) + 1 + len(desc.edges)
    assert {el.tag for el in root.iter()} <= {
        "mxfile",
        "diagram",
        "mxGraphModel",
        "root",
        "mxCell",
        "mxGeometry",
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(cases())
def test_hostile_names_render_to_valid_dot_svg_and_drawio(case: tuple[Graph, dict[str, str]]) -> None:
    graph, subscription_names = case
    graph_findings = sample("regulated-vwan")[1]
    desc = describe.describe_workload(graph, graph_findings, graph.workloads[0].id, subscription_names)
    with tempfile.TemporaryDirectory() as tmp:
        files = render_description(desc, Path(tmp), "hostile")
        check_svg(files.svg.read_text(encoding="utf-8"), desc)
        check_drawio(files.drawio.read_text(encoding="utf-8"), desc)


@settings(max_examples=150, deadline=None)
@given(names)
@example("x" * 1000)
def test_escaped_labels_are_xml_text_without_markup(name: str) -> None:
    cleaned = describe.clean(name)
    assert len(cleaned) <= describe.NAME_MAX
    escaped = graphviz.esc(cleaned)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped and "\n" not in escaped
    parsed = ET.fromstring(f'<t a="{escaped}">{escaped}</t>')
    assert (parsed.text or "") == cleaned
    assert parsed.get("a") == cleaned


def test_drawio_labels_are_plain_text() -> None:
    graph, findings = sample("regulated-vwan")
    desc = describe.describe_workload(graph, findings, graph.workloads[0].id)
    layout = '{"bb": "0,0,100,100", "objects": []}'
    root = ET.fromstring(drawio.to_drawio(desc, layout))
    for cell in root.iter("mxCell"):
        assert "html=1" not in (cell.get("style") or "")
