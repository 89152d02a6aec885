"""KQL text: string literals for any value, the query files, placeholders, and batching of key lists so
that each query stays under archgen's query-length budget."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources as importlib_resources

from archgen.errors import UsageError
from archgen.model.ids import norm_id

_CONTROL = re.compile("[\x00-\x1f\x7f]")


def kql_string(value: str) -> str:
    """A KQL string literal for any user-supplied value: single quotes, backslash escapes.

    KQL string literals escape `\\` and `'` with a backslash
    (https://learn.microsoft.com/kusto/query/scalar-data-types/string). Control characters have no
    place in Azure names, ids or tag values and are refused, so nothing can end the literal early.
    """
    if _CONTROL.search(value):
        raise UsageError(f"scope value {value!r} contains a control character")
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def kql_list(values: Iterable[str]) -> str:
    return ", ".join(kql_string(v) for v in values)


def load_query(name: str) -> str:
    """The query text of `queries/<name>.kql` without its `//` documentation lines."""
    text = (
        importlib_resources.files("archgen.discovery").joinpath("queries", f"{name}.kql").read_text("utf-8")
    )
    return "\n".join(
        ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("//")
    )


def render(template: str, **values: str) -> str:
    """Fill `{placeholder}`s; a placeholder line left empty is dropped."""
    lines = []
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("{") and stripped.endswith("}") and stripped[1:-1] in values:
            filled = values[stripped[1:-1]]
            if filled:
                lines.append(filled)
            continue
        filled_line = line
        for key, value in values.items():
            filled_line = filled_line.replace("{" + key + "}", value)
        lines.append(filled_line)
    return "\n".join(lines)


def scope_filters(
    resource_groups: Sequence[str], tags: Sequence[tuple[str, str]], accounts: Sequence[str]
) -> str:
    """The `| where` lines that narrow the seed query to the user's resource groups, tags and accounts."""
    lines = []
    if resource_groups:
        lines.append(f"| where resourceGroup in~ ({kql_list(resource_groups)})")
    for key, value in tags:
        lines.append(f"| where tostring(tags[{kql_string(key)}]) =~ {kql_string(value)}")
    if accounts:
        ids = sorted({norm_id(a) for a in accounts if a.startswith("/")})
        names = sorted({a for a in accounts if not a.startswith("/")}, key=str.lower)
        clauses = []
        if names:
            clauses.append(f"name in~ ({kql_list(names)})")
        if ids:
            clauses.append(f"id in~ ({kql_list(ids)})")
        lines.append("| where " + " or ".join(clauses))
    return "\n".join(lines)


def ip_conditions(ips: Iterable[str]) -> str:
    """`ipv4_is_in_range('<ip>', tostring(prefix)) or ...` for the DNS-server lookup."""
    return " or ".join(f"ipv4_is_in_range({kql_string(ip)}, tostring(prefix))" for ip in ips)


# How a batch of keys becomes query text: placeholder -> (formatter, separator length).
FORMATTERS: dict[str, tuple[Callable[[Iterable[str]], str], int]] = {"ip_conditions": (ip_conditions, 4)}


def pack(
    template: str, placeholder: str, values: Sequence[str], budget: int
) -> Iterator[tuple[list[str], str]]:
    """Split `values` into batches whose rendered query stays within `budget` characters."""
    fmt, sep = FORMATTERS.get(placeholder, (kql_list, 2))
    base = len(render(template, **{placeholder: ""}))
    batch: list[str] = []
    size = base
    for value in values:
        cost = len(fmt([value])) + sep
        if batch and size + cost > budget:
            yield batch, render(template, **{placeholder: fmt(batch)})
            batch, size = [], base
        batch.append(value)
        size += cost
    if batch:
        yield batch, render(template, **{placeholder: fmt(batch)})


def chunks(values: Sequence[str], size: int) -> list[list[str]]:
    return [list(values[i : i + size]) for i in range(0, len(values), size)]
