"""Private DNS: zones, their virtual network links and their A record sets.

Property names from `specification/privatedns/resource-manager/Microsoft.Network/stable/2024-06-01/privatedns.json`:
zone `numberOfRecordSets`; `virtualNetworkLinks` `properties{virtualNetwork.id,registrationEnabled,
virtualNetworkLinkState}`; record set `properties{fqdn,ttl,aRecords[]{ipv4Address}}`. Resource Graph keeps
record sets in its `dnsresources` table with type `microsoft.network/privatednszones/a`
(https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources#dnsresources).
Zone names for Azure OpenAI / AI Services private endpoints:
https://learn.microsoft.com/azure/private-link/private-endpoint-dns#ai--machine-learning
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import parse_id
from archgen.model.relations import Relation
from archgen.model.types.spec import IconRef, Ref, RefIndex, ResourceType

ZONE = "microsoft.network/privatednszones"
VNET_LINK = "microsoft.network/privatednszones/virtualnetworklinks"
A_RECORD = "microsoft.network/privatednszones/a"

# Zone names by account kind and cloud (documented at the private-endpoint-dns page above, with the
# sovereign tables in https://learn.microsoft.com/azure/private-link/private-endpoint-dns#government and #china).
ZONES_BY_CLOUD: dict[str, dict[str, tuple[str, ...]]] = {
    "public": {
        "openai": ("privatelink.openai.azure.com",),
        # A Foundry (AIServices) account answers on three names, each with its zone: the DNS zone
        # configuration summary of https://learn.microsoft.com/azure/ai-foundry/agents/how-to/virtual-networks
        # (ms.date 10/21/2025) lists all three for the `account` sub-resource.
        "aiservices": (
            "privatelink.cognitiveservices.azure.com",
            "privatelink.openai.azure.com",
            "privatelink.services.ai.azure.com",
        ),
    },
    "usgov": {
        "openai": ("privatelink.openai.azure.us",),
        "aiservices": ("privatelink.cognitiveservices.azure.us", "privatelink.openai.azure.us"),
    },
    "china": {
        "openai": ("privatelink.openai.azure.cn",),
        "aiservices": ("privatelink.cognitiveservices.azure.cn", "privatelink.openai.azure.cn"),
    },
}


# Public DNS suffix of an FQDN a private endpoint advertises (customDnsConfigs[].fqdn) -> the privatelink
# zone that must hold its record. AI Services accounts also advertise `<name>.services.ai.azure.com`
# (privateLinkResources requiredZoneNames of an AIServices account list privatelink.services.ai.azure.com).
ZONE_FOR_SUFFIX: dict[str, str] = {
    "openai.azure.com": "privatelink.openai.azure.com",
    "cognitiveservices.azure.com": "privatelink.cognitiveservices.azure.com",
    "services.ai.azure.com": "privatelink.services.ai.azure.com",
    "openai.azure.us": "privatelink.openai.azure.us",
    "cognitiveservices.azure.us": "privatelink.cognitiveservices.azure.us",
    "openai.azure.cn": "privatelink.openai.azure.cn",
    "cognitiveservices.azure.cn": "privatelink.cognitiveservices.azure.cn",
}


# (private-link target type, sub-resource / groupId) -> privatelink zones, public cloud. From the table
# "Azure services DNS zone configuration" of https://learn.microsoft.com/azure/private-link/private-endpoint-dns
# (MicrosoftDocs/azure-docs articles/private-link/private-endpoint-dns.md, version read ms.date 10/11/2023):
# Key Vault `vault`; Storage blob, table, queue, web, dfs (each with `_secondary`) and file. The sovereign
# zones of these two services are not mapped.
_STORAGE_GROUPS = ("blob", "table", "queue", "web", "dfs")
ZONES_BY_GROUP: dict[tuple[str, str], tuple[str, ...]] = {
    ("microsoft.keyvault/vaults", "vault"): ("privatelink.vaultcore.azure.net",),
    ("microsoft.storage/storageaccounts", "file"): ("privatelink.file.core.windows.net",),
    **{
        ("microsoft.storage/storageaccounts", g + suffix): (f"privatelink.{g}.core.windows.net",)
        for g in _STORAGE_GROUPS
        for suffix in ("", "_secondary")
    },
}


def zones_for_connections(connections: Iterable[tuple[str, Iterable[str]]]) -> tuple[str, ...]:
    """The privatelink zones of (target id, group ids) pairs, for the targets typed in ZONES_BY_GROUP."""
    out: set[str] = set()
    for target, groups in connections:
        parsed = parse_id(target)
        if parsed is None:
            continue
        for g in groups:
            out.update(ZONES_BY_GROUP.get((parsed.type, g.lower()), ()))
    return tuple(sorted(out))


def zones_for_fqdns(fqdns: tuple[str, ...]) -> tuple[str, ...]:
    """The privatelink zones that must resolve the FQDNs a private endpoint advertises."""
    out = set()
    for fqdn in fqdns:
        suffix = fqdn.lower().rstrip(".").split(".", 1)[-1]
        if suffix in ZONE_FOR_SUFFIX:
            out.add(ZONE_FOR_SUFFIX[suffix])
    return tuple(sorted(out))


def cloud_of_endpoint(endpoint: str | None) -> str:
    """Which cloud an account's endpoint belongs to, from its DNS suffix."""
    host = (endpoint or "").lower()
    if ".azure.us" in host:
        return "usgov"
    if ".azure.cn" in host:
        return "china"
    return "public"


