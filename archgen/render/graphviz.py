"""Description -> DOT through `diagrams` (the only module that imports it) -> SVG, PNG and a layout.

`diagrams` is used for its Azure icon classes and its Diagram/Cluster/Node/Edge builders, with its traps
worked around here: every node gets our own id, every cluster our own key (not its label), nothing is
written to the current directory (the Diagram's own render is skipped), and labels are Graphviz
HTML-like labels we build with full escaping, so no resource name can reach DOT syntax. One `dot`
process lays the graph out once and writes SVG, PNG and the JSON layout the draw.io writer reuses.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

from archgen.errors import MissingProgramError
from archgen.render import icons
from archgen.render.description import DOMAIN_ABBREV, Badge, DCluster, DEdge, Description, DNode, clean

FONT = "DejaVu Sans"
# Okabe-Ito palette (colour-blind safe); every colour is paired with a glyph or a line style.
PALETTE: dict[str, str] = {
    "pass": "#009E73",
    "fail": "#D55E00",
    "unknown": "#E69F00",
    "neutral": "#4D5D6C",
    "warn": "#E69F00",
    "ghost": "#D55E00",
    "network": "#0072B2",
    "text": "#1F2A33",
    "muted": "#5B6B79",
}
TINT: dict[str, str] = {"pass": "#DDF2EA", "fail": "#FBE1D0", "unknown": "#FDF0D2", "none": "#FFFFFF"}
GLYPH: dict[str, str] = {"fail": "✘ ", "warn": "⚠ ", "ghost": "? ", "neutral": ""}
CLUSTER_STYLE: dict[str, dict[str, str]] = {
    "subscription": {"bgcolor": "#F3F5F7", "pencolor": "#7A8793", "style": "rounded", "penwidth": "1.4"},
    "resource_group": {
        "bgcolor": "#FFFFFF",
        "pencolor": "#9AA5AF",
        "style": "rounded,dashed",
        "penwidth": "1",
    },
    "virtual_network": {"bgcolor": "#EAF3FA", "pencolor": "#0072B2", "style": "rounded", "penwidth": "1.2"},
    "subnet": {"bgcolor": "#FFFFFF", "pencolor": "#56B4E9", "style": "rounded,dashed", "penwidth": "1"},
}
EDGE_STYLE: dict[str, dict[str, str]] = {
    "solid": {"style": "solid", "penwidth": "1.3"},
    "dashed": {"style": "dashed", "penwidth": "1.6"},
    "dotted": {"style": "dotted", "penwidth": "1.4"},
    "bold": {"style": "bold", "penwidth": "3"},
}
DOT_TIMEOUT_S = 300


def esc(text: str) -> str:
    """Escape for a Graphviz HTML-like label or attribute (also valid XML text)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("[", "&#91;")  # Graphviz 2.43's HTML lexer fails on a text of only ']'
        .replace("]", "&#93;")
        .replace("\n", " ")
        .replace("\r", " ")
    )


def _font(text: str, size: int = 10, color: str = PALETTE["text"], bold: bool = False) -> str:
    inner = esc(text) or "&#160;"  # Graphviz rejects empty <B></B>
    inner = f"<B>{inner}</B>" if bold else inner
    return f'<FONT POINT-SIZE="{size}" COLOR="{color}">{inner}</FONT>'


def _badge_cell(b: Badge) -> str:
    color = PALETTE[b.tone]
    return (
        f'<TD BORDER="1" COLOR="{color}" BGCOLOR="{TINT[b.tone]}" CELLPADDING="2">'
        f"{_font(b.text, 9, PALETTE['text'], bold=b.tone == 'fail')}</TD>"
    )


def node_label(n: DNode, icon_path: Path) -> str:
    """An HTML-like label: icon, name, what it is and its details, then the badge rows."""
    rows = [
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="44" HEIGHT="44"><IMG SRC="{esc(str(icon_path))}" SCALE="TRUE"/></TD></TR>',
        f"<TR><TD>{_font(n.label, 11, bold=True)}</TD></TR>",
        f"<TR><TD>{_font(' · '.join((n.title, *n.details)), 9, PALETTE['muted'])}</TD></TR>",
    ]
    rows += [f"<TR><TD>{_font(tag, 8, PALETTE['muted'])}</TD></TR>" for tag in n.tags]
    for start in range(0, len(n.badges), 3):
        cells = "".join(_badge_cell(b) for b in n.badges[start : start + 3])
        rows.append(
            f'<TR><TD><TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0"><TR>{cells}</TR></TABLE></TD></TR>'
        )
    if n.rows:
        table = []
        for name, badges in n.rows:
            cells = "".join(_badge_cell(b) for b in badges)
            table.append(f'<TR><TD ALIGN="LEFT">{_font(name, 9, bold=True)}</TD>{cells}</TR>')
        rows.append(
            f'<TR><TD><TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1">{"".join(table)}</TABLE></TD></TR>'
        )
    frame = ' BORDER="0"'
    if n.tone == "ghost":
        frame = f' BORDER="1" STYLE="dashed" COLOR="{PALETTE["ghost"]}"'
    elif n.key == "internet":
        frame = f' BORDER="2" COLOR="{PALETTE["fail"]}"'
    tip = f' TOOLTIP="{esc(clean(n.resource_id, 400) or n.label)}"'
    return f'<<TABLE CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"{frame}{tip}>{"".join(rows)}</TABLE>>'


