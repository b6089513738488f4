"""Stage 4, naming: readable Python names for models, resources, methods and fields.

Model names come from the rename map first, then from automatic naming, which
shortens machine-made schema keys (Fern-style path-derived names,
``<tag>_<operation>_Response_200``, dotted names) to their meaningful part.
Schemas given one name must be structurally identical (they collapse into one
model); different schemas that would share a name are told apart
deterministically, by their own key, so unrelated changes never rename them.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import ClientgenError, Location, pointer_escape
from generator.ir import Api, Operation
from generator.load import Document
from generator.structure import structural_classes

MAX_AUTO_NAME = 40

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED_MODEL_NAMES = frozenset(dir(builtins)) | frozenset(
    {"Any", "Annotated", "BaseModel", "ConfigDict", "Enum", "Field", "Literal", "RootModel", "TypedDict", "NotRequired", "TypeAlias", "Optional", "Union"}
)
_HTTP_VERBS = ("Get", "Post", "Put", "Patch", "Delete", "Head", "Options")
_FERN = re.compile(
    r"^(?P<path>[A-Z0-9][A-Za-z0-9]*?)(?P<verb>" + "|".join(_HTTP_VERBS) + r")"
    r"(?:Responses|RequestBody|Parameters)Content[A-Za-z0-9]*?Schema(?P<rest>[A-Za-z0-9]+)$"
)
_FERN_RESPONSE = re.compile(r"^(?P<tag>[A-Za-z0-9 ]+?)_(?P<operation>[A-Za-z0-9]+)_Response_(?P<status>\d{3}|default)$")


def words(text: str) -> list[str]:
    """Split any identifier-ish text into words: ``timedOutWaiting`` → timed, Out, Waiting."""
    return _WORD.findall(text.replace("'", ""))


def pascal(text: str) -> str:
    result = "".join(word[:1].upper() + word[1:] for word in words(text))
    if not result:
        return "Model"
    return result if not result[0].isdigit() else "M" + result


def snake(text: str) -> str:
    """``timedOutWaiting`` → ``timed_out_waiting``; always a valid, non-keyword identifier."""
    result = "_".join(word.lower() for word in words(text))
    if not result:
        result = "value"
    if result[0].isdigit():
        result = "n" + result
    if keyword.iskeyword(result) or keyword.issoftkeyword(result):
        result += "_"
    return result


@dataclass(frozen=True)
class RenameMap:
    """Schema key → model name, as the user wrote it, with where each entry is."""

    entries: Mapping[str, str]
    source: Document | None = None

    def locate(self, key: str) -> Location | None:
        if self.source is None:
            return None
        return self.source.locate("/" + pointer_escape(key))


def parse_rename_map(document: Document) -> RenameMap:
    entries: dict[str, str] = {}
    for key, value in document.data.items():
        if not isinstance(value, str):
            raise ClientgenError(f"rename entry {key!r} must map to a class name, not {value!r}", document.locate("/" + pointer_escape(str(key))))
        entries[str(key)] = value
    return RenameMap(entries, document)


def check_class_name(name: str, where: Location | None) -> None:
    if not _IDENTIFIER.match(name) or not name[0].isalpha():
        raise ClientgenError(f"{name!r} is not a valid Python class name", where)
    if keyword.iskeyword(name) or name in _RESERVED_MODEL_NAMES:
        raise ClientgenError(f"{name!r} is a Python keyword, builtin or reserved name; choose another class name", where)


def auto_name(key: str) -> str:
    """A readable class name for a schema key nobody named."""
    fern = _FERN.match(key)
    if fern:
        return pascal(fern.group("rest"))
    response = _FERN_RESPONSE.match(key)
    if response:
        return pascal(response.group("operation")) + "Response"
    if "." in key:
        # Dotted names (twilio's api.v2010.account.call): the last parts carry the meaning.
        parts = [part for part in key.split(".") if part and not re.fullmatch(r"v\d+(\.\d+)*|api", part)]
        return pascal("_".join(parts[-2:])) if parts else pascal(key)
    name = pascal(key)
    if len(name) > MAX_AUTO_NAME:
        parts = words(name)
        while len("".join(parts)) > MAX_AUTO_NAME and len(parts) > 1:
            parts.pop(0)
        name = "".join(parts)
    return name


@dataclass(frozen=True)
class ModelNames:
    """The model name of every component schema, and which keys each name stands for."""

    by_key: Mapping[str, str]

    def keys_of(self, name: str) -> list[str]:
        return sorted(key for key, model in self.by_key.items() if model == name)

    @property
    def canonical_key(self) -> dict[str, str]:
        """Model name → the schema key whose content the model is built from."""
        result: dict[str, str] = {}
        for key in sorted(self.by_key):
            result.setdefault(self.by_key[key], key)
        return result


def name_models(schemas: Mapping[str, Any], renames: RenameMap, reserved: Iterable[str] = ()) -> ModelNames:
    """Give every schema a model name (rename map first, then automatic)."""
    for key, target in renames.entries.items():
        if key not in schemas:
            raise ClientgenError(f"stale rename entry {key!r}: no schema with that name in components/schemas", renames.locate(key))
        check_class_name(target, renames.locate(key))
    classes = structural_classes(schemas)
    taken = set(reserved)
    chosen: dict[str, str] = {}
    # Names from the map: several keys may share one only if their schemas are identical.
    owners: dict[str, str] = {}
    for key in sorted(renames.entries):
        target = renames.entries[key]
        first = owners.setdefault(target, key)
        if classes[first] != classes[key]:
            raise ClientgenError(
                f"rename collision: {first!r} and {key!r} both map to {target!r} but describe different data",
                renames.locate(key),
            )
        chosen[key] = target
    taken.update(chosen.values())
    # Automatic names: identical schemas with the same name collapse, others are told apart.
    by_name: dict[str, list[str]] = {}
    for key in sorted(schemas):
        if key not in chosen:
            by_name.setdefault(auto_name(key), []).append(key)
    for base in sorted(by_name):
        groups: dict[int, list[str]] = {}
        for key in by_name[base]:
            groups.setdefault(classes[key], []).append(key)
        ordered = sorted(groups.values(), key=lambda keys: (len(keys[0]), keys[0]))
        for position, keys in enumerate(ordered):
            name = base if position == 0 and base not in taken else _disambiguate(base, keys[0], taken)
            taken.add(name)
            for key in keys:
                chosen[key] = name
    return ModelNames(chosen)


def _disambiguate(base: str, key: str, taken: set[str]) -> str:
    """A stable distinct name for ``key``: qualify with the words its key adds, else number."""
    extra = [word for word in words(pascal(key)) if word not in words(base)]
    for count in range(1, len(extra) + 1):
        candidate = "".join(word[:1].upper() + word[1:] for word in extra[-count:]) + base
        if candidate not in taken and len(candidate) <= MAX_AUTO_NAME:
            return candidate
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


# --- operations -----------------------------------------------------------

_VERSION_SEGMENT = re.compile(r"^(v\d+[a-z0-9]*|api|rest)$", re.IGNORECASE)
_TAG_PREFIXES = ("subpackage_",)


@dataclass(frozen=True)
class OperationName:
    resource: str  # attribute on the client: ``invocations``
    method: str  # method on the resource: ``wait``


def resource_of(operation: Operation) -> str:
    if operation.tags:
        tag = operation.tags[0]
        for prefix in _TAG_PREFIXES:
            if tag.startswith(prefix):
                tag = tag[len(prefix) :]
        return snake(tag)
    for segment in operation.path.strip("/").split("/"):
        if segment and not segment.startswith("{") and not _VERSION_SEGMENT.match(segment):
            return snake(segment)
    return "default"


def _method_from_path(operation: Operation, resource: str) -> str:
    segments = [segment for segment in operation.path.strip("/").split("/") if segment and not _VERSION_SEGMENT.match(segment)]
    parts = [operation.method.lower()]
    for segment in segments:
        if segment.startswith("{"):
            parts.append("by_" + snake(segment.strip("{}")))
        elif snake(segment) != resource or len(parts) > 1:
            parts.append(snake(segment))
    return snake("_".join(parts))


def name_operations(api: Api) -> dict[str, OperationName]:
    """``METHOD /path`` → resource attribute and method name, unique per resource."""
    result: dict[str, OperationName] = {}
    used: dict[str, set[str]] = {}
    reserved = {"with_raw_response", "with_options", "close", "request"}
    for operation in sorted(api.operations, key=lambda item: (item.path, item.method)):
        resource = resource_of(operation)
        if operation.operation_id:
            method = snake(operation.operation_id)
            prefix = resource + "_"
            if method.startswith(prefix) and len(method) > len(prefix):
                method = method[len(prefix) :]
        else:
            method = _method_from_path(operation, resource)
        taken = used.setdefault(resource, set())
        candidate, number = method, 2
        while candidate in taken or candidate in reserved:
            candidate = f"{method}_{number}"
            number += 1
        taken.add(candidate)
        result[operation.key] = OperationName(resource, candidate)
    return result
