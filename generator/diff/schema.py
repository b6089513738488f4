"""Value comparison for ``clientgen diff``: what changed between two places of a spec.

Works on the value definitions (``generator.values``: types of the type model,
constraints records, the places written inside each), read the way the
generated code reads them (``diff.shape``): objects as the schema stage merged
them (inherited fields included), aliases and hoisted inline models seen
through, formats and constraints kept; types, enums and constants as the type
model types them (an
enum's or a constant's values are its ``Literal``'s, ``Shape.literal_values``). A
reference to the same (matched) named model on both sides is no change here:
that model's own content is compared once, at the model. Everything else is
compared structurally, so an inline union moved into a named alias, or an
inline object moved into a named model with the same fields, is no change.

The result is a list of direction-free ``Change``s, at most one per kind and
place (an enum's added and removed values are one change); ``compare`` turns
them into rule findings for the directions the place is used in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator.diff.shape import Shape, flatten
from generator.typemodel import Primitive, render
from generator.values import EMPTY, Constraints, Value, value_of

# Abstract kinds of change; "area" says where (property, parameter, body).
TYPE_CHANGED = "type-changed"
TYPE_WIDENED = "type-generalized"
TYPE_NARROWED = "type-specialized"
BECAME_NULLABLE = "became-nullable"
BECAME_NOT_NULLABLE = "became-not-nullable"
ENUM_VALUE_ADDED = "enum-value-added"
CLOSED_ENUM_VALUE_ADDED = "closed-enum-value-added"
ENUM_VALUE_REMOVED = "enum-value-removed"
BECAME_ENUM = "became-enum"
VARIANT_ADDED = "union-variant-added"
PROPERTY_ADDED_REQUIRED = "property-added-required"
PROPERTY_ADDED_OPTIONAL = "property-added-optional"
PROPERTY_REMOVED_REQUIRED = "property-removed-required"
PROPERTY_REMOVED_OPTIONAL = "property-removed-optional"
PROPERTY_REMOVED_DEPRECATED = "property-removed-deprecated"
PROPERTY_BECAME_REQUIRED = "property-became-required"
PROPERTY_BECAME_OPTIONAL = "property-became-optional"

# Constraints: (keyword, rule stem, True for an upper bound). A request narrows
# when an upper bound appears or falls, or a lower bound appears or rises.
BOUNDS: tuple[tuple[str, str, bool], ...] = (
    ("maxLength", "max-length", True),
    ("maxItems", "max-items", True),
    ("maximum", "max", True),
    ("exclusiveMaximum", "exclusive-max", True),
    ("maxProperties", "max-properties", True),
    ("minLength", "min-length", False),
    ("minItems", "min-items", False),
    ("minimum", "min", False),
    ("exclusiveMinimum", "exclusive-min", False),
    ("minProperties", "min-properties", False),
)
# Kinds whose meaning is "narrower" (a request that worked may be refused) or "wider".
NARROWING = "narrowing"
WIDENING = "widening"
CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    kind: str
    area: str  # "property", "parameter" or "body"
    location: str  # readable: Model.field, resource.method(argument)
    message: str
    added: tuple[str, ...] = ()  # enum values added (JSON literals), listed in full
    removed: tuple[str, ...] = ()
    sense: str = ""  # for constraint kinds: NARROWING, WIDENING or CHANGED
    also: tuple[str, ...] = ()  # other kinds the same change is (values added and removed): judged by the worst
    optional: bool = False  # at a field that may be absent on both sides (the client already reads it as optional)


def literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class SchemaComparer:
    """Compares old and new schemas; ``matching`` maps old component model names to new ones."""

    def __init__(self, old: Shape, new: Shape, matching: Mapping[str, str]) -> None:
        self.old, self.new = old, new
        self.matching = matching
        self.changes: list[Change] = []
        self._active: list[tuple[Value, Value]] = []  # the pairs being compared, outermost first

    def _add(self, kind: str, area: str, location: str, message: str, **extra: Any) -> None:
        self.changes.append(Change(kind, area, location, message, **extra))

    def _old_label(self, name: str) -> str:
        return self.matching.get(name, name + " (removed)")

    def compare(self, old: Value, new: Value, area: str, location: str) -> None:
        old_name, new_name = self.old.ref(old), self.new.ref(new)
        if (
            old_name is not None
            and new_name is not None
            and self.matching.get(old_name) == new_name
            and self.new.is_component(new_name)
        ):
            return  # the same model: its content is compared once, at the model
        key = (old, new)
        if key in self._active:
            return  # a recursive inline schema: already being compared further up
        self._active.append(key)
        try:
            old_seen, new_seen = self.old.see(old), self.new.see(new)
            if (
                self.old.names_model(old_seen) != self.new.names_model(new_seen)
                and not old_seen.free_form
                and not new_seen.free_form
            ):
                # A named class on one side, an inline shape on the other: compare what they hold.
                old_seen, new_seen = self.old.see(old, expand_classes=True), self.new.see(new, expand_classes=True)
            self._compare(old_seen, new_seen, area, location, (old, new))
        finally:
            self._active.pop()

    def compare_model(self, old_name: str, new_name: str) -> None:
        """A component model's own content, at ``Model`` and ``Model.field``."""
        old_raw, new_raw = self.old.model(old_name), self.new.model(new_name)
        old_seen = self.old.see(old_raw, expand_classes=True)
        new_seen = self.new.see(new_raw, expand_classes=True)
        self._compare(old_seen, new_seen, "property", new_name, (old_raw, new_raw), owner=(old_name, new_name))

    def _compare(
        self,
        old: Value,
        new: Value,
        area: str,
        location: str,
        original: tuple[Value, Value],
        owner: tuple[str, str] | None = None,
    ) -> None:
        old_kinds, old_null = self.old.kinds(old, self._old_label)
        new_kinds, new_null = self.new.kinds(new, lambda name: name)
        if old_null != new_null:
            if new_null:
                self._add(BECAME_NULLABLE, area, location, "may now be null")
            else:
                self._add(BECAME_NOT_NULLABLE, area, location, "may no longer be null")
        old_covered = all(_covers(new_kinds, kind) for kind in old_kinds)
        new_covered = all(_covers(old_kinds, kind) for kind in new_kinds)
        if old_kinds != new_kinds and not (old_covered and new_covered):
            old_text, new_text = self.old.describe(original[0]), self.new.describe(original[1])
            gained = sorted(_label(kind) for kind in new_kinds - old_kinds)
            lost = sorted(_label(kind) for kind in old_kinds - new_kinds)
            if (
                old_covered
                and owner is not None
                and owner[0] in self.old.tagged
                and all(kind.startswith("ref:") for kind in new_kinds)
            ):
                # A tagged union keeps a variant it does not know as a plain dict: only code that matches every variant may miss it.
                self._add(VARIANT_ADDED, area, location, f"new variant {' | '.join(gained)}")
            elif old_covered:
                detail = (
                    f"now also {' | '.join(gained)}"
                    if len(old_kinds) > 1 and gained
                    else f"type widened from {old_text} to {new_text}"
                )
                self._add(TYPE_WIDENED, area, location, detail)
            elif new_covered:
                detail = (
                    f"no longer {' | '.join(lost)}"
                    if len(new_kinds) > 1 and lost
                    else f"type narrowed from {old_text} to {new_text}"
                )
                self._add(TYPE_NARROWED, area, location, detail)
            else:
                self._add(TYPE_CHANGED, area, location, f"type changed from {old_text} to {new_text}")
            return
        if not old.schema or not new.schema:
            return
        self._enums(old, new, area, location)
        self._constraints(old.constraints, new.constraints, area, location)
        if old.items is not None or new.items is not None:
            # items: the argument or field the user sees
            self.compare(old.items or EMPTY, new.items or EMPTY, area, location)
        if old.extra is not None and new.extra is not None:
            self.compare(old.extra, new.extra, area, location + "[str]")
        self._members(old, new, area, location)
        if old.has_properties or new.has_properties:
            if owner is not None and all(item.schema for item in original):
                self.properties(original[0], original[1], area, location, ".", owner)
            else:
                self.properties(old, new, area, location, ".")

    def _members(self, old: Value, new: Value, area: str, location: str) -> None:
        """Inline union members, compared pairwise when they line up (named members compare by model).

        Constants and enums among them are parts of the union's one ``Literal``, whose values were compared
        already (``_enums``): they are no members of their own, as in the generated code.
        """
        for (old_members, _), (new_members, _) in zip(old.unions(), new.unions(), strict=True):
            if old_members is None or new_members is None:
                continue
            old_inline = [
                member for member in old_members if not self.old.names_model(member) and not self.old.is_literal(member)
            ]
            new_inline = [
                member for member in new_members if not self.new.names_model(member) and not self.new.is_literal(member)
            ]
            if len(old_inline) == len(new_inline):
                alone = len([member for member in old_inline if not _null(member)]) <= 1
                for index, (old_member, new_member) in enumerate(zip(old_inline, new_inline, strict=False)):
                    # ``X | None`` is X at the same place; among several inline members, a position says which.
                    self.compare(old_member, new_member, area, location if alone else f"{location}<{index + 1}>")

    def _enums(self, old: Value, new: Value, area: str, location: str) -> None:
        old_values, new_values = _enum_values(self.old, old), _enum_values(self.new, new)
        if new_values is None:
            return
        if old_values is None:
            shown = ", ".join(map(literal, new_values))
            self._add(BECAME_ENUM, area, location, f"restricted to {shown}", added=tuple(map(literal, new_values)))
            return
        old_keys, new_keys = [literal(value) for value in old_values], [literal(value) for value in new_values]
        added = tuple(key for key in new_keys if key not in old_keys)
        removed = tuple(key for key in old_keys if key not in new_keys)
        if not added and not removed:
            return
        parts = []
        if added:
            parts.append(f"added {', '.join(added)}")
        if removed:
            parts.append(f"removed {', '.join(removed)}")
        message = "; ".join(parts)
        if added:
            kind = ENUM_VALUE_ADDED if enum_is_open(old_values) else CLOSED_ENUM_VALUE_ADDED
            also = (ENUM_VALUE_REMOVED,) if removed else ()
            self._add(kind, area, location, message, added=added, removed=removed, also=also)
        else:
            self._add(ENUM_VALUE_REMOVED, area, location, message, removed=removed)

    def _constraints(self, old: Constraints, new: Constraints, area: str, location: str) -> None:
        if (old.bounds, old.pattern, old.format) == (new.bounds, new.pattern, new.format):
            return  # the usual case
        old_bounds, new_bounds = dict(old.bounds), dict(new.bounds)
        for keyword, stem, upper in BOUNDS:
            old_bound, new_bound = old_bounds.get(keyword), new_bounds.get(keyword)
            before, after = _number(old_bound), _number(new_bound)
            if before == after:
                continue
            if before is None:
                kind, sense = f"{stem}-set", NARROWING
                message = f"{keyword} {literal(new_bound)} set"
            elif after is None:
                kind, sense = f"{stem}-unset", WIDENING
                message = f"{keyword} {literal(old_bound)} removed"
            else:
                rose = after > before
                kind = f"{stem}-{'increased' if rose else 'decreased'}"
                sense = WIDENING if rose == upper else NARROWING
                message = f"{keyword} {literal(old_bound)} → {literal(new_bound)}"
            self._add(kind, area, location, message, sense=sense)
        before_pattern, after_pattern = old.pattern, new.pattern
        if before_pattern != after_pattern:
            if before_pattern is None:
                self._add("pattern-added", area, location, f"must match {after_pattern}", sense=NARROWING)
            elif after_pattern is None:
                self._add(
                    "pattern-removed", area, location, f"no longer needs to match {before_pattern}", sense=WIDENING
                )
            else:
                self._add(
                    "pattern-changed", area, location, f"pattern {before_pattern} → {after_pattern}", sense=CHANGED
                )
        before_format, after_format = _validated_format(old.format), _validated_format(new.format)
        if before_format != after_format:
            if before_format is None:
                self._add("format-added", area, location, f"format {after_format} (validated)", sense=NARROWING)
            elif after_format is None:
                self._add("format-removed", area, location, f"format {before_format} removed", sense=WIDENING)
            else:
                self._add("format-changed", area, location, f"format {before_format} → {after_format}", sense=CHANGED)

    def properties(
        self,
        old: Value,
        new: Value,
        area: str,
        location: str,
        separator: str,
        owner: tuple[str, str] | None = None,
    ) -> None:
        """Fields of an object (``Model.field``) or flattened body arguments (``method(field)``).

        ``owner`` is the (old, new) model whose fields these are: inherited
        fields that come from the same model on both sides are that model's
        to report, so they are skipped here.
        """
        old_flat = flatten(old, self.old, owner[0] if owner else "")
        new_flat = flatten(new, self.new, owner[1] if owner else "")
        old_props, new_props = old_flat.properties, new_flat.properties
        old_required, new_required = old_flat.required, new_flat.required

        def where(prop: str) -> str:
            return f"{location}({prop})" if separator == "(" else f"{location}.{prop}"

        old_parents = {self.matching.get(name, "") for name in old_flat.parents}

        # An inline object (a hoisted class compared where it is used) declares its own fields as "".
        mine = owner or ("", "")

        def inherited(prop: str) -> bool:
            """A field of a parent both sides inherit from: the parent reports its changes, once."""
            before, after = old_flat.owners.get(prop), new_flat.owners.get(prop)
            if before is not None and after is not None:
                return before != mine[0] and after != mine[1] and self.matching.get(before) == after
            if before is not None:
                return before != mine[0] and self.matching.get(before) in new_flat.parents
            return after is not None and after != mine[1] and after in old_parents

        for prop in sorted(set(old_props) | set(new_props)):
            if inherited(prop) and (prop not in old_props or prop not in new_props):
                continue
            if prop not in old_props:
                required = prop in new_required
                kind = PROPERTY_ADDED_REQUIRED if required else PROPERTY_ADDED_OPTIONAL
                self._add(
                    kind,
                    "property",
                    where(prop),
                    f"new {'required' if required else 'optional'} field {prop}: {self.new.describe(new_props[prop])}",
                )
            elif prop not in new_props:
                deprecated = old_props[prop].deprecated
                if deprecated:
                    kind = PROPERTY_REMOVED_DEPRECATED
                else:
                    kind = PROPERTY_REMOVED_REQUIRED if prop in old_required else PROPERTY_REMOVED_OPTIONAL
                self._add(
                    kind,
                    "property",
                    where(prop),
                    f"field {prop} removed" + (" (it was deprecated)" if deprecated else ""),
                )
            else:
                if inherited(prop) and (prop in old_flat.own_required) == (prop in new_flat.own_required):
                    continue  # the parent reports its own changes
                if prop in new_required and prop not in old_required:
                    self._add(PROPERTY_BECAME_REQUIRED, "property", where(prop), f"field {prop} became required")
                elif prop in old_required and prop not in new_required:
                    self._add(PROPERTY_BECAME_OPTIONAL, "property", where(prop), f"field {prop} became optional")
                if not inherited(prop):
                    start = len(self.changes)
                    self.compare(old_props[prop], new_props[prop], "property", where(prop))
                    if prop not in old_required and prop not in new_required:
                        self.changes[start:] = [
                            replace(change, optional=True) if change.location == where(prop) else change
                            for change in self.changes[start:]
                        ]