def cluster_label(c: DCluster) -> str:
    bold = c.level in ("subscription", "virtual_network")
    size = 12 if c.level == "subscription" else 10
    return f"<{_font(c.label, size, PALETTE['text'], bold=bold)}>"


def edge_label(e: DEdge) -> str:
    if not e.label:
        return ""
    color = PALETTE["fail"] if e.tone in ("fail", "ghost") else PALETTE["text"]
    return f"<{_font(GLYPH.get(e.tone, '') + e.label, 9, color, bold=e.tone == 'fail')}>"


def legend_label(icons_used: tuple[str, ...]) -> str:
    """The legend: badges, colours, line styles and the icons this diagram uses."""

    def row(left: str, right: str) -> str:
        return f'<TR><TD ALIGN="LEFT">{left}</TD><TD ALIGN="LEFT">{right}</TD></TR>'

    domains = " · ".join(f"{a} {d}" for d, a in DOMAIN_ABBREV.items())
    rows = [
        f'<TR><TD COLSPAN="2" ALIGN="LEFT">{_font("Legend", 11, bold=True)}</TD></TR>',
        row(
            _font("NET ✔3 ✘1 ?0", 9, bold=True),
            _font("badge: controls of one domain that pass ✔ / fail ✘ / are unknown ?", 9),
        ),
        row(_font("domains", 9, bold=True), _font(domains, 9)),
    ]
    for tone, words in (("fail", "a control fails"), ("unknown", "evidence missing"), ("pass", "all pass")):
        rows.append(
            f'<TR><TD ALIGN="LEFT" BORDER="1" COLOR="{PALETTE[tone]}" BGCOLOR="{TINT[tone]}">'
            f'{_font(tone, 9)}</TD><TD ALIGN="LEFT">{_font("badge colour: " + words, 9)}</TD></TR>'
        )
    lines = (
        (
            "━━━ ✘",
            "fail",
            "bold: exposure or broken control (public access, keys/SAS, DNS, CMK, gateway bypass)",
        ),
        ("─ ─ ⚠", "warn", "dashed: link not usable (pending private link, peering not connected)"),
        ("─ ─ ?", "ghost", "dashed to a dashed box: resource referenced but not in the input"),
        ("────", "neutral", "solid: network path, DNS, encryption key, data"),
        ("·······", "neutral", "dotted: identity, RBAC, diagnostics"),
    )
    for glyph, tone, words in lines:
        rows.append(row(_font(glyph, 10, PALETTE[tone], bold=True), _font(words, 9)))
    icon_rows = []
    for key in icons_used:
        path = icons.icon_file(key)
        icon_rows.append(
            f'<TR><TD FIXEDSIZE="TRUE" WIDTH="20" HEIGHT="20"><IMG SRC="{esc(str(path))}" SCALE="TRUE"/></TD>'
            f'<TD ALIGN="LEFT">{_font(icons.icon(key).title, 9)}</TD></TR>'
        )
    left = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">{"".join(rows)}</TABLE>'
    right = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">{"".join(icon_rows)}</TABLE>'
    return (
        '<TABLE BORDER="1" COLOR="#7A8793" STYLE="rounded" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2">'
        f'<TR><TD VALIGN="TOP">{left}</TD><TD VALIGN="TOP">{right}</TD></TR></TABLE>'
    )


def header_label(desc: Description) -> str:
    """The graph label: title, subtitle and what was collapsed on the left, the legend on the right."""
    lines = [_font(desc.title, 16, bold=True), _font(desc.subtitle, 10, PALETTE["muted"])]
    for sentence in desc.collapsed:
        lines += [_font(part, 9, PALETTE["muted"]) for part in textwrap.wrap("Collapsed: " + sentence, 110)]
    left = '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'
    return (
        '<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
        f'<TD VALIGN="TOP" ALIGN="LEFT" BALIGN="LEFT">{left}</TD><TD WIDTH="40">&#160;</TD>'
        f'<TD VALIGN="TOP" ALIGN="LEFT">{legend_label(desc.icons_used)}</TD></TR></TABLE>>'
    )


