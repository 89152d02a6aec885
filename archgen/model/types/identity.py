"""Managed identities (`microsoft.managedidentity/userassignedidentities`) and role assignments.

Property names: `specification/msi/resource-manager/Microsoft.ManagedIdentity/stable/2023-01-31/ManagedIdentity.json`
(`clientId`, `principalId`, `tenantId`); role assignments as Resource Graph's `authorizationresources`
table holds them, `specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/
authorization-RoleAssignmentsCalls.json` (`properties{principalId,principalType,roleDefinitionId,scope}`).
Built-in role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from archgen.model import props
from archgen.model.ids import norm_id
from archgen.model.relations import Relation
from archgen.model.types.spec import IconRef, Lookup, ResourceType

USER_ASSIGNED_IDENTITY = "microsoft.managedidentity/userassignedidentities"
ROLE_ASSIGNMENT = "microsoft.authorization/roleassignments"

# Built-in role definition GUIDs (lower-case) -> name, from the built-in roles page above.
BUILTIN_ROLES: dict[str, str] = {
    "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
    "14b46e9e-c2b7-41b4-b07b-48a6ebf60603": "Key Vault Crypto Officer",
    "12338af0-0e69-4776-bea7-57ae8d297424": "Key Vault Crypto User",
    "e147488a-f6f5-4113-8e2d-b22465e65bf6": "Key Vault Crypto Service Encryption User",
    "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
    "21090545-7ca7-4776-b22c-e363652d74d2": "Key Vault Reader",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "Cognitive Services OpenAI User",
    "a001fd3d-188f-4b5d-821b-7da978bf7442": "Cognitive Services OpenAI Contributor",
    "a97b65f3-24c7-4388-baec-2e87135dc908": "Cognitive Services User",
    "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68": "Cognitive Services Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
    # Foundry built-in roles: "Role-based access control for Microsoft Foundry"
    # (https://learn.microsoft.com/azure/ai-foundry/concepts/rbac-azure-ai-foundry, ms.date 11/18/2025)
    "53ca6127-db72-4b80-b1b0-d745d6d5456d": "Azure AI User",
    "eadc314b-1a2d-4efa-be10-5d325db5065e": "Azure AI Project Manager",
    "e47c6f54-e4a2-4754-9501-8e0985b135e1": "Azure AI Account Owner",
    # built-in-roles/ai-machine-learning.md (ms.date 12/12/2024): "Azure AI Developer"
    "64702f94-c441-49e6-a78b-ef80e0188fee": "Azure AI Developer",
}

# What a role grants on an Azure OpenAI / AI Services account, from the roles' Actions and DataActions
# (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning, source
# MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/ai-machine-learning.md, ms.date
# 12/12/2024; .../built-in-roles/general.md and privileged.md for Owner, Contributor, User Access
# Administrator and Role Based Access Control Administrator):
# - call the model: DataActions `Microsoft.CognitiveServices/accounts/OpenAI/*` or `Microsoft.CognitiveServices/*`
# - change deployments: Actions writing `Microsoft.CognitiveServices/accounts/deployments` (or `*`)
# - read keys: Action `Microsoft.CognitiveServices/accounts/listKeys/action` (or `*`, `Microsoft.CognitiveServices/*`)
# - manage access: `Microsoft.Authorization/roleAssignments/write` (or `*` without the NotActions Contributor has)
CALL, DEPLOY, KEYS, ACCESS = "call the model", "change deployments", "read keys", "manage access"
GRANT_ORDER = (CALL, DEPLOY, KEYS, ACCESS)
ROLE_GRANTS: dict[str, frozenset[str]] = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": frozenset({DEPLOY, KEYS, ACCESS}),  # Owner: Actions *
    "b24988ac-6180-42a0-ab88-20f7382dd24c": frozenset(
        {DEPLOY, KEYS}
    ),  # Contributor: * but Authorization writes
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": frozenset({ACCESS}),  # User Access Administrator: Authorization/*
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": frozenset({ACCESS}),  # RBAC Administrator: roleAssignments write
    "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68": frozenset({DEPLOY, KEYS}),  # Cognitive Services Contributor
    "a001fd3d-188f-4b5d-821b-7da978bf7442": frozenset(
        {CALL, DEPLOY}
    ),  # Cognitive Services OpenAI Contributor
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": frozenset({CALL}),  # Cognitive Services OpenAI User
    "a97b65f3-24c7-4388-baec-2e87135dc908": frozenset({CALL, KEYS}),  # Cognitive Services User (listkeys)
    # Foundry roles (page above): Azure AI User has DataActions Microsoft.CognitiveServices/* and the Action
    # accounts/listkeys/action; Project Manager DataActions Microsoft.CognitiveServices/* and
    # roleAssignments/write under a condition (only Azure AI User); Account Owner Actions
    # Microsoft.CognitiveServices/* and the same conditioned roleAssignments/write. The condition is not
    # evaluated: the conditioned write counts as managing access.
    "53ca6127-db72-4b80-b1b0-d745d6d5456d": frozenset({CALL, KEYS}),
    "eadc314b-1a2d-4efa-be10-5d325db5065e": frozenset({CALL, ACCESS}),
    "e47c6f54-e4a2-4754-9501-8e0985b135e1": frozenset({DEPLOY, KEYS, ACCESS}),
    # Azure AI Developer (ai-machine-learning.md above): DataActions accounts/OpenAI/*, SpeechServices/*,
    # ContentSafety/*; its Actions are MachineLearningServices workspaces, Authorization/*/read and
    # Resources/deployments/*: no Microsoft.CognitiveServices action (no listKeys, no deployment writes).
    "64702f94-c441-49e6-a78b-ef80e0188fee": frozenset({CALL}),
}

# properties.principalType, the PrincipalType enum of authorization-RoleAssignmentsCalls.json (2022-04-01).
PRINCIPAL_TYPES = ("User", "Group", "ServicePrincipal", "ForeignGroup", "Device")


def grants_of(role_definition_id: str) -> tuple[str, ...] | None:
    """What the role grants on an account, in GRANT_ORDER; () for a built-in role that grants none of it
    (Reader, the Key Vault and Storage roles); None for a role archgen does not know (a custom role)."""
    grants = ROLE_GRANTS.get(role_definition_id)
    if grants is None:
        return () if role_definition_id in BUILTIN_ROLES else None
    return tuple(g for g in GRANT_ORDER if g in grants)


def principal_type(value: str | None) -> str:
    """The principal type as the enum spells it (compared case-insensitively); 'Unknown' otherwise."""
    low = (value or "").lower()
    return next((t for t in PRINCIPAL_TYPES if t.lower() == low), "Unknown")


# Roles whose data actions include keys/wrapKey and keys/unwrapKey (the CMK chain needs them).
KEY_CRYPTO_ROLES = frozenset(
    {
        "e147488a-f6f5-4113-8e2d-b22465e65bf6",
        "12338af0-0e69-4776-bea7-57ae8d297424",
        "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
        "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    }
)


class UserAssignedIdentity(msgspec.Struct, frozen=True):
    client_id: str | None
    principal_id: str | None


def parse_user_assigned(row: Mapping[str, object], properties: Mapping[str, object]) -> UserAssignedIdentity:
    cid = props.get_str(properties, "clientId")
    pid = props.get_str(properties, "principalId")
    return UserAssignedIdentity(
        client_id=cid.lower() if cid else None, principal_id=pid.lower() if pid else None
    )


class RoleAssignment(msgspec.Struct, frozen=True):
    id: str
    principal_id: str
    principal_type: str | None
    role_definition_id: str  # the trailing GUID, lower-case
    scope: str


_ROLE_ASSIGNMENT = props.Fields("principalId", "roleDefinitionId", "scope", "principalType")


def parse_role_assignment(rid: str, properties: Mapping[str, object]) -> RoleAssignment | None:
    principal, role, scope, kind = _ROLE_ASSIGNMENT(properties)
    principal, role, scope = props.as_str(principal), props.as_str(role), norm_id(scope)
    if not principal or not role or not scope:
        return None
    return RoleAssignment(
        id=rid,
        principal_id=principal.lower(),
        principal_type=props.as_str(kind),
        role_definition_id=role.lower().rstrip("/").rsplit("/", 1)[-1],
        scope=scope,
    )


SPEC = ResourceType(
    arm_type=USER_ASSIGNED_IDENTITY,
    label="Managed identity (user-assigned)",
    noun="Managed identity",
    parse=parse_user_assigned,
    walk=((Relation.ROLE_ASSIGNMENT, "out"),),
    lookups=(
        Lookup("role_assignments_by_principal", lambda _i, u: (u.principal_id,) if u.principal_id else ()),
    ),
    icon=IconRef(
        "diagrams.azure.identity", "ManagedIdentities", "identity/Managed_Identities.svg", "Managed identity"
    ),
)
