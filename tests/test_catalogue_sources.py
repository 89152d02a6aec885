"""The catalogue's citations hold up: Azure Policy by GUID and current name, pages with their ms.date,
and no Microsoft-side claim that Microsoft's current pages do not make."""

from __future__ import annotations

import re
import urllib.parse
from importlib import resources
from pathlib import Path

import yaml

from archgen.controls.catalogue import load

POLICY_TITLE = re.compile(r"^Azure Policy ([0-9a-f-]{36}): (.+)$")


def _definitions() -> dict[str, dict[str, str]]:
    text = resources.files("archgen.controls").joinpath("policy-definitions.yaml").read_text(encoding="utf-8")
    return {d["guid"]: d for d in yaml.safe_load(text)["definitions"]}


def _all_references() -> list[tuple[str, str]]:
    catalogue = load()
    refs = [r for c in catalogue.controls for r in c.references]
    refs += [r for d in catalogue.microsoft_duties for r in (*d.sources, *d.attestations)]
    return [(r.title, r.url) for r in refs]


def test_every_cited_policy_is_in_the_table_by_guid_current_name_and_path() -> None:
    table = _definitions()
    cited = {}
    for title, url in _all_references():
        m = POLICY_TITLE.match(title)
        if m:
            cited[m.group(1)] = (m.group(2), url)
    assert cited, "the catalogue cites Azure Policy built-ins"
    assert set(cited) <= set(table)
    for guid, (name, url) in cited.items():
        assert name == table[guid]["display_name"], guid
        assert url.endswith(urllib.parse.quote(table[guid]["path"])), guid


def test_every_policy_in_the_table_is_cited_and_pinned_to_a_commit() -> None:
    table = _definitions()
    cited = {m.group(1) for t, _u in _all_references() if (m := POLICY_TITLE.match(t))}
    assert set(table) == cited
    assert all(re.fullmatch(r"[0-9a-f]{40}", d["commit"]) for d in table.values())


def test_microsoft_pages_cited_for_azure_openai_carry_their_ms_date() -> None:
    catalogue = load()
    undated = {
        r.url
        for c in catalogue.controls
        for r in c.references
        if ("/ai-services/" in r.url or "/ai-foundry/" in r.url or "/foundry/" in r.url) and not r.date
    }
    assert undated <= {"https://learn.microsoft.com/azure/ai-services/cognitive-services-custom-subdomains"}


def test_no_retired_claims_about_microsofts_side() -> None:
    """Claims Microsoft's current pages do not support must not come back (fidelity review)."""
    texts = [Path("archgen/controls/catalogue.yaml").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in Path("archgen/publish/templates").rglob("*.j2")]
    joined = "\n".join(texts)
    assert "up to 30 days" not in joined
    assert "legal/cognitive-services/openai/data-privacy" not in joined
    assert "not a Key Vault trusted service" not in joined
    assert 'servicetrust.microsoft.com/"' not in joined  # the portal's home page is not an attestation
