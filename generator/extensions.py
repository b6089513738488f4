"""The specification extensions clientgen reads, each declared once with where it goes, what it means and its rule.

Every other ``x-`` key is opaque: nothing under it is resolved, validated or
followed (``pointer.is_extension``), so a Fern export whose ``x-fern-examples``
point at other files loads like any document. An extension declared here is
checked by its own rule wherever it appears (``problems``: a located
validation error, a warning with ``--lenient``), and stages read it only
through ``read``, which gives a value that passed its rule or None: a
malformed block never reaches the stage that reads it.

To read a new extension, add an ``Extension`` to ``READ`` (its name, the
objects it may sit on, a sentence for the README, a rule from ``rules``) and
read it with ``read(node, name)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator.naming.autoname import words
from generator.pagination import FERN_PAGINATION, PAGING_SETTINGS, SPEAKEASY_PAGINATION
from generator.pointer import NAME_MAPS, child_is_name_map, is_extension, pointer_escape
from generator.references import is_schema_position
from generator.rules import AnyOf, Const, Invalid, ListOf, Rule, Text, check_at

Place = Literal["operation", "schema"]
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")


def _as_many_as_the_enum(names: Any, schema: Mapping[str, Any]) -> None:
    enum = schema.get("enum")
    if isinstance(enum, list) and len(names) != len(enum):
        raise Invalid(f"gives {len(names)} names, but the enum has {len(enum)} values")


@dataclass(frozen=True)
class Extension:
    """One extension clientgen reads."""

    name: str
    on: tuple[Place, ...]
    meaning: str
    rule: Rule
    #: A check against the object the extension sits on (``x-enum-varnames`` names each enum value).
    with_holder: Callable[[Any, Mapping[str, Any]], None] | None = None

    def check(self, value: Any, holder: Mapping[str, Any], pointer: str) -> Any:
        """The value as the rule returns it; ``Invalid`` located by ``pointer`` (where the value is) otherwise."""
        checked = check_at(self.rule, value, pointer)
        if self.with_holder is not None:
            try:
                self.with_holder(checked, holder)
            except Invalid as error:
                raise Invalid(error.message, pointer + error.at) from None
        return checked


_NAMES = ListOf(Text(what="a name"), what="list of names")


def _nameable(value: str) -> str | None:
    """Why a name an API's authors gave cannot make a Python name, or None."""
    return None if words(value) else f"{value!r} has no letters or digits to make a name of"


def _dotted_nameable(value: str) -> str | None:
    """``users.admin`` (Speakeasy's nesting): every part between the dots makes a name."""
    parts = value.split(".")
    if any(not part.strip() for part in parts):
        return f"{value!r} has an empty part between its dots"
    return next((reason for reason in map(_nameable, parts) if reason is not None), None)


_SDK_NAME = Text(what="a name", extra=_nameable)

READ: dict[str, Extension] = {
    extension.name: extension
    for extension in (
        Extension(
            "x-pagination",
            ("operation",),
            "clientgen's paging settings (as in the configuration's `pagination:`), or `false`",
            AnyOf((Const(False), PAGING_SETTINGS), "false or paging settings"),
        ),
        Extension("x-fern-pagination", ("operation",), "Fern's paging settings", FERN_PAGINATION),
        Extension("x-speakeasy-pagination", ("operation",), "Speakeasy's paging settings", SPEAKEASY_PAGINATION),
        Extension(
            "x-fern-sdk-group-name",
            ("operation",),
            "the resource (Fern); a list nests (`[users, admin]` is `client.users.admin`)",
            AnyOf((_SDK_NAME, ListOf(_SDK_NAME, min_items=1, what="list of names")), "a name or a list of names"),
        ),
        Extension("x-fern-sdk-method-name", ("operation",), "the method (Fern)", _SDK_NAME),
        Extension(
            "x-speakeasy-group",
            ("operation",),
            "the resource (Speakeasy); dots nest (`users.admin`)",
            Text(what="a name", extra=_dotted_nameable),
        ),
        Extension("x-speakeasy-name-override", ("operation",), "the method (Speakeasy)", _SDK_NAME),
        Extension("x-sunset", ("operation",), "the date a deprecated operation goes away", Text(what="a date")),
        Extension(
            "x-enum-varnames", ("schema",), "the enum members' names, one per value", _NAMES, _as_many_as_the_enum
        ),
        Extension(
            "x-enumNames", ("schema",), "the enum members' names (NSwag's spelling)", _NAMES, _as_many_as_the_enum
        ),
    )
}


def read(node: Mapping[str, Any], name: str) -> Any:
    """The value of extension ``name`` on ``node`` when it passes its rule (normalised by it), else None."""
    extension = READ[name]  # a KeyError here: declare the extension in READ first
    if name not in node:
        return None
    try:
        return extension.check(node[name], node, "")
    except Invalid:
        return None


