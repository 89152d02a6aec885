"""Description + Graphviz layout -> an editable draw.io file (mxGraph XML), same nodes, nesting and labels.

Positions come from the same `dot` run as the SVG (its JSON output), so the draw.io page looks like the
SVG. Icons use draw.io's own Azure stencils (`img/lib/azure2/...`) where `icons.ICONS` names one, else the
same PNG embedded as a data URI (`image=data:image/png,<base64>`: draw.io styles are `;`-separated, so
the `;base64` marker is left out as draw.io itself does). Labels are plain text (`html=0`) and XML is
written by ElementTree, so a resource name can neither inject markup nor change the structure.
"""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from typing import Any

from archgen.render import icons
from archgen.render.description import DCluster, DEdge, Description, DNode
from archgen.render.graphviz import CLUSTER_STYLE, GLYPH, PALETTE, TINT

ICON_SIZE = 48
_DASH = {"dashed": "dashed=1;", "dotted": "dashed=1;dashPattern=1 3;", "bold": "", "solid": ""}
_WIDTH = {"dashed": 1.5, "dotted": 1.5, "bold": 3.0, "solid": 1.3}

Box = tuple[float, float, float, float]  # x, y (top-left, y down), width, height


def _layout(layout_json: str) -> dict[str, Box]:
    """Graphviz JSON (points, y up) -> boxes by node/cluster name (top-left origin, y down)."""
    data: dict[str, Any] = json.loads(layout_json)
    _, _, _, top = (float(v) for v in str(data["bb"]).split(","))
    boxes: dict[str, Box] = {}
    for obj in data.get("objects", []):
        name = str(obj.get("name", ""))
        if "bb" in obj:
            llx, lly, urx, ury = (float(v) for v in str(obj["bb"]).split(","))
            boxes[name] = (llx, top - ury, urx - llx, ury - lly)
        elif "pos" in obj:
            x, y = (float(v) for v in str(obj["pos"]).split(","))
            w, h = float(obj.get("width", 1)) * 72, float(obj.get("height", 1)) * 72
            boxes[name] = (x - w / 2, top - y - h / 2, w, h)
    return boxes


def _icon_style(key: str) -> str:
    entry = icons.icon(key)
    if entry.drawio:
        return f"image;aspect=fixed;html=0;points=[];align=center;fontSize=11;image={icons.DRAWIO_PREFIX}{entry.drawio};"
    b64 = base64.b64encode(icons.icon_file(key).read_bytes()).decode("ascii")
    return f"shape=image;aspect=fixed;html=0;points=[];align=center;fontSize=11;image=data:image/png,{b64};"


def _node_text(n: DNode) -> str:
    lines = [n.label, " · ".join((n.title, *n.details)), *n.tags]
    lines += [b.text for b in n.badges]
    lines += [f"{name}: " + "  ".join(b.text for b in badges) for name, badges in n.rows]
    return "\n".join(lines)


def to_drawio(desc: Description, layout_json: str) -> str:
    """The .drawio XML of a laid-out description."""
    mxfile = ET.Element("mxfile", {"host": "archgen", "type": "device"})
    diagram = ET.SubElement(mxfile, "diagram", {"id": "archgen", "name": desc.title})
    model = ET.SubElement(diagram, "mxGraphModel", _MODEL_ATTRS)
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", {"id": "0"})
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    cells = _Cells(desc, root, _layout(layout_json))
    header = "\n".join((desc.title, desc.subtitle, *("Collapsed: " + c for c in desc.collapsed)))
    cells.cell(
        "title",
        header,
        "text;html=0;align=left;verticalAlign=top;fontSize=14;whiteSpace=wrap;",
        "1",
        (10, 5, 520, 90),
    )
    cells.cell(
        "legend",
        legend_text(desc),
        "text;html=0;align=left;verticalAlign=top;fontSize=10;strokeColor=#7A8793;rounded=1;spacing=8;",
        "1",
        (560, 5, 470, 170),
    )
    for c in desc.clusters:
        cells.place_cluster(c, "1")
    for key in desc.top_level:
        cells.place_node(key, "1")
    for i, e in enumerate(desc.edges):
        _edge_cell(root, f"e{i}", e)
    ET.indent(mxfile, space=" ")
    return ET.tostring(mxfile, encoding="unicode", xml_declaration=False) + "\n"


_MODEL_ATTRS = {
    "grid": "1",
    "gridSize": "10",
    "guides": "1",
    "connect": "1",
    "arrows": "1",
    "page": "0",
    "math": "0",
}


