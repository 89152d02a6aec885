"""Role definitions (`microsoft.authorization/roledefinitions`) and what a custom role grants on an account.

Resource Graph holds role definitions in its `authorizationresources` table
(https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources#authorizationresources).
Property paths from `specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/
authorization-RoleDefinitionsCalls.json` (example GetRoleDefinitionById.json): `name` (the role's GUID),
`properties{roleName,type,assignableScopes,permissions[]{actions,notActions,dataActions,notDataActions}}`.
"Understand Azure role definitions" (https://learn.microsoft.com/azure/role-based-access-control/role-definitions,
version read ms.date 08/19/2022): the role type is `CustomRole` for custom roles and `BuiltInRole` for built-in
ones; "the wildcard character grants access to all actions that match the string"; "Actions - NotActions =
Effective control plane permissions", and likewise DataActions - NotDataActions. Strings compare
case-insensitively.

A grant is decided by one representative operation per grant class (`REPRESENTATIVE`), matched against the
role's effective permissions:
- call the model: the data action `Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action`
  (the data action Azure OpenAI names when it refuses a chat completion; under the
  `Microsoft.CognitiveServices/accounts/OpenAI/*` data actions of Cognitive Services OpenAI User);
- change deployments: `Microsoft.CognitiveServices/accounts/deployments/write`;
- read keys: `Microsoft.CognitiveServices/accounts/listKeys/action`;
- manage access: `Microsoft.Authorization/roleAssignments/write`.
A condition on the role (`condition`) is not evaluated: a conditioned grant counts as a grant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import msgspec

from archgen.model import props
from archgen.model.types.identity import ACCESS, CALL, DEPLOY, GRANT_ORDER, KEYS

ROLE_DEFINITION = "microsoft.authorization/roledefinitions"
CALL_DATA_ACTION = "microsoft.cognitiveservices/accounts/openai/deployments/chat/completions/action"
# grant -> (operation, is a data action)
REPRESENTATIVE: dict[str, tuple[str, bool]] = {
    CALL: (CALL_DATA_ACTION, True),
    DEPLOY: ("microsoft.cognitiveservices/accounts/deployments/write", False),
    KEYS: ("microsoft.cognitiveservices/accounts/listkeys/action", False),
    ACCESS: ("microsoft.authorization/roleassignments/write", False),
}


class Permission(msgspec.Struct, frozen=True):
    actions: tuple[str, ...]  # lower-case
    not_actions: tuple[str, ...]
    data_actions: tuple[str, ...]
    not_data_actions: tuple[str, ...]


class RoleDefinition(msgspec.Struct, frozen=True):
    guid: str  # lower-case
    role_name: str
    custom: bool  # properties.type CustomRole
    permissions: tuple[Permission, ...]
    assignable_scopes: tuple[str, ...]


def _lower(obj: object, key: str) -> tuple[str, ...]:
    return tuple(s.lower() for s in props.strings(obj, key))


def parse_role_definition(row: Mapping[str, object]) -> RoleDefinition | None:
    """A role definition row; None without a GUID name."""
    guid = (props.get_str(row, "name") or "").lower()
    if not guid:
        return None
    properties = props.get(row, "properties")
    perms = tuple(
        Permission(
            _lower(p, "actions"),
            _lower(p, "notActions"),
            _lower(p, "dataActions"),
            _lower(p, "notDataActions"),
        )
        for p in props.items(properties, "permissions")
    )
    return RoleDefinition(
        guid=guid,
        role_name=props.get_str(properties, "roleName") or "",
        custom=(props.get_str(properties, "type") or "").lower() == "customrole",
        permissions=perms,
        assignable_scopes=_lower(properties, "assignableScopes"),
    )


@lru_cache(maxsize=4096)
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.lower().split("*")), re.DOTALL)


def matches(pattern: str, operation: str) -> bool:
    """Whether an action pattern (with `*` wildcards) covers an operation, case-insensitively."""
    return _pattern(pattern).fullmatch(operation.lower()) is not None


def allows(definition: RoleDefinition, operation: str, data: bool) -> list[str]:
    """The patterns of `definition` that grant `operation` after their block's exclusions ([] = not granted)."""
    found: list[str] = []
    for p in definition.permissions:
        grants, excludes = (p.data_actions, p.not_data_actions) if data else (p.actions, p.not_actions)
        if any(matches(x, operation) for x in excludes):
            continue
        found.extend(g for g in grants if matches(g, operation))
    return sorted(set(found))


def grants_of_definition(definition: RoleDefinition) -> tuple[str, ...]:
    """What the role grants on an account, in GRANT_ORDER."""
    return tuple(g for g in GRANT_ORDER if allows(definition, *REPRESENTATIVE[g]))


def wildcard_call(definition: RoleDefinition) -> list[str]:
    """The wildcard data actions through which the role lets its holder call the model."""
    return [p for p in allows(definition, CALL_DATA_ACTION, True) if "*" in p]
