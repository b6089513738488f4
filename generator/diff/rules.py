"""The rules of ``clientgen diff``: a stable id, a level for the client's users, a description.

Ids are oasdiff's where oasdiff has the rule (marked ``oasdiff=True``); the
level is ours, judged for the people who call the generated client rather
than for the wire. The principle: a request breaks when it narrows (a call
that worked is refused, or an argument disappears), a response breaks when it
widens (the client's models refuse or mistype what comes back); a schema used
in both directions takes the worse of the two. Response enums of two or more
values are open: the pydantic models derive them from the runtime's
``OpenEnum``, which keeps a value it does not know, so a new value only warns
(code that matches on every member may miss it); a single value (a ``const``,
typed as a ``Literal``) is closed and widening it is breaking.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from generator.diff.schema import BOUNDS


class Level(IntEnum):
    INFO = 0
    WARNING = 1
    BREAKING = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    description: str
    oasdiff: bool = False


_B, _W, _I = Level.BREAKING, Level.WARNING, Level.INFO

_TABLE: tuple[tuple[str, Level, bool, str], ...] = (
    # operations
    ("endpoint-added", _I, True, "new method"),
    ("api-removed-without-deprecation", _B, True, "method removed without being deprecated first"),
    ("api-removed-with-deprecation", _W, True, "deprecated method removed"),
    ("api-path-removed-without-deprecation", _B, True, "path and its methods removed without deprecation"),
    ("api-path-removed-with-deprecation", _W, True, "deprecated path and its methods removed"),
    ("endpoint-deprecated", _I, True, "method deprecated"),
    ("endpoint-deprecated-with-sunset", _I, True, "method deprecated with a sunset date"),
    ("endpoint-reactivated", _I, True, "method no longer deprecated"),
    ("method-renamed", _B, False, "method renamed (operationId or tag changed): callers of the old name break"),
    ("endpoint-route-changed", _I, False, "method keeps its name but calls another HTTP route"),
    # parameters
    ("new-required-request-parameter", _B, True, "new required argument"),
    ("new-request-path-parameter", _B, True, "new path argument"),
    ("new-optional-request-parameter", _I, True, "new optional argument"),
    ("request-parameter-removed", _B, True, "argument removed: calls that pass it break"),
    ("request-parameter-removed-with-deprecation", _W, True, "deprecated argument removed"),
    ("request-parameter-became-required", _B, True, "argument became required"),
    ("request-parameter-became-optional", _I, True, "argument became optional"),
    # request body
    ("request-body-added-required", _B, True, "method now needs a request body"),
    ("request-body-added-optional", _I, True, "method takes an optional request body"),
    ("request-body-removed", _B, True, "request body removed: its arguments disappear"),
    ("request-body-became-required", _B, True, "request body became required"),
    ("request-body-became-optional", _I, True, "request body became optional"),
    ("new-required-request-property", _B, True, "new required field in a request"),
    ("new-optional-request-property", _I, True, "new optional field in a request"),
    ("request-property-removed", _B, True, "request field removed: calls that pass it break"),
    ("request-property-removed-with-deprecation", _W, False, "deprecated request field removed"),
    ("request-property-became-required", _B, True, "request field became required"),
    ("request-property-became-optional", _I, True, "request field became optional"),
    # responses
    ("response-required-property-added", _I, True, "new field in a response"),
    ("response-optional-property-added", _I, True, "new optional field in a response"),
    ("response-required-property-removed", _B, True, "response field removed"),
    ("response-optional-property-removed", _B, True, "optional response field removed: code reading it breaks"),
    ("response-property-became-optional", _B, True, "response field may now be absent"),
    ("response-property-became-required", _I, True, "response field is now always present"),
    (
        "response-optional-property-became-nullable",
        _I,
        False,
        "optional response field may now be null (the client already reads it as optional)",
    ),
    ("response-success-status-changed", _W, False, "the success status of a method changed"),
    (
        "response-body-kind-changed",
        _B,
        False,
        "a method returns another kind of body (JSON, text, bytes, none, stream)",
    ),
    (
        "response-became-paginated",
        _B,
        False,
        "a method returns a page (iterate it for every item) instead of the list body",
    ),
    ("response-no-longer-paginated", _B, False, "a method returns the list body instead of a page"),
    ("response-pagination-changed", _I, False, "a paginated method pages another way (style, parameter or list field)"),
    # models
    ("model-renamed", _B, False, "model class renamed: imports of the old name break"),
    ("model-added", _I, False, "new model class"),
    ("model-removed", _W, False, "model class removed: imports of it break"),
    (
        "literal-opened",
        _I,
        False,
        "a field's Literal also takes other values now: its model is returned by a method (a response may bring more)",
    ),
    (
        "literal-closed",
        _B,
        False,
        "a field's Literal takes only its values now: its model is no longer returned by any method",
    ),
    # auth, servers, info
    ("auth-changed", _B, False, "the client authenticates differently"),
    ("api-security-component-added", _I, True, "security scheme added"),
    ("api-security-component-removed", _I, True, "security scheme removed"),
    ("api-security-added", _I, True, "method now requires authentication"),
    ("api-security-removed", _I, True, "method no longer requires authentication"),
    ("servers-changed", _W, False, "default server changed: clients without an explicit base URL call elsewhere"),
    ("servers-list-changed", _I, False, "other servers added or removed"),
    ("api-version-changed", _I, False, "info.version changed"),
)

# Schema changes: the same kinds in each scope; the level depends on the direction.
_SCOPES = {
    "request-parameter": "request",
    "request-property": "request",
    "request-body": "request",
    "response-property": "response",
    "response-body": "response",
}
_KINDS: dict[str, tuple[Level, Level, str]] = {
    # kind: (level in a request, level in a response, description)
    "type-changed": (_B, _B, "type changed"),
    "type-generalized": (_I, _B, "type widened"),
    "type-specialized": (_B, _I, "type narrowed"),
    "became-nullable": (_I, _B, "may now be null"),
    "became-not-nullable": (_B, _I, "may no longer be null"),
    "enum-value-added": (_I, _W, "enum value added (the open enum parses it; code may not handle it)"),
    "closed-enum-value-added": (_I, _B, "value added where one constant was allowed (a Literal)"),
    "enum-value-removed": (_B, _I, "enum value removed"),
    "became-enum": (_B, _I, "restricted to an enum"),
    "union-variant-added": (_I, _W, "new variant of a tagged union (the models keep an unknown variant as a dict)"),
    "pattern-added": (_B, _I, "must match a pattern now"),
    "pattern-removed": (_I, _B, "no longer needs to match a pattern"),
    "pattern-changed": (_B, _B, "pattern changed"),
    # A format the models validate changes the Python type (str → datetime, UUID, AnyUrl ...).
    "format-added": (_B, _W, "validated format added (the field's Python type changes)"),
    "format-removed": (_I, _B, "validated format removed"),
    "format-changed": (_B, _B, "validated format changed"),
}
# Constraints: a request breaks when it narrows, a response when it widens (the models enforce both).
for _keyword, _stem, _upper in BOUNDS:
    _name = _stem.replace("-", " ")
    _narrow = ("set", "decreased") if _upper else ("set", "increased")
    for _change in ("set", "unset", "increased", "decreased"):
        _narrows = _change in _narrow
        _KINDS[f"{_stem}-{_change}"] = (_B if _narrows else _I, _I if _narrows else _B, f"{_keyword} {_change}")
# Schema rule ids that oasdiff also has (checked against its rule list by tests/gen/diff/test_rules.py).
_OASDIFF_SCHEMA_IDS = frozenset(
    {
        "request-body-became-enum", "request-body-became-not-nullable", "request-body-became-nullable", "request-body-enum-value-removed",
        "request-body-exclusive-max-decreased", "request-body-exclusive-max-increased", "request-body-exclusive-max-set",
        "request-body-exclusive-min-decreased", "request-body-exclusive-min-increased", "request-body-exclusive-min-set",
        "request-body-max-decreased", "request-body-max-increased", "request-body-max-length-decreased", "request-body-max-length-increased",
        "request-body-max-length-set", "request-body-max-set", "request-body-min-decreased", "request-body-min-increased",
        "request-body-min-items-increased", "request-body-min-items-set", "request-body-min-length-decreased", "request-body-min-length-increased",
        "request-body-min-set", "request-body-type-changed", "request-body-type-generalized", "request-parameter-became-enum",
        "request-parameter-became-not-nullable", "request-parameter-became-nullable", "request-parameter-enum-value-added",
        "request-parameter-enum-value-removed", "request-parameter-exclusive-max-decreased", "request-parameter-exclusive-max-increased",
        "request-parameter-exclusive-max-set", "request-parameter-exclusive-min-decreased", "request-parameter-exclusive-min-increased",
        "request-parameter-exclusive-min-set", "request-parameter-max-decreased", "request-parameter-max-increased",
        "request-parameter-max-items-decreased", "request-parameter-max-items-increased", "request-parameter-max-length-decreased",
        "request-parameter-max-length-increased", "request-parameter-max-length-set", "request-parameter-max-set", "request-parameter-min-decreased",
        "request-parameter-min-increased", "request-parameter-min-items-decreased", "request-parameter-min-items-increased",
        "request-parameter-min-items-set", "request-parameter-min-length-decreased", "request-parameter-min-length-increased",
        "request-parameter-min-set", "request-parameter-pattern-added", "request-parameter-pattern-changed", "request-parameter-pattern-removed",
        "request-parameter-type-changed", "request-parameter-type-generalized", "request-property-became-enum",
        "request-property-became-not-nullable", "request-property-became-nullable", "request-property-enum-value-added",
        "request-property-enum-value-removed", "request-property-exclusive-max-decreased", "request-property-exclusive-max-increased",
        "request-property-exclusive-max-set", "request-property-exclusive-min-decreased", "request-property-exclusive-min-increased",
        "request-property-exclusive-min-set", "request-property-max-decreased", "request-property-max-increased",
        "request-property-max-length-decreased", "request-property-max-length-increased", "request-property-max-length-set",
        "request-property-max-set", "request-property-min-decreased", "request-property-min-increased", "request-property-min-items-increased",
        "request-property-min-items-set", "request-property-min-length-decreased", "request-property-min-length-increased",
        "request-property-min-set", "request-property-pattern-added", "request-property-pattern-changed", "request-property-pattern-removed",
        "request-property-type-changed", "request-property-type-generalized", "response-body-became-not-nullable", "response-body-became-nullable",
        "response-body-exclusive-max-increased", "response-body-exclusive-min-decreased", "response-body-max-increased",
        "response-body-max-length-increased", "response-body-max-length-unset", "response-body-min-decreased", "response-body-min-items-decreased",
        "response-body-min-items-unset", "response-body-min-length-decreased", "response-body-type-changed", "response-body-type-generalized",
        "response-body-type-specialized", "response-property-became-not-nullable", "response-property-became-nullable",
        "response-property-enum-value-added", "response-property-enum-value-removed", "response-property-exclusive-max-increased",
        "response-property-exclusive-min-decreased", "response-property-max-increased", "response-property-max-length-increased",
        "response-property-max-length-unset", "response-property-min-decreased", "response-property-min-items-decreased",
        "response-property-min-items-unset", "response-property-min-length-decreased", "response-property-pattern-added",
        "response-property-pattern-changed", "response-property-pattern-removed", "response-property-type-changed",
        "response-property-type-generalized", "response-property-type-specialized",
    }
)  # fmt: skip


def _schema_rules() -> list[Rule]:
    rules = []
    for scope, direction in _SCOPES.items():
        for kind, (request_level, response_level, description) in _KINDS.items():
            rule_id = f"{scope}-{kind}"
            level = request_level if direction == "request" else response_level
            where = scope.replace("-", " ")
            rules.append(Rule(rule_id, level, f"{where}: {description}", rule_id in _OASDIFF_SCHEMA_IDS))
    return rules


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        *(Rule(rule_id, level, description, oasdiff) for rule_id, level, oasdiff, description in _TABLE),
        *_schema_rules(),
    )
}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
