"""The page table: every page archgen writes, its file, its template and its place in the navigation.

The navigation, the generated locations the output guard trusts (`guard.GENERATED_FILES` and
`GENERATED_DIRS`) and the repository's `.gitignore` block for the demo site all come from this table;
a test checks the `.gitignore` block is current (`python -m archgen.publish.sitepages` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str
    path: str  # under docs/; `{slug}` for one page per workload or control
    template: str
    nav: str | None  # the navigation entry's title; None for pages reached from another page


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "index.md", "index.md.j2", "Home"),
    PageSpec("changes", "changes.md", "changes.md.j2", "Changes since the last review"),
    PageSpec("workload", "workloads/{slug}.md", "workload.md.j2", "Workloads"),
    PageSpec("workloads", "all-workloads.md", "workloads-index.md.j2", "Workloads"),
    PageSpec("shared", "shared-responsibility.md", "shared-responsibility.md.j2", "Shared responsibility"),
    PageSpec("data", "data-handling.md", "data-handling.md.j2", "Data handling"),
    PageSpec("controls", "controls/index.md", "controls-index.md.j2", "Controls catalogue"),
    PageSpec("control", "controls/{slug}.md", "control.md.j2", None),
    PageSpec("evidence", "evidence.md", "evidence.md.j2", "Evidence"),
)
BY_KEY = {p.key: p for p in PAGES}
# Folders of generated files other than pages: diagrams, downloads, the site's own CSS and JS.
FILE_DIRS = ("diagrams/", "downloads/", "assets/archgen/")


def page(key: str, slug: str = "") -> str:
    """The file (under docs/) of a page of the table."""
    return BY_KEY[key].path.replace("{slug}", slug)


def generated_files() -> frozenset[str]:
    return frozenset(f"docs/{p.path}" for p in PAGES if "{" not in p.path and "/" not in p.path)


def generated_dirs() -> tuple[str, ...]:
    dirs = {f"docs/{p.path.rsplit('/', 1)[0]}/" for p in PAGES if "/" in p.path}
    return tuple(sorted(dirs | {f"docs/{d}" for d in FILE_DIRS}))


def gitignore_block() -> str:
    """The `.gitignore` lines for a project whose generated pages live in the repository's own docs/."""
    lines = ["/.archgen-manifest.json", "/.archgen-staging-*/", "/.archgen-undo-*/", "/.archgen-lock"]
    lines += [f"/{f}" for f in sorted(generated_files())]
    lines += [f"/{d}" for d in generated_dirs()]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a maintainer's helper
    print(gitignore_block())
