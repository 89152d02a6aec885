"""Hub-based Foundry: `Microsoft.MachineLearningServices/workspaces` of kind Hub (and Project), and the hub's
connections that reach an Azure OpenAI / AI Services account.

Names from `specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/
2025-09-01/workspaceRP.json` (the newest stable version; example Workspace/get.json):

- `Workspace{kind, identity, properties}`; `WorkspaceProperties`: `publicNetworkAccess` (Enabled | Disabled),
  `managedNetwork` (`ManagedNetworkSettings{isolationMode}`, `IsolationMode`: Disabled | AllowInternetOutbound |
  AllowOnlyApprovedOutbound), `hubResourceId` (a project's hub), `privateEndpointConnections`;
- `workspaces/{name}/connections` (`WorkspaceConnectionPropertiesV2{authType, category, target, metadata}`,
  example WorkspaceConnection/list.json, type `Microsoft.MachineLearningServices/workspaces/connections`);
  `ConnectionCategory` includes `AzureOpenAI` and `AIServices`. Every `authType` but AAD and None carries a
  `credentials` object: archgen keeps connection rows through `foundry.safe_connection` only.

The isolation modes are described in "How to set up a managed network for Microsoft Foundry hubs",
https://learn.microsoft.com/azure/ai-foundry/how-to/configure-managed-network (ms.date 08/27/2025).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import norm_enum
from archgen.model.relations import Relation
from archgen.model.types.common import (
    ManagedIdentity,
    PrivateEndpointConnection,
    parse_identity,
    parse_pe_connections,
    public_network_access,
)
from archgen.model.types.foundry import Connection
from archgen.model.types.spec import IconRef, Ref, RefIndex, ResourceType, identity_refs, pe_connection_refs

TYPE = "microsoft.machinelearningservices/workspaces"
CONNECTION = "microsoft.machinelearningservices/workspaces/connections"
# IsolationMode values, lower-case
APPROVED_ONLY = "allowonlyapprovedoutbound"
INTERNET_OUTBOUND = "allowinternetoutbound"
DISABLED = "disabled"
ISOLATION_MODES = frozenset({APPROVED_ONLY, INTERNET_OUTBOUND, DISABLED})


class Hub(msgspec.Struct, frozen=True):
    """A Foundry hub (or hub-based project): its managed network, public access and connections."""

    kind: str  # lower-case ('hub' | 'project' | ...)
    isolation_mode: str | None  # as Azure spells it; None when the row does not say
    public_network_access: str | None
    hub_id: str  # hubResourceId of a project, normalised ('' for a hub)
    identity: ManagedIdentity
    private_endpoint_connections: tuple[PrivateEndpointConnection, ...]
    connections: tuple[Connection, ...] = ()

    @property
    def isolation(self) -> str:
        """The isolation mode, lower-case; '' when not set or not one the specification defines."""
        mode = norm_enum(self.isolation_mode)
        return mode if mode in ISOLATION_MODES else ""


def parse(row: Mapping[str, object], properties: Mapping[str, object]) -> Hub:
    return Hub(
        kind=norm_enum(props.get(row, "kind")),
        isolation_mode=props.get_str(properties, "managedNetwork", "isolationMode"),
        public_network_access=public_network_access(properties),
        hub_id=props.ref_id(properties, "hubResourceId"),
        identity=parse_identity(row),
        private_endpoint_connections=parse_pe_connections(properties),
    )


def references(node_id: str, h: Hub, index: RefIndex) -> Iterable[Ref]:
    yield from identity_refs(node_id, h)
    yield from pe_connection_refs(node_id, h)
    if h.kind == "project" and h.hub_id:
        yield Ref(node_id, Relation.PROJECT_OF, h.hub_id)


R = Relation
SPEC = ResourceType(
    arm_type=TYPE,
    label="Foundry hub (Azure Machine Learning workspace)",
    noun="Hub",
    parse=parse,
    references=references,
    walk=((R.USES_IDENTITY, "out"), (R.PROJECT_OF, "out")),
    icon=IconRef("diagrams.azure.ml", "MachineLearningServiceWorkspaces", None, "Foundry hub"),
)
