"""Findings under incomplete discovery: a pass the missing evidence could overturn becomes `unknown`.

When a lookup query failed or was cut short after the seed (`Graph.incomplete`, kind `lookup`), any
workload may lack what that query would have found (a DNS zone link, a role assignment, a private
endpoint). Its `pass` findings were decided on partial evidence, so they are reported as `unknown`
with the reason. Its `fail` findings stay failures (a real failure must not be hidden) but their
reason says that the verdict may rest on missing evidence (a log destination the failed lookup would
have found, say). ARM read gaps need nothing
here: their resources are left out of `diagnostics_collected` / `deployments_collected`, which already
makes the controls that read them `unknown`.
"""

from __future__ import annotations

from archgen.controls.findings import Finding, Status
from archgen.model.coverage import LOOKUP
from archgen.model.graph import Graph
from archgen.model.records import replace


def mark_incomplete(graph: Graph, findings: list[Finding]) -> list[Finding]:
    """`findings`, with the passes of workloads that a failed lookup may have cut short made unknown."""
    if not any(g.kind == LOOKUP for g in graph.incomplete):
        return findings
    reasons: dict[str, str] = {}
    for w in graph.workloads:
        lookups = [g for g in graph.gaps_for(w.id) if g.kind == LOOKUP]
        if lookups:
            names = ", ".join(sorted({g.query for g in lookups}))
            for member in w.members:
                reasons.setdefault(member, names)
    out = []
    for f in findings:
        if f.status is Status.PASS and f.resource in reasons:
            reason = (
                f"Discovery was incomplete (query {reasons[f.resource]} failed), so evidence that would fail "
                f"this control may be missing; on what was read: {f.reason}"
            )
            out.append(replace(f, status=Status.UNKNOWN, reason=reason))
        elif f.status is Status.FAIL and f.resource in reasons:
            note = f" (Discovery was incomplete: query {reasons[f.resource]} failed; this failure may rest on missing evidence.)"
            out.append(replace(f, reason=f.reason + note))
        else:
            out.append(f)
    return out
