"""The parsers of diagnostic settings, role assignments, subnets and DNS zone links that read a mapping's
keys in one go (`props.Fields`, issue 14's sixth round, second parse pass), `network.nic_ips` (an
interface's IPs alone) and the references built as one list give what the code they replace gave
(`tests/parse_reference_edges.py`): on the samples' and the generator's rows, and on those rows made hostile
as `tests/test_fast_parse.py` makes them (odd key case, the same key twice in two spellings, wrong JSON
types, missing keys, non-ASCII, huge integers, lone surrogates, nested non-dicts, mappings that are not
dicts)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.discovery.files import load_files
from archgen.model import props
from archgen.model.ids import norm_id
from archgen.model.relations import Relation
from archgen.model.types import cognitive, dns, identity, keyvault, monitor, network, storage
from archgen.pipeline import sample_names, sample_path
from benchmarks.generate import generate_rows
from tests import parse_reference_edges as ref
from tests import test_fast_parse as parsers
from tests.test_fast_parse import _mutate, _outcome, _properties

Parser = Callable[[str, Any], object]


# row type -> (the parser, the reference), each called with (normalised row id, properties)
PARSERS: dict[str, tuple[Parser, Parser]] = {
    monitor.DIAGNOSTIC_SETTING: (monitor.parse_diagnostic_setting, ref.parse_diagnostic_setting),
    identity.ROLE_ASSIGNMENT: (identity.parse_role_assignment, ref.parse_role_assignment),
    network.NETWORK_INTERFACE: (  # the IPs alone, as the builder reads them, against all three
        lambda _rid, p: network.nic_ips(p),
        lambda _rid, p: network.nic_private_ips(p)[2],
    ),
    network.SUBNET: (lambda _rid, p: network.parse_subnet(p), lambda _rid, p: ref.parse_subnet(p)),
    dns.VNET_LINK: (lambda _rid, p: dns.parse_link(p), lambda _rid, p: ref.parse_link(p)),
}


def _base_rows() -> list[tuple[str, str, dict[str, Any]]]:
    """(type, id, row) of the generator's and the samples' rows the parsers read; a subnet's row is the
    subnet embedded in its virtual network's row (its `properties` are what `parse_subnet` reads)."""
    rows: list[dict[str, Any]] = list(generate_rows(6, 2, 0))
    for name in sample_names():
        rows.extend(dict(r.row) for r in load_files([sample_path(name)]).rows)
    out = []
    for r in rows:
        rtype = str(r.get("type", "")).lower()
        if rtype in PARSERS:
            out.append((rtype, norm_id(r.get("id")), r))
        if rtype == network.VIRTUAL_NETWORK:
            out.extend(
                (network.SUBNET, norm_id(s.get("id")), s) for s in props.items(_properties(r), "subnets")
            )
    return out


BASE = _base_rows()


def test_the_samples_hold_rows_of_each_parser() -> None:
    counts = {t: sum(1 for rtype, _i, _r in BASE if rtype == t) for t in PARSERS}
    assert all(n >= 2 for n in counts.values()), counts


@pytest.mark.parametrize(
    ("rtype", "rid", "row"), BASE, ids=lambda v: v if isinstance(v, str) and v in PARSERS else ""
)
def test_each_parser_reads_the_sample_rows_as_the_reference(
    rtype: str, rid: str, row: dict[str, Any]
) -> None:
    fast, reference = PARSERS[rtype]
    assert fast(rid, _properties(row)) == reference(rid, _properties(row))


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(BASE), st.randoms(use_true_random=False), st.sampled_from([0.05, 0.2, 0.5]))
def test_each_parser_reads_hostile_rows_as_the_reference(
    case: tuple[str, str, dict[str, Any]], rng: random.Random, rate: float
) -> None:
    rtype, rid, base = case
    fast, reference = PARSERS[rtype]
    for _ in range(2):  # two rows: a plan worked out for one key spelling is not reused for another
        row = _mutate(base, rng, rate)
        properties = _properties(row)
        assert _outcome(fast, rid, properties) == _outcome(reference, rid, properties)


_ROLE = (
    "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48ef-bd42-f606fba81ae7/"
)
_SETTING_ID = (
    "/subscriptions/s/resourcegroups/g/providers/p/t/n/providers/microsoft.insights/diagnosticsettings/d"
)


