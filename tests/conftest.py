"""Shared helpers: build a graph and findings from rows."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import settings

from archgen.controls.engine import evaluate
from archgen.controls.findings import Finding
from archgen.model.builder import build, iter_rows
from archgen.model.graph import Graph

# The loopback ARG/ARM double's fixtures (certificates, arm_server) for every test module.
pytest_plugins = ["tests.armserver.fixtures"]

# No test may reach Azure: make sure a stray DefaultAzureCredential never probes IMDS or a real login.
os.environ.setdefault("AZURE_TOKEN_CREDENTIALS", "AzureCliCredential")

# Speed is measured by the benchmarks, not by tests: no per-example deadline, which on a loaded
# two-core machine fails examples that run the CLI for reasons that have nothing to do with them.
settings.register_profile("archgen", deadline=None)
settings.load_profile("archgen")


def graph_of(rows: Iterable[dict[str, Any]]) -> Graph:
    return build(iter_rows(list(rows), "test.json"))


def findings_of(rows: Iterable[dict[str, Any]]) -> tuple[Graph, list[Finding]]:
    graph = graph_of(rows)
    return graph, evaluate(graph)


@pytest.fixture
def analyse() -> Any:
    return findings_of
