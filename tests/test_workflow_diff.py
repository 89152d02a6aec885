"""`archgen diff OLD NEW` and `discover --since OLD`: what changed since the last review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen import diff
from archgen.controls.catalogue import load
from archgen.document import dumps_graph
from tests import factory as fx
from tests.clirun import run
from tests.conftest import findings_of


def _doc(rows: list[dict[str, Any]]) -> dict[str, Any]:
    graph, findings = findings_of(rows)
    data: dict[str, Any] = json.loads(dumps_graph(graph, findings, load()))
    return data


def _old_new() -> tuple[dict[str, Any], dict[str, Any]]:
    old = _doc(fx.private_network())
    renamed = fx.deep(fx.private_network(status="Pending"))
    renamed[0]["name"] = "aoai-test-renamed"  # same id, new name
    renamed[0]["identity"] = fx.UAMI_IDENTITY
    renamed[0]["properties"]["encryption"] = fx.CMK  # brings the vault and the identity into the workload
    new = _doc([*renamed, fx.vault(), fx.uami()])
    return old, new


def _statuses(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(f["control"], f["resource"]): f["status"] for f in doc["findings"]}


def test_diff_lists_added_renamed_resources_relations_and_every_changed_verdict() -> None:
    old, new = _old_new()
    changes = diff.compare(old, new)
    old_ids, new_ids = {n["id"] for n in old["nodes"]}, {n["id"] for n in new["nodes"]}
    assert {r.id for r in changes.resources_added} == new_ids - old_ids
    assert fx.VAULT.lower() in new_ids - old_ids
    assert {r.id for r in changes.resources_removed} == old_ids - new_ids
    assert {(r.old_name, r.new_name) for r in changes.resources_renamed} == {
        ("aoai-test", "aoai-test-renamed")
    }
    edges = lambda d: {(e["source"], e["relation"], e["target"]) for e in d["edges"]}  # noqa: E731
    assert {(e.source, e.relation, e.target) for e in changes.relations_added} == edges(new) - edges(old)
    assert {(e.source, e.relation, e.target) for e in changes.relations_removed} == edges(old) - edges(new)
    before, after = _statuses(old), _statuses(new)
    expected = {
        (c, r, before.get((c, r), "absent"), after.get((c, r), "absent"))
        for c, r in set(before) | set(after)
        if before.get((c, r)) != after.get((c, r))
    }
    assert {(v.control, v.resource, v.old, v.new) for v in changes.verdicts_changed} == expected
    assert expected  # the pending endpoint changes at least one verdict


def test_verdicts_that_got_worse_come_first() -> None:
    old, new = _old_new()
    flags = [v.worse for v in diff.compare(old, new).verdicts_changed]
    assert flags == sorted(flags, reverse=True)
    reverse = [v.worse for v in diff.compare(new, old).verdicts_changed]
    assert reverse == sorted(reverse, reverse=True)
    assert any(flags) or any(reverse)


def test_ids_are_compared_without_regard_to_case() -> None:
    old, _ = _old_new()
    shouted = json.loads(json.dumps(old))
    for n in shouted["nodes"]:
        n["id"] = n["id"].upper()
    for e in shouted["edges"]:
        e["source"], e["target"] = e["source"].upper(), e["target"].upper()
    for f in shouted["findings"]:
        f["resource"] = f["resource"].upper()
    assert diff.compare(shouted, old).empty
    assert diff.text(diff.compare(shouted, old)) == ["no changes"]


def test_new_warnings_are_listed_once() -> None:
    old, new = _old_new()
    new["warnings"] = [
        *new["warnings"],
        {"code": "zz_test", "message": "m"},
        {"code": "zz_test", "message": "m"},
    ]
    assert [(w.code, w.message) for w in diff.compare(old, new).new_warnings if w.code == "zz_test"] == [
        ("zz_test", "m")
    ]


def test_diff_command_prints_text_or_json_and_the_same_bytes_each_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = _old_new()
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    args = ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]
    code, text1, _ = run(args, capsys, monkeypatch)
    assert code == 0
    assert "verdicts changed" in text1 and "aoai-test -> aoai-test-renamed" in text1
    code, json1, _ = run([*args, "--json"], capsys, monkeypatch)
    assert code == 0
    data = json.loads(json1)
    assert data["schema"] == "archgen.diff/v1"
    assert fx.VAULT.lower() in {r["id"] for r in data["resources_added"]}
    assert run(args, capsys, monkeypatch)[1] == text1
    assert run([*args, "--json"], capsys, monkeypatch)[1] == json1


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=40),
        st.builds(json.dumps, st.dictionaries(st.text(max_size=5), st.integers(), max_size=3)),
        st.just(json.dumps({"schema": "archgen.graph/v1", "nodes": "x"})),
    )
)
def test_a_file_that_is_not_a_graph_document_is_one_line_and_exit_2(
    body: bytes | str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.json"
    if isinstance(body, bytes):
        bad.write_bytes(body)
    else:
        bad.write_text(body, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_doc([fx.account()])), encoding="utf-8")
    for argv in (
        ["diff", str(bad), str(good)],
        ["discover", "--sample", "quickstart", "--no-site", "-q", "--since", str(bad)],
    ):
        code, _, err = run(argv, capsys, monkeypatch)
        assert code == 2, err
        assert err.startswith("archgen: error: ") and err.count("\n") == 1


def test_since_adds_the_changes_page_to_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = _old_new()
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    source = tmp_path / "rows.json"
    source.write_text(json.dumps([*fx.private_network(status="Pending"), fx.vault()]), encoding="utf-8")
    out = tmp_path / "site"
    code, _, err = run(
        ["discover", "--from", str(source), "--out", str(out), "-q", "--since", str(tmp_path / "old.json")],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    page = (out / "docs" / "changes.md").read_text(encoding="utf-8")
    assert "# Changes since the last review" in page and "## Verdicts changed" in page
    assert "Changes since the last review: changes.md" in (out / "mkdocs.yml").read_text(encoding="utf-8")
    # without --since the page goes away on the next run (archgen owns it)
    assert run(["discover", "--from", str(source), "--out", str(out), "-q"], capsys, monkeypatch)[0] == 0
    assert not (out / "docs" / "changes.md").exists()
