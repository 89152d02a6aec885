"""Relations that join rows across types by value rather than by a property's id: A records to private
endpoints by IP, role assignments to the resources under their scope.

Both are one pass over an index built once (linear in rows); the builder calls them after the specs'
own references are in place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from archgen.model import access
from archgen.model.children import Row
from archgen.model.graph import Node
from archgen.model.ids import scopes_of
from archgen.model.relations import Relation
from archgen.model.types import dns, identity, network
from archgen.model.workloads import ROLE_TARGET_TYPES

R = Relation
EdgeSink = Callable[..., None]


def dns_record_edges(nodes: Iterable[Node], edge: EdgeSink) -> None:
    nodes = list(nodes)
    by_ip: dict[str, list[tuple[str, dns.ARecord]]] = defaultdict(list)
    for n in nodes:
        if n.type == dns.ZONE:
            for rec in n.attrs_as(dns.PrivateDnsZone).a_records:
                for ip in rec.ipv4:
                    by_ip[ip].append((n.id, rec))
    for n in nodes:
        if n.type != network.PRIVATE_ENDPOINT:
            continue
        pe = n.attrs_as(network.PrivateEndpoint)
        labels = {f.split(".", 1)[0] for f in pe.fqdns}
        for ip in pe.private_ips:
            for zone, rec in by_ip.get(ip, ()):
                # IPs repeat across unconnected VNets; when the PE names its FQDNs, the record's
                # host label must match one of them as well as the IP.
                if labels and rec.fqdn.split(".", 1)[0] not in labels:
                    continue
                edge(zone, R.DNS_RECORD_FOR, n.id, fqdn=rec.fqdn, ip=ip)


def role_edges(
    nodes: Iterable[Node],
    by_type: Mapping[str, list[Row]],
    edge: EdgeSink,
    skip: Callable[[str, str], None],
) -> list[identity.RoleAssignment]:
    """`role_assignment` edges from each principal to every resource under the assignment's scope;
    returns the parsed assignments (for the account-access edges)."""
    nodes = list(nodes)
    principals = access.principal_nodes(nodes)
    under: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        if n.type in ROLE_TARGET_TYPES:
            for scope in scopes_of(n.id):
                under[scope].append(n.id)
    parsed = []
    for r in by_type.get(identity.ROLE_ASSIGNMENT, ()):
        ra = identity.parse_role_assignment(r.id, r.properties)
        if ra is None:
            skip(
                "row_skipped",
                f"{r.id}: role assignment without principalId, roleDefinitionId or scope, skipped",
            )
            continue
        parsed.append(ra)
        source = principals.get(ra.principal_id)
        if source is None:
            continue
        for target in under.get(ra.scope, ()):
            edge(
                source,
                R.ROLE_ASSIGNMENT,
                target,
                role_definition_id=ra.role_definition_id,
                role_name=identity.BUILTIN_ROLES.get(ra.role_definition_id, ""),
                scope=ra.scope,
                principal_id=ra.principal_id,
            )
    return parsed
