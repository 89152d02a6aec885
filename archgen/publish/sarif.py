"""SARIF 2.1.0 for pipelines (GitHub code scanning, Azure DevOps): one result per failing finding.

Rules come from the catalogue (title, rationale, remediation, severity, references); results carry a
stable `partialFingerprints` entry per control and resource, so a pipeline tracks a finding across runs;
findings covered by a live acceptance carry an external, accepted `suppressions` entry with the board's
justification. Azure resources are not files: each result points at the resource id as a relative URI
(what code-scanning viewers show as the path) and names it as a logical location.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from archgen.controls.catalogue import Catalogue, Control
from archgen.publish.exports import FindingRow, framework_ids

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning reads `security-severity` (CVSS-like 0.0-10.0) to rank security results.
SECURITY_SEVERITY = {"high": "8.0", "medium": "5.5", "low": "3.0"}
FINGERPRINT_KEY = "archgenFinding/v1"


def fingerprint(control_id: str, resource_id: str) -> str:
    """Stable identity of a finding: the control and the resource id (case-insensitive)."""
    key = f"{control_id}|{resource_id.strip().rstrip('/').lower()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _rule(control: Control) -> dict[str, Any]:
    frameworks = framework_ids(control)
    rule: dict[str, Any] = {
        "id": control.id,
        "name": "".join(part.capitalize() for part in control.id.replace("_", "-").split("-")),
        "shortDescription": {"text": control.title},
        "fullDescription": {"text": " ".join(control.rationale.split())},
        "help": {
            "text": " ".join(control.remediation.split()),
            "markdown": control.remediation.strip()
            + "\n\n"
            + "\n".join(f"- [{r.title}]({r.url})" for r in control.references),
        },
        "defaultConfiguration": {"level": LEVEL[control.severity]},
        "properties": {
            "tags": ["security", control.domain, f"responsibility:{control.responsibility}", *frameworks],
            "security-severity": SECURITY_SEVERITY[control.severity],
            "precision": "high",
            "problem.severity": {"high": "error", "medium": "warning", "low": "recommendation"}[
                control.severity
            ],
        },
    }
    if control.references:
        rule["helpUri"] = control.references[0].url
    if control.aliases:
        rule["deprecatedIds"] = list(control.aliases)
    return rule


def _uri(resource_id: str) -> str:
    return quote(resource_id.strip().lstrip("/"), safe="/-._~")


def _result(row: FindingRow, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": row.control,
        "ruleIndex": index,
        "level": LEVEL[row.severity],
        "message": {"text": f"{row.title}: {row.reason}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(row.resource_id)},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [
                    {"name": row.resource_name, "fullyQualifiedName": row.resource_id, "kind": "resource"}
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(row.control, row.resource_id)},
        "properties": {
            "workload": row.workload,
            "resourceType": row.resource_type,
            "responsibility": row.responsibility,
            "owner": row.owner,
            "due": row.due,
            "remediation": row.remediation,
        },
    }
    if row.acceptance == "accepted":
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{row.justification} (approved by {row.approver}; accepted until {row.accepted_until})",
            }
        ]
    elif row.acceptance == "expired":
        result["properties"]["acceptanceExpired"] = row.accepted_until
    return result


def sarif_document(rows: Sequence[FindingRow], catalogue: Catalogue, version: str) -> dict[str, Any]:
    """The SARIF log: every catalogue control as a rule, one result per failing finding."""
    controls = sorted(catalogue.controls, key=lambda c: c.id)
    index = {c.id: n for n, c in enumerate(controls)}
    failing = sorted(
        (r for r in rows if r.status == "fail"), key=lambda r: (r.control, r.resource_id.lower())
    )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "archgen",
                        "version": version,
                        "semanticVersion": version,
                        "rules": [_rule(c) for c in controls],
                    }
                },
                "automationDetails": {"id": "archgen/azure-openai-review/"},
                "columnKind": "unicodeCodePoints",
                "results": [_result(r, index[r.control]) for r in failing],
            }
        ],
    }


def sarif_text(rows: Sequence[FindingRow], catalogue: Catalogue, version: str) -> str:
    """Deterministic JSON text (sorted keys, two-space indent, trailing newline)."""
    return (
        json.dumps(sarif_document(rows, catalogue, version), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def is_archgen_sarif(text: str) -> bool:
    try:
        data = json.loads(text)
        return bool(data["runs"][0]["tool"]["driver"]["name"] == "archgen")
    except (ValueError, KeyError, IndexError, TypeError):
        return False