def _diagrams_classes() -> tuple[Any, Any, Any, Any]:
    """`diagrams` builders, with the Diagram's own render (which writes to cwd-relative files) skipped."""
    import diagrams

    class QuietDiagram(diagrams.Diagram):  # type: ignore[misc]
        def __exit__(self, *exc: object) -> None:
            diagrams.setdiagram(None)

    return QuietDiagram, diagrams.Cluster, diagrams.Edge, diagrams.setcluster


# The graph's, nodes' and edges' defaults (the graph's label, the title, is added per diagram).
_GRAPH_ATTR = {
    "labelloc": "t",
    "labeljust": "l",
    "fontname": FONT,
    "splines": "polyline",
    "pad": "0.3",
    "nodesep": "0.35",
    "ranksep": "0.9",
    "newrank": "true",
    "compound": "true",
    "outputorder": "edgesfirst",
    "bgcolor": "white",
}
_NODE_ATTR = {"fontname": FONT, "shape": "plaintext", "fixedsize": "false", "width": "0", "height": "0"}
_EDGE_ATTR = {"fontname": FONT, "arrowsize": "0.7"}


def _edge_attrs(e: DEdge) -> dict[str, str]:
    color = PALETTE["neutral"] if e.tone == "neutral" else PALETTE[e.tone]
    attrs = {**EDGE_STYLE[e.style], "color": color, "fontname": FONT}
    if e.both:
        attrs["dir"] = "both"
    return attrs


def to_dot(desc: Description) -> str:
    """The DOT source of a description, built with `diagrams` classes and our own ids."""
    diagram_cls, cluster_cls, edge_cls, _ = _diagrams_classes()
    title = header_label(desc)
    by_key = {n.key: n for n in desc.nodes}
    made: dict[str, Any] = {}
    with diagram_cls(
        name="archgen",
        filename="archgen",
        direction="LR",
        outformat="svg",
        show=False,
        graph_attr={"label": title, **_GRAPH_ATTR},
        node_attr=dict(_NODE_ATTR),
        edge_attr=dict(_EDGE_ATTR),
    ) as diagram:
        diagram.dot.graph_attr["label"] = title  # diagrams sets the label to the name; ours is HTML

        def draw_node(key: str) -> None:
            n = by_key[key]
            cls = icons.icon_class(n.icon)
            made[key] = cls(
                node_label(n, icons.icon_file(n.icon)),
                nodeid=key,
                shape="plaintext",
                image="",
                height="0",
                width="0",
                margin="0",
            )

        def draw_cluster(c: DCluster) -> None:
            attrs = {**CLUSTER_STYLE[c.level], "fontname": FONT, "margin": "10"}
            with cluster_cls(label=cluster_label(c), graph_attr=attrs) as cl:
                cl.dot.name = f"cluster_{c.key}"  # diagrams names clusters from their label: not unique
                for key in c.nodes:
                    draw_node(key)
                for child in c.clusters:
                    draw_cluster(child)

        for c in desc.clusters:
            draw_cluster(c)
        for key in desc.top_level:
            draw_node(key)
        for e in desc.edges:
            made[e.source] >> edge_cls(label=edge_label(e), **_edge_attrs(e)) >> made[e.target]
        source: str = diagram.dot.source
    return source


def dot_program() -> str:
    """The path of Graphviz's `dot`; MissingProgramError when it is not on PATH."""
    exe = shutil.which("dot")
    if exe is None:
        raise MissingProgramError("dot", "Graphviz, which draws the diagrams", "graphviz")
    return exe


def run_dot(dot_source: str, workdir: Path, basename: str, png: bool = True) -> dict[str, Path]:
    """One `dot` run writing SVG, the JSON layout and (when `png`) PNG into `workdir`.

    Rasterising the PNG is 85-94% of a run's time, so callers ask for it only when it is wanted."""
    exe = dot_program()
    src = workdir / f"{basename}.dot"
    src.write_text(dot_source, encoding="utf-8")
    formats = (
        (("svg", "svg"), ("png", "png"), ("json0", "json")) if png else (("svg", "svg"), ("json0", "json"))
    )
    out = {fmt: workdir / f"{basename}.{ext}" for fmt, ext in formats}
    cmd = [exe, "-Gcharset=UTF-8"]
    for fmt, path in out.items():
        cmd += [f"-T{fmt}", f"-o{path}"]
    cmd.append(str(src))
    proc = subprocess.run(cmd, capture_output=True, timeout=DOT_TIMEOUT_S, check=False, cwd=workdir)
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')[:500]}")
    files = {"svg": out["svg"], "json": out["json0"], "dot": src}
    if png:
        files["png"] = out["png"]
    return files
