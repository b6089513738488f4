"""How ``clientgen diff`` judges a change: the rule (and so the level) for each direction a schema is used in,
then one finding per field or argument (its facets merged) and one per shared parameter (its methods folded).
Pure: changes in, findings out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from generator.diff.finding import Finding
from generator.diff.rules import rule
from generator.diff.schema import (
    BECAME_NULLABLE,
    CLOSED_ENUM_VALUE_ADDED,
    ENUM_VALUE_ADDED,
    PROPERTY_ADDED_OPTIONAL,
    PROPERTY_ADDED_REQUIRED,
    PROPERTY_BECAME_OPTIONAL,
    PROPERTY_BECAME_REQUIRED,
    PROPERTY_REMOVED_DEPRECATED,
    PROPERTY_REMOVED_OPTIONAL,
    PROPERTY_REMOVED_REQUIRED,
    Change,
)

Direction = str  # "request" or "response"


_PROPERTY_RULES: Mapping[str, Mapping[str, str]] = {
    "request": {
        PROPERTY_ADDED_REQUIRED: "new-required-request-property",
        PROPERTY_ADDED_OPTIONAL: "new-optional-request-property",
        PROPERTY_REMOVED_REQUIRED: "request-property-removed",
        PROPERTY_REMOVED_OPTIONAL: "request-property-removed",
        PROPERTY_REMOVED_DEPRECATED: "request-property-removed-with-deprecation",
        PROPERTY_BECAME_REQUIRED: "request-property-became-required",
        PROPERTY_BECAME_OPTIONAL: "request-property-became-optional",
    },
    "response": {
        PROPERTY_ADDED_REQUIRED: "response-required-property-added",
        PROPERTY_ADDED_OPTIONAL: "response-optional-property-added",
        PROPERTY_REMOVED_REQUIRED: "response-required-property-removed",
        PROPERTY_REMOVED_OPTIONAL: "response-optional-property-removed",
        PROPERTY_REMOVED_DEPRECATED: "response-optional-property-removed",
        PROPERTY_BECAME_REQUIRED: "response-property-became-required",
        PROPERTY_BECAME_OPTIONAL: "response-property-became-optional",
    },
}


def new_finding(
    rule_id: str, location: str, message: str, route: str = "", suggestion: str = "", change: Change | None = None
) -> Finding:
    added, removed = (change.added, change.removed) if change is not None else ((), ())
    return Finding(rule_id, rule(rule_id).level, location, message, route, suggestion, added, removed)


def _rule_for(change: Change, direction: Direction) -> str:
    if change.kind == BECAME_NULLABLE and change.optional and direction == "response":
        return "response-optional-property-became-nullable"  # an optional field already reads as X | None
    if change.kind == CLOSED_ENUM_VALUE_ADDED and direction == "request":
        return f"request-{change.area}-{ENUM_VALUE_ADDED}"  # a request may always send fewer values
    if change.kind in _PROPERTY_RULES[direction]:
        return _PROPERTY_RULES[direction][change.kind]
    return f"{direction}-{change.area}-{change.kind}"


def judge_changes(changes: Iterable[Change], directions: Iterable[Direction], route: str = "") -> list[Finding]:
    """One finding per change: the worst rule over the directions the schema is used in (facets merged later)."""
    findings = []
    ordered = sorted(set(directions)) or ["request", "response"]
    for change in changes:
        kinds = [change, *(replace(change, kind=kind) for kind in change.also)]
        candidates = [
            new_finding(_rule_for(kind, direction), change.location, change.message, route, change=change)
            for kind in kinds
            for direction in ordered
        ]
        worst = max(candidates, key=lambda finding: finding.level)
        findings.append(replace(worst, facets=(worst.rule,)))
    return findings


_SHARED_PARAMETER = "/components/parameters/"


def fold_shared(findings: Iterable[Finding]) -> list[Finding]:
    """A change of a shared (component) parameter is one finding, ``*(argument)``, naming every method it reaches."""
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for finding in findings:
        if finding.source.startswith(_SHARED_PARAMETER) and "(" in finding.location:
            argument = finding.location[finding.location.index("(") :]
            groups.setdefault((finding.rule, finding.message, finding.source, argument), []).append(finding)
    result: list[Finding] = []
    done: set[tuple[str, str, str, str]] = set()
    for finding in findings:
        key = (
            finding.rule,
            finding.message,
            finding.source,
            finding.location[finding.location.index("(") :] if "(" in finding.location else "",
        )
        group = groups.get(key)
        if group is None or len(group) < 2:
            result.append(finding)
        elif key not in done:
            done.add(key)
            methods = tuple(sorted(item.location[: item.location.index("(")] for item in group))
            result.append(replace(finding, location="*" + key[3], route="", use="request", reaches=methods))
    return result


def _facet_rank(finding: Finding) -> tuple[int, int]:
    """Which facet names a field's change: the worst, then its type, then null, then the rest."""
    text = finding.rule
    return (-finding.level, 0 if "-type-" in text else 1 if "nullable" in text else 2)


def merge_facets(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per changed field or argument: its facets (type, nullability, requiredness...) in one."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    result: list[Finding] = []
    for finding in findings:
        if finding.facets:
            group = groups.setdefault((finding.location, finding.route), [])
            if not group:
                result.append(finding)  # a placeholder, replaced below
            group.append(finding)
        else:
            result.append(finding)
    merged: dict[tuple[str, str], Finding] = {}
    for place, group in groups.items():
        ordered = sorted(dict.fromkeys(group), key=_facet_rank)
        head = ordered[0]
        merged[place] = replace(
            head,
            message="; ".join(dict.fromkeys(item.message for item in ordered)),
            added=tuple(dict.fromkeys(value for item in ordered for value in item.added)),
            removed=tuple(dict.fromkeys(value for item in ordered for value in item.removed)),
            facets=tuple(dict.fromkeys(rule for item in ordered for rule in item.facets)),
        )
    return [merged[(item.location, item.route)] if item.facets else item for item in result]
