"""Reading `--from` files: every shape Resource Graph, the Azure CLI and archgen itself write.

Accepted shapes (see docs/input.md):
1. a JSON array of rows (`az graph query ... --query data`, `az resource list`);
2. an object with `data` holding rows: the ARG REST response
   (https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources,
   `QueryResponse{totalRecords,count,resultTruncated,$skipToken,data,facets}`) or `az graph query -o json`;
3. the same with `data` in ARG's table format `{"columns":[{"name","type"}],"rows":[[...]]}`
   (`resultFormat: table`, `Table{columns,rows}` in the same page);
4. one ARM resource as `az resource show` prints it, or an ARM list response `{"value": [...]}`;
5. an archgen snapshot (`{"schema": "archgen.snapshot/v1", ...}`).
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec

from archgen.discovery import snapshot as snap
from archgen.errors import InputError
from archgen.model.inventory import Inventory, RowBlock

MB = 1024 * 1024
DEFAULT_MAX_INPUT_MB = 2048  # per --from file; `--max-input-mb` changes it
SHAPES = (
    "a JSON array of rows, an object with 'data' (rows or ARG's table format), an ARM resource, "
    "an object with 'value', or an archgen snapshot"
)


def _rows_from_table(table: Mapping[str, Any], source: str, where: str, inv: Inventory) -> None:
    columns = table.get("columns")
    rows = table.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise InputError(f"{source}: {where} is neither a list of rows nor a table with 'columns' and 'rows'")
    names = []
    for i, col in enumerate(columns):
        name = col.get("name") if isinstance(col, Mapping) else None
        if not isinstance(name, str):
            raise InputError(f"{source}: {where}.columns[{i}] has no string 'name'")
        names.append(name)
    prefix = f"{where}.rows"
    dicts, paths = [], []
    for i, values in enumerate(rows):
        if not isinstance(values, list) or len(values) != len(names):
            inv.warnings.append(
                {
                    "code": "row_skipped",
                    "message": f"{source}: {prefix}[{i}]: not a list of {len(names)} values, skipped",
                }
            )
            continue
        dicts.append(dict(zip(names, values, strict=True)))
        paths.append(f"{prefix}[{i}]")
    inv.blocks.append(RowBlock(dicts, source, prefix, None if len(dicts) == len(rows) else paths))


def _add_rows(rows: Sequence[Any], source: str, prefix: str, inv: Inventory) -> None:
    inv.blocks.append(RowBlock(rows, source, prefix))  # the decoded list itself: no object per row


def _check_integrity(data: Mapping[str, Any], source: str, inv: Inventory, strict: bool) -> None:
    """Verify a snapshot's SHA-256 of its rows and queries: a warning, or InputError when `strict`."""
    if not snap.has_integrity(dict(data)):
        if strict:
            raise InputError(f"{source}: the snapshot has no integrity record to verify (--strict-evidence)")
        inv.snapshot_meta[source] = {"integrity": "not recorded in the snapshot: cannot be verified"}
        return
    problems = snap.verify(dict(data))
    if not problems:
        inv.snapshot_meta[source] = {"integrity": "verified: SHA-256 of rows and queries match"}
        return
    text = f"{source}: snapshot integrity check failed: " + "; ".join(problems)
    if strict:
        raise InputError(text + " (--strict-evidence)")
    inv.warnings.append({"code": "snapshot_integrity", "message": text})
    inv.snapshot_meta[source] = {"integrity": "FAILED: " + "; ".join(problems)}


def _read_snapshot(data: Mapping[str, Any], source: str, inv: Inventory, strict_evidence: bool) -> None:
    schema = data.get("schema")
    if schema != snap.SNAPSHOT_SCHEMA:
        raise InputError(
            f"{source}: snapshot schema '{schema}' is not supported (expected {snap.SNAPSHOT_SCHEMA})"
        )
    from pydantic import ValidationError  # a snapshot's models: imported only when one is read

    try:
        parsed = snap.Snapshot.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{source}: {loc}: {first['msg']}") from None
    _check_integrity(data, source, inv, strict_evidence)
    inv.snapshot_meta[source] = {
        "queries": [q.model_dump() for q in parsed.queries],
        "cloud": parsed.cloud,
        "scope": dict(parsed.scope),
        "started_at": parsed.started_at,
        "integrity": inv.snapshot_meta.get(source, {}).get("integrity", ""),
    }
    sub = snap.to_inventory(parsed, source)
    inv.blocks.extend(sub.blocks)
    inv.warnings.extend(sub.warnings)
    inv.incomplete.extend(sub.incomplete)  # a partial live run stays partial when replayed
    if sub.diagnostics_collected is not None:
        inv.diagnostics_collected = (inv.diagnostics_collected or frozenset()) | sub.diagnostics_collected
    if sub.deployments_collected is not None:
        inv.deployments_collected = (inv.deployments_collected or frozenset()) | sub.deployments_collected
    if sub.principals_collected is not None:
        inv.principals_collected = (inv.principals_collected or frozenset()) | sub.principals_collected
    if sub.foundry_collected is not None:
        inv.foundry_collected = (inv.foundry_collected or frozenset()) | sub.foundry_collected
    if sub.assessments_collected is not None:
        inv.assessments_collected = (inv.assessments_collected or frozenset()) | sub.assessments_collected


