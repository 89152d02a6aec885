"""Azure OpenAI / AI Services accounts (`microsoft.cognitiveservices/accounts`).

Property names from the REST specification
`specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2024-10-01/cognitiveservices.json`
(`AccountProperties`): `customSubDomainName`, `endpoint`, `publicNetworkAccess`, `networkAcls`, `disableLocalAuth`,
`restrictOutboundNetworkAccess`, `allowedFqdnList`, `capabilities[]{name,value}`, `userOwnedStorage[]{resourceId,
identityClientId}`, `encryption{keySource (Microsoft.CognitiveServices | Microsoft.KeyVault), keyVaultProperties{keyName,keyVersion,keyVaultUri,identityClientId}}`, `privateEndpointConnections`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import norm_uri, scopes_of
from archgen.model.relations import Relation
from archgen.model.types.blocklists import BlocklistUse, parse_blocklists
from archgen.model.types.cognitive_icons import ACCOUNT_ICON, KIND_ICONS
from archgen.model.types.common import (
    ManagedIdentity,
    NetworkAcls,
    PrivateEndpointConnection,
    acls_from,
    identity_from,
    pe_connections_from,
)
from archgen.model.types.foundry import AccountFoundry, account_foundry_from, agent_refs
from archgen.model.types.spec import (
    GOVERNANCE,
    Lookup,
    Ref,
    RefIndex,
    ResourceType,
    cmk_ref,
    common_refs,
    principals_of,
)

TYPE = "microsoft.cognitiveservices/accounts"
# Model deployments are child resources read through ARM (`{account}/deployments?api-version=2024-10-01`);
# Resource Graph does not hold them. `sku.name` is the deployment type, which decides where prompts and
# completions are processed: https://learn.microsoft.com/azure/ai-services/openai/how-to/deployment-types
DEPLOYMENT = "microsoft.cognitiveservices/accounts/deployments"
# sku.name (lower-case) -> where inference data is processed (data at rest stays in the geography; same page).
PROCESSING_SCOPE: dict[str, str] = {
    "standard": "geography",
    "provisionedmanaged": "geography",
    "datazonestandard": "data zone",
    "datazoneprovisionedmanaged": "data zone",
    "datazonebatch": "data zone",
    "globalstandard": "global",
    "globalprovisionedmanaged": "global",
    "globalbatch": "global",
}
# Kinds that make a workload (case-insensitive). https://learn.microsoft.com/azure/ai-services/openai/how-to/create-resource
WORKLOAD_KINDS = frozenset({"openai", "aiservices"})
# Content filter (RAI) policies are child resources read through ARM (`{account}/raiPolicies`), like
# deployments. Shape from `specification/cognitiveservices/.../stable/2024-10-01/examples/GetRaiPolicy.json`:
# `properties{basePolicyName, mode, contentFilters[]{name, enabled, blocking, severityThreshold, source}}`.
RAI_POLICY = "microsoft.cognitiveservices/accounts/raipolicies"
# The four harm categories of Azure OpenAI content filtering (the `name` of a content filter).
HARM_CATEGORIES = ("hate", "sexual", "selfharm", "violence")
# Policy names Microsoft defines: the default filters, and the name of "no content filter".
DEFAULT_RAI_POLICIES = frozenset({"microsoft.default", "microsoft.defaultv2"})
NO_RAI_POLICY = "microsoft.nil"
SOURCES = ("prompt", "completion")  # RaiPolicyContentSource: Prompt, Completion
# `severityThreshold` (ContentLevel: Low, Medium, High) is the lowest severity a filter acts on: Low filters
# low, medium and high; Medium filters medium and high; High filters only high ("Content filter
# configurability", https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter-configurability,
# ms.date 2026-01-15). Microsoft's default filters the four harm categories at Medium on prompts and
# completions, and user prompt attacks (jailbreak) on prompts ("Default Guardrail policies",
# https://learn.microsoft.com/azure/ai-foundry/openai/concepts/default-safety-policies, ms.date 2025-11-06).
DEFAULT_THRESHOLD = "Medium"
DEFAULT_OR_STRICTER = frozenset({"low", "medium"})
# `mode` (RaiPolicyMode: Default, Deferred, Blocking, Asynchronous_filter; the spec: Asynchronous_filter "is
# the same as 'Deferred' in previous version"). With the asynchronous filter, streamed completion content is
# returned before the filters have judged it ("Content streaming",
# https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-streaming, ms.date 2025-10-16).
ASYNC_MODES = frozenset({"asynchronous_filter", "deferred"})
JAILBREAK = "jailbreak"  # Prompt Shields for user prompt attacks (filter name in the spec examples)
# What one filter does, read from the policy's own values.
BLOCKS = "blocks"  # enabled and blocking; for a harm category, at threshold Low or Medium
RELAXED = "relaxed"  # a harm category at threshold High: only high severity is blocked
ANNOTATE = "annotate only"  # enabled, blocking false: nothing is blocked
OFF = "off"  # enabled false
NOT_SET = "not set"  # the policy does not say (filter absent, or a value missing or not in the spec)


class Deployment(msgspec.Struct, frozen=True):
    """A model deployment of an account."""

    name: str
    sku: str | None  # the deployment type as Azure spells it: GlobalStandard, DataZoneStandard, ...
    model: str | None
    model_version: str | None
    capacity: int | None
    rai_policy: str | None = None  # properties.raiPolicyName as Azure returned it
    version_upgrade_option: str | None = None
    model_format: str | None = None

    @property
    def processing(self) -> str:
        """Where prompts and completions are processed: 'geography', 'data zone', 'global' or 'unknown'."""
        return PROCESSING_SCOPE.get((self.sku or "").lower(), "unknown")


def parse_deployment(row: Mapping[str, object], properties: Mapping[str, object]) -> Deployment:
    return Deployment(
        name=props.get_str(row, "name") or "",
        sku=props.get_str(row, "sku", "name"),
        model=props.get_str(properties, "model", "name"),
        model_version=props.get_str(properties, "model", "version"),
        capacity=props.get_int(row, "sku", "capacity"),
        rai_policy=props.get_str(properties, "raiPolicyName"),
        version_upgrade_option=props.get_str(properties, "versionUpgradeOption"),
        model_format=props.get_str(properties, "model", "format"),
    )


class ContentFilter(msgspec.Struct, frozen=True):
    name: str  # lower-case: hate, sexual, selfharm, violence, jailbreak, ...
    source: str  # lower-case: prompt | completion
    enabled: bool | None
    blocking: bool | None
    severity_threshold: str | None

    @property
    def state(self) -> str:
        """BLOCKS, RELAXED, ANNOTATE, OFF or NOT_SET (thresholds only matter for the harm categories)."""
        if self.enabled is False:
            return OFF
        if self.enabled is None or self.blocking is None:
            return NOT_SET
        if not self.blocking:
            return ANNOTATE
        if self.name not in HARM_CATEGORIES:
            return BLOCKS
        level = (self.severity_threshold or "").lower()
        return BLOCKS if level in DEFAULT_OR_STRICTER else RELAXED if level == "high" else NOT_SET


class FilterSetting(msgspec.Struct, frozen=True):
    """One harm category on one source as a deployment's policy sets it."""

    category: str
    source: str
    state: str
    threshold: str | None  # as Azure spelled it

    @property
    def shown(self) -> str:
        if self.state == BLOCKS:
            return str(self.threshold)
        if self.state == RELAXED:
            return f"{self.threshold} ({self.state})"
        return self.state


