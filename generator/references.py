"""Schema references: where a ``$ref`` may point, which cycles are refused, and one spelling for all of them.

A reference made where a schema belongs must point at a schema: a component
schema, a subschema of one (``#/components/schemas/A/properties/b``), or a
schema inline in a path (bundlers emit both). Anything else (``#/info``, an
example) is a located error.

A cycle of references that never passes through a property, an item or any
other place that holds data (``A: {$ref: A}``, ``A → B → A``, ``A: {allOf:
[{$ref: A}]}``, a union containing itself) describes no data: it is refused,
naming the pointers of the cycle. Recursion through properties and items is
ordinary data (a tree) and keeps working.

``uniform_schemas`` rewrites every schema reference to the
``#/components/schemas/<key>`` form later stages read: the target of a
reference into a subschema or a path becomes a schema of its own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from generator.errors import ClientgenError, Location
from generator.pointer import SCHEMA_PREFIX, iter_refs, pointer_escape, pointer_unescape, resolve_pointer

SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_ONE = frozenset(
    {"items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames",
     "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema"}
)  # fmt: skip
_DIRECT = ("allOf", "anyOf", "oneOf")

Locate = Callable[[str], Location]


def tokens(pointer: str) -> list[str]:
    """``#/a/b~1c`` → ``["a", "b/c"]``."""
    body = pointer.lstrip("#")
    return [pointer_unescape(token) for token in body.split("/")[1:]] if body else []


def is_schema_position(parts: list[str]) -> bool:
    """Whether the value at this path is read as a schema (by the place it sits in the document)."""
    in_schema = False
    index = 0
    while index < len(parts):
        token = parts[index]
        if not in_schema:
            if parts[index : index + 2] == ["components", "schemas"] and index == 0 and len(parts) > 2:
                in_schema, index = True, 3
                continue
            if token in ("schema", "itemSchema") and index > 0:
                in_schema = True
            index += 1
            continue
        if token in SCHEMA_ONE:
            index += 1
        elif (
            token in SCHEMA_MAPS
            and index + 1 < len(parts)
            or token in SCHEMA_LISTS
            and index + 1 < len(parts)
            and parts[index + 1].isdigit()
        ):
            index += 2
        else:
            return False
    return in_schema


def _describe(parts: list[str]) -> str:
    if not parts:
        return "the whole document"
    if parts[0] == "components" and len(parts) >= 3:
        return f"a {parts[1].rstrip('s')} object" if len(parts) == 3 else "part of a component that is not a schema"
    return f"the {parts[-1]!r} entry"


def check_schema_references(
    data: Mapping[str, Any], locate: Locate, references: list[tuple[str, str]] | None = None
) -> None:
    """Refuse schema references to non-schemas, reference cycles with no data in between,
    and chains of references to parameters, bodies, responses... that loop.

    ``references``: ``sorted(iter_refs(data))``, when the caller has it already.
    """
    sources: list[tuple[str, str]] = []
    for where, ref in references if references is not None else sorted(iter_refs(data)):
        if not ref.startswith("#"):
            continue
        if not is_schema_position(tokens(where)[:-1]):
            _check_chain(data, locate, where, ref)
            continue
        target = tokens(ref)
        value = resolve_pointer(data, ref)
        if not is_schema_position(target) or not isinstance(value, (dict, bool)):
            raise ClientgenError(
                f"reference {ref!r} is used as a schema but points at {_describe(target)}, not a schema", locate(where)
            )
        sources.append((where, ref))
    _check_cycles(data, locate, sources)


def _check_chain(data: Mapping[str, Any], locate: Locate, where: str, ref: str) -> None:
    """A reference to a reference to... must end at an object, not come back."""
    chain = ["#" + where.rsplit("/", 1)[0]]
    while True:
        if ref in chain:
            cycle = chain[chain.index(ref) :] + [ref]
            raise ClientgenError("reference cycle: " + " → ".join(cycle) + " never reaches an object", locate(where))
        chain.append(ref)
        try:
            node = resolve_pointer(data, ref)
        except KeyError:
            return
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str) or not node["$ref"].startswith("#"):
            return
        ref = node["$ref"]


def _direct_refs(node: Any, pointer: str) -> list[tuple[str, str]]:
    """``(where, ref)`` of references a schema *is* (its ``$ref``, the members of its compositions), not those of its data."""
    found: list[tuple[str, str]] = []
    stack = [(node, pointer)]
    while stack:
        value, where = stack.pop()
        if not isinstance(value, dict):
            continue
        if isinstance(value.get("$ref"), str) and value["$ref"].startswith("#"):
            found.append((f"{where}/$ref", value["$ref"]))
        for key in _DIRECT:
            members = value.get(key)
            if isinstance(members, list):
                stack.extend((member, f"{where}/{key}/{index}") for index, member in enumerate(members))
    return found


def _normal(ref: str) -> str:
    return "#" + "".join(f"/{pointer_escape(part)}" for part in tokens(ref))


