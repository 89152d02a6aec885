"""The node parsers and `make_node` as they were before the sixth round of issue 14 (one tolerant
`props.get*` lookup per key), kept as the reference the `props.Fields` parsers are compared with in
`tests/test_fast_parse.py`. Verbatim but for the names; do not use outside the tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archgen.model import props
from archgen.model.attrs import NodeAttrs
from archgen.model.graph import Node
from archgen.model.ids import norm_enum, norm_uri, parse_id
from archgen.model.types.cognitive import Account
from archgen.model.types.common import ManagedIdentity, NetworkAcls, PrivateEndpointConnection
from archgen.model.types.foundry import AccountFoundry, NetworkInjection
from archgen.model.types.keyvault import AccessPolicy, Vault
from archgen.model.types.network import LinkServiceConnection, Peering, PrivateEndpoint, VirtualNetwork
from archgen.model.types.storage import StorageAccount


def make_node(
    rid: str, rtype: str, row: Mapping[str, Any], attrs: NodeAttrs, name: str | None = None
) -> Node:
    tags_raw = props.get(row, "tags")
    tags = (
        tuple(sorted((str(k), str(v)) for k, v in tags_raw.items() if isinstance(k, str)))
        if tags_raw and isinstance(tags_raw, Mapping)
        else ()
    )
    name = name or props.get_str(row, "name")
    sub = props.get_str(row, "subscriptionId")
    group = props.get_str(row, "resourceGroup")
    if not (name and sub and group):
        parsed = parse_id(rid)
        name = name or (parsed.name if parsed else rid.rsplit("/", 1)[-1])
        sub = sub or (parsed.subscription_id if parsed else "")
        group = group or (parsed.resource_group if parsed else "")
    return Node(
        id=rid,
        type=rtype,
        name=name,
        kind=props.get_str(row, "kind"),
        subscription_id=sub.lower(),
        resource_group=group.lower(),
        location=(loc.lower() if (loc := props.get_str(row, "location")) else None),
        tags=tags,
        attrs=attrs,
        raw=row,
    )


def parse_identity(row: Mapping[str, object]) -> ManagedIdentity:
    ident = props.get(row, "identity")
    kind = norm_enum(props.get(ident, "type")) or "none"
    principal = props.get_str(ident, "principalId")
    uamis = props.get(ident, "userAssignedIdentities")
    principals = (
        sorted({p.lower() for v in uamis.values() if (p := props.get_str(v, "principalId"))})
        if isinstance(uamis, Mapping)
        else []
    )
    return ManagedIdentity(
        type=kind,
        principal_id=principal.lower() if principal else None,
        user_assigned=props.mapping_keys(ident, "userAssignedIdentities"),
        user_assigned_principals=tuple(principals),
    )


def parse_acls(properties: object) -> NetworkAcls:
    acls = props.get(properties, "networkAcls")
    return NetworkAcls(
        default_action=props.get_enum(acls, "defaultAction"),
        bypass=props.get_enum(acls, "bypass"),
        ip_rules=tuple(sorted({v for r in props.items(acls, "ipRules") if (v := props.get_str(r, "value"))})),
        vnet_rules=tuple(
            sorted({v for r in props.items(acls, "virtualNetworkRules") if (v := props.ref_id(r, "id"))})
        ),
    )


def parse_pe_connections(properties: object) -> tuple[PrivateEndpointConnection, ...]:
    out = []
    for conn in props.items(properties, "privateEndpointConnections"):
        pe = props.ref_id(conn, "properties", "privateEndpoint", "id")
        if not pe:
            continue
        out.append(
            PrivateEndpointConnection(
                private_endpoint_id=pe,
                status=props.get_enum(conn, "properties", "privateLinkServiceConnectionState", "status")
                or "",
                group_ids=tuple(g.lower() for g in props.strings(conn, "properties", "groupIds")),
            )
        )
    return tuple(sorted(out, key=lambda c: c.private_endpoint_id))


def parse_account_foundry(properties: object) -> AccountFoundry:
    injections = [
        NetworkInjection(
            scenario=norm_enum(props.get(item, "scenario")),
            subnet=props.ref_id(item, "subnetArmId"),
            microsoft_managed=props.get_bool(item, "useMicrosoftManagedNetwork"),
        )
        for item in props.items(properties, "networkInjections")
    ]
    return AccountFoundry(
        allow_project_management=props.get_bool(properties, "allowProjectManagement"),
        injections=tuple(sorted(injections, key=lambda i: (i.scenario, i.subnet))),
    )


def parse_account(row: Mapping[str, object], properties: Mapping[str, object]) -> Account:
    enc = props.get(properties, "encryption")
    kvp = props.get(enc, "keyVaultProperties")
    client_id = props.get_str(kvp, "identityClientId")
    uri = props.get_str(kvp, "keyVaultUri")
    caps = []
    for cap in props.items(properties, "capabilities"):
        name = props.get_str(cap, "name")
        if name:
            caps.append((name, props.get_str(cap, "value") or ""))
    owned = props.items(properties, "userOwnedStorage")
    return Account(
        sku=props.get_str(row, "sku", "name"),
        custom_subdomain=(sub.lower() if (sub := props.get_str(properties, "customSubDomainName")) else None),
        endpoint=props.get_str(properties, "endpoint"),
        public_network_access=props.get_enum(properties, "publicNetworkAccess"),
        network_acls=parse_acls(properties),
        disable_local_auth=props.get_bool(properties, "disableLocalAuth"),
        identity=parse_identity(row),
        key_source=props.get_enum(enc, "keySource"),
        key_vault_uri=norm_uri(uri) if uri else None,
        key_name=props.get_str(kvp, "keyName"),
        key_version=props.get_str(kvp, "keyVersion"),
        key_identity_client_id=client_id.lower() if client_id else None,
        restrict_outbound=props.get_bool(properties, "restrictOutboundNetworkAccess"),
        allowed_fqdns=props.strings(properties, "allowedFqdnList"),
        capabilities=tuple(sorted(caps)),
        user_owned_storage=tuple(sorted({i for s in owned if (i := props.ref_id(s, "resourceId"))})),
        private_endpoint_connections=parse_pe_connections(properties),
        foundry=parse_account_foundry(properties),
    )


def parse_storage(row: Mapping[str, object], properties: Mapping[str, object]) -> StorageAccount:
    enc = props.get(properties, "encryption")
    kvp = props.get(enc, "keyvaultproperties")
    uri = props.get_str(kvp, "keyvaulturi")
    acls = props.get(properties, "networkAcls")
    return StorageAccount(
        kind=props.get_str(row, "kind"),
        public_network_access=props.get_enum(properties, "publicNetworkAccess"),
        network_acls=parse_acls(properties),
        resource_access_rules=tuple(
            sorted(
                {i for r in props.items(acls, "resourceAccessRules") if (i := props.ref_id(r, "resourceId"))}
            )
        ),
        allow_blob_public_access=props.get_bool(properties, "allowBlobPublicAccess"),
        allow_shared_key_access=props.get_bool(properties, "allowSharedKeyAccess"),
        minimum_tls_version=props.get_str(properties, "minimumTlsVersion"),
        https_only=props.get_bool(properties, "supportsHttpsTrafficOnly"),
        identity=parse_identity(row),
        key_source=props.get_enum(enc, "keySource"),
        key_vault_uri=norm_uri(uri) if uri else None,
        key_name=props.get_str(kvp, "keyname"),
        key_version=props.get_str(kvp, "keyversion"),
        key_identity=props.ref_id(enc, "identity", "userAssignedIdentity") or None,
        private_endpoint_connections=parse_pe_connections(properties),
    )


def parse_vault(row: Mapping[str, object], properties: Mapping[str, object]) -> Vault:
    uri = props.get_str(properties, "vaultUri")
    policies = []
    for pol in props.items(properties, "accessPolicies"):
        oid = props.get_str(pol, "objectId")
        if oid:
            perms = tuple(p.lower() for p in props.strings(pol, "permissions", "keys"))
            policies.append(AccessPolicy(oid.lower(), tuple(sorted(set(perms)))))
    return Vault(
        vault_uri=norm_uri(uri) if uri else None,
        sku=props.get_str(properties, "sku", "name") or props.get_str(row, "sku", "name"),
        enable_soft_delete=props.get_bool(properties, "enableSoftDelete"),
        soft_delete_retention_days=props.get_int(properties, "softDeleteRetentionInDays"),
        enable_purge_protection=props.get_bool(properties, "enablePurgeProtection"),
        enable_rbac_authorization=props.get_bool(properties, "enableRbacAuthorization"),
        public_network_access=props.get_enum(properties, "publicNetworkAccess"),
        network_acls=parse_acls(properties),
        access_policies=tuple(sorted(policies, key=lambda p: p.object_id)),
        private_endpoint_connections=parse_pe_connections(properties),
    )


def parse_private_endpoint(row: Mapping[str, object], properties: Mapping[str, object]) -> PrivateEndpoint:
    conns = []
    for manual, key in (
        (False, "privateLinkServiceConnections"),
        (True, "manualPrivateLinkServiceConnections"),
    ):
        for conn in props.items(properties, key):
            target = props.ref_id(conn, "properties", "privateLinkServiceId")
            if target:
                conns.append(
                    LinkServiceConnection(
                        target_id=target,
                        group_ids=tuple(g.lower() for g in props.strings(conn, "properties", "groupIds")),
                        status=props.get_enum(
                            conn, "properties", "privateLinkServiceConnectionState", "status"
                        )
                        or "",
                        manual=manual,
                    )
                )
    ips: set[str] = set()
    fqdns: set[str] = set()
    for cfg in props.items(properties, "customDnsConfigs"):
        ips.update(props.strings(cfg, "ipAddresses"))
        if fqdn := props.get_str(cfg, "fqdn"):
            fqdns.add(fqdn.lower().rstrip("."))
    for cfg in props.items(properties, "ipConfigurations"):
        if ip := props.get_str(cfg, "properties", "privateIPAddress"):
            ips.add(ip)
    return PrivateEndpoint(
        subnet_id=props.ref_id(properties, "subnet", "id"),
        connections=tuple(sorted(conns, key=lambda c: (c.target_id, c.manual, c.group_ids))),
        private_ips=tuple(sorted(ips)),
        fqdns=tuple(sorted(fqdns)),
        network_interfaces=tuple(
            sorted({i for n in props.items(properties, "networkInterfaces") if (i := props.ref_id(n, "id"))})
        ),
    )


def parse_virtual_network(row: Mapping[str, object], properties: Mapping[str, object]) -> VirtualNetwork:
    peerings = []
    for peer in props.items(properties, "virtualNetworkPeerings"):
        remote = props.ref_id(peer, "properties", "remoteVirtualNetwork", "id")
        if remote:
            peerings.append(Peering(remote, props.get_enum(peer, "properties", "peeringState")))
    return VirtualNetwork(
        address_prefixes=props.strings(properties, "addressSpace", "addressPrefixes"),
        dns_servers=props.strings(properties, "dhcpOptions", "dnsServers"),
        peerings=tuple(sorted(peerings, key=lambda p: p.remote_id)),
    )