class RaiPolicy(msgspec.Struct, frozen=True):
    """A content filter configuration of an account."""

    name: str
    base_policy: str | None
    mode: str | None
    filters: tuple[ContentFilter, ...]
    blocklists: tuple[BlocklistUse, ...] = ()  # the custom blocklists it applies (types/blocklists.py)

    def disabled_harm_filters(self) -> tuple[str, ...]:
        """'<category> (<source>)' for each harm-category filter the policy switches off."""
        return tuple(
            sorted(
                f"{f.name} ({f.source or 'any'})"
                for f in self.filters
                if f.name in HARM_CATEGORIES and f.enabled is False
            )
        )

    def find(self, name: str, source: str) -> ContentFilter | None:
        return next((f for f in self.filters if f.name == name and f.source == source), None)

    def harm_settings(self) -> tuple[FilterSetting, ...]:
        """Each harm category on prompts and completions (NOT_SET where the policy has no filter)."""
        out = []
        for cat in HARM_CATEGORIES:
            for src in SOURCES:
                f = self.find(cat, src)
                out.append(
                    FilterSetting(cat, src, f.state if f else NOT_SET, f.severity_threshold if f else None)
                )
        return tuple(out)

    @property
    def prompt_shields(self) -> str:
        """The state of the jailbreak (user prompt attack) filter on prompts."""
        f = self.find(JAILBREAK, "prompt")
        return f.state if f else NOT_SET

    @property
    def asynchronous(self) -> bool | None:
        return None if self.mode is None else self.mode.lower() in ASYNC_MODES


