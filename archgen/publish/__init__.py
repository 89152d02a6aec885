"""Writing the MkDocs Material project (issue 5). Contract used by the CLI (`archgen.pipeline`):

    write_project(out_dir, RunOutputs(graph, findings, catalogue, run, graph_json, snapshot_json),
                  ProjectOptions(force, ...)) -> Path
    make_bundle(project_dir, output, force) -> Path

See docs/site.md for what archgen owns in the output directory and how regeneration keeps the rest.

The names above are imported on first use: a run that writes no site (`--no-site`, the exports of
`archgen.publish.exports` and `archgen.publish.sarif`) does not load the site writer and its templates.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.publish.bundle import make_bundle
    from archgen.publish.inputs import ProjectOptions, RunOutputs
    from archgen.publish.project import write_project

_HOMES = {
    "ProjectOptions": "archgen.publish.inputs",
    "RunOutputs": "archgen.publish.inputs",
    "make_bundle": "archgen.publish.bundle",
    "write_project": "archgen.publish.project",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = ["ProjectOptions", "RunOutputs", "make_bundle", "write_project"]
