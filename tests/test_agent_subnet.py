"""FDY-NET-01 on hostile or odd agent subnets: whatever the subnet's prefixes and delegations, the verdict is
pass, fail or unknown with a reason, and pass only for a delegated subnet of at least 32 IPv4 addresses."""

from __future__ import annotations

import ipaddress
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests import foundry_cases as fdy
from tests.conftest import findings_of

A = fdy.f.ACCOUNT.lower()
PREFIXES = st.one_of(
    st.builds(lambda a, n: f"10.{a}.0.0/{n}", st.integers(0, 255), st.integers(16, 32)),
    st.text(max_size=20),
)
SERVICES = st.one_of(
    st.none(), st.sampled_from(["Microsoft.App/environments", "Microsoft.Web/serverFarms"]), st.text()
)


def _verdict(prefixes: list[str], service: str | None) -> Any:
    vnet = fdy.agent_vnet("10.42.2.0/24", service)
    props = vnet["properties"]["subnets"][1]["properties"]
    del props["addressPrefix"]
    props["addressPrefixes"] = prefixes
    _graph, findings = findings_of([fdy.foundry_account(), vnet])
    return next(x for x in findings if x.control == "FDY-NET-01" and x.resource == A)


def _addresses(prefixes: list[str]) -> int | None:
    """The reference count: like the subnet parser (`props.strings`), empty and repeated entries are dropped."""
    total = 0
    for p in {p for p in prefixes if p}:
        try:
            net = ipaddress.ip_network(p.strip(), strict=False)
        except ValueError:
            return None
        total += net.num_addresses if net.version == 4 else 0
    return total


@given(prefixes=st.lists(PREFIXES, max_size=3), service=SERVICES)
def test_any_agent_subnet_gets_a_reasoned_verdict(prefixes: list[str], service: str | None) -> None:
    finding = _verdict(prefixes, service)
    assert finding.status.value in {"pass", "fail", "unknown"} and finding.reason.endswith(".")
    delegated = (service or "").lower() == "microsoft.app/environments"
    size = _addresses(prefixes)
    if finding.status.value == "pass":
        assert delegated and size is not None and size >= 32
    if not delegated:
        assert finding.status.value == "fail"