class DeploymentFilter(msgspec.Struct, frozen=True):
    """A deployment's content filter as the model knows it; evaluators and the site read only this."""

    kind: str  # "default" | "none" (Microsoft.Nil) | "custom" | "not read" | "not set"
    policy: RaiPolicy | None = None

    def harm_settings(self) -> tuple[FilterSetting, ...]:
        if self.policy is not None:
            return self.policy.harm_settings()
        state, level = {"default": (BLOCKS, DEFAULT_THRESHOLD), "none": (OFF, None)}.get(
            self.kind, (NOT_SET, None)
        )
        return tuple(FilterSetting(c, s, state, level) for c in HARM_CATEGORIES for s in SOURCES)

    @property
    def prompt_shields(self) -> str:
        if self.policy is not None:
            return self.policy.prompt_shields
        return {"default": BLOCKS, "none": OFF}.get(self.kind, NOT_SET)

    @property
    def asynchronous(self) -> bool | None:
        if self.policy is not None:
            return self.policy.asynchronous
        return False if self.kind in ("default", "none") else None


def parse_rai_policy(row: Mapping[str, object], properties: Mapping[str, object]) -> RaiPolicy:
    filters = [
        ContentFilter(
            name=(props.get_str(f, "name") or "").lower().replace(" ", "_"),
            source=props.get_enum(f, "source") or "",
            enabled=props.get_bool(f, "enabled"),
            blocking=props.get_bool(f, "blocking"),
            severity_threshold=props.get_str(f, "severityThreshold"),
        )
        for f in props.items(properties, "contentFilters")
    ]
    return RaiPolicy(
        name=props.get_str(row, "name") or "",
        base_policy=props.get_str(properties, "basePolicyName"),
        mode=props.get_str(properties, "mode"),
        filters=tuple(sorted(filters, key=lambda f: (f.name, f.source))),
        blocklists=parse_blocklists(properties),
    )


class Account(msgspec.Struct, frozen=True):
    """The security-relevant settings of an Azure OpenAI / AI Services account."""

    sku: str | None
    custom_subdomain: str | None
    endpoint: str | None
    public_network_access: str | None
    network_acls: NetworkAcls
    disable_local_auth: bool | None
    identity: ManagedIdentity
    key_source: str | None
    key_vault_uri: str | None
    key_name: str | None
    key_version: str | None
    key_identity_client_id: str | None
    restrict_outbound: bool | None
    allowed_fqdns: tuple[str, ...]
    capabilities: tuple[tuple[str, str], ...]
    user_owned_storage: tuple[str, ...]
    private_endpoint_connections: tuple[PrivateEndpointConnection, ...]
    deployments: tuple[Deployment, ...] = ()
    deployments_collected: bool = False  # whether the input says which deployments exist
    rai_policies: tuple[RaiPolicy, ...] = ()  # custom content filter policies read with the deployments
    foundry: AccountFoundry | None = None  # projects, connections, agent subnet (types/foundry.py)

    def content_filter(self, d: Deployment) -> DeploymentFilter:
        """The content filter `d` names: Microsoft's default, none, a custom policy, or not known."""
        name = (d.rai_policy or "").lower()
        if not name:
            return DeploymentFilter("not set")
        if name in DEFAULT_RAI_POLICIES:
            return DeploymentFilter("default")
        if name == NO_RAI_POLICY:
            return DeploymentFilter("none")
        policy = next((p for p in self.rai_policies if p.name.lower() == name), None)
        return DeploymentFilter("custom", policy) if policy else DeploymentFilter("not read")

    def capability(self, name: str) -> str | None:
        low = name.lower()
        for key, value in self.capabilities:
            if key.lower() == low:
                return value
        return None


