"""The extension points are honest: every type spec is complete, every relation has words and a fixture,
and a search service joins the workload through its shared private link."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen.model.ids import norm_id
from archgen.model.relations import RELATIONS, Relation, markdown_table
from archgen.model.types import TYPES
from archgen.render import icons
from tests import factory as f
from tests import foundry_cases as fdy
from tests import frontdoor_cases as fd
from tests import gateway_cases as gc
from tests import hub_cases as hc
from tests import netpath_cases as nc
from tests.conftest import graph_of

# a fixture row per node type: a type added without one fails here
TYPE_FIXTURES: dict[str, f.Row] = {
    "microsoft.cognitiveservices/accounts": f.account(),
    "microsoft.keyvault/vaults": f.vault(),
    "microsoft.storage/storageaccounts": f.storage(),
    "microsoft.search/searchservices": f.search_service(),
    "microsoft.documentdb/databaseaccounts": fdy.cosmos(),
    "microsoft.cognitiveservices/accounts/projects": fdy.project(),
    "microsoft.machinelearningservices/workspaces": hc.hub(),
    "microsoft.network/privateendpoints": f.private_endpoint(),
    "microsoft.network/virtualnetworks": f.vnet(),
    "microsoft.network/virtualnetworks/subnets": f.vnet(),
    "microsoft.network/virtualhubs": f.row(
        f.HUB, "microsoft.network/virtualhubs", {"virtualWan": {"id": f.WAN}}
    ),
    "microsoft.network/virtualwans": f.row(f.WAN, "microsoft.network/virtualwans", {"type": "Standard"}),
    "microsoft.network/networksecuritygroups": nc.nsg(nc.VNET_ONLY_443),
    "microsoft.network/routetables": nc.route_table(),
    "microsoft.network/privatednszones": f.zone(),
    "microsoft.managedidentity/userassignedidentities": f.uami(),
    "microsoft.operationalinsights/workspaces": f.workspace(),
    "microsoft.apimanagement/service": gc.apim(),
    "microsoft.network/applicationgateways": gc.app_gateway(),
    "microsoft.network/applicationgatewaywebapplicationfirewallpolicies": gc.waf_policy(),
    "microsoft.cdn/profiles": fd.profile(),
    "microsoft.network/frontdoorwebapplicationfirewallpolicies": fd.fd_waf(),
    "microsoft.web/sites": gc.web_app(),
    "microsoft.app/containerapps": gc.container_app(),
    "microsoft.eventhub/namespaces": f.row(
        f.rid("Microsoft.EventHub", "namespaces", "evh-test"), "microsoft.eventhub/namespaces", {}
    ),
}


@pytest.mark.parametrize("arm_type", sorted(TYPES))
def test_every_type_spec_has_a_label_a_noun_an_icon_and_a_fixture(arm_type: str) -> None:
    spec = TYPES[arm_type]
    assert spec.arm_type == arm_type == arm_type.lower()
    assert spec.label and spec.noun
    assert icons.icon_key(arm_type) == arm_type, "the icon table reads the spec's icon"
    row = TYPE_FIXTURES[arm_type]
    if spec.parse is not None:  # the fixture is a row of this very type, and the parser reads it
        assert norm_id(row["type"]) == arm_type
        assert spec.parse(row, row["properties"]) is not None
    assert {r for r, _d in spec.walk} <= set(Relation)
    assert {d for _r, d in spec.walk} <= {"in", "out"}


def test_every_relation_has_words_a_description_and_its_row_in_the_docs() -> None:
    assert set(RELATIONS) == set(Relation)
    assert all(s.words and s.description.endswith(".") and s.ends for s in RELATIONS.values())
    doc = Path("docs/graph-document.md").read_text(encoding="utf-8")
    assert markdown_table() in doc, "regenerate with: python -m archgen.model.relations"


def test_search_service_joins_the_workload_through_its_shared_private_link() -> None:
    graph = graph_of([f.account(), f.search_service(), f.workspace()])
    (workload,) = graph.workloads
    assert norm_id(f.SEARCH) in workload.members
    edge = next(e for e in graph.edges if e.relation is Relation.SHARED_PRIVATE_LINK_TO)
    assert (edge.source, edge.target, dict(edge.attributes)) == (
        norm_id(f.SEARCH),
        norm_id(f.ACCOUNT),
        {"group_id": "openai_account", "status": "Approved"},
    )
    attrs = graph.nodes[norm_id(f.SEARCH)].attrs
    assert (attrs.public_network_access, attrs.disable_local_auth, attrs.network_acls.bypass) == (
        "disabled",
        True,
        "none",
    )


def test_search_shared_link_child_rows_merge_with_the_embedded_list() -> None:
    child = {
        "id": f"{f.SEARCH}/sharedPrivateLinkResources/spl-blob",
        "name": "spl-blob",
        "type": "Microsoft.Search/searchServices/sharedPrivateLinkResources",
        "properties": {"privateLinkResourceId": f.STORAGE, "groupId": "blob", "status": "Pending"},
    }
    graph = graph_of([f.account(), f.search_service(), child])
    links = graph.nodes[norm_id(f.SEARCH)].attrs.shared_private_links
    assert {(lk.target, lk.status) for lk in links} == {
        (norm_id(f.ACCOUNT), "approved"),
        (norm_id(f.STORAGE), "pending"),
    }


def test_repository_gitignore_block_is_the_page_tables() -> None:
    from archgen.publish.sitepages import gitignore_block

    assert gitignore_block() in Path(".gitignore").read_text(encoding="utf-8"), (
        "regenerate with: python -m archgen.publish.sitepages"
    )


def test_every_page_in_the_table_is_in_the_nav_or_reached_from_one() -> None:
    from archgen.publish.sitepages import PAGES

    assert {p.key for p in PAGES if p.nav is None} == {"control"}  # listed under the controls section
    assert len({p.path for p in PAGES}) == len(PAGES)
