"""Custom blocklists a deployment's content filter applies (issue 11 §1): evidence only, no verdict."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from archgen.model.ids import norm_id
from archgen.model.types.blocklists import BlocklistUse, parse_blocklists
from archgen.publish.filters import content_filter_rows
from tests import factory as f
from tests import filter_cases as fc
from tests.conftest import findings_of, graph_of
from tests.pagerows import table_lines
from tests.test_content_filters import _site

A = norm_id(f.ACCOUNT)


def _rows(p: f.Row) -> list[f.Row]:
    return [f.account(), f.deployment("chat", "Standard", rai=str(p["name"])), p]


def test_each_applied_blocklist_shows_with_its_source_and_blocking() -> None:
    p = fc.with_blocklists(
        fc.policy("strict"),
        {"blocklistName": "policyholder-terms", "blocking": True, "source": "Prompt"},
        {"blocklistName": "policyholder-terms", "blocking": True, "source": "COMPLETION"},
        {"blocklistName": "competitors", "blocking": False, "source": "Completion"},
        {"blocklistName": "unsourced"},
        {"blocking": True, "source": "Prompt"},  # no name: not a reference
    )
    graph = graph_of(_rows(p))
    policy = graph.nodes[A].attrs.rai_policies[0]  # type: ignore[union-attr]
    assert set(policy.blocklists) == {
        BlocklistUse("policyholder-terms", "prompt", True),
        BlocklistUse("policyholder-terms", "completion", True),
        BlocklistUse("competitors", "completion", False),
        BlocklistUse("unsourced", "not set", None),
    }
    (row,) = content_filter_rows(graph, A) or ()
    assert set(row.blocklists.split("; ")) == {
        "policyholder-terms (prompt, blocking)",
        "policyholder-terms (completion, blocking)",
        "competitors (completion, annotate only)",
        "unsourced (not set, blocking not set)",
    }


def test_blocklists_give_no_verdict() -> None:
    plain = fc.policy("strict")
    listed = fc.with_blocklists(
        fc.policy("strict"), {"blocklistName": "terms", "blocking": False, "source": "Prompt"}
    )
    verdicts = [
        {(x.control, x.resource, x.status) for x in findings_of(_rows(p))[1]} for p in (plain, listed)
    ]
    assert verdicts[0] == verdicts[1]


def test_without_a_custom_policy_the_cell_says_what_is_known() -> None:
    default = [f.account(), f.deployment("chat", "Standard", rai="Microsoft.DefaultV2")]
    not_read = [f.account(), f.deployment("chat", "Standard", rai="strict")]
    none = _rows(fc.policy("strict"))
    cells = [(content_filter_rows(graph_of(r), A) or ())[0].blocklists for r in (default, not_read, none)]
    assert cells == ["none (a Microsoft policy)", "unknown (policy not read)", "none"]


@given(
    value=st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=5),
        st.lists(
            st.one_of(
                st.none(),
                st.text(max_size=5),
                st.dictionaries(
                    st.sampled_from(["blocklistName", "blocking", "source"]),
                    st.one_of(st.none(), st.booleans(), st.text(max_size=8), st.integers()),
                ),
            ),
            max_size=4,
        ),
    )
)
def test_any_custom_blocklists_value_parses_to_named_references(value: Any) -> None:
    uses = parse_blocklists({"customBlocklists": value})
    assert all(u.name and u.source in {"prompt", "completion", "not set"} for u in uses)
    assert list(uses) == sorted(set(uses), key=lambda b: (b.name.lower(), b.name, b.source, str(b.blocking)))


def test_the_site_shows_blocklists_escaped(tmp_path: Path) -> None:
    hostile = "terms <img src=x onerror=alert(4)> |*x*"
    p = fc.with_blocklists(
        fc.policy("strict"), {"blocklistName": hostile, "blocking": True, "source": "Prompt"}
    )
    text = _site(tmp_path, _rows(p))
    section = text.split("## Content filters", 1)[1].split("\n## ", 1)[0]
    assert "<img" not in section
    (line,) = [
        ln
        for ln in map(html.unescape, table_lines(section))
        if ln.startswith("| chat |") and "Mode" not in ln and hostile in ln
    ]
    assert line.rstrip().endswith(f"| {hostile} (prompt, blocking) |")
