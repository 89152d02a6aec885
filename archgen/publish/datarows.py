"""The data-handling page's rows: each workload's key, storage, abuse-monitoring opt-out and deployments."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from archgen.controls.findings import Status
from archgen.model.facts import customer_storage
from archgen.model.graph import Graph
from archgen.model.types import cognitive, storage
from archgen.publish.escape import as_markup
from archgen.publish.pages import SiteModel, WorkloadView, status_badge


def data_rows(graph: Graph, site: SiteModel) -> list[dict[str, Any]]:
    """One row per workload: where its data is encrypted and stored, abuse monitoring, deployments."""
    rows = []
    for w in site.workloads:
        acct = w.account.attrs
        key, stores = _key_and_storage(graph, w)
        abuse_badge, abuse_text = _abuse_monitoring(w)
        rows.append(
            {
                "name": w.workload.name,
                "slug": w.slug,
                "location": w.account.location,
                "key": key,
                "storage": ", ".join(stores) or "none",
                "abuse_badge": abuse_badge,
                "abuse": abuse_text,
                "deployments": _deployments(acct),
                "deployments_collected": isinstance(acct, cognitive.Account) and acct.deployments_collected,
            }
        )
    return rows


def _key_and_storage(graph: Graph, w: WorkloadView) -> tuple[str, list[str]]:
    """The account's encryption key in words, and its customer storage accounts with theirs."""
    acct = w.account.attrs
    if not isinstance(acct, cognitive.Account):
        return "not known (the account's attributes were not read)", []
    if acct.key_source == "microsoft.keyvault":
        vault = (acct.key_vault_uri or "an unnamed vault").removeprefix("https://")
        key = f"Customer-managed key '{acct.key_name or '?'}' in {vault}"
    else:
        key = "Microsoft-managed key"
    stores: list[str] = []
    for sid, how in customer_storage(graph, w.workload.id).items():
        node = graph.nodes.get(sid)
        st = node.attrs if node is not None else None
        if isinstance(st, storage.StorageAccount) and node is not None:
            cmk = "customer-managed key" if st.key_source == "microsoft.keyvault" else "Microsoft-managed key"
            stores.append(f"{node.name} ({how}; {cmk})")
        else:
            stores.append(f"{sid.rsplit('/', 1)[-1]} ({how}; not in the input)")
    return key, stores


def _abuse_monitoring(w: WorkloadView) -> tuple[Markup, str]:
    """The abuse-monitoring opt-out (AOAI-DATA-01 on the account): badge and words."""
    abuse = next(
        (fv for fv in w.findings if fv.control.id == "AOAI-DATA-01" and fv.finding.resource == w.workload.id),
        None,
    )
    if abuse is None:
        return as_markup(""), "not evaluated"
    if abuse.finding.status is Status.PASS:
        return status_badge(Status.PASS), "approved (ContentLogging = false): no prompt is stored for review"
    return status_badge(abuse.finding.status), (
        "not approved: prompts and completions selected for human review may be stored in the "
        "resource's geography"
    )


def _deployments(acct: object) -> list[dict[str, Any]]:
    """The account's model deployments, each with where it processes prompts."""
    if not isinstance(acct, cognitive.Account):
        return []
    return [
        {
            "name": d.name,
            "model": " ".join(x for x in (d.model, d.model_version) if x) or "not set",
            "sku": d.sku or "not set",
            "where": _PROCESSED_IN.get(d.processing, "not known for this deployment type"),
            "badge": status_badge(Status.FAIL if d.processing == "global" else Status.PASS)
            if d.processing != "unknown"
            else status_badge(Status.UNKNOWN),
        }
        for d in acct.deployments
    ]


# Where each deployment type processes prompts and completions (Microsoft's deployment-types page).
_PROCESSED_IN = {
    "geography": "the account's Azure geography (possibly across its regions)",
    "data zone": "the Microsoft-defined data zone (EU or US) of the account's region",
    "global": "any geography where the model is deployed",
}
