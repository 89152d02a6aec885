"""Gateways in front of the account: API Management, Application Gateway and its WAF policy.

Property names (compared lower-case):
- API Management `microsoft.apimanagement/service`, `specification/apimanagement/resource-manager/
  Microsoft.ApiManagement/stable/2022-08-01/apimdeployment.json` (`ApiManagementServiceBaseProperties`):
  `virtualNetworkType` (None | External | Internal: "External means the API Management deployment is set up
  inside a Virtual Network having an Internet Facing Endpoint, and Internal means that API Management
  deployment is setup inside a Virtual Network having an Intranet Facing Endpoint only"),
  `publicNetworkAccess` (Enabled | Disabled), `virtualNetworkConfiguration.subnetResourceId`, `gatewayUrl`,
  `hostnameConfigurations[].hostName`, `privateEndpointConnections`, `identity`.
- Its policies: the global policy (`GET {service}/policies`, `apimpolicies.json` 2022-08-01
  `Policy_ListByService`) and each API's (`GET {service}/apis`, `apimapis.json` `Api_ListByService`, each API's
  `properties.serviceUrl`; `GET {service}/apis/{api}/policies`, `ApiPolicy_ListByApi`), each a `PolicyContract`
  whose `properties.value` is the policy document. Discovery keeps only the document's element names
  (`policy_elements`): a policy may hold literal secrets, so its text never reaches the snapshot. Operation-level
  policies are not read.
- Its backends are ARM child resources Resource Graph does not hold: `GET {service}/backends?api-version=
  2022-08-01` (`apimbackends.json`, `Backend_ListByService`, paged by `nextLink`), each with `properties.url`
  (the runtime URL of the backend; `definitions.json` `BackendBaseParameters.url`). Named values are never
  read (they hold secrets).
- Application Gateway `microsoft.network/applicationgateways`, `specification/network/resource-manager/
  Microsoft.Network/stable/2024-05-01/applicationGateway.json`: `backendAddressPools[].properties.
  backendAddresses[]{fqdn, ipAddress}`, `firewallPolicy.id`, `webApplicationFirewallConfiguration{enabled,
  firewallMode (Detection | Prevention)}`, `sku.tier`.
- Its WAF policy `microsoft.network/applicationgatewaywebapplicationfirewallpolicies`,
  `webapplicationfirewall.json` 2024-05-01: `policySettings{state (Disabled | Enabled), mode (Prevention |
  Detection)}`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import msgspec

from archgen.model import props
from archgen.model.relations import Relation
from archgen.model.types.common import (
    ManagedIdentity,
    PrivateEndpointConnection,
    parse_identity,
    parse_pe_connections,
    public_network_access,
)
from archgen.model.types.spec import IconRef, Ref, RefIndex, ResourceType, identity_refs, pe_connection_refs

APIM = "microsoft.apimanagement/service"
APIM_BACKEND = "microsoft.apimanagement/service/backends"
APIM_API = "microsoft.apimanagement/service/apis"
APIM_POLICY = "microsoft.apimanagement/service/policies"
APIM_API_POLICY = "microsoft.apimanagement/service/apis/policies"
MI_AUTH = "authentication-managed-identity"  # the policy that gets a token with the instance's identity
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ELEMENT = re.compile(r"<\s*([A-Za-z][A-Za-z0-9_.\-]*)")
APP_GATEWAY = "microsoft.network/applicationgateways"
WAF_POLICY = "microsoft.network/applicationgatewaywebapplicationfirewallpolicies"


def host_of(url: str | None) -> str | None:
    """The lower-case host of a URL (or of a bare host name), None when there is none."""
    if not url:
        return None
    text = url.strip()
    try:
        host = urlsplit(text if "://" in text else f"https://{text}").hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


class Backend(msgspec.Struct, frozen=True):
    """One URL an API Management instance forwards to: a backend entity's, or an API's `serviceUrl`."""

    name: str
    url: str
    host: str | None  # lower-case
    source: str = "backend"  # 'backend' (a backend entity) | 'API' (an API's serviceUrl)

    def via(self) -> str:
        return f"backend {self.name}" if self.source == "backend" else f"API {self.name} (serviceUrl)"


def parse_backend(row: Mapping[str, object]) -> Backend | None:
    url = props.get_str(row, "properties", "url")
    if not url:
        return None
    return Backend(name=props.get_str(row, "name") or "", url=url, host=host_of(url))


def policy_elements(document: object) -> list[str]:
    """The element names of a policy document (comments dropped), sorted: what archgen keeps of a policy.
    Read as text, not parsed as XML (no entity expansion); anything that is not a string has none."""
    if not isinstance(document, str):
        return []
    return sorted({m.lower() for m in _ELEMENT.findall(_COMMENT.sub("", document))})


class ApiManagement(msgspec.Struct, frozen=True):
    sku: str | None
    virtual_network_type: str | None  # lower-case: none | external | internal
    public_network_access: str | None  # lower-case: enabled | disabled
    subnet_id: str | None
    gateway_url: str | None
    hosts: tuple[str, ...]  # lower-case gateway host names (gatewayUrl and hostnameConfigurations)
    identity: ManagedIdentity
    private_endpoint_connections: tuple[PrivateEndpointConnection, ...]
    backends: tuple[Backend, ...] = ()
    backends_read: bool = False  # whether the input holds the instance's backends list (ARM)
    policies_read: bool = False  # whether the input holds the instance's policy element names (ARM)
    mi_auth_in: tuple[
        str, ...
    ] = ()  # where `authentication-managed-identity` appears: 'global', 'api <name>'

    def identity_auth(self) -> str:
        """Whether its policies authenticate with the instance's managed identity, as far as read."""
        if self.mi_auth_in:
            return "yes: authentication-managed-identity in " + ", ".join(self.mi_auth_in)
        if self.policies_read:
            return "unknown: not in the global or API policies (operation policies are not read)"
        return "unknown: policies not read"

    def exposure(self) -> str:
        """How the gateway itself is reached: 'internal' (VNet-internal or public access disabled),
        'internet' (no VNet or an External VNet with public access on), '' when the input does not say."""
        if self.virtual_network_type == "internal" or self.public_network_access == "disabled":
            return "internal"
        if self.virtual_network_type in ("none", "external"):
            return "internet"
        return ""


