"""What the parts of an ``allOf`` make of what they both say: a property two parts declare, and a union beside
parts that constrain objects only. JSON Schema reads an ``allOf`` as "every part holds", so the answer is
what satisfies both, with the declared types winning over keywords they make moot (``applicable``). The
schema stage (``schemas.merge_all_of``, where every ``allOf`` is merged once) calls these. Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.applicable import KIND_KEYWORDS, Resolve, accepts, declared_kinds, meet, possible_kinds
from generator.markers import UNION_PARTS

#: Keywords that make a schema a value of some type (not only annotations).
TYPED_KEYS = frozenset(
    {"type", "properties", "$ref", "allOf", "anyOf", "oneOf", "enum", "const", "items", "additionalProperties"}
)


#: Keywords that make a schema more than a constraint on objects (a type, a value, another kind's keywords).
_NOT_OBJECT_ONLY = frozenset({"type", "$ref", "allOf", "anyOf", "oneOf", "enum", "const", "not", "if", "then", "else"})
_NOT_OBJECT_ONLY |= KIND_KEYWORDS["array"] | KIND_KEYWORDS["string"] | KIND_KEYWORDS["number"]


def both(old: Any, new: Any, resolve: Resolve, merge: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """The schema of a property that two parts of an ``allOf`` declare: one an instance must satisfy both
    ways, as JSON Schema reads the ``allOf``. Where one says all the other says (its declared type takes
    only instances the other accepts whole), that one; annotations (``readOnly``, a default) annotate the
    other; anything else is the ``allOf`` of the two, merged when it is normalised (``merge``: the schema
    stage's ``merge_all_of``)."""
    if old == new or not isinstance(old, dict) or not isinstance(new, dict):
        return new
    if not TYPED_KEYS & new.keys():
        return {"allOf": [old], **new} if "$ref" in old else {**old, **new}
    if not TYPED_KEYS & old.keys() or covers(old, new, resolve):
        return new  # a later part that narrows an inherited field (``result: {type: array, items: X}``)
    if covers(new, old, resolve):
        return old
    kinds, other_kinds = possible_kinds(old, resolve), possible_kinds(new, resolve)
    if kinds is not None and other_kinds is not None and not meet(kinds, other_kinds):
        return new  # no instance is both (an object envelope's ``result`` and a list): the spec means the later
    joined = {"allOf": [old, new]}
    merged = merge(joined)
    if (isinstance(merged.get("allOf"), list) and len(merged["allOf"]) > 1) or UNION_PARTS in merged:
        # Two schemas this stage does not merge into one type (two unions, an object beside a union): the
        # later one, which usually narrows the other, rather than a type that says less.
        return new
    return joined


def covers(wide: dict[str, Any], narrow: dict[str, Any], resolve: Resolve) -> bool:
    """Whether ``wide`` accepts every instance of the kinds ``narrow`` can be (so ``narrow`` says it all)."""
    kinds = possible_kinds(narrow, resolve)
    return kinds is not None and all(accepts(wide, kind, resolve) == "all" for kind in kinds)


def distribute(
    node: dict[str, Any],
    parts: list[Any],
    rest: dict[str, Any],
    resolve: Resolve,
    union_members: Callable[[Any], list[Any] | None],
) -> dict[str, Any] | None:
    """An ``allOf`` of a union whose members declare their types, some of them no object, and parts that
    constrain objects only, with no type of their own (``result: {anyOf: [{type: object}, {type: array},
    {type: string}]}`` and a part's ``result: {properties: ...}``): the union of each member with those
    parts. The declared types win (``applicable``): the parts apply to the object members, and an array or
    a string is the member alone. None for any other ``allOf``."""
    unions = [index for index, part in enumerate(parts) if union_members(node["allOf"][index]) is not None]
    if len(unions) != 1 or TYPED_KEYS & rest.keys():
        return None
    index = unions[0]
    members = union_members(node["allOf"][index]) or []
    others = [node["allOf"][i] for i in range(len(parts)) if i != index]
    if not others or any(
        declared_kinds(part) is not None or not is_object(part) or part.keys() & _NOT_OBJECT_ONLY
        for part in parts[:index] + parts[index + 1 :]
    ):
        return None
    member_kinds = [possible_kinds(member, resolve) for member in members]
    if any(kinds is None for kinds in member_kinds) or all("object" in kinds for kinds in member_kinds if kinds):
        return None
    key = "oneOf" if "oneOf" in parts[index] else "anyOf"
    distributed = []
    for member, kinds in zip(members, member_kinds, strict=True):
        assert kinds is not None
        if "object" not in kinds:
            distributed.append(member)  # the other parts constrain objects only: moot for this member
        elif len(others) == 1 and accepts(member, "object", resolve) == "all" and kinds == {"object"}:
            distributed.append(others[0])  # ``{type: object}`` and a model: the model (a reference stays one)
        else:
            distributed.append({"allOf": [member, *others]})
    return {**rest, key: distributed}


def is_object(schema: Any) -> bool:
    """An object schema: ``properties``, ``type: object`` or a schema for extra properties."""
    return isinstance(schema, dict) and (
        isinstance(schema.get("properties"), dict)
        or schema.get("type") == "object"
        or isinstance(schema.get("additionalProperties"), dict)
    )
