"""Azure Cosmos DB accounts (`microsoft.documentdb/databaseaccounts`), a data source Foundry agents reach.

Property names from `specification/cosmos-db/resource-manager/Microsoft.DocumentDB/stable/2024-11-15/
cosmos-db.json` (`DatabaseAccountGetProperties`; examples CosmosDBDatabaseAccountGet.json and
CosmosDBDatabaseAccountCreateMax.json): `publicNetworkAccess` (Enabled | Disabled | SecuredByPerimeter),
`disableLocalAuth` ("Opt-out of local authentication and ensure only MSI and AAD can be used exclusively
for authentication"), `disableKeyBasedMetadataWriteAccess`, `isVirtualNetworkFilterEnabled`,
`virtualNetworkRules[].id`, `ipRules[].ipAddressOrRange`, `networkAclBypass` (None | AzureServices),
`keyVaultKeyUri`, `privateEndpointConnections[]` and `identity`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import norm_uri
from archgen.model.relations import Relation
from archgen.model.types.common import (
    ManagedIdentity,
    PrivateEndpointConnection,
    parse_identity,
    parse_pe_connections,
    public_network_access,
)
from archgen.model.types.spec import (
    IconRef,
    Ref,
    RefIndex,
    ResourceType,
    identity_refs,
    pe_connection_refs,
)

TYPE = "microsoft.documentdb/databaseaccounts"


class CosmosAccount(msgspec.Struct, frozen=True):
    public_network_access: str | None
    disable_local_auth: bool | None
    disable_key_metadata_writes: bool | None
    vnet_filter_enabled: bool | None
    vnet_rules: tuple[str, ...]
    ip_rules: tuple[str, ...]
    acl_bypass: str | None
    key_vault_key_uri: str | None
    identity: ManagedIdentity
    private_endpoint_connections: tuple[PrivateEndpointConnection, ...]


def parse(row: Mapping[str, object], properties: Mapping[str, object]) -> CosmosAccount:
    ips = {v for r in props.items(properties, "ipRules") if (v := props.get_str(r, "ipAddressOrRange"))}
    vnets = {v for r in props.items(properties, "virtualNetworkRules") if (v := props.ref_id(r, "id"))}
    return CosmosAccount(
        public_network_access=public_network_access(properties),
        disable_local_auth=props.get_bool(properties, "disableLocalAuth"),
        disable_key_metadata_writes=props.get_bool(properties, "disableKeyBasedMetadataWriteAccess"),
        vnet_filter_enabled=props.get_bool(properties, "isVirtualNetworkFilterEnabled"),
        vnet_rules=tuple(sorted(vnets)),
        ip_rules=tuple(sorted(ips)),
        acl_bypass=props.get_enum(properties, "networkAclBypass"),
        key_vault_key_uri=norm_uri(props.get_str(properties, "keyVaultKeyUri")) or None,
        identity=parse_identity(row),
        private_endpoint_connections=parse_pe_connections(properties),
    )


def references(node_id: str, c: CosmosAccount, index: RefIndex) -> Iterable[Ref]:
    yield from identity_refs(node_id, c)
    yield from pe_connection_refs(node_id, c)
    for subnet in c.vnet_rules:
        yield Ref(node_id, Relation.NETWORK_RULE_ALLOWS, subnet)


R = Relation
SPEC = ResourceType(
    arm_type=TYPE,
    label="Azure Cosmos DB account",
    noun="Cosmos DB account",
    parse=parse,
    references=references,
    walk=((R.PRIVATE_ENDPOINT_OF, "in"), (R.USES_IDENTITY, "out")),
    icon=IconRef("diagrams.azure.database", "CosmosDb", None, "Azure Cosmos DB"),
)
