"""Running the CLI in-process, as a user would from a shell: argv in; exit status, stdout, stderr out."""

from __future__ import annotations

import sys

import pytest

from archgen.cli import main


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["archgen", *argv])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
