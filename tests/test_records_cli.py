"""The records made on the CLI path outside `archgen.model.types` are `msgspec.Struct`s (they were dataclasses;
issue 14, seventh round): each keeps the dataclass's fields in order with their defaults, its equality and
hashing, its `repr`, its (im)mutability, copying, pickling and `records.replace`. `Node` keeps `raw` out of
`==`, `hash` and `repr` as the dataclass's `field(repr=False, compare=False)` did. Checked on the records a
sample's run makes and on records built from strings for the classes no run hands out."""

from __future__ import annotations

import copy
import importlib
from typing import Any

import msgspec
import pytest

from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.model import records
from archgen.model.builder import build
from archgen.model.graph import Node
from archgen.model.ids import parse_id
from archgen.model.relations import RELATIONS
from archgen.pipeline import sample_path
from tests.test_records import check_like_dataclass

# `dataclasses.fields` of each class before it became a Struct (a default as its repr, a default factory as
# `factory()`), and whether it was frozen.
REFERENCE: dict[str, tuple[bool, str]] = {
    "controls.findings.Finding": (True, "control, resource, status, reason, evidence=dict()"),
    "model.graph.Node": (
        True,
        "id, type, name, kind, subscription_id, resource_group, location, tags, attrs, raw=dict()",
    ),
    "model.graph.Edge": (True, "source, target, relation, attributes=dict()"),
    "model.graph.Workload": (True, "id, name, members"),
    "model.graph.GraphWarning": (True, "code, message, details=()"),
    "model.graph.BuildRecord": (
        True,
        "warnings=(), diagnostics_collected=frozenset(), stats=dict(), dangling=(), diagnostics=None,"
        " incomplete=(), subscription_names=None, principals_collected=frozenset(), defender_plans=None,"
        " policy=None, assessments=None",
    ),
    "model.ids.ResourceId": (True, "id, subscription_id, resource_group, type, name"),
    "model.children.Row": (False, "id, type, row, properties"),
    "model.pedns.EndpointResolution": (
        True,
        "endpoint, target, vnet, zones, status, proofs, fails, unknowns",
    ),
    "model.access.Access": (
        True,
        "assignment_id, principal_id, principal_type, role_definition_id, role_name, scope, grants,"
        " wildcard_call=()",
    ),
    "model.facts.Resolution": (True, "vnet, custom_dns, resolvers, unplaced"),
    "model.netpath.NetworkPath": (
        True,
        "endpoint_id, private_ips, subnet_id, policies, nsg_id, nsg, route_table_id, route_table",
    ),
    "model.gateways.Front": (True, "gateway, via, url, through"),
    "controls.evaluators.encryption.CmkRules": (
        True,
        "service, same_region, key_types, key_sizes, min_size",
    ),
    "model.coverage.Gap": (True, "kind, query, hop, error, coverage, keys=()"),
    "model.relations.RelationSpec": (True, "relation, ends, description, read_from, words"),
    "model.inventory.SourcedRow": (True, "row, source, path"),
    "model.inventory.RowBlock": (True, "rows, source, prefix='', paths=None"),
    "controls.evaluators.encryption._Chain": (False, "fails, unknowns, evidence"),
    "model.pedns._Outcome": (False, "fails=list(), unknowns=list(), proofs=dict()"),
    # once per run
    "controls.accept.Decision": (True, "acceptance, expired"),
    "controls.accept.Review": (True, "decisions, unmatched, as_of"),
    "run.InputFile": (True, "name, sha256, rows, path=''"),
    "run.RunInfo": (
        False,
        "archgen_version, started_at, ended_at, mode, inputs=list(), scope=dict(), cloud='public',"
        " queries=list(), data_as_of=''",
    ),
    "pipeline.LiveScope": (
        True,
        "subscriptions=(), management_groups=(), resource_groups=(), tags=(), accounts=()",
    ),
    "pipeline.LiveSettings": (
        True,
        "cloud='public', arm_endpoint=None, token_scope=None, diagnostics=True, deployments=True,"
        " quiet=False, timeout=1800.0, max_wait=120.0",
    ),
    "pipeline.DiscoverOptions": (
        True,
        "from_files=(), sample=None, json_path=None, out_dir=PosixPath('.'), snapshot_path=None, force=False,"
        " live_scope=LiveScope(subscriptions=(), management_groups=(), resource_groups=(), tags=(),"
        " accounts=()), live_options=LiveSettings(cloud='public', arm_endpoint=None, token_scope=None,"
        " diagnostics=True, deployments=True, quiet=False, timeout=1800.0, max_wait=120.0),"
        " max_input_mb=2048, strict_evidence=False, acceptances=(), since=None, redactor=None, png=False",
    ),
    "pipeline.Result": (
        False,
        "graph, findings, catalogue, run, graph_doc, snapshot_json, written=list(), output_warnings=list(),"
        " review=None, changes=None, notes=list()",
    ),
    "commands.report.ReportFlags": (
        True,
        "from_files, more_files, sample, accept_path, redact, redact_salt, redact_tags, output, force",
    ),
    "commands.discover.DiscoverFlags": (
        True,
        "more_files, from_files, sample, json_path, out_dir, no_site, png, snapshot_path, force,"
        " subscriptions, management_groups, resource_groups, tags, accounts, cloud, arm_endpoint,"
        " token_scope, no_diagnostics, no_deployments, max_input_mb, strict_evidence, timeout, max_wait,"
        " allow_partial, quiet, findings_csv=None, findings_xlsx=None, sarif_path=None, owner_tag=None,"
        " fail_on=None, accept_path=None, since_path=None, redact=False, redact_salt=None, redact_tags=()",
    ),
    "model.inventory.Inventory": (
        False,
        "blocks=list(), diagnostics_collected=None, deployments_collected=None, principals_collected=None,"
        " foundry_collected=None, assessments_collected=None, digests=dict(), warnings=list(),"
        " snapshot_meta=dict(), incomplete=list(), as_of=None",
    ),
}


