"""archgen's block of mkdocs.yml: site name, Material theme, Markdown extensions and the navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from archgen.publish import owned
from archgen.publish.escape import safe_title
from archgen.publish.pages import SiteModel
from archgen.publish.shared import workloads_in_nav
from archgen.publish.sitepages import BY_KEY, page

SITE_NAME = "Azure OpenAI security review"
ASSET_DIR = "assets/archgen"
MARKDOWN_EXTENSIONS: list[Any] = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "pymdownx.details",
    "pymdownx.superfences",
    {"pymdownx.highlight": {"use_pygments": True}},
    {"toc": {"permalink": True}},
]


def theme() -> dict[str, Any]:
    """Material, no web fonts, light and dark palettes with a toggle."""
    return {
        "name": "material",
        "font": False,
        "language": "en",
        "features": [
            "navigation.top",
            "navigation.footer",
            "search.highlight",
            "toc.follow",
            "content.code.copy",
        ],
        "palette": [
            {
                "media": "(prefers-color-scheme: light)",
                "scheme": "default",
                "primary": "indigo",
                "accent": "indigo",
                "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"},
            },
            {
                "media": "(prefers-color-scheme: dark)",
                "scheme": "slate",
                "primary": "indigo",
                "accent": "indigo",
                "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"},
            },
        ],
    }


def user_pages(out_dir: Path, generated: set[str], previous: dict[str, str]) -> list[str]:
    """Markdown pages in docs/ that archgen did not generate (they stay in the navigation)."""
    docs = out_dir / "docs"
    if not docs.is_dir():
        return []
    pages = []
    for p in sorted(docs.rglob("*.md")):
        rel = p.relative_to(out_dir).as_posix()
        parts = p.relative_to(docs).parts
        if rel in generated or any(part.startswith(".") for part in parts):
            continue
        if owned.ownership(p, rel, previous) == "owned":
            continue  # archgen's page from an earlier run, about to be removed
        pages.append(p.relative_to(docs).as_posix())
    return pages


def nav(site: SiteModel, user_pages: list[str]) -> list[Any]:
    nav: list[Any] = [{BY_KEY["home"].nav: page("home")}]
    if site.workloads and workloads_in_nav(site):
        nav.append(
            {
                BY_KEY["workload"].nav: [
                    {safe_title(w.workload.name): page("workload", w.slug)} for w in site.workloads
                ]
            }
        )
    elif site.workloads:  # one page listing them, not an entry per workload in every page's menu
        nav.append({BY_KEY["workloads"].nav: page("workloads")})
    nav.append({BY_KEY["shared"].nav: page("shared")})
    nav.append({BY_KEY["data"].nav: page("data")})
    controls: list[Any] = [{"Overview": page("controls")}]
    if not site.workloads or workloads_in_nav(site):  # a large estate: the overview's table links them
        controls += [{safe_title(cv.control.id): page("control", cv.slug)} for cv in site.controls]
    nav.append({BY_KEY["controls"].nav: controls})
    nav.append({BY_KEY["evidence"].nav: page("evidence")})
    if user_pages:
        nav.append({"Documentation": user_pages})
    return nav


def block_yaml(site: SiteModel, user_pages: list[str], user_keys: set[str]) -> str:
    block: dict[str, Any] = {}
    if "site_name" not in user_keys:
        block["site_name"] = SITE_NAME
    if "site_description" not in user_keys:
        block["site_description"] = (
            "Security posture of Azure OpenAI workloads under the shared-responsibility model"
        )
    block["theme"] = theme()
    block["plugins"] = ["search"]
    block["markdown_extensions"] = MARKDOWN_EXTENSIONS
    block["extra_css"] = [f"{ASSET_DIR}/archgen.css"]
    block["extra_javascript"] = [f"{ASSET_DIR}/archgen.js"]
    block["nav"] = nav(site, user_pages)
    if site.workloads and not workloads_in_nav(site) and "not_in_nav" not in user_keys:
        # reached from the Workloads page and the controls overview, on purpose: an entry per workload
        # and per control in every page's menu was ~10 % of a 2,000-workload build
        block["not_in_nav"] = "/workloads/*.md\n/controls/*.md\n"
    return yaml.safe_dump(block, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
