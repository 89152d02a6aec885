"""The CLI's fixed costs: what a run from rows imports, the catalogue's validation, the console script's exit.

Each CLI run here is a fresh interpreter (`python -c`), as a user's shell starts it: `main()` is the
in-process entry point (the tests' and the benchmarks'), `console()` the installed `archgen` script.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from archgen import fastexit
from archgen.controls import catalogue
from archgen.controls.catalogue import SAFE_LOADER, CatalogueError, Reference, plain, validate

REPO = Path(__file__).resolve().parent.parent
MAIN = "from archgen.cli import main; main()"
CONSOLE = "from archgen.cli import console; console()"
# the user's files keep pydantic, imported only when such a file is read
PYDANTIC_MODULES = ("pydantic", "archgen.controls.acceptfile", "archgen.discovery.snapshot_models")


def _python(code: str, *args: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=environ, capture_output=True, check=False
    )


def _catalogue_data() -> Any:
    text = (REPO / "archgen/controls/catalogue.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=SAFE_LOADER)


# -- imports --------------------------------------------------------------------------------------------
def test_a_run_from_rows_imports_no_pydantic(tmp_path: Path) -> None:
    code = (
        f"import sys; WATCHED = {PYDANTIC_MODULES!r}; from archgen.cli import cli; "
        f"cli.main(['discover', '--sample', 'regulated-vwan', '--json', 'g.json', '--no-site', '-q'], "
        "standalone_mode=False); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m in WATCHED))"
    )
    out = _python(code, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().strip().splitlines()[-1] == "[]"
    assert (tmp_path / "g.json").stat().st_size > 0


def test_a_snapshot_or_accept_file_still_loads_its_pydantic_models() -> None:
    from archgen.controls import accept
    from archgen.discovery import snapshot

    assert snapshot.Snapshot.__module__ == "archgen.discovery.snapshot_models"
    assert snapshot.QueryRecord.__module__ == "archgen.discovery.snapshot_models"
    assert accept.Acceptance.__module__ == "archgen.controls.acceptfile"
    with pytest.raises(AttributeError):
        _ = snapshot.NoSuchModel  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = accept.NoSuchModel  # type: ignore[attr-defined]


# -- the catalogue, validated with msgspec ----------------------------------------------------------------
def test_the_shipped_catalogue_validates_with_its_controls_and_duties() -> None:
    loaded = catalogue.load()
    assert loaded.schema_ == "archgen.controls/v1"
    assert {c.domain for c in loaded.controls} <= set(catalogue.DOMAINS)
    assert all(isinstance(c.references, tuple) and isinstance(c.aliases, tuple) for c in loaded.controls)
    assert loaded.control(loaded.controls[0].id) is loaded.controls[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["controls"][3].update(owner="me"), "unknown field `owner` - at `$.controls[3]`"),
        (lambda d: d["controls"][1].update(severity="critical"), "'critical' - at `$.controls[1].severity`"),
        (lambda d: d["controls"][0].pop("title"), "missing required field `title` - at `$.controls[0]`"),
        (lambda d: d["controls"][2].update(aliases="AOAI-1"), "got `str` - at `$.controls[2].aliases`"),
        (lambda d: d["microsoft_duties"][0].update(sources=None), "at `$.microsoft_duties[0].sources`"),
        (lambda d: d.update(schema=1), "Expected `str`, got `int` - at `$.schema`"),
        (lambda d: d.update(extra=[]), "unknown field `extra`"),
    ],
    ids=[
        "unknown_field",
        "bad_severity",
        "missing_title",
        "aliases_not_a_list",
        "duty_sources_null",
        "schema_not_a_string",
        "unknown_top_level_field",
    ],
)
def test_a_bad_catalogue_is_refused_with_the_field_that_does_not_fit(change: Any, message: str) -> None:
    data = _catalogue_data()
    change(data)
    with pytest.raises(CatalogueError, match=r"catalogue\.yaml does not match the catalogue schema") as exc:
        validate(data)
    assert message in str(exc.value)


@settings(max_examples=40, deadline=None)
@given(
    index=st.integers(min_value=0, max_value=40),
    field=st.sampled_from(["id", "title", "domain", "severity", "applies_to", "rationale", "references"]),
    value=st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.dates()),
)
def test_no_wrong_type_in_a_control_is_coerced(index: int, field: str, value: Any) -> None:
    data = _catalogue_data()
    data["controls"][index][field] = value
    with pytest.raises(CatalogueError) as exc:
        validate(data)
    assert f"`$.controls[{index}].{field}`" in str(exc.value)


def test_plain_gives_json_data_as_the_pydantic_dump_did() -> None:
    ref = Reference(title="t", url="https://learn.microsoft.com/x", date="2025-01-02")
    assert plain(ref) == {
        "title": "t",
        "url": "https://learn.microsoft.com/x",
        "date": "2025-01-02",
        "scope": None,
    }
    assert list(plain(ref, exclude_none=True)) == ["title", "url", "date"]
    control = catalogue.load().controls[0]
    dumped = plain(control)
    assert isinstance(dumped["references"], list) and isinstance(dumped["aliases"], list)
    assert dumped["references"][0] == plain(control.references[0])


# -- the console script's exit -------------------------------------------------------------------------
def _symlink_json(tmp_path: Path) -> list[str]:
    (tmp_path / "elsewhere.json").write_text("{}", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(tmp_path / "elsewhere.json")
    return ["discover", "--sample", "quickstart", "--json", "link.json", "--no-site", "-q"]


RUNS: dict[str, tuple[Any, dict[str, str], int]] = {
    "success": (lambda _p: ["discover", "--sample", "quickstart", "--no-site", "--json", "g.json"], {}, 0),
    "usage": (lambda _p: ["discover", "--no-such-option"], {}, 2),
    "bad_input": (lambda _p: ["discover", "--from", "missing.json", "--no-site", "-q"], {}, 2),
    "output_refused": (_symlink_json, {}, 4),
    "fail_on": (
        lambda _p: ["discover", "--sample", "regulated-vwan", "--no-site", "--fail-on", "low"],
        {},
        7,
    ),
    "interrupted": (
        lambda _p: ["discover", "--sample", "quickstart", "--out", "site", "-q"],
        {"ARCHGEN_TEST_COMMIT_FAULT_AFTER": "2", "ARCHGEN_TEST_COMMIT_FAULT": "interrupt"},
        130,
    ),
    "version": (lambda _p: ["--version"], {}, 0),
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_console_script_exits_as_main_does(tmp_path: Path, name: str) -> None:
    argv, env, status = RUNS[name]
    results = []
    for entry in (MAIN, CONSOLE):
        where = tmp_path / ("main" if entry == MAIN else "console")
        where.mkdir()
        results.append(_python(entry, *argv(where), cwd=where, env=env))
    by_main, by_console = results
    assert (by_main.returncode, by_console.returncode) == (status, status), by_console.stderr
    assert by_console.stdout == by_main.stdout
    assert by_console.stderr.replace(b"console", b"main") == by_main.stderr.replace(b"console", b"main")


def test_an_internal_error_is_status_1_from_the_console_script(tmp_path: Path) -> None:
    broken = "import archgen.pipeline as p; p.discover = lambda opts: 1 / 0; " + CONSOLE
    out = _python(broken, "discover", "--sample", "quickstart", "--no-site", cwd=tmp_path)
    assert out.returncode == 1
    assert b"archgen: internal error: ZeroDivisionError" in out.stderr


def test_the_graph_document_on_standard_output_is_complete_in_a_file(tmp_path: Path) -> None:
    args = ["discover", "--sample", "estate", "--no-site", "-q"]
    assert _python(CONSOLE, *args, "--json", "g.json", cwd=tmp_path).returncode == 0
    with (tmp_path / "stdout.json").open("wb") as fh:
        environ = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        proc = subprocess.run(
            [sys.executable, "-c", CONSOLE, *args, "--json", "-"],
            cwd=tmp_path,
            env=environ,
            stdout=fh,
            check=False,
        )
    assert proc.returncode == 0
    assert (tmp_path / "stdout.json").read_bytes() == (tmp_path / "g.json").read_bytes()


def test_atexit_handlers_run_before_the_console_script_leaves(tmp_path: Path) -> None:
    code = (
        "import atexit, pathlib; "
        "atexit.register(lambda: pathlib.Path('atexit.txt').write_text('ran')); " + CONSOLE
    )
    out = _python(
        code, "discover", "--sample", "quickstart", "--no-site", "-q", "--json", "g.json", cwd=tmp_path
    )
    assert out.returncode == 0
    assert (tmp_path / "atexit.txt").read_text() == "ran"


def test_a_running_thread_gets_the_ordinary_exit_that_waits_for_it(tmp_path: Path) -> None:
    code = (
        "import threading, time, pathlib; "
        "threading.Thread(target=lambda: (time.sleep(0.5), pathlib.Path('late.txt').write_text('done'))).start(); "
        + CONSOLE
    )
    out = _python(code, "--version", cwd=tmp_path)
    assert out.returncode == 0
    assert (tmp_path / "late.txt").read_text() == "done"


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (7, 7), (True, 1), ("stop", 1)])
def test_exit_status_follows_the_interpreter(
    code: object, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fastexit.exit_status(code) == status
    assert capsys.readouterr().err == ("stop\n" if code == "stop" else "")


class _Unflushable(io.StringIO):
    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_standard_stream_that_cannot_be_flushed_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", _Unflushable())
    assert not fastexit._flushed()
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert fastexit._flushed()


@pytest.mark.parametrize(
    "args",
    [
        ["discover", "--sample"],
        ["discover", "--sample", "quickstart", "--no-site", "--json", "-"],
        ["--help"],
    ],
    ids=["sample_list", "document", "help"],
)
def test_a_closed_standard_output_ends_as_it_does_with_main(tmp_path: Path, args: list[str]) -> None:
    results = []
    for entry in (MAIN, CONSOLE):
        read, write = os.pipe()
        os.close(read)  # every write to standard output fails with EPIPE
        environ = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        proc = subprocess.run(
            [sys.executable, "-c", entry, *args],
            cwd=tmp_path,
            env=environ,
            stdout=write,
            stderr=subprocess.PIPE,
            check=False,
        )
        os.close(write)
        results.append((proc.returncode, proc.stderr.replace(b"console", b"main")))
    assert results[0] == results[1]
    assert results[0][0] != 0


def test_keep_holds_nothing_outside_the_console_script() -> None:
    before = len(fastexit._Kept.values)
    fastexit.keep(object())
    assert len(fastexit._Kept.values) == before
