"""Custom blocklists a content filter (RAI) policy applies (issue 11 §1): evidence only, no verdict
(Microsoft does not require blocklists).

Source: `specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2024-10-01/
cognitiveservices.json`: `RaiPolicyProperties.customBlocklists[]` is a `CustomBlocklistConfig` with `source`
(`RaiPolicyContentSource`: Prompt, Completion) and, from `RaiBlocklistConfig`, `blocklistName` and `blocking`
("If blocking would occur"). How blocklists attach to a filter: "Use a blocklist with Azure OpenAI"
(https://learn.microsoft.com/azure/ai-services/openai/how-to/use-blocklists, ms.date 02/20/2025).

Only the policy's reference (name, source, blocking) is kept. The blocklists themselves (`accounts/raiBlocklists`,
`RaiBlocklistProperties`: a free-text `description`) and their items (`RaiBlocklistItemProperties`: `pattern`,
`isRegex`: the blocked terms, possibly sensitive) are never read.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from archgen.model import props

SOURCES = {"prompt": "prompt", "completion": "completion"}  # RaiPolicyContentSource, compared lower-case


class BlocklistUse(msgspec.Struct, frozen=True):
    """One custom blocklist as a content filter policy applies it."""

    name: str
    source: str  # "prompt" | "completion" | "not set" (absent or not in the spec's enum)
    blocking: bool | None  # None = the policy does not say

    @property
    def shown(self) -> str:
        blocking = {True: "blocking", False: "annotate only", None: "blocking not set"}[self.blocking]
        return f"{self.name} ({self.source}, {blocking})"


def parse_blocklists(properties: Mapping[str, object]) -> tuple[BlocklistUse, ...]:
    """The policy's `customBlocklists`, sorted; entries without a `blocklistName` are dropped."""
    out = set()
    for item in props.items(properties, "customBlocklists"):
        name = props.get_str(item, "blocklistName")
        if not name:
            continue
        source = SOURCES.get((props.get_str(item, "source") or "").lower(), "not set")
        out.add(BlocklistUse(name, source, props.get_bool(item, "blocking")))
    return tuple(sorted(out, key=lambda b: (b.name.lower(), b.name, b.source, str(b.blocking))))