def parse_apim(row: Mapping[str, object], properties: Mapping[str, object]) -> ApiManagement:
    gateway_url = props.get_str(properties, "gatewayUrl")
    hosts = {
        h
        for c in props.items(properties, "hostnameConfigurations")
        if (h := host_of(props.get_str(c, "hostName")))
    }
    if (h := host_of(gateway_url)) is not None:
        hosts.add(h)
    subnet = props.ref_id(properties, "virtualNetworkConfiguration", "subnetResourceId")
    return ApiManagement(
        sku=props.get_str(row, "sku", "name"),
        virtual_network_type=props.get_enum(properties, "virtualNetworkType"),
        public_network_access=public_network_access(properties),
        subnet_id=subnet or None,
        gateway_url=gateway_url,
        hosts=tuple(sorted(hosts)),
        identity=parse_identity(row),
        private_endpoint_connections=parse_pe_connections(properties),
    )


def apim_references(node_id: str, a: ApiManagement, index: RefIndex) -> Iterable[Ref]:
    yield from identity_refs(node_id, a)
    yield from pe_connection_refs(node_id, a)
    if a.subnet_id and a.virtual_network_type in ("internal", "external"):  # deployed into the subnet
        yield Ref(node_id, Relation.IN_SUBNET, a.subnet_id)


class AppGateway(msgspec.Struct, frozen=True):
    sku_tier: str | None  # lower-case: standard_v2 | waf_v2 | ...
    backend_hosts: tuple[str, ...]  # lower-case FQDNs of every backend pool
    firewall_policy: str | None  # the attached WAF policy (normalised id)
    waf_enabled: bool | None  # webApplicationFirewallConfiguration.enabled
    waf_mode: str | None  # lower-case: prevention | detection (webApplicationFirewallConfiguration)


def parse_app_gateway(row: Mapping[str, object], properties: Mapping[str, object]) -> AppGateway:
    hosts = {
        h
        for pool in props.items(properties, "backendAddressPools")
        for addr in props.items(pool, "properties", "backendAddresses")
        if (h := host_of(props.get_str(addr, "fqdn")))
    }
    policy = props.ref_id(properties, "firewallPolicy", "id")
    waf = props.get(properties, "webApplicationFirewallConfiguration")
    return AppGateway(
        sku_tier=props.get_enum(properties, "sku", "tier"),
        backend_hosts=tuple(sorted(hosts)),
        firewall_policy=policy or None,
        waf_enabled=props.get_bool(waf, "enabled"),
        waf_mode=props.get_enum(waf, "firewallMode"),
    )


def app_gateway_references(node_id: str, g: AppGateway, index: RefIndex) -> Iterable[Ref]:
    if g.firewall_policy:
        yield Ref(node_id, Relation.PROTECTED_BY, g.firewall_policy)


class WafPolicy(msgspec.Struct, frozen=True):
    state: str | None  # lower-case: enabled | disabled
    mode: str | None  # lower-case: prevention | detection


def parse_waf_policy(row: Mapping[str, object], properties: Mapping[str, object]) -> WafPolicy:
    return WafPolicy(
        state=props.get_enum(properties, "policySettings", "state"),
        mode=props.get_enum(properties, "policySettings", "mode"),
    )


R = Relation
APIM_SPEC = ResourceType(
    arm_type=APIM,
    label="API Management",
    noun="API Management instance",
    parse=parse_apim,
    references=apim_references,
    walk=((R.FRONTS, "in"), (R.IN_SUBNET, "out")),
    icon=IconRef("diagrams.azure.integration", "APIManagement", None, "API Management"),
)
APP_GATEWAY_SPEC = ResourceType(
    arm_type=APP_GATEWAY,
    label="Application Gateway",
    noun="Application Gateway",
    parse=parse_app_gateway,
    references=app_gateway_references,
    walk=((R.PROTECTED_BY, "out"),),
    icon=IconRef("diagrams.azure.networking", "ApplicationGateways", None, "Application Gateway"),
)
WAF_POLICY_SPEC = ResourceType(
    arm_type=WAF_POLICY,
    label="WAF policy",
    noun="WAF policy",
    parse=parse_waf_policy,
    icon=IconRef("diagrams.azure.networking", "WebApplicationFirewallPolicieswaf", None, "WAF policy"),
)
