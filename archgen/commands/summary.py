"""The terminal summary of a discover run: workloads with most failures, counts, warnings, files written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from archgen import __version__
from archgen.commands.console import err
from archgen.model.coverage import Gap

# Workloads listed in the terminal summary: the ones with most failures; a total line counts them all.
SUMMARY_ROWS = 20


def gaps_text(gaps: Sequence[Gap]) -> str:
    """The coverage gaps of a live run in one phrase."""
    first = gaps[0].text()
    more = f" and {len(gaps) - 1} more" if len(gaps) > 1 else ""
    return f"{len(gaps)} quer{'y' if len(gaps) == 1 else 'ies'} failed or cut short: {first}{more}"


def print_summary(result: object) -> None:
    """The run in a few lines on standard error: the workload table, counts, warnings, files written."""
    from archgen.pipeline import Result

    assert isinstance(result, Result)
    graph = result.graph
    console = err()
    console.print(summary_table(result))
    stats = graph.stats
    console.print(
        f"rows read {stats.get('rows_read', 0)}, outside any workload {stats.get('rows_outside_workloads', 0)}, "
        f"nodes {stats.get('nodes', 0)}, edges {stats.get('edges', 0)}"
    )
    if graph.warnings:
        counts = Counter(w.code for w in graph.warnings)
        console.print(
            "warnings: " + ", ".join(f"{n} {code.replace('_', ' ')}" for code, n in sorted(counts.items()))
        )
    if graph.incomplete:
        from rich.text import Text

        console.print(Text(f"INCOMPLETE: {gaps_text(graph.incomplete)}", style="bold red"))
    for path in result.written:
        console.print(f"wrote {path}")


STATUSES = ("pass", "fail", "unknown", "not_applicable")


def workload_counts(result: object) -> list[tuple[str, Counter[str]]]:
    """(workload name, findings per status over its members), counting each finding once per workload.

    The findings are indexed by resource once, so the cost is the sum of the workloads' sizes, not
    workloads × findings (the super-linear term at 300,000 rows).
    """
    from archgen.pipeline import Result

    assert isinstance(result, Result)
    by_resource: dict[str, Counter[str]] = {}
    for f in result.findings:
        by_resource.setdefault(f.resource, Counter())[f.status.value] += 1
    out = []
    for w in result.graph.workloads:
        c: Counter[str] = Counter()
        for m in set(w.members):
            own = by_resource.get(m)
            if own is not None:
                c.update(own)
        out.append((w.name, c))
    return out


def summary_table(result: object, limit: int = SUMMARY_ROWS) -> object:
    """The terminal table: the `limit` workloads with most failures (then by name), and a total line."""
    from rich.table import Table

    rows = workload_counts(result)
    title = f"archgen {__version__}: {len(rows)} workload(s)"
    if len(rows) > limit:
        title += f", the {limit} with most failures"
    table = Table(title=title, title_justify="left")
    for col in ("workload", "pass", "fail", "unknown", "n/a"):
        table.add_column(col, justify="left" if col == "workload" else "right")
    shown = rows if len(rows) <= limit else sorted(rows, key=lambda r: (-r[1]["fail"], r[0]))[:limit]
    for name, c in shown:
        table.add_row(name, *(str(c[s]) for s in STATUSES))
    if len(shown) < len(rows):
        total: Counter[str] = Counter()
        for _, c in rows:
            total.update(c)
        table.add_section()
        table.add_row(f"all {len(rows)} workloads", *(str(total[s]) for s in STATUSES))
        table.caption = f"{len(rows) - len(shown)} more workloads are in the site and the graph document"
        table.caption_justify = "left"
    return table
