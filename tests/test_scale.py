"""Scale (issue 14): the terminal summary counts once and is capped; GC state is restored; the
catalogue reads the same with either YAML loader; `archgen --version` does not load rich."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections import Counter
from importlib import resources

import pytest
import yaml
from rich.console import Console

from archgen import gcpause
from archgen.cli import summary_table, workload_counts
from archgen.pipeline import DiscoverOptions, Result, discover
from benchmarks.generate import generate_rows


@pytest.fixture(scope="module")
def estate30(tmp_path_factory: pytest.TempPathFactory) -> Result:
    path = tmp_path_factory.mktemp("scale") / "tenant.json"
    path.write_text(json.dumps({"data": generate_rows(30, 5, 0)}), encoding="utf-8")
    return discover(DiscoverOptions(from_files=[path], out_dir=None))


def test_workload_counts_equal_a_recount_of_every_finding(estate30: Result) -> None:
    expected = {
        (w.name, s, n)
        for w in estate30.graph.workloads
        for s, n in Counter(f.status.value for f in estate30.findings if f.resource in set(w.members)).items()
    }
    got = {(name, s, n) for name, c in workload_counts(estate30) for s, n in c.items() if n}
    assert got == expected


def test_summary_lists_top_workloads_by_failures_and_a_total_line(estate30: Result) -> None:
    console = Console(record=True, width=200, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(summary_table(estate30, limit=5))
    text = console.export_text()
    counts = workload_counts(estate30)
    top = sorted(counts, key=lambda r: (-r[1]["fail"], r[0]))[:5]
    listed = {name for name, _ in counts if f" {name} " in text}
    assert listed == {name for name, _ in top}
    total_fail = sum(c["fail"] for _, c in counts)
    assert "25 more workloads are in the site and the graph document" in " ".join(text.split())
    total_line = next(line for line in text.splitlines() if "all 30 workloads" in line)
    assert str(total_fail) in total_line.split()


def test_summary_of_a_small_estate_lists_every_workload_without_total(estate30: Result) -> None:
    console = Console(record=True, width=200, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(summary_table(estate30, limit=100))
    text = console.export_text()
    assert {name for name, _ in workload_counts(estate30) if f" {name} " in text} == {
        w.name for w in estate30.graph.workloads
    }
    assert "more workloads" not in text and "all 30 workloads" not in text


@pytest.mark.parametrize("enabled", [True, False])
def test_bulk_restores_the_collector_state(enabled: bool) -> None:
    seen: list[bool] = []

    @gcpause.bulk
    def work() -> None:
        seen.append(gc.isenabled())
        gcpause.settle()
        seen.append(gc.isenabled())

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        work()
        assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, 0)
    finally:
        gc.enable() if was else gc.disable()
    assert seen == [False, enabled]


def test_bulk_restores_the_collector_when_the_call_raises() -> None:
    @gcpause.bulk
    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        fail()
    assert gc.isenabled()


def test_catalogue_reads_the_same_with_the_c_and_python_loaders() -> None:
    text = resources.files("archgen.controls").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.load(text, Loader=yaml.SafeLoader)


def test_version_does_not_import_rich() -> None:
    code = "import sys; from archgen.cli import main; sys.argv=['archgen','--version']; main(); print(sorted(m for m in sys.modules if m.startswith('rich')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]"
    assert "archgen, version" in out


def test_collecting_resumes_the_collector_inside_bulk_and_pauses_it_again() -> None:
    import gc

    from archgen import gcpause

    seen: list[bool] = []

    @gcpause.bulk
    def run() -> None:
        seen.append(gc.isenabled())
        with gcpause.collecting():
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())

    was = gc.isenabled()
    gc.enable()
    try:
        run()
    finally:
        if not was:
            gc.disable()
    assert seen == [False, True, False]
