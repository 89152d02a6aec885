"""Errors a user can cause, each with its one-line message and documented exit status.

Exit statuses (also in README.md and docs/cli.md):
  0  the run succeeded, whatever the findings
  1  an internal error (a bug in archgen; set ARCHGEN_DEBUG=1 for the traceback)
  2  bad input or usage: unreadable or malformed input file, an input that is not a regular file or is
     over --max-input-mb, a snapshot failing its integrity check with --strict-evidence, unknown
     sample, bad option
  3  authentication failed (no credential, expired login)
  4  output refused or not writable (a file archgen does not own would be overwritten, a folder in
     --out is a symbolic link, another archgen run is writing into the same --out)
  5  Azure could not be reached, answered no query at all, kept failing (a 429/503 storm, an endpoint
     that never answers) or did not let discovery finish within --timeout
  6  discovery was incomplete: a query or read failed or was cut short after the seed; the outputs
     are written and marked incomplete (banner, `unknown` findings); --allow-partial accepts them (0)
  7  --fail-on SEVERITY: failing findings at or above SEVERITY remain after the accepted risks
  8  a required program is missing: Graphviz's `dot` (Debian package graphviz) draws the diagrams
"""

from __future__ import annotations


class ArchgenError(Exception):
    """Base of the errors a user can cause; `str(err)` is the one-line message."""

    exit_status = 1


class InputError(ArchgenError):
    exit_status = 2


class UsageError(ArchgenError):
    exit_status = 2


class AuthError(ArchgenError):
    exit_status = 3


class OutputError(ArchgenError):
    exit_status = 4


class AzureError(ArchgenError):
    exit_status = 5


class IncompleteError(ArchgenError):
    """The run finished and wrote its outputs, but live discovery missed part of what it looked for."""

    exit_status = 6


class FindingsGateError(ArchgenError):
    """`--fail-on SEVERITY`: failing findings at or above it remain after the accepted risks."""

    exit_status = 7


class MissingProgramError(ArchgenError):
    """A program archgen runs is not on PATH: an environment problem, not a bug (exit 8, not 1)."""

    exit_status = 8

    def __init__(self, program: str, purpose: str, debian_package: str) -> None:
        super().__init__(
            f"a required program is missing: '{program}' ({purpose}) is not on PATH; "
            f"install it (Debian/Ubuntu: apt-get install {debian_package})"
        )
        self.program = program
