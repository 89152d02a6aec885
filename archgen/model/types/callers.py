"""Known callers of the model: App Service / Functions apps (`microsoft.web/sites`) and Container Apps
(`microsoft.app/containerapps`) whose managed identity holds a call-the-model role on the account.

Both types are in Resource Graph's `resources` table
(https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources) with the
ARM `identity` block (`specification/common-types/resource-management/v5/managedidentity.json`: `type`,
`principalId`, `userAssignedIdentities`). Only the identity, the kind and the default host name
(`properties.defaultHostName` of a site, `properties.configuration.ingress.fqdn` of a container app) are
read: app settings, which may hold secrets, are never read (Resource Graph does not hold them either).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from archgen.model import props
from archgen.model.types.common import ManagedIdentity, parse_identity
from archgen.model.types.spec import IconRef, Ref, RefIndex, ResourceType, identity_refs

WEB_SITE = "microsoft.web/sites"
CONTAINER_APP = "microsoft.app/containerapps"


class App(msgspec.Struct, frozen=True):
    """An application that may call the model: its identity and where it answers."""

    host: str | None  # lower-case default host name / ingress FQDN
    identity: ManagedIdentity


def parse_site(row: Mapping[str, object], properties: Mapping[str, object]) -> App:
    host = props.get_str(properties, "defaultHostName")
    return App(host=host.lower() if host else None, identity=parse_identity(row))


def parse_container_app(row: Mapping[str, object], properties: Mapping[str, object]) -> App:
    host = props.get_str(properties, "configuration", "ingress", "fqdn")
    return App(host=host.lower() if host else None, identity=parse_identity(row))


def app_references(node_id: str, a: App, index: RefIndex) -> Iterable[Ref]:
    yield from identity_refs(node_id, a)


WEB_SITE_SPEC = ResourceType(
    arm_type=WEB_SITE,
    label="App Service / Functions app",
    noun="App",
    parse=parse_site,
    references=app_references,
    icon=IconRef("diagrams.azure.web", "AppServices", None, "App Service"),
    kind_icons={
        "functionapp": IconRef("diagrams.azure.compute", "FunctionApps", None, "Functions app"),
        "functionapp,linux": IconRef("diagrams.azure.compute", "FunctionApps", None, "Functions app"),
    },
)
CONTAINER_APP_SPEC = ResourceType(
    arm_type=CONTAINER_APP,
    label="Container App",
    noun="Container App",
    parse=parse_container_app,
    references=app_references,
    icon=IconRef("diagrams.azure.compute", "ContainerApps", None, "Container App"),
)