def read_all(node: Mapping[str, Any], place: Place) -> dict[str, Any]:
    """Every declared extension of ``place`` on ``node`` that passes its rule, as written (the rest is opaque)."""
    return {
        name: node[name]
        for name, extension in READ.items()
        if place in extension.on and name in node and read(node, name) is not None
    }


Holder = tuple[Place, str, Mapping[str, Any]]


def holders(data: Mapping[str, Any]) -> list[Holder]:
    """Every operation and every schema of the document, with its pointer: one walk, for every check that needs it."""
    return list(_holders(data))


def holders_with(data: Mapping[str, Any], keys: frozenset[str]) -> list[Holder]:
    """``holders(data)`` that have any of ``keys``, in the same order: the checks that read the declared extensions
    and discriminators look at no other.

    The walk keeps each place as a chain (its parent's place, its key) and spells it out, as a list of keys and a
    pointer, only for an object that has one of ``keys``: most of a document's objects have none.
    """
    found = [holder for holder in _operations(data) if not keys.isdisjoint(holder[2])]
    # value, its place, whether a map of names, where (0: the root, 1: /components, 2: anywhere else)
    stack: list[tuple[Any, Any, bool, int]] = [(data, (), False, 0)]
    while stack:
        node, place, in_name_map, where = stack.pop()
        if isinstance(node, dict):
            if place and not in_name_map and not keys.isdisjoint(node):
                parts = _spelled(place)
                if is_schema_position(parts):
                    found.append(("schema", "".join("/" + pointer_escape(part) for part in parts), node))
            for key, value in reversed(list(node.items())):
                if isinstance(value, (dict, list)) and not is_extension(key, in_name_map):
                    names = not in_name_map and (key in NAME_MAPS or (key == "responses" and where == 1))
                    inner = 1 if where == 0 and key == "components" else 2
                    stack.append((value, (place, str(key)), names, inner))
        elif isinstance(node, list):
            stack.extend((value, (place, str(index)), False, 2) for index, value in reversed(list(enumerate(node))))
    return found


def _spelled(place: Any) -> list[str]:
    """The keys of a place ``holders_with`` chained: (parent's place, key), down to the root's ``()``."""
    parts: list[str] = []
    while place:
        place, key = place
        parts.append(key)
    parts.reverse()
    return parts


def problems(data: Mapping[str, Any], found_holders: list[Holder] | None = None) -> list[tuple[str, str]]:
    """``(message, JSON pointer)`` of each declared extension whose value breaks its rule, in document order."""
    found: list[tuple[str, str]] = []
    for place, pointer, node in found_holders if found_holders is not None else _holders(data):
        for name, extension in READ.items():
            if place not in extension.on or name not in node:
                continue
            where = f"{pointer}/{pointer_escape(name)}"
            try:
                extension.check(node[name], node, where)
            except Invalid as error:
                found.append((f"{name}: {error.message}", error.at))
    return found


def _operations(data: Mapping[str, Any]) -> Iterator[Holder]:
    """Every operation of the document (paths and webhooks), with its pointer."""
    for section in ("paths", "webhooks"):
        items = data.get(section)
        for path, item in items.items() if isinstance(items, dict) else ():
            if not isinstance(item, dict):
                continue
            for method in _METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    yield "operation", f"/{section}/{pointer_escape(str(path))}/{method}", operation


def _holders(data: Mapping[str, Any]) -> Iterator[Holder]:
    """Every operation and every schema of the document, with its pointer (extensions are not entered)."""
    yield from _operations(data)
    # value, path, its pointer, whether a map of names
    stack: list[tuple[Any, list[str], str, bool]] = [(data, [], "", False)]
    while stack:
        node, parts, pointer, in_name_map = stack.pop()
        if isinstance(node, dict):
            if parts and not in_name_map and is_schema_position(parts):
                yield "schema", pointer, node
            stack.extend(
                (
                    value,
                    [*parts, str(key)],
                    f"{pointer}/{pointer_escape(str(key))}",
                    child_is_name_map(in_name_map, key, pointer),
                )
                for key, value in reversed(list(node.items()))
                if isinstance(value, (dict, list)) and not is_extension(key, in_name_map)
            )
        elif isinstance(node, list):
            stack.extend(
                (value, [*parts, str(index)], f"{pointer}/{index}", False)
                for index, value in reversed(list(enumerate(node)))
            )


def schema_nodes(data: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every schema of the document with its pointer, in document order (nothing under an extension)."""
    for place, pointer, node in _holders(data):
        if place == "schema":
            yield pointer, node


def markdown_table() -> str:
    """The README's table of the extensions clientgen reads, from ``READ``."""
    rows = ["| extension | on | meaning | value |", "|---|---|---|---|"]
    for extension in READ.values():
        rows.append(
            f"| `{extension.name}` | {' or '.join(extension.on)} | {extension.meaning} | {extension.rule.describe()} |"
        )
    return "\n".join(rows) + "\n"
