"""`python -m archgen.publish.mkbuild`: a strict MkDocs build with archgen's overrides, in a child process.

`archgen bundle` runs this instead of `mkdocs build` so that it can add Material's `offline` plugin (search
from `file://`) and leave files out (`exclude_docs`) without touching the user's `mkdocs.yml`. MkDocs keeps
global state (logging, plugin registries), so it runs in a child process; every path it receives is absolute.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

# Material's offline plugin adds this script from unpkg.com unless a polyfill naming iframe-worker is set;
# the bundle ships archgen's own copy (written by archgen.publish.bundle) so nothing is fetched from the web.
LOCAL_SHIM = "assets/archgen/iframe-worker-shim.js"


def _with_offline(plugins: Any) -> Any:
    """The user's plugin setting with `search` and `offline` present (a list or a mapping, as MkDocs allows)."""
    if isinstance(plugins, dict):
        return {"search": {}, **plugins, "offline": {}}
    items = list(plugins) if isinstance(plugins, list) else ["search"]
    names = {next(iter(p)) if isinstance(p, dict) else str(p) for p in items}
    if "search" not in names and "material/search" not in names:
        items.insert(0, "search")
    if "offline" not in names and "material/offline" not in names:
        items.append("offline")
    return items


def _overrides(config_file: str, offline: bool, exclude: list[str]) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, encoding="utf-8") as fh:
        raw = yaml_load(fh) or {}
    out: dict[str, Any] = {}
    if offline:
        out["plugins"] = _with_offline(raw.get("plugins", ["search"]))
        extra = dict(raw.get("extra") or {})
        extra["polyfills"] = [*list(extra.get("polyfills") or []), LOCAL_SHIM]
        out["extra"] = extra
    if exclude:
        previous = raw.get("exclude_docs") or ""
        out["exclude_docs"] = "\n".join([str(previous).strip(), *exclude]).strip() + "\n"
        # the evidence page still lists what was left out (name and SHA-256); its link is expected to dangle
        out["validation"] = {"links": {"not_found": "info"}}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m archgen.publish.mkbuild")
    parser.add_argument("--config", required=True)
    parser.add_argument("--site-dir", required=True)
    parser.add_argument("--no-directory-urls", action="store_true")
    parser.add_argument("--offline", action="store_true")
    parser.add_argument("--exclude", action="append", default=[])
    args = parser.parse_args(argv)

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = load_config(
            config_file=args.config,
            site_dir=args.site_dir,
            use_directory_urls=not args.no_directory_urls,
            strict=True,
            **_overrides(args.config, args.offline, args.exclude),
        )
        build(config)
    except (MkDocsException, OSError) as exc:
        print(f"mkdocs: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
