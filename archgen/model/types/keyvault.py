"""Key vaults (`microsoft.keyvault/vaults`).

Property names from `specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/keyvault.json`
(`VaultProperties`): `vaultUri`, `tenantId`, `accessPolicies[]{tenantId,objectId,permissions{keys[]}}`,
`enableSoftDelete`, `softDeleteRetentionInDays`, `enablePurgeProtection`, `enableRbacAuthorization`,
`publicNetworkAccess`, `networkAcls`, `privateEndpointConnections`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import norm_uri
from archgen.model.relations import Relation
from archgen.model.types.common import (
    NetworkAcls,
    PrivateEndpointConnection,
    acls_from,
    pe_connections_from,
)
from archgen.model.types.spec import GOVERNANCE, IconRef, Ref, RefIndex, ResourceType, common_refs

TYPE = "microsoft.keyvault/vaults"
# Keys as the management plane lists them (`{vault}/keys?api-version=2023-07-01`, readable with Reader;
# `specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/examples/getKey.json`):
# `properties{kty, keySize, curveName, attributes{enabled, exp, created}, rotationPolicy, keyUri}`.
KEY = "microsoft.keyvault/vaults/keys"


class Key(msgspec.Struct, frozen=True):
    name: str  # lower-case
    kty: str | None  # as Azure returned it: RSA, RSA-HSM, EC, EC-HSM
    key_size: int | None
    enabled: bool | None
    expires: int | None  # attributes.exp, seconds since the epoch
    rotation_policy: bool  # whether a rotation policy with lifetime actions is set


def parse_key(row: Mapping[str, object], properties: Mapping[str, object]) -> Key:
    return Key(
        name=(props.get_str(row, "name") or "").lower(),
        kty=props.get_str(properties, "kty"),
        key_size=props.get_int(properties, "keySize"),
        enabled=props.get_bool(properties, "attributes", "enabled"),
        expires=props.get_int(properties, "attributes", "exp"),
        rotation_policy=any(True for _ in props.items(properties, "rotationPolicy", "lifetimeActions")),
    )


class AccessPolicy(msgspec.Struct, frozen=True):
    object_id: str
    key_permissions: tuple[str, ...]  # lower-case


class Vault(msgspec.Struct, frozen=True):
    vault_uri: str | None
    sku: str | None
    enable_soft_delete: bool | None
    soft_delete_retention_days: int | None
    enable_purge_protection: bool | None
    enable_rbac_authorization: bool | None
    public_network_access: str | None
    network_acls: NetworkAcls
    access_policies: tuple[AccessPolicy, ...]
    private_endpoint_connections: tuple[PrivateEndpointConnection, ...]
    keys: tuple[Key, ...] = ()
    keys_collected: bool = False  # whether the input lists the vault's keys

    def key(self, name: str | None) -> Key | None:
        low = (name or "").lower()
        return next((k for k in self.keys if k.name == low), None)


_PROPERTIES = props.Fields(
    "vaultUri", "accessPolicies", "sku", "enableSoftDelete", "softDeleteRetentionInDays", "enablePurgeProtection",
    "enableRbacAuthorization", "publicNetworkAccess", "networkAcls", "privateEndpointConnections",
)  # fmt: skip
_POLICY = props.Fields("objectId", "permissions")


def parse(row: Mapping[str, object], properties: Mapping[str, object]) -> Vault:
    uri, access, sku, soft_delete, retention, purge, rbac, pna, acls, pecs = _PROPERTIES(properties)
    uri = props.as_str(uri)
    policies = []
    for pol in props.as_maps(access):
        oid, perms = _POLICY(pol)
        if (oid := props.as_str(oid)) is not None:
            keys = tuple(p.lower() for p in props.strings(perms, "keys"))
            policies.append(AccessPolicy(oid.lower(), tuple(sorted(set(keys)))))
    return Vault(
        vault_uri=norm_uri(uri) if uri else None,
        sku=props.get_str(sku, "name") or props.get_str(row, "sku", "name"),
        enable_soft_delete=props.as_bool(soft_delete),
        soft_delete_retention_days=props.as_int(retention),
        enable_purge_protection=props.as_bool(purge),
        enable_rbac_authorization=props.as_bool(rbac),
        public_network_access=props.as_enum(pna),
        network_acls=acls_from(acls),
        access_policies=tuple(sorted(policies, key=lambda p: p.object_id)),
        private_endpoint_connections=pe_connections_from(pecs),
    )


def references(node_id: str, v: Vault, index: RefIndex) -> Iterable[Ref]:
    return common_refs(node_id, v)


R = Relation
SPEC = ResourceType(
    arm_type=TYPE,
    label="Key vault",
    noun="Key vault",
    parse=parse,
    references=references,
    walk=((R.PRIVATE_ENDPOINT_OF, "in"), (R.DIAGNOSTICS_TO, "out"), (R.NETWORK_RULE_ALLOWS, "out")),
    lookups=GOVERNANCE,
    diagnosable=True,
    role_target=True,
    icon=IconRef("diagrams.azure.security", "KeyVaults", "security/Key_Vaults.svg", "Key vault"),
)