def _null(value: Value) -> bool:
    """A member that is only null (``{type: null}``)."""
    return value == _NULL


_NULL = value_of({"type": "null"})


def _label(kind: str) -> str:
    return kind.removeprefix("ref:")


def _covers(kinds: frozenset[str], kind: str) -> bool:
    """Does a value of ``kind`` fit a schema admitting ``kinds``?"""
    if kind in kinds or "any" in kinds:
        return True
    if kind == "integer" and "number" in kinds:
        return True
    return kind.startswith("ref:") and "object" in kinds  # a free-form object (a dict) holds any model's data


def _enum_values(shape: Shape, value: Value) -> list[Any] | None:
    """The values a place allows: its ``Literal``'s; for an enum no ``Literal`` can hold (numbers with a fraction,
    objects), the enum's own, since the server still refuses any other value even where the code says ``float``."""
    values = shape.literal_values(value)
    if values is None and value.enum is not None:
        values = [item for item in value.enum if item is not None] or None
    return values


def enum_is_open(values: list[Any]) -> bool:
    """Does the generated response model keep a value it does not know?

    Enums of two or more strings or of two or more integers derive from the
    runtime's ``OpenEnum``/``OpenIntEnum``; an enum that mixes kinds is a
    ``Literal``, closed. A single value is counted closed too: it stays a
    ``Literal`` where it tells a union's variants apart.
    """
    if len(values) < 2:
        return False
    return all(isinstance(value, str) for value in values) or all(
        isinstance(value, int) and not isinstance(value, bool) for value in values
    )


def validated_format(value: Any) -> bool:
    """A string format the models validate: the type model gives it a Python type of its own (``UUID``, ``datetime``)."""
    return isinstance(value, str) and render(Primitive("str", value)) != render(Primitive("str"))


def _validated_format(value: str | None) -> str | None:
    return value if validated_format(value) and isinstance(value, str) else None
