"""Content filter contents (issue 11 §1): facts derived once in the model, the verdicts, the site table."""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from archgen.controls.catalogue import load
from archgen.controls.engine import evaluate
from archgen.discovery.files import load_files
from archgen.document import dumps_graph
from archgen.model.builder import build
from archgen.model.ids import norm_id
from archgen.model.types import cognitive as c
from archgen.publish import ProjectOptions, RunOutputs, write_project
from archgen.publish.filters import content_filter_rows
from archgen.run import InputFile, RunInfo
from tests import factory as f
from tests import filter_cases as fc
from tests.conftest import findings_of, graph_of
from tests.pagerows import table_lines

A = norm_id(f.ACCOUNT)


def _finding(rows: list[f.Row], control: str) -> Any:
    _graph, findings = findings_of(rows)
    return next(x for x in findings if (x.control, x.resource) == (control, A))


def _account(rows: list[f.Row]) -> c.Account:
    return graph_of(rows).nodes[A].attrs_as(c.Account)


def test_the_model_derives_each_category_and_source_once() -> None:
    a = _account(fc.data04_fail_violence_high_on_completions())
    f_ = a.content_filter(a.deployments[0])
    states = {(s.category, s.source): (s.state, s.threshold) for s in f_.harm_settings()}
    assert states == {
        **{(cat, src): (c.BLOCKS, "Medium") for cat in c.HARM_CATEGORIES for src in c.SOURCES},
        ("violence", "completion"): (c.RELAXED, "High"),
    }
    assert f_.prompt_shields == c.BLOCKS and f_.asynchronous is False and f_.kind == "custom"


def test_microsofts_default_and_no_filter_are_facts_without_a_policy_row() -> None:
    a = _account(
        [f.account(), f.deployment("a", "Standard"), f.deployment("b", "Standard", rai="Microsoft.Nil")]
    )
    default, nil = (a.content_filter(d) for d in a.deployments)
    assert {(s.state, s.threshold) for s in default.harm_settings()} == {(c.BLOCKS, "Medium")}
    assert default.prompt_shields == c.BLOCKS and default.asynchronous is False
    assert {s.state for s in nil.harm_settings()} == {c.OFF} and nil.prompt_shields == c.OFF


def test_relaxed_reason_names_deployment_category_source_and_threshold() -> None:
    finding = _finding(fc.data04_fail_violence_high_on_completions(), "AOAI-DATA-04")
    assert finding.status.value == "fail"
    assert "chat uses relaxed: violence on completions blocks only at threshold High" in finding.reason
    assert finding.evidence["deployments[chat].properties.raiPolicyName"] == "relaxed"


def test_asynchronous_mode_fails_and_says_why() -> None:
    finding = _finding(fc.data04_fail_asynchronous_filter(), "AOAI-DATA-04")
    assert finding.status.value == "fail" and "Asynchronous_filter" in finding.reason


def test_default_policy_passes_citing_the_default() -> None:
    finding = _finding(fc.data05_pass_default(), "AOAI-DATA-05")
    assert finding.status.value == "pass" and "Microsoft's default policy" in finding.reason


def test_a_fail_outranks_an_unknown_on_another_deployment() -> None:
    rows = [
        f.account(),
        f.deployment("a-unread", "Standard", rai="elsewhere"),
        f.deployment("b-relaxed", "Standard", rai="relaxed"),
        fc.policy("relaxed", threshold={("Hate", "Prompt"): "High"}),
    ]
    finding = _finding(rows, "AOAI-DATA-04")
    assert (
        finding.status.value == "fail" and "b-relaxed" in finding.reason and "a-unread" not in finding.reason
    )
    assert set(finding.evidence["Microsoft's default harm-category thresholds"]) == {"a-unread", "b-relaxed"}


