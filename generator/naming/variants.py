"""Names of a union's inline members, from what each member is: never from its position.

A member that becomes a model of its own (an object, an enum) is named after
the union's owner (``ChatRequestThink``) and, best first:

* its ``title``, when it is short (``Owner`` + title), or already a class name of its own;
* the value it gives the property that tells the members apart: the union's
  ``discriminator``, else a property every member fixes to a distinct constant
  (inline, or through a ``$ref`` to a one-value enum), else a ``type``-like
  property it fixes (``ChatMessagesAssistant``, ``OutputItemFunctionCall``) or
  limits to two or three values (``…StringOrSecret``);
* the schema it extends (``allOf`` with one ``$ref``);
* its only required property, or its only property (``AddLabelsBodyLabels``);
* a required property no other member has (``CreateCardBodyNote``), else any such property;
* its kind: ``Enum`` for an enum, ``Object`` for an object.

Members that would share a name all take their next one; a member left with
nothing new keeps its first name and model naming tells the two apart. The
result depends only on the union's members, so it is the same on every run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from generator.naming.autoname import shorten, words
from generator.naming.case import pascal

_KIND_PROPERTIES = ("type", "kind", "object", "event", "mode")
_CLASS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_MAX_TITLE_WORDS = 4

Resolve = Callable[[str], Any]  # a ``$ref`` → the schema it points at (None when it points nowhere)


def _constant(schema: Any, resolve: Resolve, depth: int = 0) -> str | int | bool | None:
    """The one value a property schema allows: ``const``, a one-value ``enum``, or that of a schema it refers to."""
    if not isinstance(schema, dict) or depth > 3:
        return None
    value = schema.get("const")
    if isinstance(value, (str, int, bool)):
        return value
    enum = schema.get("enum")
    if isinstance(enum, list):
        values = [value for value in enum if value is not None]
        return values[0] if len(values) == 1 and isinstance(values[0], (str, int, bool)) else None
    if isinstance(schema.get("$ref"), str):
        return _constant(resolve(schema["$ref"]), resolve, depth + 1)
    parts = schema.get("allOf")
    if isinstance(parts, list) and len(parts) == 1:
        return _constant(parts[0], resolve, depth + 1)
    return None


def _few_values(schema: Any, resolve: Resolve) -> list[str]:
    """The two or three text values of a small enum (through a ``$ref``), spelled as name parts."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        schema = resolve(schema["$ref"])
    enum = schema.get("enum") if isinstance(schema, dict) else None
    if not isinstance(enum, list) or not 2 <= len(enum) <= 3 or not all(isinstance(value, str) for value in enum):
        return []
    spelled = [_value_words(value) for value in enum]
    return spelled if all(spelled) else []


def _properties(schema: Any) -> dict[str, Any]:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return properties if isinstance(properties, dict) else {}


def _required(schema: Any) -> list[str]:
    required = schema.get("required") if isinstance(schema, dict) else None
    return [name for name in required if isinstance(name, str)] if isinstance(required, list) else []


def _tag_property(members: Sequence[Any], discriminator: Any, resolve: Resolve) -> str | None:
    """The property that tells the members apart: the discriminator's, or one every object member fixes
    to a constant of its own."""
    if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        return str(discriminator["propertyName"])
    objects = [member for member in members if _properties(member)]
    if len(objects) < 2:
        return None
    shared = set.intersection(*(set(_properties(member)) for member in objects))
    for name in sorted(shared):
        values = [_constant(_properties(member)[name], resolve) for member in objects]
        if all(value is not None for value in values) and len(set(map(repr, values))) == len(values):
            return name
    return None


def _value_words(value: str | int | bool) -> str:
    text = value if isinstance(value, str) else str(value).lower()
    return pascal(text) if words(text) else ""


def _candidates(
    owner: str,
    member: Any,
    siblings: Sequence[Any],
    tag: str | None,
    resolve: Resolve,
    ref_name: Callable[[str], str],
    taken: frozenset[str],
) -> list[str]:
    if not isinstance(member, dict):
        return []
    result: list[str] = []
    title = member.get("title")
    if isinstance(title, str) and words(title):
        if len(words(title)) <= _MAX_TITLE_WORDS:
            result.append(owner + pascal(title))
        elif _CLASS_NAME.match(title) and title not in taken:
            result.append(title)
    properties = _properties(member)
    for name in ([tag] if tag else []) + [name for name in _KIND_PROPERTIES if name != tag]:
        value = _constant(properties.get(name), resolve) if name in properties else None
        if value is not None and _value_words(value):
            result.append(owner + _value_words(value))
            break
        values = _few_values(properties.get(name), resolve)
        if values:
            result.append(owner + "Or".join(values))  # ``type: string | secret`` → ``…StringOrSecret``
            break
    parts = member.get("allOf")
    if isinstance(parts, list):
        refs = [part["$ref"] for part in parts if isinstance(part, dict) and isinstance(part.get("$ref"), str)]
        if len(refs) == 1:
            result.append(owner + ref_name(refs[0]))
    required = _required(member)
    if len(required) == 1:
        result.append(owner + pascal(required[0]))
    elif not required and len(properties) == 1:
        result.append(owner + pascal(next(iter(properties))))
    others: set[str] = set()
    for sibling in siblings:
        if sibling is not member:
            others.update(_properties(sibling), _required(sibling))
    own = [name for name in required if name not in others] + [name for name in properties if name not in others]
    if own:
        result.append(owner + pascal(own[0]))
    if isinstance(member.get("enum"), list):
        result.append(owner + "Enum")
        values = _few_values(member, resolve)
        if values:
            result.append(owner + "Or".join(values))
    elif properties or member.get("type") == "object":
        result.append(owner + "Object")
    # ``Labels`` + ``labels`` would read ``Labels`` once tidied (``autoname.shorten``): that is the owner, not a name.
    return [name for index, name in enumerate(result) if name not in result[:index] and shorten(words(name)) != owner]


def variant_names(
    owner: str,
    members: Sequence[Any],
    discriminator: Any,
    resolve: Resolve,
    ref_name: Callable[[str], str],
    taken: frozenset[str] = frozenset(),
) -> list[str]:
    """A name for every member of the union ``owner`` (used by those that become models).

    ``resolve`` follows a ``$ref``; ``ref_name`` gives the model name of the
    schema a ``$ref`` points at; ``taken`` holds the model names already given
    (a member's own title is not used when another model has it).
    """
    tag = _tag_property(members, discriminator, resolve)
    options = [_candidates(owner, member, members, tag, resolve, ref_name, taken) for member in members]
    level = [0] * len(members)
    while True:
        holders: dict[str, list[int]] = {}
        for index, names in enumerate(options):
            if names:
                holders.setdefault(names[level[index]], []).append(index)
        moved = False
        for indices in holders.values():
            for index in indices if len(indices) > 1 else ():
                if level[index] < len(options[index]) - 1:
                    level[index] += 1
                    moved = True
        if not moved:
            break
    return [names[level[index]] if names else owner + "Member" for index, names in enumerate(options)]


def component_resolver(components: Mapping[str, Any]) -> Resolve:
    """Follows ``#/components/schemas/<key>`` references in ``components``."""
    prefix = "#/components/schemas/"

    def resolve(ref: str) -> Any:
        return components.get(ref[len(prefix) :]) if ref.startswith(prefix) else None

    return resolve
