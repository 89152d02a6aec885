"""Writing the MkDocs Material project (issue 5). Contract used by the CLI (`archgen.pipeline`):

    write_project(out_dir, RunOutputs(graph, findings, catalogue, run, graph_json, snapshot_json),
                  ProjectOptions(force, ...)) -> Path
    make_bundle(project_dir, output, force) -> Path

See docs/site.md for what archgen owns in the output directory and how regeneration keeps the rest.
"""

from __future__ import annotations

from archgen.publish.bundle import make_bundle
from archgen.publish.inputs import ProjectOptions, RunOutputs
from archgen.publish.project import write_project

__all__ = ["ProjectOptions", "RunOutputs", "make_bundle", "write_project"]