FILTER = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["Hate", "hate", "SELFHARM", "Jailbreak", "Profanity", "x"])
        | st.text(max_size=8),
        "enabled": st.sampled_from([True, False, "true", "no", None, 1]),
        "blocking": st.sampled_from([True, False, "false", None, 0]),
        "severityThreshold": st.sampled_from(["Low", "medium", "HIGH", "Critical", "", None, 3]),
        "source": st.sampled_from(["Prompt", "completion", "Both", None]),
    },
)


@given(
    filters=st.lists(FILTER, max_size=12), mode=st.sampled_from(["Default", "ASYNCHRONOUS_FILTER", None, 7])
)
def test_any_policy_shape_gives_known_states_and_blocks_only_when_the_values_say_so(
    filters: list[dict[str, Any]], mode: object
) -> None:
    rows = [f.account(), f.deployment("chat", "Standard", rai="p"), fc.policy("p")]
    rows[2]["properties"] = {"mode": mode, "contentFilters": filters}
    a = _account(rows)
    df = a.content_filter(a.deployments[0])
    states = {s.state for s in df.harm_settings()} | {df.prompt_shields}
    assert states <= {c.BLOCKS, c.RELAXED, c.ANNOTATE, c.OFF, c.NOT_SET}
    for s in df.harm_settings():
        if s.state == c.BLOCKS:
            assert (s.threshold or "").lower() in {"low", "medium"}
    verdict = _finding(rows, "AOAI-DATA-04").status.value
    assert verdict in {"pass", "fail", "unknown"}
    if verdict == "pass":
        assert {s.state for s in df.harm_settings()} == {c.BLOCKS} and df.asynchronous is False


def _site(tmp_path: Path, rows: list[f.Row]) -> str:
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    graph = build(load_files([path]))
    findings = evaluate(graph)
    catalogue = load()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    run = RunInfo(
        "0.1.0",
        "2026-11-28T10:00:00Z",
        "2026-11-28T10:00:03Z",
        "file",
        [InputFile("rows", digest, 1)],
        {},
        "public",
        [],
    )
    outputs = RunOutputs(graph, findings, catalogue, run, dumps_graph(graph, findings, catalogue), None)
    write_project(tmp_path / "out", outputs, ProjectOptions())
    page = next((tmp_path / "out" / "docs" / "workloads").glob("*.md"))
    return page.read_text(encoding="utf-8")


def test_site_table_shows_each_deployment_and_escapes_azure_text(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(9)>|*x*"
    rows = fc.data04_fail_violence_high_on_completions()
    rows.append(f.deployment(hostile, "GlobalStandard", rai=hostile))
    text = _site(tmp_path, rows)
    section = text.split("## Content filters", 1)[1].split("\n## ", 1)[0]
    assert "<img" not in section
    lines = [html.unescape(ln) for ln in table_lines(section) if ln.startswith("| chat ")]
    assert len(lines) == 2  # one row in the deployments table, one in the filter settings table
    deployment, settings = lines
    assert "Medium / High (relaxed)" in settings  # violence: prompt / completion
    assert "relaxed (custom)" in deployment and "OnceNewDefaultVersionAvailable" in deployment
    assert "gpt-4o 2024-08-06" in deployment and "| Standard | 50 |" in deployment
    shown = html.unescape(section)
    assert "<img src=x onerror=alert(9)>" in shown  # the hostile name is text, escaped in the page
    assert "custom, not in the input" in shown


def test_site_says_unknown_when_deployments_were_not_read(tmp_path: Path) -> None:
    text = _site(tmp_path, [f.account()])
    section = text.split("## Content filters", 1)[1].split("\n## ", 1)[0]
    assert "Model deployments were not collected" in section


def test_rows_are_none_without_deployments_evidence() -> None:
    graph = graph_of([f.account()])
    assert content_filter_rows(graph, A) is None


def test_a_policy_without_a_mode_is_unknown_and_says_so() -> None:
    rows = fc.data05_pass_custom_blocking()
    del rows[2]["properties"]["mode"]
    finding = _finding(rows, "AOAI-DATA-04")
    assert finding.status.value == "unknown" and "does not set its mode" in finding.reason
