"""The evidence page's downloads (graph document, snapshot, the input files) and how to re-run the review."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from archgen.publish import owned
from archgen.run import InputFile, RunInfo, input_download_name


@dataclass(frozen=True, slots=True)
class Download:
    name: str
    sha256: str
    what: str


def write_downloads(
    docs: Path, graph_json: str, snapshot_json: str | None, inputs: Sequence[InputFile] = ()
) -> list[Download]:
    out = docs / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    items = [
        (
            "graph.json",
            graph_json,
            "The graph document (archgen.graph/v1): resources, relations, workloads, findings.",
        )
    ]
    if snapshot_json is not None:
        items.append(
            (
                "snapshot.json",
                snapshot_json,
                "The raw rows and the queries that produced them (archgen.snapshot/v1).",
            )
        )
    downloads = []
    for name, text, what in items:
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        downloads.append(Download(name, owned.sha256_bytes(data), what))
    for n, item in enumerate(inputs):
        if not item.path:
            continue
        try:
            raw = Path(item.path).read_bytes()
        except OSError:
            continue  # the input moved since it was read; its SHA-256 is still listed
        name = input_download_name(n, item)
        (out / name).write_bytes(raw)
        downloads.append(
            Download(name, owned.sha256_bytes(raw), f"Input file {item.name}, exactly as read by this run.")
        )
    return downloads


def reproduce(run: RunInfo, has_snapshot: bool) -> str:
    """The commands that re-run archgen on this run's input and check the result."""
    lines = []
    if has_snapshot:
        lines += [
            "# replay this run's snapshot (download snapshot.json above); no Azure access needed",
            "archgen discover --from snapshot.json --json graph.json --out review",
        ]
    if run.mode == "sample" and run.inputs:
        name = run.inputs[0].name.removeprefix("sample:").removesuffix(".json")
        lines += [
            "# the same sample, embedded in archgen",
            f"archgen discover --sample {shlex.quote(name)} --json graph.json --out review",
        ]
    elif run.inputs and not has_snapshot:
        sources = " ".join(
            f"--from {shlex.quote(input_download_name(n, i) if i.path else i.name)}"
            for n, i in enumerate(run.inputs)
        )
        lines += [
            "# the same input files (download them above and check their SHA-256)",
            f"archgen discover {sources} --json graph.json --out review",
        ]
    lines += ["# compare with the SHA-256 of graph.json on this page", "sha256sum graph.json"]
    return "\n".join(lines)
