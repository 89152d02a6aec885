"""What guards the private endpoint's subnet: NSG and route table parsing, the policy facts, the verdicts' words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archgen.model.ids import norm_id
from archgen.model.netpath import network_paths, subnet_guards
from archgen.model.types.netpolicy import parse_nsg, parse_route_table
from tests import factory as f
from tests import netpath_cases as nc
from tests.conftest import findings_of, graph_of

A = norm_id(f.ACCOUNT)


def finding(rows: list[f.Row], control: str) -> tuple[str, str, dict[str, object]]:
    _g, found = findings_of(rows)
    x = next(x for x in found if x.control == control and x.resource == A)
    return x.status.value, x.reason, dict(x.evidence)


def test_nsg_rules_come_in_priority_order_with_their_defaults() -> None:
    row = nc.nsg(nc.rule("Late", 300, "Allow", port="80"), nc.VNET_ONLY_443)
    parsed = parse_nsg(row, row["properties"])
    assert [r.name for r in parsed.inbound()] == [
        "AllowVnetHttpsInBound",
        "Late",
        "AllowVnetInBound",
        "AllowAzureLoadBalancerInBound",
        "DenyAllInBound",
    ]
    first = parsed.rules[0]
    assert (first.access, first.protocol, first.sources, first.ports, first.default) == (
        "allow",
        "tcp",
        ("10.42.0.0/22",),
        ("443",),
        False,
    )
    assert parsed.has_default_rules


def test_plural_prefixes_and_ports_are_read_with_the_singular_ones() -> None:
    rule = nc.rule("Both", 100, "Allow", "10.0.0.0/8", "443")
    rule["properties"].update(sourceAddressPrefixes=["192.168.0.0/16"], destinationPortRanges=["8443", "443"])
    parsed = parse_nsg(nc.nsg(rule), nc.nsg(rule)["properties"]).rules[0]
    assert set(parsed.sources) == {"10.0.0.0/8", "192.168.0.0/16"}
    assert set(parsed.ports) == {"443", "8443"}


def test_route_table_default_route_through_the_firewall() -> None:
    row = nc.route_table()
    rt = parse_route_table(row, row["properties"])
    assert [(r.address_prefix, r.next_hop_type, r.next_hop_ip) for r in rt.routes] == [
        ("0.0.0.0/0", "virtualappliance", nc.FIREWALL_IP)
    ]
    assert rt.disable_bgp_route_propagation is True
    graph = graph_of(
        nc.endpoint(nc.subnet_with("Enabled", route_table_id=nc.ROUTE_TABLE), nc.route_table(), nc.nsg())
    )
    assert set(subnet_guards(graph, norm_id(f.SUBNET))) == {
        "NSG nsg-snet-pe",
        f"UDR → through firewall/NVA {nc.FIREWALL_IP}",
    }


@given(
    st.sampled_from(["Enabled", "NetworkSecurityGroupEnabled", "Disabled", "RouteTableEnabled"]), st.data()
)
def test_policy_effect_ignores_letter_case(policy: str, data: st.DataObject) -> None:
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in policy)
    (path,) = network_paths(graph_of(nc.endpoint(nc.subnet_with(cased), nc.nsg())), A)
    expected = {
        "enabled": (True, True),
        "networksecuritygroupenabled": (True, False),
        "disabled": (False, False),
        "routetableenabled": (False, True),
    }[policy.lower()]
    assert (path.nsg_applies, path.udr_applies) == expected


def test_unknown_policy_value_leaves_the_verdict_unknown() -> None:
    status, reason, _e = finding(nc.endpoint(nc.subnet_with("SomethingNew"), nc.nsg()), "AOAI-NET-06")
    assert status == "unknown"
    assert "somethingnew" in reason


def test_policies_disabled_says_the_nsg_does_not_apply() -> None:
    status, reason, evidence = finding(nc.net06_fail_policies_disabled(), "AOAI-NET-06")
    assert status == "fail"
    assert "the NSG does not apply to the private endpoint" in reason
    (path,) = evidence["network_path"].values()  # type: ignore[union-attr]
    assert path["privateEndpointNetworkPolicies"] == "disabled"


def test_admitting_rule_is_named_in_the_failure() -> None:
    status, reason, _e = finding(nc.net07_fail_internet_https(), "AOAI-NET-07")
    assert status == "fail"
    assert "'AllowInternetHttps' (priority 100)" in reason


@given(
    st.sampled_from(["443", "*", "400-500", "0-65535"]),
    st.sampled_from(["Internet", "*", "0.0.0.0/0", "INTERNET"]),
)
def test_any_internet_source_on_443_fails(port: str, source: str) -> None:
    rows = nc.endpoint(nc.subnet_with("Enabled"), nc.nsg(nc.rule("Open", 150, "Allow", source, port)))
    assert finding(rows, "AOAI-NET-07")[0] == "fail"


@given(st.sampled_from(["22", "80", "444-500", "3389"]))
def test_internet_on_other_ports_only_passes(port: str) -> None:
    rows = nc.endpoint(nc.subnet_with("Enabled"), nc.nsg(nc.rule("Ssh", 150, "Allow", "Internet", port)))
    assert finding(rows, "AOAI-NET-07")[0] == "pass"


def test_rule_for_another_destination_does_not_count() -> None:
    rule = nc.rule("OtherHost", 150, "Allow", "Internet", "443", destination="10.99.0.0/24")
    rows = nc.endpoint(nc.subnet_with("Enabled"), nc.nsg(rule))
    assert finding(rows, "AOAI-NET-07")[0] == "pass"


def test_verdicts_are_deterministic() -> None:
    first = [(x.control, x.status, x.reason) for x in findings_of(nc.net07_fail_internet_https())[1]]
    second = [(x.control, x.status, x.reason) for x in findings_of(nc.net07_fail_internet_https())[1]]
    assert first == second
