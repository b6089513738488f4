"""JSON pointers and ``$ref``s: escaping, building, resolving and walking them, for the whole package."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

SCHEMA_PREFIX = "#/components/schemas/"


def pointer_escape(token: str) -> str:
    """Escape one JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer_unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def to_pointer(parts: object) -> str:
    """Build a JSON pointer from a sequence of keys and indexes."""
    assert isinstance(parts, (list, tuple))
    return "".join("/" + pointer_escape(str(part)) for part in parts)


def ref_name(ref: str) -> str:
    """The model a ``#/components/schemas/<name>`` reference names."""
    return ref[len(SCHEMA_PREFIX) :] if ref.startswith(SCHEMA_PREFIX) else ref.rsplit("/", 1)[-1]


def model_ref(name: str) -> dict[str, str]:
    """A ``$ref`` to the model ``name``."""
    return {"$ref": SCHEMA_PREFIX + name}


_EXAMPLE_OBJECT = re.compile(r"/components/examples/[^/]+$")

#: Fields whose value maps names the document chooses (properties, schemas, media types...) to objects: in
#: such a map a key starting with ``x-`` is a name (a property called ``x-request-id``), not an extension.
NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",  # in schemas
        "schemas", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links",
        "callbacks", "pathItems", "mediaTypes",  # in components (and some elsewhere)
        "content", "encoding", "mapping", "variables", "scopes", "webhooks",  # elsewhere
    }
)  # fmt: skip


def is_extension(key: object, in_name_map: bool) -> bool:
    """Whether ``key`` of an object is a specification extension: opaque, never resolved, validated or followed.

    ``in_name_map`` says the object is one of ``NAME_MAPS``'s maps, whose keys are names. (``paths`` and an
    operation's ``responses`` are objects with extensions of their own: their other keys start with ``/`` or a
    digit.)
    """
    return not in_name_map and isinstance(key, str) and key.startswith("x-")


def child_is_name_map(in_name_map: bool, key: object, where: str) -> bool:
    """Whether the value under ``key`` of the object at ``where`` is a map of names (an entry of one is an object)."""
    return not in_name_map and (key in NAME_MAPS or (key == "responses" and where == "/components"))


def without_extensions(data: Any) -> Any:
    """``data`` (a whole document) without its specification extensions, for a validator to read.

    Subtrees with no extension in them are shared, not copied. One loop, no recursion.
    """
    if not _holds_extension(data):
        return data  # many documents have none: a plain walk says so in half the time of rebuilding
    return _rebuilt_without_extensions(data)


def _rebuilt_without_extensions(data: Any) -> Any:
    """``without_extensions``, by the walk that rebuilds what holds an extension."""
    # Post-order: a container is rebuilt only if it holds an extension or a rebuilt child. A YAML alias may put
    # one container in two places; its role (a map of names or an object) is part of the key.
    done: dict[tuple[int, bool], Any] = {}
    # value, in a map of names, where ("" the root, "/components", or "-" anywhere else), visited
    stack: list[tuple[Any, bool, str, bool]] = [(data, False, "", False)]
    while stack:
        node, in_name_map, where, visited = stack.pop()
        if (id(node), in_name_map) in done:
            continue
        if not visited:
            stack.append((node, in_name_map, where, True))
            if isinstance(node, dict):
                for key, item in node.items():
                    if isinstance(item, (dict, list)) and not is_extension(key, in_name_map):
                        inner = "/components" if where == "" and key == "components" else "-"
                        stack.append((item, child_is_name_map(in_name_map, key, where), inner, False))
            else:
                stack.extend((item, False, "-", False) for item in node if isinstance(item, (dict, list)))
            continue
        if isinstance(node, dict):
            # Most objects hold no extension and no rebuilt child: shared as they are, without building a copy.
            if any(
                is_extension(key, in_name_map)
                or (
                    isinstance(item, (dict, list))
                    and done.get((id(item), child_is_name_map(in_name_map, key, where)), item) is not item
                )
                for key, item in node.items()
            ):
                done[(id(node), in_name_map)] = {
                    key: done.get((id(item), child_is_name_map(in_name_map, key, where)), item)
                    if isinstance(item, (dict, list))
                    else item
                    for key, item in node.items()
                    if not is_extension(key, in_name_map)
                }
            else:
                done[(id(node), in_name_map)] = node
        elif any(done.get((id(item), False), item) is not item for item in node if isinstance(item, (dict, list))):
            done[(id(node), in_name_map)] = [done.get((id(item), False), item) for item in node]
        else:
            done[(id(node), in_name_map)] = node
    return done.get((id(data), False), data)


def _holds_extension(data: Any) -> bool:
    """Whether any object in ``data`` (a whole document) has a specification extension, as ``without_extensions``
    reads them (``is_extension``, ``child_is_name_map``, inlined): the walk stops at the first one."""
    # value, in a map of names, where (0: the root, 1: /components, 2: anywhere else)
    stack: list[tuple[Any, bool, int]] = [(data, False, 0)]
    seen: tuple[set[int], set[int]] = (set(), set())  # a YAML alias may put one container in many places
    while stack:
        node, in_name_map, where = stack.pop()
        visited = seen[in_name_map]
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, list):
            stack.extend((item, False, 2) for item in node if isinstance(item, (dict, list)))
        elif not isinstance(node, dict):
            continue
        elif in_name_map:  # its keys are names; its values are objects again
            stack.extend((item, False, 2) for item in node.values() if isinstance(item, (dict, list)))
        else:
            for key, item in node.items():
                if isinstance(key, str) and key.startswith("x-"):
                    return True
                if isinstance(item, (dict, list)):
                    names = key in NAME_MAPS or (key == "responses" and where == 1)
                    stack.append((item, names, 1 if where == 0 and key == "components" else 2))
    return False


def iter_refs(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(pointer of the $ref, target)`` for every reference in ``value`` (an object), outside extensions."""
    stack: list[tuple[str, Any, bool]] = [(pointer, value, False)]
    while stack:
        where, node, in_name_map = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not in_name_map:
                yield where + "/$ref", ref
            for key, item in node.items():
                # Examples hold user data, where "$ref" is just a key (github's SCIM examples).
                if key in ("example", "examples") and not where.endswith("/components"):
                    continue
                if key == "value" and _EXAMPLE_OBJECT.search(where):
                    continue
                if is_extension(key, in_name_map):
                    continue
                if isinstance(item, (dict, list)):
                    stack.append(
                        (f"{where}/{pointer_escape(str(key))}", item, child_is_name_map(in_name_map, key, where))
                    )
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, (dict, list)):
                    stack.append((f"{where}/{index}", item, False))


def resolve_pointer(data: Any, pointer: str) -> Any:
    """The value at a local JSON pointer (``#/a/b`` or ``/a/b``); KeyError if absent."""
    node = data
    for raw in pointer.lstrip("#").split("/")[1:]:
        token = pointer_unescape(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node