def _check_cycles(data: Mapping[str, Any], locate: Locate, sources: list[tuple[str, str]]) -> None:
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    starts = [f"{SCHEMA_PREFIX}{pointer_escape(key)}" for key in (schemas if isinstance(schemas, dict) else {})]
    starts += sorted({_normal(ref) for _, ref in sources})
    done: set[str] = set()
    for start in starts:
        if start in done:
            continue
        # Iterative depth-first search; ``path`` is the chain of schemas being followed.
        path: list[str] = [start]
        pending = [iter(_edges(data, start))]
        while pending:
            step = next(pending[-1], None)
            if step is None:
                pending.pop()
                done.add(path.pop())
                continue
            where, target = step
            if target in path:
                cycle = path[path.index(target) :] + [target]
                raise ClientgenError(
                    "reference cycle with no data in between (a schema that is only itself): " + " → ".join(cycle),
                    locate(where),
                )
            if target not in done:
                path.append(target)
                pending.append(iter(_edges(data, target)))


def _edges(data: Mapping[str, Any], pointer: str) -> list[tuple[str, str]]:
    try:
        node = resolve_pointer(data, pointer)
    except KeyError:
        return []
    return [(where, _normal(ref)) for where, ref in _direct_refs(node, pointer.lstrip("#"))]


# --- one spelling -----------------------------------------------------------------------------------

_NOISE = frozenset(
    {"components", "schemas", "properties", "content", "schema", "paths", "responses", "requestBody", "parameters"}
)


def is_component_ref(ref: str) -> bool:
    """``#/components/schemas/<key>`` with a key that needs no escaping: the form every later stage reads."""
    return (
        ref.startswith(SCHEMA_PREFIX) and "/" not in ref[len(SCHEMA_PREFIX) :] and "~" not in ref[len(SCHEMA_PREFIX) :]
    )


def _key_for(parts: list[str], taken: Mapping[str, Any]) -> str:
    words = [
        "item" if part == "items" else part
        for part in parts
        if part not in _NOISE and not ("/" in part and not part.startswith("/"))
    ]
    base = "_".join(part.strip("/").replace("/", "_") for part in words) or "Schema"
    key, number = base, 2
    while key in taken:
        key = f"{base}_{number}"
        number += 1
    return key


class SchemaRefs:
    """Rewrites schema references to component keys, adding the schemas that references point into.

    The place a reference points into is hoisted: it becomes a component of its own, and the schema it
    sat in refers to that component, so both places share one model.
    """

    def __init__(
        self, data: Mapping[str, Any], schemas: dict[str, Any], references: list[tuple[str, str]] | None = None
    ) -> None:
        """``references``: ``iter_refs(data)``, when the caller has them already."""
        self.data = data
        self.schemas = schemas
        self.keys: dict[str, str] = {}  # normal pointer → component key
        self.targets = sorted(
            {
                _normal(ref)
                for _, ref in (iter_refs(data) if references is None else references)
                if ref.startswith("#") and not is_component_ref(ref) and len(tokens(ref)) != 3
            }
        )

    def key_of(self, ref: str) -> str:
        normal = _normal(ref)
        key = self.keys.get(normal)
        if key is not None:
            return key
        parts = tokens(normal)
        if len(parts) == 3 and parts[:2] == ["components", "schemas"] and parts[2] in self.schemas:
            key = parts[2]
            self.keys[normal] = key
            return key
        key = _key_for(parts, self.schemas)
        self.keys[normal] = key
        self.schemas[key] = {}  # reserved before its own references are rewritten (it may refer to itself)
        self.schemas[key] = self.rewrite(resolve_pointer(self.data, normal), normal, hoisting=True)
        return key

    def rewrite(self, value: Any, at: str | None = None, hoisting: bool = False) -> Any:
        """A copy of ``value`` (found at the document pointer ``at``, if it is in the document) whose schema
        references all read ``#/components/schemas/<key>``, and whose subschemas that references point at
        are references to their hoisted component."""
        inside = [target for target in self.targets if at is not None and (target + "/").startswith(at + "/")]
        if not inside and not any(not is_component_ref(ref) for _, ref in iter_refs(value) if ref.startswith("#")):
            return value
        return self._copy(value, at, top=hoisting)

    def _copy(self, value: Any, at: str | None, top: bool = False) -> Any:
        if at is not None and not top and at in self.targets:
            return {"$ref": SCHEMA_PREFIX + self.key_of(at)}
        if isinstance(value, list):
            return [self._copy(item, f"{at}/{index}" if at is not None else None) for index, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith("#") and not is_component_ref(item):
                result[key] = SCHEMA_PREFIX + self.key_of(item)
            elif key in ("example", "examples", "default", "enum", "const"):
                result[key] = copy.deepcopy(item)
            else:
                result[key] = self._copy(item, f"{at}/{pointer_escape(key)}" if at is not None else None)
        return result
