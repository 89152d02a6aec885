"""Safer output and a friendlier command line (issue 12, item 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archgen.controls.catalogue import load
from archgen.publish.owned import BACKUP_PREFIX, BLOCK_BEGIN
from tests import factory as fx
from tests.clirun import run

USER_CONFIG = "site_name: Our docs\ntheme:\n  name: material\nnav:\n  - Home: index.md\n  - Notes: notes.md\n"


@pytest.fixture
def user_project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    (proj / "docs").mkdir(parents=True)
    (proj / "mkdocs.yml").write_text(USER_CONFIG, encoding="utf-8")
    (proj / "docs" / "index.md").write_text("# Our home page\n", encoding="utf-8")
    (proj / "docs" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (proj / "docs" / "evidence.md").write_text("# Our evidence\n", encoding="utf-8")
    return proj


def test_the_refusal_names_every_conflict_on_one_line_and_touches_nothing(
    user_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in user_project.rglob("*") if p.is_file()}
    code, _, err = run(
        ["discover", "--sample", "quickstart", "--out", str(user_project), "-q"], capsys, monkeypatch
    )
    assert code == 4
    assert err.count("\n") == 1
    for conflict in ("docs/index.md", "docs/evidence.md", "no '# >>> archgen' block", "sets nav, theme"):
        assert conflict in err
    assert {p: p.read_bytes() for p in user_project.rglob("*") if p.is_file()} == before


def test_force_moves_replaced_files_to_a_backup_keeps_nav_and_theme_and_the_site_builds(
    user_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        ["discover", "--sample", "quickstart", "--out", str(user_project), "-q", "--force"],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    backups = list(user_project.glob(f"{BACKUP_PREFIX}*"))
    assert len(backups) == 1
    backup = backups[0]
    assert (backup / "docs" / "index.md").read_text(encoding="utf-8") == "# Our home page\n"
    assert (backup / "docs" / "evidence.md").read_text(encoding="utf-8") == "# Our evidence\n"
    assert (backup / "mkdocs.yml").read_text(encoding="utf-8") == USER_CONFIG
    assert str(backup) in err and "kept your nav, theme" in err
    config = (user_project / "mkdocs.yml").read_text(encoding="utf-8")
    assert BLOCK_BEGIN in config
    user_part = config.split("# <<< archgen\n", 1)[1]
    assert USER_CONFIG in user_part  # every line of the user's, unchanged and not commented out
    assert (user_project / "docs" / "notes.md").read_text(encoding="utf-8") == "# Notes\n"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(user_project / "mkdocs.yml"),
            "-d",
            str(user_project.parent / "site"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    # the decision sticks: regenerating needs no --force and makes no new backup
    code, _, err = run(
        ["discover", "--sample", "quickstart", "--out", str(user_project), "-q"], capsys, monkeypatch
    )
    assert code == 0, err
    assert list(user_project.glob(f"{BACKUP_PREFIX}*")) == backups


def test_json_to_stdout_without_out_writes_no_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["discover", "--sample", "quickstart", "--json", "-", "-q"], capsys, monkeypatch)
    assert code == 0
    assert json.loads(out)["schema"] == "archgen.graph/v1"
    assert list(tmp_path.iterdir()) == []
    code, _, _ = run(
        ["discover", "--sample", "quickstart", "--json", "-", "-q", "--out", "site"], capsys, monkeypatch
    )
    assert code == 0 and (tmp_path / "site" / "mkdocs.yml").is_file()


def test_the_summary_names_the_failing_controls_highest_severity_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        ["discover", "--sample", "estate", "--no-site", "--json", str(tmp_path / "g.json")],
        capsys,
        monkeypatch,
    )
    assert code == 0
    doc = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    failing = {f["control"] for f in doc["findings"] if f["status"] == "fail"}
    line = next(ln for ln in err.splitlines() if ln.startswith("failing controls"))
    named = [part.split(" (", 1)[0] for part in line.split(": ", 1)[1].split("; ")]
    assert set(named) == failing
    rank = {"high": 0, "medium": 1, "low": 2}
    severities = [rank[load().control(c).severity] for c in named]
    assert severities == sorted(severities)


@pytest.mark.parametrize("form", ["files-after-one-flag", "directory", "glob"])
def test_from_takes_several_files_a_directory_or_a_glob(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    network = fx.private_network()
    (folder / "a.json").write_text(json.dumps(network[:3]), encoding="utf-8")
    (folder / "b.json").write_text(json.dumps(network[3:]), encoding="utf-8")
    (folder / "notes.txt").write_text("not an input", encoding="utf-8")
    reference = [
        "discover",
        "--from",
        str(folder / "a.json"),
        "--from",
        str(folder / "b.json"),
        "--no-site",
        "--json",
        "-",
        "-q",
    ]
    expected = run(reference, capsys, monkeypatch)[1]
    sources = {
        "files-after-one-flag": [str(folder / "a.json"), str(folder / "b.json")],
        "directory": [str(folder)],
        "glob": [str(folder / "*.json")],
    }[form]
    code, out, err = run(
        ["discover", "--from", *sources, "--no-site", "--json", "-", "-q"], capsys, monkeypatch
    )
    assert code == 0, err
    assert out == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "nothing-here/*.json"], "no file matches"),
        (["--from", "{empty}"], "holds no *.json"),
        (["stray.json"], "input files go after --from"),
    ],
)
def test_bad_from_arguments_are_one_line_and_exit_2(
    args: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "empty").mkdir()
    args = [a.replace("{empty}", str(tmp_path / "empty")) for a in args]
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["discover", *args, "--no-site"], capsys, monkeypatch)
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_controls_json_is_the_whole_catalogue(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(["controls", "--json"], capsys, monkeypatch)
    assert code == 0
    data = json.loads(out)
    assert {c["id"] for c in data["controls"]} == {c.id for c in load().controls}
    assert all({"title", "severity", "remediation", "references"} <= set(c) for c in data["controls"])
