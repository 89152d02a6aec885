"""Microsoft Foundry on an AI Services account: projects, connections and the agent subnet.

Names from `specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2025-06-01/
cognitiveservices.json` (the newest stable version defining projects and connections; examples
GetProject.json, AccountConnection/list.json, ProjectConnection/list.json):

- `accounts/projects` (`Projects - List`: `GET {account}/projects`): `identity`, `properties{displayName,
  description, isDefault}`;
- `accounts/connections` and `accounts/projects/connections` (`GET {parent}/connections`):
  `ConnectionPropertiesV2{category, target, authType, isSharedToAll, metadata}`. `authType` is the
  discriminator: AAD, AccessKey, AccountKey, ApiKey, CustomKeys, ManagedIdentity, None, OAuth2, PAT, SAS,
  ServicePrincipal, UsernamePassword; every variant but AAD and None carries a `credentials` object
  (keys, SAS tokens, client secrets). archgen never reads it: `safe_connection` keeps a whitelist of
  fields at the read, before a row exists;
- `accounts/projects/capabilityHosts` (`GET {project}/capabilityHosts`, ProjectCapabilityHost/list.json):
  `threadStorageConnections`, `vectorStoreConnections`, `storageConnections`, the connection names where
  the project's agents keep threads, vector stores and files;
- the account's `allowProjectManagement` and `networkInjections[]{scenario ('agent' | 'none'),
  subnetArmId, useMicrosoftManagedNetwork}` (`AccountProperties`, `NetworkInjection`).

`metadata` is a free string map; archgen keeps only its `ResourceId` (the connected resource's ARM id, as
Foundry's connection templates set it) and otherwise matches the target's host to a resource of the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from archgen.model import props
from archgen.model.ids import norm_enum, norm_id
from archgen.model.relations import Relation
from archgen.model.types.common import ManagedIdentity, parse_identity
from archgen.model.types.spec import IconRef, Ref, RefIndex, ResourceType, identity_refs

PROJECT = "microsoft.cognitiveservices/accounts/projects"
ACCOUNT_CONNECTION = "microsoft.cognitiveservices/accounts/connections"
PROJECT_CONNECTION = "microsoft.cognitiveservices/accounts/projects/connections"
CAPABILITY_HOST = "microsoft.cognitiveservices/accounts/projects/capabilityhosts"
# A capability host's connection lists (`ProjectCapabilityHostProperties`) -> what the agents keep there.
CAPABILITY_ROLES = (
    ("threadStorageConnections", "agent threads"),
    ("vectorStoreConnections", "vector stores"),
    ("storageConnections", "agent files"),
)
CONNECTION_TYPES = frozenset({ACCOUNT_CONNECTION, PROJECT_CONNECTION})

# authType values (lower-case) that authenticate with Microsoft Entra ID rather than a stored secret.
ENTRA_AUTH = frozenset({"aad", "managedidentity"})
# authType values that hand the target a key, a SAS token or another shared secret.
SECRET_AUTH = frozenset(
    {"apikey", "accountkey", "accesskey", "sas", "customkeys", "pat", "usernamepassword", "oauth2"}
)
# Connection fields archgen keeps from an ARM list (anything else, `credentials` first, is dropped).
KEPT_PROPERTIES = ("category", "target", "authType", "isSharedToAll", "peRequirement", "peStatus")


def safe_connection(item: Mapping[str, Any]) -> dict[str, Any]:
    """A connection as ARM lists it, reduced to the fields archgen reads: never `credentials`, and of
    `metadata` only `ResourceId`."""
    raw = item.get("properties")
    properties: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    kept: dict[str, Any] = {
        k: properties[k] for k in KEPT_PROPERTIES if k in properties and isinstance(properties[k], str | bool)
    }
    meta = properties.get("metadata")
    if isinstance(meta, Mapping):
        rid = next((v for k, v in meta.items() if str(k).lower() == "resourceid"), None)
        if isinstance(rid, str):
            kept["metadata"] = {"ResourceId": rid}
    return {k: item[k] for k in ("id", "name", "type") if isinstance(item.get(k), str)} | {"properties": kept}


class Connection(msgspec.Struct, frozen=True):
    """One connection of an account or a project (never its credentials)."""

    id: str
    name: str
    owner: str  # the account or project id that holds it
    category: str
    target: str
    auth_type: str  # as Azure spells it ('' when absent)
    shared_to_all: bool | None
    resource_id: str  # metadata.ResourceId, normalised ('' when absent)

    @property
    def auth(self) -> str:
        """'entra' | 'secret' | 'none' | 'unknown' for the auth type."""
        low = norm_enum(self.auth_type)
        if low in ENTRA_AUTH:
            return "entra"
        if low in SECRET_AUTH:
            return "secret"
        return "none" if low == "none" else "unknown"


def parse_connection(rid: str, row: Mapping[str, object], properties: Mapping[str, object]) -> Connection:
    owner = rid.rsplit("/connections/", 1)[0]
    return Connection(
        id=rid,
        name=props.get_str(row, "name") or rid.rsplit("/", 1)[-1],
        owner=owner,
        category=props.get_str(properties, "category") or "",
        target=props.get_str(properties, "target") or "",
        auth_type=props.get_str(properties, "authType") or "",
        shared_to_all=props.get_bool(properties, "isSharedToAll"),
        resource_id=props.ref_id(properties, "metadata", "ResourceId"),
    )


class NetworkInjection(msgspec.Struct, frozen=True):
    scenario: str  # lower-case ('agent' | 'none' | ...)
    subnet: str  # normalised subnet id ('' when absent)
    microsoft_managed: bool | None


class AccountFoundry(msgspec.Struct, frozen=True):
    """What an account's own row says about Foundry, and the connections of the account and its projects
    when the input holds them (`connections_collected`)."""

    allow_project_management: bool | None
    injections: tuple[NetworkInjection, ...]
    connections: tuple[Connection, ...] = ()  # of the account and of its projects
    connections_collected: bool = False
    projects: tuple[str, ...] = ()

    @property
    def agent_subnets(self) -> tuple[str, ...]:
        return tuple(i.subnet for i in self.injections if i.scenario == "agent" and i.subnet)


def agent_refs(node_id: str, foundry: AccountFoundry | None) -> Iterable[Ref]:
    """The account's agent subnets: walked out, so discovery reads their virtual network (with its NSGs and
    route tables) and FDY-NET-01 sees the subnet's delegation, size and NSG."""
    for subnet in foundry.agent_subnets if foundry is not None else ():
        yield Ref(node_id, Relation.AGENTS_IN_SUBNET, subnet)


