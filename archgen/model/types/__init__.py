"""The resource type table: which ARM types become nodes, and the parser of each one's typed attributes.

Adding a type: its family module here, one line in NODE_PARSERS, a row in the icon table
(`archgen/render/icons.py`), its query in `archgen/discovery/queries/`, fixture rows and a test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from archgen.model.types import cognitive, dns, identity, keyvault, monitor, network, storage

NodeParser = Callable[[Mapping[str, object], Mapping[str, object]], object]

# ARM type (lower-case) -> parser(row, properties) -> typed attributes. One screen, no discovery magic.
NODE_PARSERS: dict[str, NodeParser] = {
    cognitive.TYPE: cognitive.parse,
    keyvault.TYPE: keyvault.parse,
    storage.TYPE: storage.parse,
    network.PRIVATE_ENDPOINT: network.parse_private_endpoint,
    network.VIRTUAL_NETWORK: network.parse_virtual_network,
    network.VIRTUAL_HUB: network.parse_virtual_hub,
    network.VIRTUAL_WAN: network.parse_virtual_wan,
    identity.USER_ASSIGNED_IDENTITY: identity.parse_identity,
    monitor.WORKSPACE: monitor.parse_workspace,
    monitor.EVENTHUB_NAMESPACE: monitor.parse_eventhub,
}

# Node types the builder assembles from other rows: subnets (embedded in their VNet's row) and
# private DNS zones (the zone row plus its VNet link rows and record set rows).
DERIVED_NODE_TYPES = frozenset({network.SUBNET, dns.ZONE})

# Rows read for relations and attributes only; they never become nodes.
AUXILIARY_TYPES = frozenset(
    {
        cognitive.DEPLOYMENT,
        cognitive.RAI_POLICY,
        keyvault.KEY,
        network.NETWORK_INTERFACE,
        network.HUB_CONNECTION,
        dns.VNET_LINK,
        dns.A_RECORD,
        identity.ROLE_ASSIGNMENT,
        monitor.DIAGNOSTIC_SETTING,
    }
)

NODE_TYPES = frozenset(NODE_PARSERS) | DERIVED_NODE_TYPES
