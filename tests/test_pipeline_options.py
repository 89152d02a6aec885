"""The run's settings: one frozen object built from the flags; the mode is decided by the pipeline alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen.errors import UsageError
from archgen.pipeline import DiscoverOptions, LiveScope, mode


def test_the_options_are_frozen() -> None:
    opts = DiscoverOptions(sample="quickstart")
    with pytest.raises(AttributeError):
        opts.sample = "estate"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("opts", "expected"),
    [
        (DiscoverOptions(sample="quickstart"), "sample"),
        (DiscoverOptions(from_files=(Path("a.json"),)), "file"),
        (DiscoverOptions(), "live"),
        (DiscoverOptions(live_scope=LiveScope(subscriptions=("0000",))), "live"),
    ],
)
def test_mode_follows_the_inputs_named(opts: DiscoverOptions, expected: str) -> None:
    assert mode(opts) == expected


@pytest.mark.parametrize(
    ("opts", "message"),
    [
        (DiscoverOptions(sample="quickstart", from_files=(Path("a.json"),)), "cannot be combined"),
        (
            DiscoverOptions(sample="quickstart", live_scope=LiveScope(tags=(("env", "prod"),))),
            "scope options",
        ),
        (
            DiscoverOptions(from_files=(Path("a.json"),), live_scope=LiveScope(accounts=("a",))),
            "scope options",
        ),
    ],
)
def test_contradictory_options_are_usage_errors(opts: DiscoverOptions, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        mode(opts)
