"""The names an API's authors chose for their SDKs: Fern's and Speakeasy's operation extensions, checked.

* ``x-fern-sdk-group-name``: the resource, a string or a list of strings (a
  list nests: ``[users, admin]`` is ``client.users.admin``);
* ``x-speakeasy-group``: the resource, a string; dots nest (``users.admin``);
* ``x-fern-sdk-method-name`` and ``x-speakeasy-name-override``: the method.

Fern's extension wins when both name the same thing. Each part becomes a
Python name the way every name does (``naming.identifiers``). The values are
checked where the extensions are declared (``generator/extensions.py``: a
value of the wrong type, an empty one, or one with nothing to make a name
from is a located validation error, and with ``--lenient`` the extension is
ignored); the checks here stand guard for an operation built some other way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.errors import ClientgenError, Location
from generator.naming.autoname import words
from generator.naming.identifiers import base_identifier

if TYPE_CHECKING:
    from generator.ir import Operation

GROUP_EXTENSIONS = ("x-fern-sdk-group-name", "x-speakeasy-group")
METHOD_EXTENSIONS = ("x-fern-sdk-method-name", "x-speakeasy-name-override")

Locate = Callable[[str], "Location | None"]


@dataclass(frozen=True)
class AuthorNames:
    """An operation's resource path and method name as its authors wrote them (None: not given)."""

    group: tuple[str, ...] | None
    method: str | None
    group_source: str = ""  # the extension the group came from, for messages
    method_source: str = ""


def _part(value: object, extension: str, pointer: str, locate: Locate, role: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ClientgenError(f"{extension} must be a non-empty string, not {value!r}", locate(pointer))
    if not words(value):
        raise ClientgenError(f"{extension} {value!r} has no letters or digits to make a name of", locate(pointer))
    return base_identifier(value, "attribute" if role == "group" else "method")


def _group(operation: Operation, extension: str, locate: Locate) -> tuple[str, ...] | None:
    value = operation.extensions.get(extension)
    if value is None:
        return None
    pointer = f"{operation.pointer}/{extension}"
    if extension == "x-fern-sdk-group-name" and isinstance(value, list):
        if not value:
            raise ClientgenError(f"{extension} must list at least one name", locate(pointer))
        return tuple(_part(item, extension, f"{pointer}/{index}", locate, "group") for index, item in enumerate(value))
    if extension == "x-speakeasy-group" and isinstance(value, str) and value.strip():
        parts = value.split(".")
        if any(not part.strip() for part in parts):
            raise ClientgenError(f"{extension} {value!r} has an empty part between its dots", locate(pointer))
        return tuple(_part(part, extension, pointer, locate, "group") for part in parts)
    kind = "a string or a list of strings" if extension == "x-fern-sdk-group-name" else "a non-empty string"
    if not isinstance(value, str) or not value.strip():
        raise ClientgenError(f"{extension} must be {kind}, not {value!r}", locate(pointer))
    return (_part(value, extension, pointer, locate, "group"),)


def author_names(operation: Operation, locate: Locate) -> AuthorNames:
    """What the operation's extensions name; every extension present is checked, even one that loses."""
    group: tuple[str, ...] | None = None
    group_source = ""
    for extension in GROUP_EXTENSIONS:
        found = _group(operation, extension, locate)
        if found is not None and group is None:
            group, group_source = found, extension
    method: str | None = None
    method_source = ""
    for extension in METHOD_EXTENSIONS:
        value = operation.extensions.get(extension)
        if value is None:
            continue
        name = _part(value, extension, f"{operation.pointer}/{extension}", locate, "method")
        if method is None:
            method, method_source = name, extension
    return AuthorNames(group, method, group_source, method_source)
