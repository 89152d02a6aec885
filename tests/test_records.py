"""The attribute records of `archgen.model.types` are frozen `msgspec.Struct`s (they were frozen dataclasses):
each keeps the dataclass's fields in order with their defaults, its equality and hashing, its `repr`, its
immutability, and `records.replace` copies it as `dataclasses.replace` did. Checked on the records the
samples' graphs hold (their nodes' attributes, diagnostic settings, Defender plans and protection, policy
rows and coverage, assessments, the type table and the references the nodes state), and on a record built
from its field names for the classes no sample holds."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest

import archgen.model.types as types_pkg
from archgen.discovery.files import load_files
from archgen.model import records
from archgen.model.builder import build
from archgen.model.graph import Graph
from archgen.model.types import TYPES, defender, policy
from archgen.pipeline import sample_names, sample_path

# The dataclasses' fields (and defaults) before they became Structs: `dataclasses.fields` of each class,
# a default as its repr, a default factory as `factory()`.
REFERENCE: dict[str, str] = {
    "assessments.Assessment": "id, resource_id, display_name, status, severity",
    "assessments.Summary": "collected, assessed=0, unhealthy=()",
    "assessments.Assessments": "by_resource=dict(), collected=frozenset()",
    "blocklists.BlocklistUse": "name, source, blocking",
    "callers.App": "host, identity",
    "cognitive.Deployment": (
        "name, sku, model, model_version, capacity, rai_policy=None,"
        " version_upgrade_option=None, model_format=None"
    ),
    "cognitive.ContentFilter": "name, source, enabled, blocking, severity_threshold",
    "cognitive.FilterSetting": "category, source, state, threshold",
    "cognitive.RaiPolicy": "name, base_policy, mode, filters, blocklists=()",
    "cognitive.DeploymentFilter": "kind, policy=None",
    "cognitive.Account": (
        "sku, custom_subdomain, endpoint, public_network_access, network_acls,"
        " disable_local_auth, identity, key_source, key_vault_uri, key_name,"
        " key_version, key_identity_client_id, restrict_outbound, allowed_fqdns,"
        " capabilities, user_owned_storage, private_endpoint_connections,"
        " deployments=(), deployments_collected=False, rai_policies=(), foundry=None"
    ),
    "common.ManagedIdentity": "type, principal_id, user_assigned, user_assigned_principals=()",
    "common.NetworkAcls": "default_action, bypass, ip_rules, vnet_rules",
    "common.PrivateEndpointConnection": "private_endpoint_id, status, group_ids",
    "cosmos.CosmosAccount": (
        "public_network_access, disable_local_auth, disable_key_metadata_writes,"
        " vnet_filter_enabled, vnet_rules, ip_rules, acl_bypass, key_vault_key_uri,"
        " identity, private_endpoint_connections"
    ),
    "defender.DefenderPlan": "id, subscription_id, name, tier, sub_plan, coverage, extensions",
    "defender.Protection": "plan_name, subscription_id, state, why, plan",
    "dns.ARecord": "name, fqdn, ipv4",
    "dns.VnetLink": "virtual_network, registration_enabled, state",
    "dns.PrivateDnsZone": "number_of_record_sets, links, a_records, record_sets_seen",
    "foundry.Connection": "id, name, owner, category, target, auth_type, shared_to_all, resource_id",
    "foundry.NetworkInjection": "scenario, subnet, microsoft_managed",
    "foundry.AccountFoundry": (
        "allow_project_management, injections, connections=(), connections_collected=False, projects=()"
    ),
    "foundry.FoundryProject": "display_name, is_default, identity, connections=(), uses=()",
    "frontdoor.Origin": "group, name, host, enabled, private_link, private_link_status",
    "frontdoor.FrontDoor": (
        "sku, origins=(), origins_read=False, waf_policies=(), security_policies_read=False"
    ),
    "frontdoor.FrontDoorWafPolicy": "enabled_state, mode",
    "gateway.Backend": "name, url, host, source='backend'",
    "gateway.ApiManagement": (
        "sku, virtual_network_type, public_network_access, subnet_id, gateway_url,"
        " hosts, identity, private_endpoint_connections, backends=(),"
        " backends_read=False, policies_read=False, mi_auth_in=()"
    ),
    "gateway.AppGateway": "sku_tier, backend_hosts, firewall_policy, waf_enabled, waf_mode",
    "gateway.WafPolicy": "state, mode",
    "identity.UserAssignedIdentity": "client_id, principal_id",
    "identity.RoleAssignment": "id, principal_id, principal_type, role_definition_id, scope",
    "keyvault.Key": "name, kty, key_size, enabled, expires, rotation_policy",
    "keyvault.AccessPolicy": "object_id, key_permissions",
    "keyvault.Vault": (
        "vault_uri, sku, enable_soft_delete, soft_delete_retention_days,"
        " enable_purge_protection, enable_rbac_authorization, public_network_access,"
        " network_acls, access_policies, private_endpoint_connections, keys=(),"
        " keys_collected=False"
    ),
    "mlhub.Hub": (
        "kind, isolation_mode, public_network_access, hub_id, identity,"
        " private_endpoint_connections, connections=()"
    ),
    "monitor.DiagnosticSetting": "resource_id, name, destinations, categories, groups=()",
    "monitor.Workspace": "retention_days, public_network_access_ingestion, public_network_access_query",
    "monitor.EventHubNamespace": "public_network_access",
    "netpolicy.SecurityRule": (
        "name, default, direction, access, priority, protocol, sources, destinations, ports"
    ),
    "netpolicy.NetworkSecurityGroup": "rules, has_default_rules",
    "netpolicy.Route": "name, address_prefix, next_hop_type, next_hop_ip",
    "netpolicy.RouteTable": "routes, disable_bgp_route_propagation",
    "network.LinkServiceConnection": "target_id, group_ids, status, manual",
    "network.PrivateEndpoint": "subnet_id, connections, private_ips, fqdns, network_interfaces",
    "network.Peering": "remote_id, state",
    "network.VirtualNetwork": "address_prefixes, dns_servers, peerings",
    "network.Subnet": (
        "address_prefixes, network_security_group, route_table,"
        " private_endpoint_network_policies, delegations=()"
    ),
    "network.VirtualHub": "virtual_wan, address_prefix",
    "network.VirtualWan": "wan_type",
    "policy.Assignment": "id, name, scope, definition_id, enforced, not_scopes, parameters",
    "policy.Definition": "id, name, effect, defaults",
    "policy.Member": "definition_id, reference_id, parameters",
    "policy.SetDefinition": "id, name, members, defaults",
    "policy.Exemption": "id, scope, assignment_id, reference_ids, category, expires_on",
    "policy.Coverage": (
        "state, assignment, assignment_id, scope, effect, via, exemption=None, compliance=None, expired=False"
    ),
    "roledefs.Permission": "actions, not_actions, data_actions, not_data_actions",
    "roledefs.RoleDefinition": "guid, role_name, custom, permissions, assignable_scopes",
    "search.SharedPrivateLink": "name, target, group_id, status",
    "search.SearchService": (
        "sku, public_network_access, network_acls, disable_local_auth, identity,"
        " private_endpoint_connections, shared_private_links"
    ),
    "spec.Ref": "source, relation, target, attributes=dict()",
    "spec.IconRef": "module, cls, drawio, title",
    "spec.Lookup": "query, keys",
    "spec.ResourceType": (
        "arm_type, label, noun, parse=None, references=no_references, walk=(),"
        " lookups=(), also_reads=None, diagnosable=False, role_target=False, icon=None,"
        " kind_icons=dict()"
    ),
    "storage.StorageAccount": (
        "kind, public_network_access, network_acls, resource_access_rules,"
        " allow_blob_public_access, allow_shared_key_access, minimum_tls_version,"
        " https_only, identity, key_source, key_vault_uri, key_name, key_version,"
        " key_identity, private_endpoint_connections"
    ),
}

# Not converted: a mutable dataclass whose caches are `init=False, repr=False, compare=False` fields.
NOT_CONVERTED = {"policy.PolicyFacts"}
HOLD_FUNCTIONS = {"Lookup", "ResourceType"}  # lambdas: no pickling, with dataclasses either


def _classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(types_pkg.__path__):
        module = importlib.import_module(f"{types_pkg.__name__}.{info.name}")
        for name, obj in vars(module).items():
            mine = inspect.isclass(obj) and obj.__module__ == module.__name__
            if mine and (issubclass(obj, msgspec.Struct) or dataclasses.is_dataclass(obj)):
                found[f"{info.name}.{name}"] = obj
    return found


CLASSES = _classes()
STRUCTS = {k: c for k, c in CLASSES.items() if issubclass(c, msgspec.Struct)}


def _signature(cls: type[msgspec.Struct]) -> str:
    out = []
    for f in msgspec.structs.fields(cls):
        if f.default is not msgspec.NODEFAULT:
            d = f.default
            out.append(f"{f.name}={d.__name__ if callable(d) else repr(d)}")
        elif f.default_factory is not msgspec.NODEFAULT:
            out.append(f"{f.name}={f.default_factory.__name__}()")
        else:
            out.append(f.name)
    return ", ".join(out)


def test_every_frozen_record_is_a_struct_with_the_dataclass_fields_and_defaults() -> None:
    assert set(STRUCTS) == set(REFERENCE)
    assert set(CLASSES) - set(STRUCTS) == NOT_CONVERTED
    for key, cls in STRUCTS.items():
        config = cls.__struct_config__
        assert (config.frozen, config.eq, config.order) == (True, True, False), key
        assert _signature(cls) == REFERENCE[key], key
        assert (
            records.field_names(cls)
            == cls.__match_args__
            == tuple(f.split("=")[0] for f in REFERENCE[key].split(", "))
        )


class _Index:
    """A `RefIndex` that knows nothing: references name what the attributes name."""

    def vault_for_uri(self, uri: str) -> str:
        return f"keyvault-uri:{uri}"

    def uami_for_client(self, client_id: str) -> str | None:
        return None

    def accounts_matching(self, rule: str) -> list[str]:
        return []


def _walk(value: Any, seen: dict[int, object]) -> Iterator[msgspec.Struct]:
    """The records in `value`, each once (`seen` holds what it has walked, so that no id is reused)."""
    if id(value) in seen or isinstance(value, str | int | float | type(None)):
        return
    seen[id(value)] = value
    if isinstance(value, msgspec.Struct):
        yield value
        for name in value.__struct_fields__:
            yield from _walk(getattr(value, name), seen)
    elif isinstance(value, tuple | list | frozenset | set):
        for v in value:
            yield from _walk(v, seen)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v, seen)
    elif records.is_record(value):  # PolicyFacts
        for name in records.field_names(type(value)):
            yield from _walk(getattr(value, name), seen)


def _graph_records(graph: Graph) -> Iterator[msgspec.Struct]:
    """The records a graph holds, the references its nodes state, and what the evaluators ask of the
    graph's governance facts (Defender protection, assessment summaries, policy coverage)."""
    seen: dict[int, object] = {}
    held = (graph.diagnostics, graph.defender_plans, graph.policy, graph.assessments)
    facts = graph.policy
    guids = sorted({policy.guid_of(a.definition_id) for a in facts.assignments}) if facts else []
    for node in graph.nodes.values():
        yield from _walk(node.attrs, seen)
        spec = TYPES.get(node.type)
        if spec is not None and node.attrs is not None:
            yield from _walk(list(spec.references(node.id, node.attrs, _Index())), seen)
        yield from _walk(
            defender.protection(graph.defender_plans or {}, node.type, node.subscription_id), seen
        )
        yield from _walk(graph.assessments.summary(node.id) if graph.assessments else None, seen)
        yield from _walk([facts.coverage(node.id, g) for g in guids] if facts else None, seen)
    yield from _walk(held, seen)


