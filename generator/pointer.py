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


def iter_refs(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(pointer of the $ref, target)`` for every reference in ``value``."""
    stack: list[tuple[str, Any]] = [(pointer, value)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield where + "/$ref", ref
            for key, item in node.items():
                # Examples hold user data, where "$ref" is just a key (github's SCIM examples).
                if key in ("example", "examples") and not where.endswith("/components"):
                    continue
                if key == "value" and _EXAMPLE_OBJECT.search(where):
                    continue
                if isinstance(item, (dict, list)):
                    stack.append((f"{where}/{pointer_escape(str(key))}", item))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, (dict, list)):
                    stack.append((f"{where}/{index}", item))


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