def _class(key: str) -> type[msgspec.Struct]:
    module, name = f"archgen.{key}".rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, msgspec.Struct), key
    return cls  # type: ignore[no-any-return]


CLASSES = {key: _class(key) for key in REFERENCE}


def _defaults(cls: type[msgspec.Struct]) -> list[tuple[str, Any]]:
    """Each field's name and default (`_REQUIRED` for none; a default factory as `msgspec`'s `Factory`), read
    from the class without resolving its annotations (`Node.attrs` names a type for mypy only)."""
    names, defaults = cls.__struct_fields__, cls.__struct_defaults__
    padded = [_REQUIRED] * (len(names) - len(defaults)) + list(defaults)
    return list(zip(names, padded, strict=True))


_REQUIRED = object()


def _required(cls: type[msgspec.Struct]) -> list[str]:
    return [f"{cls.__name__}.{n}" for n, d in _defaults(cls) if d is _REQUIRED]


def _signature(cls: type[msgspec.Struct]) -> str:
    out = []
    for name, default in _defaults(cls):
        if default is _REQUIRED:
            out.append(name)
        elif hasattr(default, "factory"):
            out.append(f"{name}={default.factory.__name__}()")
        else:
            out.append(f"{name}={default!r}")
    return ", ".join(out)


def _names(fields: str) -> tuple[str, ...]:
    """The field names of a `REFERENCE` entry (its top-level items: defaults may hold commas)."""
    names, depth, start = [], 0, 0
    for i, ch in enumerate(fields + ","):
        depth += (ch in "([{") - (ch in ")]}")
        if ch == "," and depth == 0:
            names.append(fields[start:i].strip().split("=")[0])
            start = i + 1
    return tuple(names)


@pytest.mark.parametrize("key", sorted(REFERENCE))
def test_each_record_is_a_struct_with_the_dataclass_fields_defaults_and_mutability(key: str) -> None:
    cls = CLASSES[key]
    frozen, fields = REFERENCE[key]
    config = cls.__struct_config__
    assert (config.frozen, config.eq, config.order) == (frozen, True, False)
    assert _signature(cls) == fields
    assert records.field_names(cls) == cls.__match_args__ == _names(fields)


def _run_records() -> dict[type, list[Any]]:
    """Up to 20 records of each class from a sample's run (graph, findings, rows, ids, relations)."""
    inventory = load_files([sample_path("regulated-vwan")])
    graph = build(inventory)
    found: dict[type, list[Any]] = {cls: [] for cls in CLASSES.values()}
    made: list[Any] = [inventory, *inventory.blocks, *list(inventory.blocks[0])[:20]]
    made += [*list(graph.nodes.values())[:20], *graph.edges[:20], *graph.workloads, *graph.warnings]
    made += [*evaluate(graph)[:20], *RELATIONS.values(), *graph.incomplete]
    made += [parse_id(n) for n in list(graph.nodes)[:20]]
    for rec in made:
        if type(rec) in found and len(found[type(rec)]) < 20:
            found[type(rec)].append(rec)
    for cls, got in found.items():
        if not got:
            got.append(cls(*_required(cls)))
    return found


INSTANCES = _run_records()


def test_the_run_makes_most_of_these_records() -> None:
    made = {c.__name__ for c, got in INSTANCES.items() if not str(got[0]).count(f"'{c.__name__}.")}
    assert {"Finding", "Node", "Edge", "Workload", "ResourceId", "RelationSpec", "RowBlock"} <= made


@pytest.mark.parametrize("key", sorted(REFERENCE))
def test_records_compare_hash_print_copy_and_change_as_the_dataclasses_did(key: str) -> None:
    cls = CLASSES[key]
    compared = len(records.field_names(cls)) - 1 if cls is Node else None  # a Node's `raw` is not compared
    for rec in INSTANCES[cls]:
        check_like_dataclass(rec, frozen=REFERENCE[key][0], compared=compared)


def test_a_node_leaves_its_row_out_of_equality_hash_and_repr() -> None:
    node = next(iter(INSTANCES[Node]))
    other = records.replace(node, raw={"id": "something else"})
    assert other == node and hash(other) == hash(node) and repr(other) == repr(node)
    assert "raw=" not in repr(node) and (other != node) is False
    assert records.replace(node, name="other") != node


def test_a_row_can_be_changed_like_the_mutable_dataclass() -> None:
    row = INSTANCES[CLASSES["model.children.Row"]][0]
    copied = copy.copy(row)
    copied.properties = {"changed": True}
    assert copied.properties == {"changed": True} and copied != row


def test_default_factories_give_each_record_its_own_value() -> None:
    with_factory = 0
    for cls in CLASSES.values():
        a, b = cls(*_required(cls)), cls(*_required(cls))
        for name, default in _defaults(cls):
            if hasattr(default, "factory"):
                with_factory += 1
                assert getattr(a, name) == default.factory() and getattr(a, name) is not getattr(b, name)
    # Finding.evidence, Node.raw, Edge.attributes, BuildRecord.stats; _Outcome 3, RunInfo 3, Result 3, Inventory 5
    assert with_factory == 18