def _instances() -> dict[type, list[msgspec.Struct]]:
    """Up to 20 records of each class from the samples' graphs and the type table; one built from its
    fields' names (strings) with the defaults for a class no sample holds."""
    found: dict[type, list[msgspec.Struct]] = {c: [] for c in STRUCTS.values()}
    for name in sample_names():
        for rec in _graph_records(build(load_files([sample_path(name)]))):
            if len(found[type(rec)]) < 20:
                found[type(rec)].append(rec)
    for rec in _walk(TYPES, {}):
        if len(found[type(rec)]) < 20:
            found[type(rec)].append(rec)
    for cls, got in found.items():
        if not got:
            required = [f.name for f in msgspec.structs.fields(cls) if f.required]
            got.append(cls(*(f"{cls.__name__}.{n}" for n in required)))
    return found


INSTANCES = _instances()


def test_the_samples_hold_most_record_classes() -> None:
    built = {c for c, got in INSTANCES.items() if not all(_made_up(r) for r in got)}
    assert len(built) >= 55, sorted(c.__name__ for c in set(INSTANCES) - built)


def _made_up(rec: msgspec.Struct) -> bool:
    first = rec.__struct_fields__[0]
    return getattr(rec, first) == f"{type(rec).__name__}.{first}"


def _hashable(values: list[Any]) -> bool:
    try:
        hash(tuple(values))
    except TypeError:
        return False
    return True


