"""The query files and the KQL archgen writes: documented, pageable, and safe for any scope value."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen.discovery import frontier, kqltext
from archgen.discovery.client import parse_resets_after, resolve_endpoint
from archgen.errors import UsageError
from archgen.model.ids import norm_id
from tests.armserver import kql

QUERY_DIR = resources.files("archgen.discovery").joinpath("queries")
QUERY_NAMES = sorted(p.name[: -len(".kql")] for p in QUERY_DIR.iterdir() if p.name.endswith(".kql"))
# Printable text with the characters that matter most in a string literal, no control characters.
VALUES = (
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\x7f"), max_size=8
        )
        | st.sampled_from(["'", '"', "\\", "|", ")", "(", ",", "//", "\\'", "'or'1'=='1", "') | take 1 //"]),
        min_size=1,
        max_size=5,
    )
    .map("".join)
    .filter(bool)
)


def test_every_lookup_has_a_query_file_and_every_file_is_used() -> None:
    used = {"accounts", *(name for name, _, _ in frontier.LOOKUPS)}
    assert set(QUERY_NAMES) == used


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_files_are_documented_and_pageable(name: str) -> None:
    text = QUERY_DIR.joinpath(f"{name}.kql").read_text("utf-8")
    comments = [ln for ln in text.splitlines() if ln.startswith("//")]
    assert len(comments) >= 2, "each query file starts with its documentation"
    body = kqltext.load_query(name)
    assert "//" not in body
    assert not re.search(r"\b(take|limit|top|sample)\b", body), "take/limit/top disable $skipToken paging"
    assert re.search(r"\| project id, ", body.splitlines()[-1]), "ARG pages only queries that project id"
    placeholders = set(re.findall(r"\{(\w+)\}", body))
    assert len(placeholders) == 1


@pytest.mark.parametrize("name", [n for n in QUERY_NAMES if n != "accounts"])
def test_rendered_lookups_are_shapes_the_server_knows(name: str) -> None:
    placeholder = next(p for n, p, _ in frontier.LOOKUPS if n == name)
    keys = ["10.0.0.4", "10.0.0.5"] if "ip" in placeholder else ["/subscriptions/a/resourcegroups/b", "c'd"]
    [(batch, text)] = list(kqltext.pack(kqltext.load_query(name), placeholder, keys, 10_000))
    assert batch == keys
    kql.parse(text)


def test_id_batches_respect_the_query_length_budget() -> None:
    template = kqltext.load_query("resources_by_id")
    keys = [
        f"/subscriptions/{i:036d}/resourcegroups/rg/providers/microsoft.network/privateendpoints/pe{i}"
        for i in range(1000)
    ]
    batches = list(kqltext.pack(template, "ids", keys, 12_000))
    assert [k for b, _ in batches for k in b] == keys
    assert all(len(text) <= 12_000 for _, text in batches)
    assert len(batches) > 5


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(VALUES, min_size=1, max_size=3),
    groups=st.lists(VALUES, max_size=2),
    tag=st.tuples(VALUES, VALUES),
)
def test_scope_values_cannot_break_out_of_their_string_literal(
    names: list[str], groups: list[str], tag: tuple[str, str]
) -> None:
    names = [n.lstrip("/") or "x" for n in names]
    names.append(
        f"/subscriptions/S/resourceGroups/{names[0]}/providers/Microsoft.CognitiveServices/accounts/A"
    )
    filters = kqltext.scope_filters(groups, [tag], names)
    text = kqltext.render(kqltext.load_query("accounts"), scope_filters=filters)
    parsed = kql.parse(text)  # the independent parser finds exactly the stages archgen meant
    assert parsed.values["tags"] == [tag]
    assert parsed.values.get("resource_groups", []) == groups
    got = parsed.values.get("names", []) + parsed.values.get("ids", [])
    assert sorted(got) == sorted({n if not n.startswith("/") else norm_id(n) for n in names})
    assert parsed.shape[:2] == ["type", "kind"] and parsed.columns[0] == "id"


@given(st.text(alphabet=st.sampled_from(["\n", "\r", "\t", "\x00", "\x1b", "\x7f"]), min_size=1, max_size=3))
def test_control_characters_are_refused(bad: str) -> None:
    with pytest.raises(UsageError):
        kqltext.kql_string("name" + bad)


def test_quota_header_parsing() -> None:
    assert parse_resets_after("00:00:03") == 3
    assert parse_resets_after("01:02:03.5") == 3723.5
    assert parse_resets_after("soon") is None and parse_resets_after(None) is None


@pytest.mark.parametrize(
    ("cloud", "endpoint", "scope", "authority"),
    [
        (
            "public",
            "https://management.azure.com",
            "https://management.azure.com/.default",
            "login.microsoftonline.com",
        ),
        (
            "usgov",
            "https://management.usgovcloudapi.net",
            "https://management.core.usgovcloudapi.net/.default",
            "login.microsoftonline.us",
        ),
        (
            "china",
            "https://management.chinacloudapi.cn",
            "https://management.chinacloudapi.cn/.default",
            "login.chinacloudapi.cn",
        ),
    ],
)
def test_clouds_come_from_the_sdk_tables(cloud: str, endpoint: str, scope: str, authority: str) -> None:
    e = resolve_endpoint(cloud)
    assert (e.arm_endpoint, e.token_scope, e.authority_host) == (endpoint, scope, authority)


def test_custom_endpoint_derives_its_token_scope() -> None:
    e = resolve_endpoint("public", "https://arm.contoso.example:8443/")
    assert (e.arm_endpoint, e.token_scope) == (
        "https://arm.contoso.example:8443",
        "https://arm.contoso.example:8443/.default",
    )
    assert (
        resolve_endpoint("public", "https://x.example", "api://x/.default").token_scope == "api://x/.default"
    )
    with pytest.raises(UsageError):
        resolve_endpoint("public", "http://insecure.example")
    with pytest.raises(UsageError):
        resolve_endpoint("germany")
