"""The review-board outputs of a run: findings for trackers (CSV, XLSX), SARIF, and the `--fail-on` gate.

Wiring only, like `archgen.pipeline`: the rows, files and gate are computed by the pure functions in
`archgen.publish.exports` and `archgen.publish.sarif`; here they are written safely (an existing file
archgen did not write is replaced only with --force).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archgen import __version__
from archgen.controls import accept
from archgen.errors import FindingsGateError, OutputError, UsageError

if TYPE_CHECKING:  # imported when an export, the gate or --redact asks for them, not on every run
    from archgen.publish import exports
    from archgen.redact import Redactor


@dataclass(frozen=True, slots=True)
class ExportOptions:
    findings_csv: Path | None = None
    findings_xlsx: Path | None = None
    sarif: Path | None = None
    owner_tag: str | None = None
    fail_on: str | None = None  # 'high' | 'medium' | 'low'
    force: bool = False

    @property
    def wanted(self) -> bool:
        return any((self.findings_csv, self.findings_xlsx, self.sarif, self.fail_on))


def input_files(from_files: tuple[Path, ...], more: tuple[Path, ...]) -> tuple[Path, ...]:
    """`--from` files with the files that followed the flag, directories and globs expanded."""
    if more and not from_files:
        raise UsageError(f"unexpected argument '{more[0]}'; input files go after --from")
    if not from_files:
        return ()
    from archgen.inputs import expand_inputs

    return tuple(expand_inputs([*from_files, *more]))


def load_since(path: Path | None) -> dict[str, Any] | None:
    """The graph document of `--since OLD`, validated (InputError, exit 2, otherwise)."""
    if path is None:
        return None
    from archgen.diff import load_document

    return load_document(path)


def notes(result: object) -> list[str]:
    """What the user should know after a run: backups made, mkdocs.yml keys kept, acceptances to review."""
    from archgen.pipeline import Result

    assert isinstance(result, Result)
    return [*result.notes, *(acceptance_notes(result.review) if result.review is not None else [])]


def load_acceptances(path: Path | None) -> tuple[accept.Acceptance, ...]:
    """The validated acceptances of `--accept FILE` (none without it); InputError (exit 2) for a bad file."""
    if path is None:
        return ()
    from archgen.controls.catalogue import load

    return accept.load(path, load())


def finding_rows(result: object, opts: ExportOptions) -> list[exports.FindingRow]:
    """The run's findings as tracker rows, acceptances applied."""
    from archgen.pipeline import Result
    from archgen.publish import exports

    assert isinstance(result, Result)
    review = result.review or accept.empty(date.today())
    return exports.finding_rows(result.graph, result.findings, result.catalogue, review, opts.owner_tag)


def write_file(path: Path, data: bytes, is_ours: Callable[[bytes], bool], force: bool) -> Path:
    """Write through a temporary file and a rename; refuse to replace a file archgen did not write."""
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    if path.exists() and not force:
        try:
            ours = is_ours(path.read_bytes())
        except OSError:
            ours = False
        if not ours:
            raise OutputError(f"{path}: exists and was not written by archgen; pass --force to replace it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return path


def _text_check(check: Callable[[str], bool]) -> Callable[[bytes], bool]:
    return lambda data: check(data.decode("utf-8", "replace"))


def write_exports(rows: list[exports.FindingRow], catalogue: object, opts: ExportOptions) -> list[Path]:
    """Write the files asked for; return their paths."""
    if opts.findings_csv is None and opts.findings_xlsx is None and opts.sarif is None:
        return []
    from archgen.controls.catalogue import Catalogue
    from archgen.publish import exports, sarif

    assert isinstance(catalogue, Catalogue)
    written = []
    if opts.findings_csv is not None:
        data = exports.csv_text(rows).encode("utf-8")
        written.append(write_file(opts.findings_csv, data, _text_check(exports.is_archgen_csv), opts.force))
    if opts.findings_xlsx is not None:
        data = exports.xlsx_bytes(rows)
        written.append(write_file(opts.findings_xlsx, data, exports.is_archgen_xlsx, opts.force))
    if opts.sarif is not None:
        data = sarif.sarif_text(rows, catalogue, __version__).encode("utf-8")
        written.append(write_file(opts.sarif, data, _text_check(sarif.is_archgen_sarif), opts.force))
    return written


def gate(rows: list[exports.FindingRow], threshold: str | None) -> None:
    """FindingsGateError (exit 7) when failing findings at or above `threshold` remain after acceptances."""
    if threshold is None:
        return
    from archgen.publish import exports

    left = exports.gate(rows, threshold)
    if left:
        names = ", ".join(f"{r.control} on {r.resource_name}" for r in left[:5])
        more = f" and {len(left) - 5} more" if len(left) > 5 else ""
        raise FindingsGateError(
            f"--fail-on {threshold}: {len(left)} failing finding(s) at or above {threshold} severity "
            f"not covered by an accepted risk: {names}{more}"
        )


def acceptance_notes(review: accept.Review) -> list[str]:
    """One line per acceptance that matched nothing and per expired acceptance, for standard error."""
    notes = [
        f"acceptance matches no failing or unknown finding: {a.control} {a.resource} (expires {a.expires})"
        for a in review.unmatched
    ]
    expired = {
        (d.acceptance.control, d.acceptance.resource, d.acceptance.expires)
        for d in review.decisions.values()
        if d.expired
    }
    notes += [
        f"acceptance expired on {exp}: {control} {resource} counts again"
        for control, resource, exp in sorted(expired)
    ]
    return notes


def failing_controls_lines(result: object) -> list[str]:
    """The controls that fail, highest severity first, with how many resources fail each."""
    from archgen.pipeline import Result
    from archgen.publish import exports

    assert isinstance(result, Result)
    review = result.review or accept.empty(date.today())
    counts: dict[str, list[int]] = {}
    for f in result.findings:
        if f.status.value == "fail":
            c = counts.setdefault(result.catalogue.control(f.control).id, [0, 0])
            c[0] += 1
            c[1] += 0 if review.counts(f) else 1
    if not counts:
        return ["failing controls: none"]
    order = sorted(
        counts, key=lambda cid: (exports.SEVERITY_RANK[result.catalogue.control(cid).severity], cid)
    )
    parts = []
    for cid in order:
        failing, accepted = counts[cid]
        note = f", {accepted} accepted" if accepted else ""
        parts.append(f"{cid} ({result.catalogue.control(cid).severity}, {failing} resource(s){note})")
    return ["failing controls, highest severity first: " + "; ".join(parts)]


def redactor(enabled: bool, salt: str | None, tag_keys: tuple[str, ...]) -> Redactor | None:
    """The --redact pseudonymiser (a random salt when none is given), or None without --redact."""
    if not enabled:
        if tag_keys:
            raise UsageError("--redact-tag applies with --redact")
        return None
    from archgen.redact import Redactor

    return Redactor(salt if salt else secrets.token_hex(16), tag_keys)
