"""Azure Policy over the workload (issue 11 §3): assignments on a resource's scope chain, the definitions and
initiatives they assign, exemptions, and the effect each built-in definition has on each resource.

Sources:
- Resource Graph's `policyresources` table holds `microsoft.authorization/policyassignments`,
  `policydefinitions`, `policysetdefinitions`, `policyexemptions` and `microsoft.policyinsights/policystates`
  (https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources#policyresources,
  ms.date 12/20/2021).
- Property names from `specification/resources/resource-manager/Microsoft.Authorization/stable/2023-04-01/`:
  policyAssignments.json (`displayName`, `policyDefinitionId`, `scope`, `notScopes`, `parameters{name:{value}}`,
  `enforcementMode` `Default` | `DoNotEnforce`: DoNotEnforce evaluates but does not enforce the effect),
  policyDefinitions.json (`displayName`, `parameters{name:{defaultValue}}`, `policyRule.then.effect`),
  policySetDefinitions.json (`policyDefinitions[]{policyDefinitionId, policyDefinitionReferenceId,
  parameters{name:{value}}}`); policy exemptions (`preview/2022-07-01-preview/policyExemptions.json`,
  `PolicyExemptionProperties`: `policyAssignmentId`, `policyDefinitionReferenceIds` (for an initiative's
  members), `exemptionCategory` `Waiver` | `Mitigated`, `expiresOn` UTC ISO 8601).
- An assignment applies to its scope and everything below it, except its `notScopes`; an exemption applies to
  the resources at and below the scope it is created at.

Evidence rule: a resource's assignments are "collected" only when the input holds at least one assignment on
its own scope chain (the scope lookup answered for it); an effect is known only when the definition (and the
initiative) that sets it is in the input. `expiresOn` is compared with the input's data-as-of instant
(`PolicyFacts.as_of`, from `archgen.run.as_of_instant`), never with the clock (same input, same bytes): an
exemption expired at that instant is shown expired and does not exempt. Without an instant, or with an
`expiresOn` that is not ISO 8601, an exemption in the input counts as in force.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import msgspec

from archgen.model import props
from archgen.model.ids import norm_id, scopes_of
from archgen.model.scopeindex import ScopeIndex

ASSIGNMENT = "microsoft.authorization/policyassignments"
DEFINITION = "microsoft.authorization/policydefinitions"
SET_DEFINITION = "microsoft.authorization/policysetdefinitions"
EXEMPTION = "microsoft.authorization/policyexemptions"
STATE = "microsoft.policyinsights/policystates"
TYPES = (ASSIGNMENT, DEFINITION, SET_DEFINITION, EXEMPTION, STATE)

# Coverage states of one built-in definition over one resource, strongest first.
ENFORCED, UNKNOWN, DEPLOY, AUDITED, EXEMPT, DISABLED = (
    "enforced (Deny)",
    "unknown",
    "deploy-if-not-exists",
    "audited",
    "exempt",
    "disabled",
)
NOT_ASSIGNED, NOT_COLLECTED = "not assigned", "not collected"
ORDER = (ENFORCED, UNKNOWN, DEPLOY, AUDITED, EXEMPT, DISABLED)
_PARAM = re.compile(r"^\[\s*parameters\(\s*'([^']+)'\s*\)\s*\]$", re.IGNORECASE)


def guid_of(definition_id: str) -> str:
    return norm_id(definition_id).rsplit("/", 1)[-1]


class Assignment(msgspec.Struct, frozen=True):
    id: str
    name: str  # displayName, else name
    scope: str  # lower-case
    definition_id: str  # lower-case
    enforced: bool  # enforcementMode is not DoNotEnforce
    not_scopes: tuple[str, ...]
    parameters: Mapping[str, Any]  # name (lower-case) -> value


class Definition(msgspec.Struct, frozen=True):
    id: str
    name: str
    effect: str | None  # policyRule.then.effect as written (a literal or "[parameters('x')]")
    defaults: Mapping[str, Any]  # parameter name (lower-case) -> defaultValue


class Member(msgspec.Struct, frozen=True):
    definition_id: str
    reference_id: str
    parameters: Mapping[str, Any]  # name (lower-case) -> value as the set writes it


class SetDefinition(msgspec.Struct, frozen=True):
    id: str
    name: str
    members: tuple[Member, ...]
    defaults: Mapping[str, Any]


class Exemption(msgspec.Struct, frozen=True):
    id: str
    scope: str  # the scope it was created at (lower-case)
    assignment_id: str
    reference_ids: tuple[str, ...]  # lower-case; empty = every definition of the assignment
    category: str | None
    expires_on: str | None


class Coverage(msgspec.Struct, frozen=True):
    """One assignment's hold of one built-in definition over one resource."""

    state: str
    assignment: str
    assignment_id: str
    scope: str
    effect: str | None
    via: str | None  # the initiative's name, when the definition is assigned through one
    exemption: Exemption | None = None
    compliance: str | None = (
        None  # complianceState of the resource for this assignment and definition, if read
    )
    expired: bool = False  # the exemption had expired at the data-as-of instant: it does not exempt