def check_like_dataclass(
    rec: Any, *, frozen: bool = True, compared: int | None = None, pickled: bool = True
) -> None:
    """`rec` compares, hashes, prints, copies and refuses changes as the dataclass it replaced did: on its
    first `compared` fields (all by default; a `Node` leaves its `raw` row out), frozen or not."""
    cls = type(rec)
    names = records.field_names(cls)
    values = [getattr(rec, n) for n in names]
    kept = len(names) if compared is None else compared
    twin = cls(*values)
    assert twin == rec and twin is not rec and (twin != rec) is False
    assert rec != tuple(values) and rec.__eq__(tuple(values)) is NotImplemented
    inner = ", ".join(f"{n}={getattr(rec, n)!r}" for n in names[:kept])
    assert repr(rec) == f"{cls.__qualname__}({inner})"
    if frozen and _hashable(
        values[:kept]
    ):  # a frozen dataclass hashes its fields: equal records, equal hashes
        assert hash(twin) == hash(rec)
    else:
        with pytest.raises(TypeError):
            hash(rec)
    with pytest.raises(TypeError):
        _ = rec < twin
    if frozen:
        with pytest.raises(AttributeError):
            setattr(rec, names[0], values[0])
    with pytest.raises(AttributeError):
        rec.not_a_field = 1
    assert copy.copy(rec) == rec and copy.deepcopy(rec) == rec
    if pickled:
        assert pickle.loads(pickle.dumps(rec)) == rec
    _replaces_only_what_it_names(rec, names[:kept], values[:kept])


