"""Which Azure Policy built-ins stand behind which controls: read from the catalogue's references, whose titles
name each built-in by GUID (`Azure Policy {guid}: {display name}`, checked against policy-definitions.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache

from archgen.controls.catalogue import load

POLICY_TITLE = re.compile(r"^Azure Policy ([0-9a-f-]{36}): (.+)$")
PUBLIC_NETWORK_CONTROL = "AOAI-NET-01"  # the account's public network access control
POLICY_NETWORK_CONTROL = "AOAI-NET-10"  # judges the others' enforcement; cites no built-in of its own


@lru_cache(maxsize=1)
def policies() -> dict[str, tuple[tuple[str, str], ...]]:
    """Control id -> ((guid, display name), ...) of the built-ins its references cite, in catalogue order."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for c in load().controls:
        found = tuple((m.group(1), m.group(2)) for r in c.references if (m := POLICY_TITLE.match(r.title)))
        if found:
            out[c.id] = found
    return out


@lru_cache(maxsize=64)
def network_policies(resource_type: str) -> tuple[tuple[str, str, str], ...]:
    """(control id, guid, name) of the network-family controls of `resource_type` that have a built-in."""
    table = policies()
    return tuple(
        (c.id, guid, name)
        for c in load().controls
        if c.domain == "network" and c.applies_to == resource_type and c.id != POLICY_NETWORK_CONTROL
        for guid, name in table.get(c.id, ())
    )