@pytest.mark.parametrize(
    ("rid", "properties"),
    [
        ("ra", {"PRINCIPALID": "ABC", "roleDefinitionId": _ROLE, "Scope": " /Subscriptions/S/ "}),
        ("ra", {"principalId": "abc", "principalid": "x", "roleDefinitionId": _ROLE, "scope": "/s"}),
        ("ra", {"principalId": "", "roleDefinitionId": _ROLE, "scope": "/s"}),
        ("ra", {"principalId": "p", "roleDefinitionId": 7, "scope": "/s", "principalType": "User"}),
        ("ra", {"principalId": "p", "roleDefinitionId": _ROLE, "scope": ["/s"]}),
        ("ra", {"principalId": "p", "roleDefinitionId": _ROLE, "scope": "/s", "PRINCIPALTYPE": ""}),
        (
            _SETTING_ID,
            {"WorkspaceID": "/W/", "storageaccountid": "/St", "logs": [{"categoryGroup": "Audit"}]},
        ),
        (
            _SETTING_ID,
            {"eventHubAuthorizationRuleId": "/n/s/authorizationRules/r", "logs": {"category": "x"}},
        ),
        (
            _SETTING_ID,
            {"logs": [{"Enabled": "FALSE", "category": "a"}, {"enabled": "true", "Category": "B"}]},
        ),
        (_SETTING_ID, {"logs": [None, 1, {"enabled": 0, "CATEGORYGROUP": "allLogs", "category": ""}]}),
        ("/providers/microsoft.insights/diagnosticsettings/d", {"workspaceId": "/w"}),
    ],
)
def test_role_assignments_and_settings_read_odd_keys_as_the_reference(
    rid: str, properties: Mapping[str, Any]
) -> None:
    rtype = identity.ROLE_ASSIGNMENT if rid == "ra" else monitor.DIAGNOSTIC_SETTING
    fast, reference = PARSERS[rtype]
    assert fast(rid, properties) == reference(rid, properties)


class _Index:
    """A `RefIndex` whose answers depend on the question: a known identity for some client ids, two
    accounts for a wildcard rule."""

    def vault_for_uri(self, uri: str) -> str:
        return f"keyvault-uri:{uri}" if len(uri) % 2 else f"/vault/{uri}"

    def uami_for_client(self, client_id: str) -> str | None:
        return f"/uami/{client_id}" if len(client_id) % 2 else None

    def accounts_matching(self, rule: str) -> list[str]:
        return [rule, f"{rule}/other"] if "*" in rule else [rule]


# type -> (its references, the reference's), for the node parsers of tests/test_fast_parse.py
REFERENCES: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    cognitive.TYPE: (cognitive.references, ref.account_references),
    storage.TYPE: (storage.references, ref.storage_references),
    keyvault.TYPE: (keyvault.references, ref.vault_references),
    network.PRIVATE_ENDPOINT: (network.pe_references, ref.pe_references),
}
REF_BASE = [(t, r) for t, r in parsers.ALL_BASE if t in REFERENCES]
_ACCOUNT = next(r for t, r in REF_BASE if t == cognitive.TYPE)
_STORAGE = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/st"
REF_BASE.append(  # an account storing its data in storage accounts of its own (no sample row does)
    (
        cognitive.TYPE,
        {
            **_ACCOUNT,
            "properties": {
                **_ACCOUNT["properties"],
                "userOwnedStorage": [{"resourceId": _STORAGE}, {"resourceId": _STORAGE + "2"}],
            },
        },
    )
)


def _references_agree(rtype: str, row: Any) -> None:
    parse = parsers.PARSERS[rtype][0]
    try:
        attrs = parse(row, _properties(row))
    except Exception:  # the builder skips the row with a warning: no references to compare
        return
    fast, reference = REFERENCES[rtype]
    rid = norm_id(props.get(row, "id")) or "/subscriptions/s/resourcegroups/g/providers/p/t/n"
    assert list(fast(rid, attrs, _Index())) == list(reference(rid, attrs, _Index()))


@pytest.mark.parametrize(("rtype", "row"), REF_BASE, ids=lambda v: v if isinstance(v, str) else "")
def test_references_of_sample_nodes_are_the_reference_refs_in_order(rtype: str, row: dict[str, Any]) -> None:
    _references_agree(rtype, row)


def test_the_sample_nodes_name_each_kind_of_reference() -> None:
    relations = set()
    for rtype, row in REF_BASE:
        attrs = parsers.PARSERS[rtype][0](row, _properties(row))
        relations.update(r.relation for r in REFERENCES[rtype][0]("/n", attrs, _Index()))
    assert relations >= {
        Relation.USES_IDENTITY, Relation.NETWORK_RULE_ALLOWS, Relation.PRIVATE_ENDPOINT_OF, Relation.CMK_KEY_IN,
        Relation.STORES_DATA_IN, Relation.TRUSTED_ACCESS_FROM, Relation.IN_SUBNET, Relation.AGENTS_IN_SUBNET,
    }  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(REF_BASE), st.randoms(use_true_random=False), st.sampled_from([0.05, 0.2, 0.5]))
def test_references_of_hostile_nodes_are_the_reference_refs_in_order(
    case: tuple[str, dict[str, Any]], rng: random.Random, rate: float
) -> None:
    rtype, base = case
    _references_agree(rtype, _mutate(base, rng, rate))
