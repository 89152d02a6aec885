"""Storage accounts (`microsoft.storage/storageaccounts`).

Property names from `specification/storage/resource-manager/Microsoft.Storage/stable/2023-05-01/storage.json`
(`StorageAccountProperties`): `publicNetworkAccess`, `networkAcls{defaultAction,bypass,ipRules,
virtualNetworkRules,resourceAccessRules[]{tenantId,resourceId}}`, `allowBlobPublicAccess`,
`allowSharedKeyAccess` ("If false, then all requests, including shared access signatures, must be
authorized with Microsoft Entra ID. The default value is null, which is equivalent to true."),
`minimumTlsVersion`, `supportsHttpsTrafficOnly`, `encryption{keySource,keyvaultproperties{keyname,
keyversion,keyvaulturi},identity{userAssignedIdentity}}`. Storage spells `keySource` `Microsoft.Keyvault`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import norm_uri
from archgen.model.relations import Relation
from archgen.model.types.common import (
    ManagedIdentity,
    NetworkAcls,
    PrivateEndpointConnection,
    acls_from,
    identity_from,
    pe_connections_from,
)
from archgen.model.types.spec import (
    GOVERNANCE,
    IconRef,
    Lookup,
    Ref,
    RefIndex,
    ResourceType,
    cmk_ref,
    common_refs,
    principals_of,
)

TYPE = "microsoft.storage/storageaccounts"


class StorageAccount(msgspec.Struct, frozen=True):
    kind: str | None
    public_network_access: str | None
    network_acls: NetworkAcls
    resource_access_rules: tuple[str, ...]
    allow_blob_public_access: bool | None
    allow_shared_key_access: bool | None
    minimum_tls_version: str | None
    https_only: bool | None
    identity: ManagedIdentity
    key_source: str | None
    key_vault_uri: str | None
    key_name: str | None
    key_version: str | None
    key_identity: str | None  # UAMI resource id used for the CMK, None = system-assigned
    private_endpoint_connections: tuple[PrivateEndpointConnection, ...]


_ROW = props.Fields("kind", "identity")
_PROPERTIES = props.Fields(
    "encryption", "networkAcls", "publicNetworkAccess", "allowBlobPublicAccess", "allowSharedKeyAccess",
    "minimumTlsVersion", "supportsHttpsTrafficOnly", "privateEndpointConnections",
)  # fmt: skip
_ENCRYPTION = props.Fields("keyvaultproperties", "keySource", "identity")
_KEY_VAULT = props.Fields("keyvaulturi", "keyname", "keyversion")


def parse(row: Mapping[str, object], properties: Mapping[str, object]) -> StorageAccount:
    kind, ident = _ROW(row)
    enc, acls, pna, blob_public, shared_key, tls, https_only, pecs = _PROPERTIES(properties)
    kvp, key_source, enc_identity = _ENCRYPTION(enc)
    uri, key_name, key_version = map(props.as_str, _KEY_VAULT(kvp))
    rules = props.as_maps(props.get(acls, "resourceAccessRules"))
    return StorageAccount(
        kind=props.as_str(kind),
        public_network_access=props.as_enum(pna),
        network_acls=acls_from(acls),
        resource_access_rules=tuple(sorted({i for r in rules if (i := props.ref_id(r, "resourceId"))})),
        allow_blob_public_access=props.as_bool(blob_public),
        allow_shared_key_access=props.as_bool(shared_key),
        minimum_tls_version=props.as_str(tls),
        https_only=props.as_bool(https_only),
        identity=identity_from(ident),
        key_source=props.as_enum(key_source),
        key_vault_uri=norm_uri(uri) if uri else None,
        key_name=key_name,
        key_version=key_version,
        key_identity=props.ref_id(enc_identity, "userAssignedIdentity") or None,
        private_endpoint_connections=pe_connections_from(pecs),
    )


def references(node_id: str, s: StorageAccount, index: RefIndex) -> Iterable[Ref]:
    refs = common_refs(node_id, s)  # a list, extended in place (no generator per block)
    if s.key_source == "microsoft.keyvault" and s.key_vault_uri:
        refs.append(
            cmk_ref(node_id, s.key_vault_uri, s.key_name, s.key_version, s.key_identity or "system", index)
        )
    for rule in s.resource_access_rules:
        refs.extend(
            [
                Ref(node_id, Relation.TRUSTED_ACCESS_FROM, a, {"rule": rule})
                for a in index.accounts_matching(rule)
            ]
        )
    return refs


R = Relation
SPEC = ResourceType(
    arm_type=TYPE,
    label="Storage account",
    noun="Storage account",
    parse=parse,
    references=references,
    walk=(
        (R.PRIVATE_ENDPOINT_OF, "in"),
        (R.DIAGNOSTICS_TO, "out"),
        (R.NETWORK_RULE_ALLOWS, "out"),
        (R.CMK_KEY_IN, "out"),
        (R.USES_IDENTITY, "out"),
    ),
    lookups=(Lookup("role_assignments_by_principal", lambda _i, s: principals_of(s)), *GOVERNANCE),
    diagnosable=True,
    role_target=True,
    icon=IconRef(
        "diagrams.azure.storage", "StorageAccounts", "storage/Storage_Accounts.svg", "Storage account"
    ),
)
