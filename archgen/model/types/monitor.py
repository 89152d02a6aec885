"""Diagnostic settings and their destinations (Log Analytics workspaces, Event Hubs namespaces).

Diagnostic settings are an extension resource read through ARM, not Resource Graph:
`{resourceId}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`,
`specification/monitor/resource-manager/Microsoft.Insights/preview/2021-05-01-preview/diagnosticsSettings_API.json`
(`properties{workspaceId,storageAccountId,eventHubAuthorizationRuleId,eventHubName,logs[]{category,
categoryGroup,enabled}}`).
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import norm_id
from archgen.model.types.spec import IconRef, ResourceType

DIAGNOSTIC_SETTING = "microsoft.insights/diagnosticsettings"
WORKSPACE = "microsoft.operationalinsights/workspaces"
EVENTHUB_NAMESPACE = "microsoft.eventhub/namespaces"


class DiagnosticSetting(msgspec.Struct, frozen=True):
    resource_id: str
    name: str
    destinations: tuple[str, ...]
    categories: tuple[str, ...]  # enabled log categories and category groups, lower-case ('audit', 'alllogs')
    groups: tuple[str, ...] = ()  # the enabled category groups alone ('audit' the group, not the category)


_SETTING = props.Fields("workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "logs")
_LOG = props.Fields("enabled", "category", "categoryGroup")


def parse_diagnostic_setting(rid: str, properties: Mapping[str, object]) -> DiagnosticSetting | None:
    marker = "/providers/microsoft.insights/diagnosticsettings/"
    at = rid.find(marker)
    if at <= 0:
        return None
    workspace, storage, rule, logs = _SETTING(properties)  # one read of the keys, most of them absent
    dests = {d for d in (norm_id(workspace), norm_id(storage)) if d}
    if eh := norm_id(rule):
        # .../namespaces/{ns}/authorizationrules/{rule} -> the namespace
        parts = eh.split("/")
        dests.add("/".join(parts[:-2]) if len(parts) > 2 and parts[-2] == "authorizationrules" else eh)
    cats = set()
    groups = set()
    for log in props.as_maps(logs):
        enabled, category, group = _LOG(log)
        if props.as_bool(enabled) is False:
            continue
        if category := props.as_str(category):
            cats.add(category.lower())
        if group := props.as_str(group):
            cats.add(group.lower())
            groups.add(group.lower())
    return DiagnosticSetting(
        resource_id=norm_id(rid[:at]),
        name=rid[at + len(marker) :],
        destinations=tuple(sorted(dests)),
        categories=tuple(sorted(cats)),
        groups=tuple(sorted(groups)),
    )


class Workspace(msgspec.Struct, frozen=True):
    retention_days: int | None
    public_network_access_ingestion: str | None
    public_network_access_query: str | None


def parse_workspace(row: Mapping[str, object], properties: Mapping[str, object]) -> Workspace:
    return Workspace(
        retention_days=props.get_int(properties, "retentionInDays"),
        public_network_access_ingestion=props.get_enum(properties, "publicNetworkAccessForIngestion"),
        public_network_access_query=props.get_enum(properties, "publicNetworkAccessForQuery"),
    )


class EventHubNamespace(msgspec.Struct, frozen=True):
    public_network_access: str | None


def parse_eventhub(row: Mapping[str, object], properties: Mapping[str, object]) -> EventHubNamespace:
    return EventHubNamespace(public_network_access=props.get_enum(properties, "publicNetworkAccess"))


WORKSPACE_SPEC = ResourceType(
    arm_type=WORKSPACE,
    label="Log Analytics workspace",
    noun="Workspace",
    parse=parse_workspace,
    icon=IconRef(
        "diagrams.azure.monitor",
        "LogAnalyticsWorkspaces",
        "analytics/Log_Analytics_Workspaces.svg",
        "Log Analytics workspace",
    ),
)
EVENTHUB_SPEC = ResourceType(
    arm_type=EVENTHUB_NAMESPACE,
    label="Event Hubs namespace",
    noun="Event Hubs namespace",
    parse=parse_eventhub,
    icon=IconRef("diagrams.azure.analytics", "EventHubs", "analytics/Event_Hubs.svg", "Event Hubs namespace"),
)