def expected_zones(kind: str, endpoint: str | None) -> tuple[str, ...]:
    return ZONES_BY_CLOUD[cloud_of_endpoint(endpoint)].get(kind.lower(), ())


class ARecord(msgspec.Struct, frozen=True):
    name: str  # relative name, lower-case ('@' for the apex)
    fqdn: str
    ipv4: tuple[str, ...]


class VnetLink(msgspec.Struct, frozen=True):
    virtual_network: str
    registration_enabled: bool
    state: str | None


class PrivateDnsZone(msgspec.Struct, frozen=True):
    number_of_record_sets: int | None
    links: tuple[VnetLink, ...]
    a_records: tuple[ARecord, ...]
    record_sets_seen: bool  # whether any record set of the zone was in the input


_LINK = props.Fields("virtualNetwork", "registrationEnabled", "virtualNetworkLinkState")


def parse_link(properties: Mapping[str, object]) -> VnetLink | None:
    vnet, registration, state = _LINK(properties)
    vnet = props.ref_id(vnet, "id")
    if not vnet:
        return None
    return VnetLink(
        virtual_network=vnet,
        registration_enabled=bool(props.as_bool(registration)),
        state=props.as_enum(state),
    )


def parse_a_record(name: str, zone_name: str, properties: Mapping[str, object]) -> ARecord:
    ips = tuple(
        sorted({ip for r in props.items(properties, "aRecords") if (ip := props.get_str(r, "ipv4Address"))})
    )
    rel = name.lower()
    # ARG names a record set '<zone>/<record>' in some exports and '<record>' in others.
    if "/" in rel:
        rel = rel.rsplit("/", 1)[-1]
    fqdn = (props.get_str(properties, "fqdn") or (zone_name if rel == "@" else f"{rel}.{zone_name}")).lower()
    return ARecord(name=rel, fqdn=fqdn.rstrip("."), ipv4=ips)


def references(node_id: str, z: PrivateDnsZone, index: RefIndex) -> Iterable[Ref]:
    for link in z.links:
        yield Ref(
            node_id,
            Relation.DNS_ZONE_LINKED_TO,
            link.virtual_network,
            {"registration_enabled": link.registration_enabled},
        )


# Zones are assembled by the builder from the zone row, its link rows and its record set rows.
SPEC = ResourceType(
    arm_type=ZONE,
    label="Private DNS zone",
    noun="Private DNS zone",
    references=references,
    icon=IconRef("diagrams.azure.network", "DNSPrivateZones", "networking/DNS_Zones.svg", "Private DNS zone"),
)