@pytest.mark.parametrize("cls", sorted(INSTANCES, key=lambda c: c.__qualname__), ids=lambda c: c.__name__)
def test_records_compare_hash_print_copy_and_refuse_changes_as_dataclasses_did(cls: type) -> None:
    for rec in INSTANCES[cls]:
        check_like_dataclass(rec, pickled=cls.__name__ not in HOLD_FUNCTIONS)


def _replaces_only_what_it_names(rec: msgspec.Struct, names: tuple[str, ...], values: list[Any]) -> None:
    marker = object()
    for i, name in enumerate(names):
        changed = records.replace(rec, **{name: marker})
        assert type(changed) is type(rec) and changed != rec
        got = [getattr(changed, n) for n in names]
        assert got[i] is marker
        assert all(a is b for j, (a, b) in enumerate(zip(got, values, strict=True)) if j != i)
    same = records.replace(rec)
    assert same == rec and type(same) is type(rec)


def test_default_factories_give_each_record_its_own_value() -> None:
    with_factory = 0
    for cls in STRUCTS.values():
        fields = msgspec.structs.fields(cls)
        required = [f"{cls.__name__}.{f.name}" for f in fields if f.required]
        a, b = cls(*required), cls(*required)
        assert a == b
        for f in fields:
            if f.default_factory is not msgspec.NODEFAULT:
                with_factory += 1
                assert getattr(a, f.name) == f.default_factory() and getattr(a, f.name) is not getattr(
                    b, f.name
                )
    assert with_factory == 3  # Ref.attributes, ResourceType.kind_icons, Assessments.by_resource


def test_records_helpers_read_dataclasses_the_same_way() -> None:
    @dataclasses.dataclass(frozen=True)
    class Plain:
        a: int
        b: str = "x"

    p = Plain(1)
    assert records.is_record(p) and not records.is_record(Plain) and not records.is_record({"a": 1})
    assert records.field_names(Plain) == ("a", "b")
    assert records.replace(p, b="y") == Plain(1, "y")
    rec = next(iter(INSTANCES[STRUCTS["spec.IconRef"]]))
    assert records.is_record(rec) and not records.is_record(type(rec))
