"""ARM reads of an AI Services account's Foundry side: its connections, its projects and each project's
connections (none of it is in Resource Graph's `resources` table as far as Microsoft documents; the lists
are `Projects - List`, `Account Connections - List` and `Project Connections - List`, 2025-06-01).

A read starts the moment the expansion finds the account and runs on the ARM reader while the Resource
Graph queries wait for their quota. Its rows join the expansion as soon as it ends, and at the latest when
the expansion would otherwise stop, so the resources the connections name (`metadata.ResourceId`) are read
in the following hop. Connection rows are reduced to a whitelist of fields before they exist
(`foundry.safe_connection`): the `credentials` an ARM list may return for key, SAS or secret auth types
never reach a row, the snapshot or a document. The accounts whose every list was read are recorded
(`collected`, the snapshot's `foundry_collected`): for them no connection row means no connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from archgen.discovery.failures import QueryFailure
from archgen.discovery.rows import gap
from archgen.model.ids import norm_id
from archgen.model.types.foundry import safe_connection

if TYPE_CHECKING:
    from archgen.discovery.armreads import ArmReads

PROJECT_TYPE = "Microsoft.CognitiveServices/accounts/projects"
ACCOUNT_CONNECTION_TYPE = "Microsoft.CognitiveServices/accounts/connections"
PROJECT_CONNECTION_TYPE = "Microsoft.CognitiveServices/accounts/projects/connections"
CAPABILITY_HOST_TYPE = "Microsoft.CognitiveServices/accounts/projects/capabilityHosts"
CAPABILITY_PROPERTIES = (
    "capabilityHostKind",
    "threadStorageConnections",
    "vectorStoreConnections",
    "storageConnections",
    "aiServicesConnections",
)
PROJECT_FIELDS = ("id", "name", "type", "location", "tags", "identity")
PROJECT_PROPERTIES = ("displayName", "description", "isDefault")


def child_id(item: Mapping[str, Any], parent_id: str, segment: str) -> str:
    """The item's own id when it is a child of `parent_id`, else `{parent}/{segment}/{name}`: a row never
    lands on another resource than the one whose list returned it."""
    rid = item.get("id")
    if isinstance(rid, str) and norm_id(rid).startswith(norm_id(parent_id) + f"/{segment.lower()}/"):
        return rid
    name = item.get("name")
    return f"{parent_id}/{segment}/{name if isinstance(name, str) and name else 'item'}"


def project_row(item: Mapping[str, Any], account_id: str) -> dict[str, Any]:
    """A project as ARM lists it, reduced to what archgen reads."""
    row = {k: item[k] for k in PROJECT_FIELDS if k in item}
    raw = item.get("properties")
    properties = raw if isinstance(raw, Mapping) else {}
    row["properties"] = {k: properties[k] for k in PROJECT_PROPERTIES if k in properties}
    row["id"] = child_id(item, account_id, "projects")
    row["type"] = PROJECT_TYPE
    return row


def capability_host_row(item: Mapping[str, Any], project_id: str) -> dict[str, Any]:
    """A capability host reduced to the connection names it uses (and its kind)."""
    raw = item.get("properties")
    properties = raw if isinstance(raw, Mapping) else {}
    row: dict[str, Any] = {k: item[k] for k in ("id", "name") if isinstance(item.get(k), str)}
    row["properties"] = {k: properties[k] for k in CAPABILITY_PROPERTIES if k in properties}
    row["id"] = child_id(item, project_id, "capabilityHosts")
    row["type"] = CAPABILITY_HOST_TYPE
    return row


def connection_row(item: Mapping[str, Any], parent_id: str, row_type: str) -> dict[str, Any]:
    row = safe_connection(item)
    row["id"] = child_id(item, parent_id, "connections")
    row["type"] = row_type
    return row


class FoundryReads:
    """One read per AI Services account: connections, projects, the projects' connections."""

    def __init__(self, azure: ArmReads) -> None:
        self.azure = azure
        self.pending: dict[str, Future[list[dict[str, Any]] | QueryFailure]] = {}
        # accounts (lower-case ids) whose every list was read: for them an empty list is evidence
        self.collected: set[str] = set()

    async def _read(self, account_id: str) -> list[dict[str, Any]] | QueryFailure:
        try:
            conns, projects = await asyncio.gather(
                self.azure._children(account_id, "connections"), self.azure._children(account_id, "projects")
            )
            rows = [
                connection_row(c, account_id, ACCOUNT_CONNECTION_TYPE)
                for c in conns
                if isinstance(c, Mapping)
            ]
            project_rows = [project_row(p, account_id) for p in projects if isinstance(p, Mapping)]
            lists = await asyncio.gather(
                *(self.azure._children(p["id"], "connections") for p in project_rows),
                *(self.azure._children(p["id"], "capability hosts") for p in project_rows),
            )
            for i, p in enumerate(project_rows):
                conns_of, hosts_of = lists[i], lists[len(project_rows) + i]
                rows += [
                    connection_row(c, p["id"], PROJECT_CONNECTION_TYPE)
                    for c in conns_of
                    if isinstance(c, Mapping)
                ]
                rows += [capability_host_row(h, p["id"]) for h in hosts_of if isinstance(h, Mapping)]
            return [*project_rows, *rows]
        except QueryFailure as failure:
            return failure

    def want(self, account_id: str) -> None:
        key = norm_id(account_id)
        if key not in self.pending:
            self.pending[key] = self.azure.reader().run(self._read(account_id))

    def harvest(self, wait: bool) -> tuple[list[dict[str, Any]], list[dict[str, str]], list[dict[str, Any]]]:
        """(rows, warnings, gaps) of the reads that are done (every read when `wait`); each read once."""
        rows: list[dict[str, Any]] = []
        warnings: list[dict[str, str]] = []
        gaps: list[dict[str, Any]] = []
        for account in sorted(self.pending):
            future = self.pending[account]
            if not wait and not future.done():
                continue
            value = future.result()
            del self.pending[account]
            if isinstance(value, QueryFailure):
                warnings.append(
                    {
                        "code": "foundry_unreadable",
                        "message": f"Foundry projects and connections of {account} could not be read ({value})",
                    }
                )
                if value.unanswered:
                    gaps.append(gap("arm", "foundry_connections", 0, str(value), [account]))
                continue
            self.collected.add(account)
            rows.extend(value)
        return rows, warnings, gaps
