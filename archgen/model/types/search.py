"""Azure AI Search services (`microsoft.search/searchservices`) and their shared private links.

Property names from `specification/search/resource-manager/Microsoft.Search/stable/2023-11-01/search.json`
(`SearchServiceProperties`): `publicNetworkAccess` (`enabled` | `disabled`), `networkRuleSet{ipRules[].value,
bypass}`, `disableLocalAuth`, `privateEndpointConnections`, and the read-only list
`sharedPrivateLinkResources[]{properties{privateLinkResourceId, groupId, status, requestMessage}}`, which the
child type `searchServices/sharedPrivateLinkResources` also lists one by one. A shared private link is the
private endpoint Azure AI Search manages to reach another resource, such as an Azure OpenAI account
(https://learn.microsoft.com/azure/search/search-indexer-howto-access-private); On Your Data uses it
instead of the account's trusted-services bypass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.relations import Relation
from archgen.model.types.common import (
    ManagedIdentity,
    NetworkAcls,
    PrivateEndpointConnection,
    parse_identity,
    parse_pe_connections,
    public_network_access,
)
from archgen.model.types.spec import IconRef, Lookup, Ref, RefIndex, ResourceType, common_refs, principals_of

TYPE = "microsoft.search/searchservices"
SHARED_PRIVATE_LINK = "microsoft.search/searchservices/sharedprivatelinkresources"


class SharedPrivateLink(msgspec.Struct, frozen=True):
    name: str
    target: str  # the resource the link reaches (normalised id)
    group_id: str | None
    status: str  # lower-case: pending | approved | rejected | disconnected | ''


class SearchService(msgspec.Struct, frozen=True):
    sku: str | None
    public_network_access: str | None
    network_acls: NetworkAcls  # from networkRuleSet (IP rules and bypass; no default action)
    disable_local_auth: bool | None
    identity: ManagedIdentity
    private_endpoint_connections: tuple[PrivateEndpointConnection, ...]
    shared_private_links: tuple[SharedPrivateLink, ...]


def parse_shared_link(item: Mapping[str, object]) -> SharedPrivateLink | None:
    target = props.ref_id(item, "properties", "privateLinkResourceId")
    if not target:
        return None
    return SharedPrivateLink(
        name=props.get_str(item, "name") or "",
        target=target,
        group_id=props.get_str(item, "properties", "groupId"),
        status=props.get_enum(item, "properties", "status") or "",
    )


def parse(row: Mapping[str, object], properties: Mapping[str, object]) -> SearchService:
    rules = props.get(properties, "networkRuleSet")
    links = [
        link
        for item in props.items(properties, "sharedPrivateLinkResources")
        if (link := parse_shared_link(item))
    ]
    return SearchService(
        sku=props.get_str(row, "sku", "name"),
        public_network_access=public_network_access(properties),
        network_acls=NetworkAcls(
            default_action=None,
            bypass=props.get_enum(rules, "bypass"),
            ip_rules=tuple(
                sorted({v for r in props.items(rules, "ipRules") if (v := props.get_str(r, "value"))})
            ),
            vnet_rules=(),
        ),
        disable_local_auth=props.get_bool(properties, "disableLocalAuth"),
        identity=parse_identity(row),
        private_endpoint_connections=parse_pe_connections(properties),
        shared_private_links=tuple(sorted(links, key=lambda link: (link.target, link.name))),
    )


def references(node_id: str, s: SearchService, index: RefIndex) -> Iterable[Ref]:
    yield from common_refs(node_id, s)
    for link in s.shared_private_links:
        yield Ref(
            node_id,
            Relation.SHARED_PRIVATE_LINK_TO,
            link.target,
            {"group_id": link.group_id or "", "status": link.status.capitalize() or "Unknown"},
        )


R = Relation
SPEC = ResourceType(
    arm_type=TYPE,
    label="Azure AI Search service",
    noun="Search service",
    parse=parse,
    references=references,
    walk=((R.PRIVATE_ENDPOINT_OF, "in"), (R.DIAGNOSTICS_TO, "out"), (R.USES_IDENTITY, "out")),
    lookups=(Lookup("role_assignments_by_principal", lambda _i, s: principals_of(s)),),
    diagnosable=True,
    icon=IconRef("diagrams.azure.aimachinelearning", "CognitiveSearch", None, "Azure AI Search"),
)
