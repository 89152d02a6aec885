"""The "Foundry projects and connections" and "Data sources" tables of a workload page.

Every value is a fact of the model (`cognitive.Account.foundry`, the `connects_to` edges, the data sources'
attributes) and the findings on those resources; the template escapes each cell (`cell`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archgen.controls.findings import Finding
from archgen.model.graph import Graph
from archgen.model.relations import Relation
from archgen.model.types import cognitive, cosmos, foundry, label_of, search, storage


@dataclass(frozen=True, slots=True)
class ConnectionRow:
    owner: str  # "account" or the project's name
    connection: str
    category: str
    target: str
    auth_type: str
    reaches: str
    used_for: str  # what the project's agents keep there (capability hosts), or "none"


@dataclass(frozen=True, slots=True)
class FoundryView:
    collected: bool
    projects: tuple[tuple[str, str, str], ...]  # (name, display name, identity)
    connections: tuple[ConnectionRow, ...]


@dataclass(frozen=True, slots=True)
class DataSourceRow:
    resource: str
    type: str
    public_access: str
    local_auth: str
    private_endpoint: str
    controls: str


def _name(rid: str) -> str:
    return rid.rsplit("/", 1)[-1]


def foundry_view(graph: Graph, account_id: str) -> FoundryView | None:
    """The account's projects and connections; None for an account without Foundry settings."""
    a = graph.attrs(account_id, cognitive.Account)
    if a is None or a.foundry is None or not (a.foundry.projects or a.foundry.connections_collected):
        return None
    reached: dict[tuple[str, str], str] = {}
    for owner in (account_id, *a.foundry.projects):
        for e in graph.out(owner, Relation.CONNECTS_TO):
            target = graph.node(e.target)
            reached[(owner, str(e.attributes.get("connection")))] = target.name if target else _name(e.target)
    uses: dict[str, set[tuple[str, str]]] = {}  # owner -> (connection name, role)
    for pid in a.foundry.projects:
        attrs_ = graph.attrs(pid, foundry.FoundryProject)
        uses[pid] = set(attrs_.uses) if attrs_ is not None else set()
    uses[account_id] = set().union(*uses.values()) if uses else set()
    projects = []
    for pid in a.foundry.projects:
        node = graph.node(pid)
        attrs = getattr(node, "attrs", None)
        ident = getattr(attrs, "identity", None)
        projects.append(
            (
                _name(pid),
                getattr(attrs, "display_name", None) or "not set",
                ident.type if ident else "not set",
            )
        )
    rows = [
        ConnectionRow(
            owner="account" if c.owner == account_id else _name(c.owner),
            connection=c.name,
            category=c.category or "not set",
            target=c.target or "not set",
            auth_type=c.auth_type or "not set",
            reaches=reached.get((c.owner, c.name), "not in the input"),
            used_for=", ".join(sorted({role for n, role in uses.get(c.owner, ()) if n == c.name})) or "none",
        )
        for c in a.foundry.connections
    ]
    return FoundryView(a.foundry.connections_collected, tuple(projects), tuple(rows))


def _settings(attrs: object) -> tuple[str, str]:
    """(public access, local auth) as the resource states them."""
    if isinstance(attrs, cosmos.CosmosAccount | search.SearchService):
        local = {True: "disabled", False: "enabled", None: "not set (enabled)"}[attrs.disable_local_auth]
        return attrs.public_network_access or "not set", local
    if isinstance(attrs, storage.StorageAccount):
        shared = {True: "shared key enabled", False: "shared key disabled", None: "not set (enabled)"}
        return attrs.public_network_access or "not set", shared[attrs.allow_shared_key_access]
    return "not in the input", "not in the input"


def data_source_rows(graph: Graph, account_id: str, findings: Iterable[Finding]) -> tuple[DataSourceRow, ...]:
    """The resources the account's and its projects' connections reach, with their own findings."""
    a = graph.attrs(account_id, cognitive.Account)
    owners = (account_id, *(a.foundry.projects if a is not None and a.foundry is not None else ()))
    targets = sorted({e.target for o in owners for e in graph.out(o, Relation.CONNECTS_TO)})
    by_resource: dict[str, list[Finding]] = {}
    for f in findings:
        if f.resource in targets:
            by_resource.setdefault(f.resource, []).append(f)
    rows = []
    for t in targets:
        node = graph.node(t)
        public, local = _settings(node.attrs if node else None)
        pes = [
            e for e in graph.into(t, Relation.PRIVATE_ENDPOINT_OF) if e.attributes.get("status") == "Approved"
        ]
        verdicts = ", ".join(
            f"{f.control} {f.status.value}" for f in sorted(by_resource.get(t, []), key=lambda f: f.control)
        )
        rows.append(
            DataSourceRow(
                resource=node.name if node else _name(t),
                type=label_of(node.type) if node else "not in the input",
                public_access=public,
                local_auth=local,
                private_endpoint=f"{len(pes)} approved" if pes else "none",
                controls=verdicts or "none",
            )
        )
    return tuple(rows)