def _read_object(data: Mapping[str, Any], source: str, inv: Inventory) -> None:
    """The non-snapshot object shapes: ARG's `data` (rows or a table), a bare table, ARM's `value`, one row."""
    if "data" in data:
        body = data["data"]
        if isinstance(body, list):
            _add_rows(body, source, "data", inv)
        elif isinstance(body, Mapping):
            _rows_from_table(body, source, "data", inv)
        else:
            raise InputError(f"{source}: data is {type(body).__name__}, expected a list of rows or a table")
    elif "columns" in data and "rows" in data:
        _rows_from_table(data, source, "", inv)
    elif isinstance(data.get("value"), list):
        _add_rows(data["value"], source, "value", inv)
    elif isinstance(data.get("id"), str) and isinstance(data.get("type"), str):
        inv.blocks.append(RowBlock([data], source, paths=["$"]))
    else:
        raise InputError(f"{source}: JSON object is not one of: {SHAPES}")


def read_document(data: Any, source: str, inv: Inventory, strict_evidence: bool = False) -> None:
    """Add the rows of one parsed JSON document to `inv`; InputError when it is of no known shape."""
    if isinstance(data, list):
        _add_rows(data, source, "", inv)
    elif not isinstance(data, Mapping):
        raise InputError(f"{source}: JSON {type(data).__name__} is not one of: {SHAPES}")
    elif isinstance(data.get("schema"), str) and data["schema"].startswith("archgen.snapshot/"):
        _read_snapshot(data, source, inv, strict_evidence)
    else:
        _read_object(data, source, inv)


def load_text(text: str, source: str, inv: Inventory, strict_evidence: bool = False) -> None:
    """Parse JSON text and add its rows; a one-line InputError on anything unreadable."""
    if not text.strip():
        raise InputError(f"{source}: the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise InputError(f"{source}: JSON nested too deeply") from None
    read_document(data, source, inv, strict_evidence)


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; InputError for anything else.

    Devices, FIFOs and sockets are refused before reading (`--from /dev/zero` would never end), and
    the size is checked both from `stat` and while reading (a file that grows meanwhile).
    """
    source = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{source}: is a directory, expected a JSON file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{source}: not a regular file (a device, pipe or socket); save the input to a file")
    too_big = InputError(
        f"{source}: larger than the input limit of {max_bytes // MB} MB; raise it with --max-input-mb"
    )
    if st.st_size > max_bytes:
        raise too_big
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise too_big
    return raw


_UNREAD = object()
_BOM = b"\xef\xbb\xbf"


def _decode_fast(raw: bytes) -> Any:
    """The JSON value of UTF-8 bytes through msgspec (faster than `json.loads`, and no decoded copy of
    the text is held); `_UNREAD` for anything it refuses, which the standard library then reads or
    reports exactly as before: NaN, Infinity, overflowing numbers, lone surrogates, bad UTF-8, deep
    nesting, syntax errors. Where both read a document they give the same value (big integers included)."""
    view = memoryview(raw)[len(_BOM) :] if raw.startswith(_BOM) else raw
    try:
        return msgspec.json.decode(view)
    except (msgspec.DecodeError, RecursionError):
        return _UNREAD


def load_files(
    paths: Sequence[Path], *, max_bytes: int = DEFAULT_MAX_INPUT_MB * MB, strict_evidence: bool = False
) -> Inventory:
    """Read every `--from` file into one inventory (each at most `max_bytes`)."""
    inv = Inventory()
    for path in paths:
        source = str(path)
        raw = read_capped(path, max_bytes)
        inv.digests[source] = hashlib.sha256(raw).hexdigest()
        data = _decode_fast(raw)
        if data is not _UNREAD:
            read_document(data, source, inv, strict_evidence)
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{source}: not UTF-8 text (byte {exc.start})") from None
        load_text(text, source, inv, strict_evidence)
    if not inv.row_count():
        names = ", ".join(str(p) for p in paths) or "(no file)"
        raise InputError(f"{names}: the input holds no rows")
    return inv
