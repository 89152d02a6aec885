"""Hardening (issue 13): nothing outside `--out`, nothing of the user's lost, commits all or nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archgen.errors import OutputError
from archgen.publish import commit, guard, owned
from archgen.publish.bundle import make_bundle
from tests import clirun

HERE = Path(__file__).resolve().parent.parent


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    code, out, err = clirun.run(argv, capsys, monkeypatch)
    return code, out + err


def site(out: Path, sample: str = "quickstart") -> list[str]:
    return ["discover", "--sample", sample, "--out", str(out), "-q"]


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes (the lock file aside)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != guard.LOCK_NAME
    }


def _add_to_manifest(out: Path, entries: dict[str, str]) -> None:
    path = out / owned.MANIFEST
    data = json.loads(path.read_text())
    data["files"].update(entries)
    path.write_text(json.dumps(data))


# -- item 1: the manifest is untrusted ------------------------------------------------------------
def test_manifest_entries_outside_generated_files_are_reported_not_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "review"
    assert run(site(out), capsys, monkeypatch)[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    user_csv = out / "user-data.csv"
    user_csv.write_text("a,b\n")
    notes = out / "docs" / "notes.md"
    notes.write_text("# my notes\n")
    mine = out / "docs" / "workloads" / "mine.md"  # in a generated folder, but without archgen's marker
    mine.write_text("# mine\n")
    _add_to_manifest(
        out,
        {
            "../victim.txt": owned.sha256_file(victim),
            str(victim): owned.sha256_file(victim),
            "user-data.csv": owned.sha256_file(user_csv),
            "docs/notes.md": owned.sha256_file(notes),
            "docs/workloads/mine.md": owned.sha256_file(mine),
            "docs/diagrams/../../user-data.csv": owned.sha256_file(user_csv),
        },
    )
    code, text = run(["discover", "--sample", "regulated-vwan", "--out", str(out)], capsys, monkeypatch)
    assert code == 0, text
    assert {victim.read_text(), user_csv.read_text(), notes.read_text(), mine.read_text()} == {
        "precious",
        "a,b\n",
        "# my notes\n",
        "# mine\n",
    }
    assert "ignored 5 entries outside archgen's generated files" in text
    assert "'../victim.txt'" in text
    assert set(owned.read_manifest(out)) <= {p for p in tree(out) if guard.generated_path(p)}


def test_previous_run_files_it_no_longer_generates_are_still_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "review"
    assert run(site(out, "regulated-vwan"), capsys, monkeypatch)[0] == 0
    before = {p for p in tree(out) if p.startswith("docs/workloads/")}
    assert run(site(out, "quickstart"), capsys, monkeypatch)[0] == 0
    after = {p for p in tree(out) if p.startswith("docs/workloads/")}
    assert before and after and not (before & after)


@given(
    st.lists(st.sampled_from(["docs", "..", ".", "", "workloads", "a.md", "\\", "/", "~", "c:"]), max_size=6)
)
def test_generated_path_never_accepts_a_path_leaving_docs(parts: list[str]) -> None:
    rel = "/".join(parts)
    if guard.generated_path(rel):
        parts = rel.split("/")
        assert parts[0] == "docs" and ".." not in parts and "." not in parts and "" not in parts
        assert not rel.startswith("/") and "\\" not in rel


# -- item 2: symlinks out of --out ----------------------------------------------------------------
@pytest.mark.parametrize("link", ["docs", "docs/workloads", "docs/assets"])
def test_symlinked_folder_out_of_out_is_refused_naming_the_link(
    link: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "review"
    (out / link).parent.mkdir(parents=True)
    (out / link).symlink_to(elsewhere, target_is_directory=True)
    code, text = run(site(out), capsys, monkeypatch)
    assert code == 4
    assert f"{out / link} is a symbolic link" in text
    assert list(elsewhere.iterdir()) == []
    assert not (out / "mkdocs.yml").exists()


def test_bundle_refuses_a_project_whose_docs_link_out(tmp_path: Path) -> None:
    project = tmp_path / "review"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: x\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (project / "docs" / "leak.txt").symlink_to(secret)
    with pytest.raises(OutputError, match=r"leak\.txt is a symbolic link out of"):
        make_bundle(project, tmp_path / "site.zip")


def test_default_snapshot_path_that_is_a_symlink_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from archgen import pipeline

    target = tmp_path / "elsewhere.json"
    (tmp_path / "graph.snapshot.json").symlink_to(target)
    opts = pipeline.DiscoverOptions(sample="quickstart", json_path=str(tmp_path / "graph.json"), out_dir=None)
    result = pipeline.discover(opts)
    result.snapshot_json = "{}\n"
    with pytest.raises(OutputError, match=r"graph\.snapshot\.json is a symbolic link"):
        pipeline._write_outputs(opts, result)
    assert not target.exists()


# -- item 3: all or nothing -----------------------------------------------------------------------
def _subprocess_run(out: Path, sample: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from archgen.cli import main; main()"
    argv = [sys.executable, "-c", code, *site(out, sample)]
    return subprocess.run(
        argv, env={**os.environ, **env}, capture_output=True, text=True, cwd=HERE, check=False
    )


@pytest.mark.parametrize("after", [1, 2, 17, 40])
def test_commit_killed_midway_is_rolled_back_by_the_next_run(tmp_path: Path, after: int) -> None:
    out = tmp_path / "review"
    assert _subprocess_run(out, "quickstart", {}).returncode == 0
    old = tree(out)
    killed = _subprocess_run(
        out, "regulated-vwan", {commit.FAULT_AFTER_ENV: str(after), commit.FAULT_KIND_ENV: "kill"}
    )
    assert killed.returncode == -signal.SIGKILL
    assert (out / commit.JOURNAL).exists()
    assert commit.rollback(out)
    assert tree(out) == old
    again = _subprocess_run(out, "regulated-vwan", {})
    assert again.returncode == 0, again.stderr
    assert not [p for p in out.iterdir() if p.name.startswith((".archgen-staging", ".archgen-undo"))]


def test_next_run_after_a_kill_succeeds_without_refusing_archgens_files(tmp_path: Path) -> None:
    out = tmp_path / "review"
    assert _subprocess_run(out, "regulated-vwan", {}).returncode == 0
    env = {commit.FAULT_AFTER_ENV: "20", commit.FAULT_KIND_ENV: "kill"}
    assert _subprocess_run(out, "quickstart", env).returncode == -signal.SIGKILL
    again = _subprocess_run(out, "quickstart", {})
    assert again.returncode == 0, again.stderr
    assert not (out / commit.JOURNAL).exists()
    manifest = owned.read_manifest(out)
    assert {rel: owned.sha256_file(out / rel) for rel in manifest} == manifest


@pytest.mark.parametrize(("kind", "status"), [("interrupt", 130), ("oserror", 4)])
def test_interrupted_or_failing_commit_leaves_the_previous_site_whole(
    kind: str,
    status: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "review"
    assert run(site(out), capsys, monkeypatch)[0] == 0
    old = tree(out)
    monkeypatch.setenv(commit.FAULT_AFTER_ENV, "9")
    monkeypatch.setenv(commit.FAULT_KIND_ENV, kind)
    code, text = run(site(out, "regulated-vwan"), capsys, monkeypatch)
    assert code == status
    assert tree(out) == old
    if kind == "oserror":
        assert "the previous site is unchanged" in text


# -- item 4: one run at a time --------------------------------------------------------------------
def test_second_run_into_a_locked_out_exits_4_naming_the_holder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "review"
    out.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from archgen.publish.guard import OutputLock; import sys, time; OutputLock(__import__('pathlib').Path({str(out)!r})).acquire(); print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code, text = run(site(out), capsys, monkeypatch)
    finally:
        holder.kill()
        holder.wait()
    assert code == 4
    assert f"another archgen run is writing here (pid {holder.pid})" in text
    assert not (out / "mkdocs.yml").exists()


def test_stale_lock_of_a_dead_process_is_recovered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "review"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=False
    )
    (out / guard.LOCK_NAME).write_text(dead.stdout)
    code, text = run(site(out), capsys, monkeypatch)
    assert code == 0, text
    assert (out / "mkdocs.yml").exists()
    assert not (out / guard.LOCK_NAME).exists()


def test_every_page_archgen_writes_is_a_generated_location(tmp_path: Path) -> None:
    """A page missing from guard's list would be refused as foreign on the next run."""
    from archgen.publish import project
    from archgen.publish.guard import generated_path

    names = {rel for rel, _template in project.PAGES} if hasattr(project, "PAGES") else set()
    names |= {
        "index.md",
        "shared-responsibility.md",
        "data-handling.md",
        "evidence.md",
        "changes.md",
        project.WORKLOAD_INDEX,
    }
    assert all(generated_path(f"docs/{n}") for n in names)