def expired(e: Exemption, as_of: datetime | None) -> bool:
    """Whether `expiresOn` (UTC ISO 8601) is at or before `as_of`; False when either is unknown."""
    try:
        at = datetime.fromisoformat(e.expires_on or "")
    except ValueError:
        return False
    return as_of is not None and (at if at.tzinfo else at.replace(tzinfo=UTC)) <= as_of


def _values(raw: object, key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(raw, Mapping):
        for name, item in raw.items():
            if isinstance(name, str) and isinstance(item, Mapping) and key in item:
                out[name.lower()] = item[key]
    return out


def _scope_of(rid: str, marker: str) -> str:
    low = norm_id(rid)
    return low.split(marker, 1)[0] if marker in low else ""


def parse_assignment(rid: str, row: Mapping[str, Any], p: Mapping[str, Any]) -> Assignment:
    scope = norm_id(
        props.get_str(p, "scope") or _scope_of(rid, "/providers/microsoft.authorization/policyassignments/")
    )
    return Assignment(
        id=norm_id(rid),
        name=props.get_str(p, "displayName") or props.get_str(row, "name") or rid.rsplit("/", 1)[-1],
        scope=scope,
        definition_id=norm_id(props.get_str(p, "policyDefinitionId") or ""),
        enforced=(props.get_str(p, "enforcementMode") or "Default").lower() != "donotenforce",
        not_scopes=tuple(sorted(norm_id(s) for s in props.strings(p, "notScopes"))),
        parameters=_values(props.get(p, "parameters"), "value"),
    )


def parse_definition(rid: str, row: Mapping[str, Any], p: Mapping[str, Any]) -> Definition:
    effect = props.get(p, "policyRule", "then", "effect")
    return Definition(
        id=norm_id(rid),
        name=props.get_str(p, "displayName") or props.get_str(row, "name") or guid_of(rid),
        effect=effect if isinstance(effect, str) else None,
        defaults=_values(props.get(p, "parameters"), "defaultValue"),
    )


def parse_set(rid: str, row: Mapping[str, Any], p: Mapping[str, Any]) -> SetDefinition:
    members = tuple(
        Member(
            definition_id=norm_id(props.get_str(m, "policyDefinitionId") or ""),
            reference_id=(props.get_str(m, "policyDefinitionReferenceId") or "").lower(),
            parameters=_values(props.get(m, "parameters"), "value"),
        )
        for m in props.items(p, "policyDefinitions")
    )
    return SetDefinition(
        id=norm_id(rid),
        name=props.get_str(p, "displayName") or props.get_str(row, "name") or guid_of(rid),
        members=members,
        defaults=_values(props.get(p, "parameters"), "defaultValue"),
    )


def parse_exemption(rid: str, p: Mapping[str, Any]) -> Exemption:
    return Exemption(
        id=norm_id(rid),
        scope=_scope_of(rid, "/providers/microsoft.authorization/policyexemptions/"),
        assignment_id=norm_id(props.get_str(p, "policyAssignmentId") or ""),
        reference_ids=tuple(sorted(r.lower() for r in props.strings(p, "policyDefinitionReferenceIds"))),
        category=props.get_str(p, "exemptionCategory"),
        expires_on=props.get_str(p, "expiresOn"),
    )


def state_key(p: Mapping[str, Any]) -> tuple[tuple[str, str, str, str], str] | None:
    """A policy state row's (resource, assignment, definition, reference) key and its complianceState."""
    state = props.get_str(p, "complianceState")
    ids = [
        norm_id(props.get_str(p, k) or "") for k in ("resourceId", "policyAssignmentId", "policyDefinitionId")
    ]
    if not state or not all(ids):
        return None
    reference = (props.get_str(p, "policyDefinitionReferenceId") or "").lower()
    return (ids[0], ids[1], ids[2], reference), state


class PolicyRow(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def row(self) -> Mapping[str, Any]: ...

    @property
    def properties(self) -> Mapping[str, Any]: ...


def _under(resource_id: str, scope: str) -> bool:
    return bool(scope) and (resource_id == scope or resource_id.startswith(scope.rstrip("/") + "/"))


def _resolve(expr: object, *sources: Mapping[str, Any]) -> object:
    """A literal effect, or the value of the parameter an expression names, from the first source that has it."""
    if not isinstance(expr, str):
        return None
    m = _PARAM.match(expr.strip())
    if m is None:
        return expr
    name = m.group(1).lower()
    return next((s[name] for s in sources if name in s), None)


def _state(effect: object, enforced: bool) -> str:
    if not isinstance(effect, str):
        return UNKNOWN
    low = effect.lower()
    if low == "deny":
        return ENFORCED if enforced else AUDITED
    if low in ("deployifnotexists", "modify"):
        return DEPLOY if enforced else AUDITED
    if low in ("audit", "auditifnotexists"):
        return AUDITED
    return DISABLED if low == "disabled" else UNKNOWN


@dataclass(slots=True)
class PolicyFacts:
    """The policy rows of the input, indexed; `coverage` derives one definition's hold over one resource."""

    assignments: tuple[Assignment, ...] = ()
    definitions: dict[str, Definition] = field(default_factory=dict)
    sets: dict[str, SetDefinition] = field(default_factory=dict)
    exemptions: tuple[Exemption, ...] = ()
    mgs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # subscription scope -> management groups
    # (resource id, assignment id, definition id, reference id) -> complianceState, from policy state rows
    compliance: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    as_of: datetime | None = None  # the input's data-as-of instant (aware), against which expiry is judged
    _chains: dict[str, tuple[bool, tuple[Assignment, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _held: ScopeIndex[Exemption] | None = field(default=None, init=False, repr=False, compare=False)
    _scoped: ScopeIndex[Assignment] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def of(
        cls, rows: Iterable[PolicyRow], mgs: Mapping[str, tuple[str, ...]], as_of: datetime | None = None
    ) -> PolicyFacts:
        facts = cls(mgs=dict(mgs), as_of=as_of)
        assignments, exemptions = [], []
        for r in rows:
            if r.type == ASSIGNMENT:
                assignments.append(parse_assignment(r.id, r.row, r.properties))
            elif r.type == DEFINITION:
                facts.definitions.setdefault(norm_id(r.id), parse_definition(r.id, r.row, r.properties))
            elif r.type == SET_DEFINITION:
                facts.sets.setdefault(norm_id(r.id), parse_set(r.id, r.row, r.properties))
            elif r.type == EXEMPTION:
                exemptions.append(parse_exemption(r.id, r.properties))
            elif r.type == STATE and (key := state_key(r.properties)) is not None:
                facts.compliance.setdefault(key[0], key[1])
        facts.assignments = tuple(sorted(assignments, key=lambda a: a.id))
        facts.exemptions = tuple(sorted(exemptions, key=lambda e: e.id))
        return facts

    def scopes(self, resource_id: str) -> tuple[str, ...]:
        """The resource's id and every scope above it, management groups included when their chain was read."""
        own = scopes_of(resource_id)
        sub = next((s for s in own if s.count("/") == 2 and s.startswith("/subscriptions/")), "")
        return own + self.mgs.get(sub, ())

    def collected(self, resource_id: str) -> bool:
        """Whether the input holds an assignment on the resource's own scope chain (its notScopes aside: the
        assignment still shows that the chain's assignments were read)."""
        return self._chain(resource_id)[0]

    def on_chain(self, resource_id: str) -> list[Assignment]:
        """Assignments whose scope is on the resource's chain, minus those whose notScopes hold it."""
        return list(self._chain(resource_id)[1])

    def _chain(self, resource_id: str) -> tuple[bool, tuple[Assignment, ...]]:
        """(`collected`, `on_chain`) of a resource, its scope chain worked out once (issue 14)."""
        found = self._chains.get(resource_id)
        if found is None:
            if self._scoped is None:  # assignments by scope, once (a scan of them all was quadratic)
                self._scoped = ScopeIndex(self.assignments, lambda a: a.scope)
            held = self._scoped.at(self.scopes(resource_id)) if self.assignments else []
            found = self._chains[resource_id] = (
                bool(held),
                tuple(a for a in held if not any(_under(resource_id, n) for n in a.not_scopes)),
            )
        return found

    def coverage(self, resource_id: str, guid: str) -> tuple[Coverage, ...]:
        """Every assignment on the chain that assigns built-in `guid` (directly or through an initiative), with
        its effect over the resource; an initiative that is not in the input yields an `unknown` coverage."""
        out = []
        for a in self._chain(resource_id)[1]:
            if a.definition_id.endswith("/policydefinitions/" + guid):
                out.append(self._direct(resource_id, a))
            elif "/policysetdefinitions/" in a.definition_id:
                out.extend(self._through_set(resource_id, a, guid))
        return tuple(sorted(out, key=lambda c: (ORDER.index(c.state), c.assignment_id)))

    def _exempt(self, resource_id: str, a: Assignment, reference_id: str) -> Exemption | None:
        """The first exemption in force for the resource, else the first expired one (shown as such)."""
        if self._held is None:  # exemptions by scope, once (a scan of every exemption was quadratic)
            self._held = ScopeIndex(self.exemptions, lambda e: e.scope)
        found = [
            e
            for e in self._held.holding(resource_id)
            if e.assignment_id == a.id and (not e.reference_ids or reference_id in e.reference_ids)
        ]
        return next((e for e in found if not expired(e, self.as_of)), found[0] if found else None)

    def _direct(self, resource_id: str, a: Assignment) -> Coverage:
        d = self.definitions.get(a.definition_id)
        effect = _resolve(d.effect, a.parameters, d.defaults) if d is not None else None
        return self._coverage(resource_id, a, effect, None, ("", a.definition_id))

    def _through_set(self, resource_id: str, a: Assignment, guid: str) -> list[Coverage]:
        s = self.sets.get(a.definition_id)
        if s is None:
            return [Coverage(UNKNOWN, a.name, a.id, a.scope, None, "an initiative that is not in the input")]
        out = []
        for m in s.members:
            if not m.definition_id.endswith("/policydefinitions/" + guid):
                continue
            d = self.definitions.get(m.definition_id)
            effect: object = None
            if d is not None:
                inner = _PARAM.match((d.effect or "").strip())
                name = inner.group(1).lower() if inner else ""
                if inner is None:
                    effect = d.effect
                elif name in m.parameters:
                    effect = _resolve(m.parameters[name], a.parameters, s.defaults)
                else:
                    effect = d.defaults.get(name)
            out.append(self._coverage(resource_id, a, effect, s.name, (m.reference_id, m.definition_id)))
        return out

    def _coverage(
        self, rid: str, a: Assignment, effect: object, via: str | None, member: tuple[str, str]
    ) -> Coverage:
        """`member` is (policyDefinitionReferenceId, definition id) of the definition within the assignment."""
        ref, definition_id = member
        shown = effect if isinstance(effect, str) else None
        exemption = self._exempt(rid, a, ref)
        lapsed = exemption is not None and expired(exemption, self.as_of)
        state = EXEMPT if exemption is not None and not lapsed else _state(effect, a.enforced)
        compliance = self.compliance.get((rid, a.id, definition_id, ref))
        return Coverage(state, a.name, a.id, a.scope, shown, via, exemption, compliance, lapsed)


def state_of(coverages: Iterable[Coverage], collected: bool) -> str:
    """The strongest state over the assignments; NOT_ASSIGNED / NOT_COLLECTED when there are none."""
    states = {c.state for c in coverages}
    best = next((s for s in ORDER if s in states), None)
    if best is not None:
        return best
    return NOT_ASSIGNED if collected else NOT_COLLECTED


def wanted_definitions(properties: Mapping[str, Any]) -> tuple[str, ...]:
    """Definition ids a policy row leads discovery to: an assignment's definition or initiative, an initiative's
    member definitions."""
    own = props.get_str(properties, "policyDefinitionId")
    members = (props.get_str(m, "policyDefinitionId") for m in props.items(properties, "policyDefinitions"))
    return tuple(sorted({norm_id(i) for i in (own, *members) if i}))