class _Cells:
    """The vertices of one diagram; a cell's geometry is relative to its parent container."""

    def __init__(self, desc: Description, root: ET.Element, boxes: dict[str, Box]) -> None:
        self.desc = desc
        self.root = root
        self.boxes = boxes
        self.origin: dict[str, tuple[float, float]] = {"1": (0.0, 0.0)}

    def cell(self, cid: str, value: str, style: str, parent: str, box: Box) -> None:
        ox, oy = self.origin[parent]
        c = ET.SubElement(self.root, "mxCell", {"id": cid, "value": value, "style": style, "parent": parent})
        c.set("vertex", "1")
        ET.SubElement(
            c,
            "mxGeometry",
            {
                "x": f"{box[0] - ox:.1f}",
                "y": f"{box[1] - oy:.1f}",
                "width": f"{box[2]:.1f}",
                "height": f"{box[3]:.1f}",
                "as": "geometry",
            },
        )

    def place_node(self, key: str, parent: str) -> None:
        n = next(x for x in self.desc.nodes if x.key == key)
        x, y, w, _ = self.boxes.get(key, (0.0, 0.0, 96.0, 96.0))
        box = (x + w / 2 - ICON_SIZE / 2, y + 4, ICON_SIZE, ICON_SIZE)
        self.cell(key, _node_text(n), _node_style(n), parent, box)

    def place_cluster(self, c: DCluster, parent: str) -> None:
        box = self.boxes.get(f"cluster_{c.key}", (0.0, 0.0, 200.0, 100.0))
        st = CLUSTER_STYLE[c.level]
        style = (
            "rounded=1;arcSize=4;whiteSpace=wrap;html=0;container=1;collapsible=0;verticalAlign=top;align=left;"
            f"spacingLeft=6;fontSize=11;fillColor={st['bgcolor']};strokeColor={st['pencolor']};"
            + ("dashed=1;" if "dashed" in st["style"] else "")
            + ("fontStyle=1;" if c.level in ("subscription", "virtual_network") else "")
        )
        self.cell(c.key, c.label, style, parent, box)
        self.origin[c.key] = (box[0], box[1])
        for key in c.nodes:
            self.place_node(key, c.key)
        for child in c.clusters:
            self.place_cluster(child, c.key)


def _node_style(n: DNode) -> str:
    tone = n.tone if n.tone in TINT else "none"
    style = (
        _icon_style(n.icon)
        + "verticalLabelPosition=bottom;verticalAlign=top;labelBackgroundColor="
        + TINT[tone]
        + ";"
    )
    if tone in PALETTE:
        style += f"labelBorderColor={PALETTE[tone]};"
    if n.tone == "ghost":
        style += f"dashed=1;labelBorderColor={PALETTE['ghost']};"
    return style


def _edge_cell(root: ET.Element, cid: str, e: DEdge) -> None:
    color = PALETTE["neutral"] if e.tone == "neutral" else PALETTE[e.tone]
    style = (
        f"html=0;rounded=1;endArrow=classic;strokeColor={color};strokeWidth={_WIDTH[e.style]};"
        f"{_DASH[e.style]}fontSize=9;fontColor={PALETTE['fail'] if e.tone in ('fail', 'ghost') else PALETTE['text']};"
        + ("startArrow=classic;" if e.both else "")
        + ("fontStyle=1;" if e.tone == "fail" else "")
    )
    edge_cell = ET.SubElement(
        root,
        "mxCell",
        {
            "id": cid,
            "value": (GLYPH.get(e.tone, "") + e.label) if e.label else "",
            "style": style,
            "edge": "1",
            "parent": "1",
            "source": e.source,
            "target": e.target,
        },
    )
    ET.SubElement(edge_cell, "mxGeometry", {"relative": "1", "as": "geometry"})


def legend_text(desc: Description) -> str:
    lines = [
        "Legend",
        "NET ✔3 ✘1 ?0 = controls of one domain that pass / fail / are unknown",
        "NET network · IAM identity · ENC encryption · LOG logging · DATA data",
        "label frame: vermillion = a control fails, orange = evidence missing, green = all pass",
        "bold vermillion ✘ line: exposure or broken control (public access, keys/SAS, DNS, CMK, gateway bypass)",
        "dashed orange ⚠ line: link not usable (pending private link, peering not connected)",
        "dashed vermillion ? line: resource referenced but not in the input",
        "solid line: network path, DNS, key, data · dotted line: identity, RBAC, diagnostics",
        "Icons: " + ", ".join(icons.icon(k).title for k in desc.icons_used),
    ]
    return "\n".join(lines)
