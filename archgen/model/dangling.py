"""The builder's warnings for references from workload members to resources absent from the input."""

from __future__ import annotations

from collections.abc import Mapping

from archgen.model.graph import GraphWarning, Node
from archgen.model.relations import Relation


def dangling_warnings(
    dangling: set[tuple[str, Relation, str]], nodes: Mapping[str, Node]
) -> list[GraphWarning]:
    """One warning per reference from a workload member to a resource absent from the input."""
    out: list[GraphWarning] = []
    for source, relation, target in sorted(dangling):
        missing = source if source not in nodes else target
        what = missing[len("keyvault-uri:") :] if missing.startswith("keyvault-uri:") else missing
        shown_target = target[len("keyvault-uri:") :] if target.startswith("keyvault-uri:") else target
        out.append(
            GraphWarning(
                "dangling_reference",
                f"{source} --{relation.value}--> {shown_target}: {what} is not in the input "
                "(scope too narrow, or no read access)",
                (
                    ("source", source),
                    ("relation", relation.value),
                    ("target", shown_target),
                    ("missing", what),
                ),
            )
        )
    return out