_ROW, _ENCRYPTION = props.Fields("sku", "identity"), props.Fields("keySource", "keyVaultProperties")
_PROPERTIES = props.Fields(
    "encryption", "capabilities", "userOwnedStorage", "customSubDomainName", "endpoint", "publicNetworkAccess",
    "networkAcls", "disableLocalAuth", "restrictOutboundNetworkAccess", "allowedFqdnList",
    "privateEndpointConnections", "allowProjectManagement", "networkInjections",
)  # fmt: skip
_KEY_VAULT = props.Fields("identityClientId", "keyVaultUri", "keyName", "keyVersion")


def parse(row: Mapping[str, object], properties: Mapping[str, object]) -> Account:
    sku, ident = _ROW(row)
    enc, cap, own, sub, ep, pna, acls, local, out, fqdns, pecs, apm, inj = _PROPERTIES(properties)
    key_source, kvp = _ENCRYPTION(enc)
    client_id, uri, key_name, key_version = map(props.as_str, _KEY_VAULT(kvp))
    caps = [
        (n, props.get_str(c, "value") or "") for c in props.as_maps(cap) if (n := props.get_str(c, "name"))
    ]
    owned = {i for s in props.as_maps(own) if (i := props.ref_id(s, "resourceId"))}
    return Account(
        sku=props.get_str(sku, "name"),
        custom_subdomain=(sub.lower() if (sub := props.as_str(sub)) else None),
        endpoint=props.as_str(ep),
        public_network_access=props.as_enum(pna),
        network_acls=acls_from(acls),
        disable_local_auth=props.as_bool(local),
        identity=identity_from(ident),
        key_source=props.as_enum(key_source),
        key_vault_uri=norm_uri(uri) if uri else None,
        key_name=key_name,
        key_version=key_version,
        key_identity_client_id=client_id.lower() if client_id else None,
        restrict_outbound=props.as_bool(out),
        allowed_fqdns=props.as_strings(fqdns),
        capabilities=tuple(sorted(caps)),
        user_owned_storage=tuple(sorted(owned)),
        private_endpoint_connections=pe_connections_from(pecs),
        foundry=account_foundry_from(apm, inj),
    )


def references(node_id: str, a: Account, index: RefIndex) -> Iterable[Ref]:
    refs = common_refs(node_id, a)  # a list, extended in place (no generator per block)
    if a.key_source == "microsoft.keyvault" and a.key_vault_uri:
        who = "system"
        if a.key_identity_client_id:
            found = index.uami_for_client(a.key_identity_client_id)
            who = found or f"client id {a.key_identity_client_id} (not in the input)"
        refs.append(cmk_ref(node_id, a.key_vault_uri, a.key_name, a.key_version, who, index))
    refs.extend([Ref(node_id, Relation.STORES_DATA_IN, st) for st in a.user_owned_storage])
    if a.foundry is not None and a.foundry.agent_subnets:
        refs.extend(agent_refs(node_id, a.foundry))
    return refs


R = Relation
SPEC = ResourceType(
    arm_type=TYPE,
    label="Azure OpenAI / AI Services account",
    noun="Account",
    parse=parse,
    references=references,
    walk=(
        (R.PRIVATE_ENDPOINT_OF, "in"),
        (R.CMK_KEY_IN, "out"),
        (R.USES_IDENTITY, "out"),
        (R.STORES_DATA_IN, "out"),
        (R.NETWORK_RULE_ALLOWS, "out"),
        (R.DIAGNOSTICS_TO, "out"),
        (R.TRUSTED_ACCESS_FROM, "in"),
        (R.ROLE_ASSIGNMENT, "out"),
        (R.SHARED_PRIVATE_LINK_TO, "in"),
        (R.PROJECT_OF, "in"),
        (R.CONNECTS_TO, "out"),
        (R.FRONTS, "in"),
        (R.CALLS, "in"),
        (R.AGENTS_IN_SUBNET, "out"),
        (R.HUB_CONNECTS_TO, "in"),
    ),
    lookups=(
        Lookup("role_assignments_by_principal", lambda _i, a: principals_of(a)),
        Lookup("role_assignments_by_scope", lambda account_id, _a: scopes_of(account_id)),
        Lookup("search_services_by_shared_link", lambda account_id, _a: (account_id,)),
        Lookup("gateways_by_subscription", lambda account_id, _a: (account_id.split("/")[2],)),
        Lookup("hubs_by_subscription", lambda account_id, _a: (account_id.split("/")[2],)),
        *GOVERNANCE,
    ),
    diagnosable=True,
    role_target=True,
    icon=ACCOUNT_ICON,
    kind_icons=KIND_ICONS,
)