def parse_account_foundry(properties: object) -> AccountFoundry:
    return account_foundry_from(*_ACCOUNT_FOUNDRY(properties))


_ACCOUNT_FOUNDRY = props.Fields("allowProjectManagement", "networkInjections")
_INJECTION = props.Fields("scenario", "subnetArmId", "useMicrosoftManagedNetwork")


def account_foundry_from(allow_project_management: object, network_injections: object) -> AccountFoundry:
    """`parse_account_foundry` from the two properties it reads."""
    injections = []
    for item in props.as_maps(network_injections):
        scenario, subnet, managed = _INJECTION(item)
        injections.append(NetworkInjection(norm_enum(scenario), norm_id(subnet), props.as_bool(managed)))
    return AccountFoundry(
        props.as_bool(allow_project_management),
        tuple(sorted(injections, key=lambda i: (i.scenario, i.subnet))),
    )


class FoundryProject(msgspec.Struct, frozen=True):
    display_name: str | None
    is_default: bool | None
    identity: ManagedIdentity
    connections: tuple[Connection, ...] = ()
    uses: tuple[tuple[str, str], ...] = ()  # (connection name, role) from the project's capability hosts


def capability_uses(properties: object) -> list[tuple[str, str]]:
    """(connection name, role) pairs a capability host's properties name."""
    return [(name, role) for key, role in CAPABILITY_ROLES for name in props.strings(properties, key)]


def parse_project(row: Mapping[str, object], properties: Mapping[str, object]) -> FoundryProject:
    return FoundryProject(
        display_name=props.get_str(properties, "displayName"),
        is_default=props.get_bool(properties, "isDefault"),
        identity=parse_identity(row),
    )


def project_references(node_id: str, p: FoundryProject, index: RefIndex) -> Iterable[Ref]:
    yield Ref(node_id, Relation.PROJECT_OF, norm_id(node_id.rsplit("/projects/", 1)[0]))
    yield from identity_refs(node_id, p)


R = Relation
PROJECT_SPEC = ResourceType(
    arm_type=PROJECT,
    label="Foundry project",
    noun="Project",
    parse=parse_project,
    references=project_references,
    walk=((R.USES_IDENTITY, "out"), (R.CONNECTS_TO, "out")),
    icon=IconRef("diagrams.azure.aimachinelearning", "AIStudio", None, "Foundry project"),
)
