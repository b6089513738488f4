"""Stage 5, schemas: the named, normalised schema set that models are generated from.

Takes the component schemas under their model names and makes them uniform:
references point at model names; OpenAPI 3.0 ``nullable`` becomes a 3.1 type
list; a single-value enum becomes ``const`` (a ``Literal``, never a one-member
enum class); inline objects and enums inside models are hoisted into models of
their own, named after where they sit (a union's members after what each one is,
``naming.variants``); a ``oneOf`` whose variants are told apart
by a constant property gets that property as its discriminator. An ``allOf``
of objects is merged into one object here, once: inherited fields are the
model's own for every output (models, TypedDicts, signatures, ``api.txt``,
diff), and a child that narrows an inherited field simply has the narrower
field; a field two parts declare otherwise is what satisfies both (an
envelope's ``result`` that may be an array, beside a part's ``result`` with
only ``properties``, is the union of the two). Keywords the declared ``type`` makes moot go first (``applicable``: a
``type: array`` with ``properties`` is an array). Operation request and
response schemas are normalised the same way; then what each method takes and
returns is typed once as records (``arguments``, ``values``), which the view
and ``clientgen diff`` read instead of these schemas.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.allof import TYPED_KEYS, both, distribute, is_object
from generator.applicable import applicable
from generator.arguments import OperationArguments, build_arguments
from generator.contract import is_json_media
from generator.ir import JSON, Api, Operation
from generator.markers import OWN_REQUIRED, OWNERS, PARENTS, UNION_PARTS
from generator.naming.autoname import MAX_LENGTH, RESERVED, shorten, words
from generator.naming.case import pascal
from generator.naming.model_names import ModelNames, is_object_with_properties
from generator.naming.operations import OperationName
from generator.naming.structure import canonical
from generator.naming.variants import variant_names
from generator.pointer import iter_refs, model_ref, ref_name
from generator.typemodel import ANY, Type, literal_value, schema_type
from generator.values import ModelValues, Value, value_of

_COMPOSITIONS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True)
class OperationSchemas:
    """Normalised schemas of one operation's body and success response, and what the method takes and returns
    as records (``arguments``, ``returns``): the view and ``clientgen diff`` read those."""

    body: JSON | None
    response: JSON | None
    parameters: Mapping[tuple[str, str], JSON]  # (location, name) → schema
    stream: JSON | None = None  # one event or line of the stream its success offers beside JSON
    arguments: OperationArguments = OperationArguments({}, None)
    returns: Value | None = None  # the success response's value
    chunk: Type = ANY  # the type of one event or line of its stream


@dataclass(frozen=True)
class SchemaSet:
    models: Mapping[str, JSON]  # model name → normalised schema, in name order
    operations: Mapping[str, OperationSchemas]  # operation key → its schemas
    values: ModelValues = field(default_factory=lambda: ModelValues({}))  # model name → its value (on first use)

    def resolve(self, schema: JSON) -> JSON:
        """Follow a model reference to the model's schema."""
        while isinstance(schema, dict) and "$ref" in schema:
            schema = self.models.get(ref_name(schema["$ref"]), {})
        return schema


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return (
        "number"
        if isinstance(value, float)
        else "object"
        if isinstance(value, dict)
        else "array"
        if isinstance(value, list)
        else "null"
        if value is None
        else "string"
    )


def _is_named_enum(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("enum"), list)
        and len([v for v in schema["enum"] if v is not None]) > 1
    )


def _class_admitting_null(schema: Any) -> bool:
    """Whether a component that becomes a class of its own (an enum, an object) also admits null: a class cannot
    hold null, so each reference to it must (3.0's ``nullable: true``; 3.1's ``type: [..., "null"]``; null among
    an enum's values)."""
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    becomes_class = _is_named_enum(schema) or "object" in kinds or isinstance(schema.get("properties"), dict)
    admits_null = (
        schema.get("nullable") is True
        or "null" in kinds
        or (isinstance(schema.get("enum"), list) and None in schema["enum"])
    )
    return becomes_class and admits_null


class _Normaliser:
    def __init__(self, names: ModelNames, components: Mapping[str, Any], ref_siblings: bool = False) -> None:
        self.names = names
        self.components = components
        #: OpenAPI 3.1 (JSON Schema 2020-12): keywords beside a ``$ref`` apply too; 3.0 ignores them.
        self.ref_siblings = ref_siblings
        self.component_names = frozenset(names.by_key.values())
        self.models: dict[str, JSON] = {}
        self.hoisted: dict[str, str] = {}  # canonical text of an inline schema → its model

    def resolve(self, ref: str) -> Any:
        """The component schema a ``$ref`` points at, as written (None when it points nowhere)."""
        return self.components.get(ref_name(ref))

    def model_name(self, ref: str) -> str:
        """The model name of the component schema a ``$ref`` points at."""
        key = ref_name(ref)
        return self.names.by_key.get(key, pascal(key))

    def taken_names(self) -> frozenset[str]:
        return self.component_names | frozenset(self.models)

    def fresh_name(self, base: str) -> str:
        """A free model name close to ``base``, at most ``MAX_LENGTH`` characters."""
        base = shorten(words(base))
        if base in RESERVED:
            base += "Model"
        name, number = base, 2
        while name in self.models or name in self.component_names:
            name = f"{base[: MAX_LENGTH - len(str(number))]}{number}"
            number += 1
        return name

    def add_model(self, name: str, schema: JSON) -> None:
        self.models[name] = {}  # reserve the name before recursing
        self.models[name] = self.schema(schema, name, top=True)

    def schema(self, node: Any, owner: str, top: bool = False) -> Any:
        """Normalise one schema; ``owner`` names anything hoisted out of it."""
        if isinstance(node, bool) or not isinstance(node, dict):
            return {} if node is True or not isinstance(node, dict) else {"not": {}}
        node = dict(node)
        node.pop("title", None)
        if self.ref_siblings and isinstance(node.get("$ref"), str) and TYPED_KEYS & (node.keys() - {"$ref"}):
            # ``{$ref: X, properties: {...}}``: both apply, as an ``allOf`` of the two would.
            reference = {"$ref": node.pop("$ref")}
            annotations = {key: node.pop(key) for key in ("description", "deprecated") if key in node}
            node = {**annotations, "allOf": [reference, node]}
        if isinstance(node.get("allOf"), list):
            node = self.merge_all_of(node, frozenset())
        if isinstance(node.get("$ref"), str):
            key = ref_name(node["$ref"])
            target = model_ref(self.names.by_key.get(key, pascal(key)))
            nullable = node.get("nullable") or _class_admitting_null(self.resolve(node["$ref"]))
            return {"anyOf": [target, {"type": "null"}]} if nullable else target
        node = applicable(self._nullable(node), self.resolve)
        if isinstance(node.get("default"), str) and str(node.get("format", "")).startswith(("uri", "url", "iri")):
            node.pop("format")  # a URL type would not accept its own default string
        if node.get("format") in ("email", "idn-email"):
            node.pop("format")  # pydantic's EmailStr needs email-validator, which clients do not depend on
        if (
            "anyOf" in node
            and node is not None
            and node.get("anyOf", [None])[-1] == {"type": "null"}
            and len(node) == 1
        ):
            member = node["anyOf"][0]
            if owner in self.taken_names():  # a model's own name: the member needs one of its own
                owner = variant_names(owner, node["anyOf"], None, self.resolve, self.model_name, self.taken_names())[0]
            return {"anyOf": [self.schema(member, owner), {"type": "null"}]}
        if not literal_value(node.get("const", "")):
            # A Literal holds text, integers and booleans only: other constants keep their type, not their value.
            value = node.pop("const")
            node.setdefault("type", _json_type(value))
        enum = node.get("enum")
        if isinstance(enum, list):
            values = [value for value in enum if value is not None]
            if len(values) == 1 and len(enum) == 1 and literal_value(values[0]):
                node.pop("enum")
                node["const"] = values[0]
            elif len(values) == 1 and len(enum) == 1:
                node.pop("enum")  # a Literal cannot hold it (a float, an object): the value's type instead
                node.setdefault("type", _json_type(values[0]))
            elif not top and _is_named_enum(node):
                if None in enum:  # the enum class holds the values; the use says it may be null
                    return {
                        "anyOf": [
                            self.hoist({**node, "enum": values, "type": _non_null(node.get("type"))}, owner),
                            {"type": "null"},
                        ]
                    }
                return self.hoist(node, owner)
        if not top and is_object_with_properties(node):
            return self.hoist(node, owner)
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                result[key] = {prop: self.schema(sub, owner + pascal(prop)) for prop, sub in value.items()}
            elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
                suffix = "Item" if key == "items" else "Value"
                result[key] = self.schema(value, owner + suffix)
            elif key == "allOf" and isinstance(value, list):
                # Inline parts of an allOf are the model's own fields: kept in place, never hoisted.
                result[key] = [
                    self.schema(sub, owner, top=isinstance(sub, dict) and "$ref" not in sub) for sub in value
                ]
            elif key in _COMPOSITIONS and isinstance(value, list):
                names = variant_names(
                    owner, value, node.get("discriminator"), self.resolve, self.model_name, self.taken_names()
                )
                result[key] = [self.schema(sub, name) for sub, name in zip(value, names, strict=True)]
            elif key == UNION_PARTS and isinstance(value, list):
                result[key] = [
                    [
                        self.schema(sub, name)
                        for sub, name in zip(
                            members,
                            variant_names(owner, members, None, self.resolve, self.model_name, self.taken_names()),
                            strict=True,
                        )
                    ]
                    for members in value
                ]
            elif key == "prefixItems" and isinstance(value, list):
                result[key] = [self.schema(sub, f"{owner}Item{index + 1}") for index, sub in enumerate(value)]
            else:
                # Text, numbers and booleans are immutable: only containers need copying.
                result[key] = copy.deepcopy(value) if isinstance(value, (dict, list)) else value
        self._infer_discriminator(result)
        return result

    def merge_all_of(self, node: dict[str, Any], seen: frozenset[str]) -> dict[str, Any]:
        """One object for an ``allOf`` of objects: every part's properties and required names (a property two
        parts declare is what satisfies both: ``_both``).

        Parts that are only annotations (a description, a ``required`` list)
        merge in; a part of another kind (a union) is left to the object's
        extra fields. An ``allOf`` of one typed part and annotations becomes
        that part. Anything else stays as written.
        """
        parts = [self._raw_part(part, seen) for part in node["allOf"]]
        parent_names = [self._parent_name(part) for part in node["allOf"]]
        rest = {key: value for key, value in node.items() if key != "allOf"}
        distributed = distribute(node, parts, rest, self.resolve, self._union_members)
        if distributed is not None:
            return distributed
        objects = [part for part in parts if is_object(part)]
        typed = [part for part in parts if TYPED_KEYS & part.keys()]
        if len(typed) == 1 and not TYPED_KEYS & rest.keys():
            # ``allOf: [$ref X]`` beside a description or ``nullable``: still a use of X.
            return {**rest, "allOf": [node["allOf"][parts.index(typed[0])]]}
        if objects:
            merged: dict[str, Any] = {"type": "object"}
            properties: dict[str, Any] = {}
            required: list[str] = []
            owners: dict[str, str] = {}  # inherited field → the model that declares it
            own_required: list[str] = []  # required by the model itself, not by a parent
            parents: list[str] = []
            merged_parts = [
                (p, parent_names[i]) for i, p in enumerate(parts) if is_object(p) or not (TYPED_KEYS & p.keys())
            ]
            for part, parent in [*merged_parts, (rest, None)]:
                if parent is not None:
                    parents.extend(name for name in [parent, *part.get(PARENTS, [])] if name not in parents)
                if isinstance(part.get("properties"), dict):
                    for prop, sub in part["properties"].items():
                        properties[prop] = (
                            both(properties[prop], sub, self.resolve, self._merged) if prop in properties else sub
                        )
                    for prop in part["properties"]:
                        inherited = (part.get(OWNERS) or {}).get(prop, parent) if parent is not None else None
                        if inherited is None:
                            owners.pop(prop, None)
                        else:
                            owners[prop] = inherited
                required.extend(
                    name for name in part.get("required") or [] if isinstance(name, str) and name not in required
                )
                if parent is None:
                    own_required.extend(
                        name
                        for name in part.get("required") or []
                        if isinstance(name, str) and name not in own_required
                    )
                for key, value in part.items():
                    if key not in (
                        "properties",
                        "required",
                        "type",
                        "allOf",
                        "description",
                        "title",
                        "discriminator",
                        OWNERS,
                        PARENTS,
                        OWN_REQUIRED,
                    ):
                        merged[key] = value
            merged.update({key: value for key, value in rest.items() if key not in ("properties", "required")})
            if properties:
                merged["properties"] = properties
            if required:
                merged["required"] = required
            if owners:
                merged[OWNERS] = owners
            if parents:
                merged[PARENTS] = parents
                merged[OWN_REQUIRED] = own_required
            unions = [members for part in node["allOf"] if (members := self._union_members(part)) is not None]
            if unions:
                merged[UNION_PARTS] = unions
            return merged
        return node

    def _merged(self, node: dict[str, Any]) -> dict[str, Any]:
        return self.merge_all_of(node, frozenset())

    def _union_members(self, part: Any) -> list[Any] | None:
        """The members of an ``allOf`` part that is only a ``oneOf`` or ``anyOf`` (inline or a reference)."""
        if isinstance(part, dict) and isinstance(part.get("$ref"), str):
            part = self.components.get(ref_name(part["$ref"]))
        if not isinstance(part, dict) or is_object(part):
            return None
        unions = [part[key] for key in ("oneOf", "anyOf") if isinstance(part.get(key), list)]
        return unions[0] if len(unions) == 1 and not ({"properties", "allOf", "$ref"} & part.keys()) else None

    def _parent_name(self, part: Any) -> str | None:
        """The model an ``allOf`` part inherits from, if it is a reference."""
        if isinstance(part, dict) and isinstance(part.get("$ref"), str):
            key = ref_name(part["$ref"])
            return self.names.by_key.get(key, pascal(key))
        return None

    def _raw_part(self, part: Any, seen: frozenset[str]) -> dict[str, Any]:
        """A part of an ``allOf`` as written, references followed (each once) and nested ``allOf``s merged."""
        if not isinstance(part, dict):
            return {}
        if isinstance(part.get("$ref"), str):
            key = ref_name(part["$ref"])
            target = self.components.get(key)
            if key in seen or not isinstance(target, dict):
                return {"$ref": part["$ref"]}  # a cycle or a dangling reference: keep it a reference
            if not is_object(target) and not isinstance(target.get("allOf"), list):
                return {"$ref": part["$ref"]}  # a non-object model stays a reference to it
            part, seen = target, seen | {key}
        if isinstance(part.get("allOf"), list):
            return self.merge_all_of(dict(part), seen)
        return dict(part)

    def hoist(self, node: dict[str, Any], base: str) -> dict[str, str]:
        """A model for an inline schema; identical inline schemas share the first one's model."""
        signature = canonical(node, lambda key: key)
        name = self.hoisted.get(signature)
        if name is None:
            name = self.fresh_name(base)
            self.hoisted[signature] = name
            self.add_model(name, node)
        return model_ref(name)

    def _nullable(self, node: dict[str, Any]) -> dict[str, Any]:
        """3.0's ``nullable: true`` → 3.1's ``type: [T, "null"]`` (or ``anyOf`` with null)."""
        if not node.pop("nullable", False):
            return node
        kind = node.get("type")
        if isinstance(kind, str):
            node["type"] = [kind, "null"]
            if isinstance(node.get("enum"), list) and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        elif "$ref" in node or any(key in node for key in _COMPOSITIONS):
            return {"anyOf": [node, {"type": "null"}]}
        return node

    def _infer_discriminator(self, node: dict[str, Any]) -> None:
        """``oneOf`` of models that each fix one shared property to a distinct constant."""
        variants = node.get("oneOf") or node.get("anyOf")
        if "discriminator" in node or not isinstance(variants, list) or len(variants) < 2:
            return
        targets = [
            self.models.get(ref_name(v["$ref"])) if isinstance(v, dict) and "$ref" in v else None for v in variants
        ]
        if any(not isinstance(target, dict) for target in targets):
            return
        shared: set[str] | None = None
        for target in targets:
            assert isinstance(target, dict)
            required = set(target.get("required") or [])
            constant = {
                prop
                for prop, sub in (target.get("properties") or {}).items()
                if prop in required
                and isinstance(sub, dict)
                and "const" in sub
                and isinstance(sub["const"], (str, bool, int))
            }
            shared = constant if shared is None else shared & constant
        for prop in sorted(shared or ()):
            values = [target["properties"][prop]["const"] for target in targets if isinstance(target, dict)]
            if len(set(map(repr, values))) == len(values):
                node["discriminator"] = {"propertyName": prop}
                return


def _non_null(kind: Any) -> Any:
    if isinstance(kind, list):
        rest = [item for item in kind if item != "null"]
        return rest[0] if len(rest) == 1 else rest
    return kind


def response_schema(operation: Operation) -> JSON:
    """What a call returns: the body of its success response; when several successes (200, 201...) have
    different JSON bodies, the union of them, in status order."""
    success = operation.success
    assert success is not None
    if success.media_type is None or not is_json_media(success.media_type):
        return success.schema
    bodies: list[JSON] = []
    for response in operation.successes:
        if (
            response.schema is not None
            and response.media_type is not None
            and is_json_media(response.media_type)
            and response.schema not in bodies
        ):
            bodies.append(response.schema)
    return bodies[0] if len(bodies) == 1 else {"anyOf": bodies}


def build_schema_set(api: Api, names: ModelNames, operations: Mapping[str, OperationName]) -> SchemaSet:
    normaliser = _Normaliser(names, api.schemas, ref_siblings=api.openapi_version.startswith("3.1"))
    canonical = names.canonical_key
    # Models are built leaves-first so that discriminators can see their variants.
    for name in sorted(canonical):
        normaliser.models[name] = {}
    pending = sorted(canonical)
    for name in pending:
        normaliser.add_model(name, api.schemas[canonical[name]])
    for name in pending:  # a second pass sees every variant's final shape
        normaliser._infer_discriminator(normaliser.models[name])
    operation_schemas: dict[str, OperationSchemas] = {}
    for operation in sorted(api.operations, key=lambda item: item.key):
        method = pascal(operations[operation.key].stem or operations[operation.key].method)
        resource = pascal(operations[operation.key].resource)
        prefix = method if method not in normaliser.models else resource + method
        body = None
        if operation.body is not None:
            body_schema = operation.body.schema
            if isinstance(body_schema, dict):
                body_schema = applicable(body_schema, normaliser.resolve)
            if is_object_with_properties(body_schema) and "$ref" not in body_schema:
                # Flattened into keyword arguments: normalise property by property.
                body = normaliser.schema(
                    {k: v for k, v in body_schema.items() if k != "properties"}, prefix + "Body", top=True
                )
                body["properties"] = {
                    prop: normaliser.schema(sub, prefix + pascal(prop))
                    for prop, sub in body_schema["properties"].items()
                }
            else:
                body = normaliser.schema(body_schema, prefix + "Body")
        response = None
        success = operation.success
        if success is not None and success.schema is not None:
            response = normaliser.schema(response_schema(operation), prefix + "Response")
        parameters: dict[tuple[str, str], JSON] = {
            (parameter.location, parameter.name): normaliser.schema(
                parameter.schema, prefix + pascal(parameter.name), top=True
            )
            for parameter in operation.parameters
        }
        stream = None
        if success is not None and success.stream_schema is not None:
            stream = normaliser.schema(success.stream_schema, prefix + "Chunk")
        operation_schemas[operation.key] = OperationSchemas(body, response, parameters, stream)
    models = _break_alias_cycles({name: normaliser.models[name] for name in sorted(normaliser.models)})
    result = SchemaSet(models, operation_schemas, ModelValues(models))
    # What each method takes, once every model is final (a body's union members are read through them).
    for operation in api.operations:
        found = operation_schemas[operation.key]
        operation_schemas[operation.key] = replace(
            found,
            arguments=build_arguments(operation, found.parameters, found.body, result.resolve),
            returns=None if found.response is None else value_of(found.response),
            chunk=ANY if found.stream is None else schema_type(found.stream),
        )
    return result


def _break_alias_cycles(models: dict[str, JSON]) -> dict[str, JSON]:
    """A list of itself (``A = list[A]``) recurses with no class in between; model generation cannot
    spell it (it writes a bare ``list``). Within such a cycle the inner references become ``Any``."""
    aliases = {
        name for name, schema in models.items() if not is_object_with_properties(schema) and not _is_named_enum(schema)
    }
    edges = {name: {ref_name(ref) for _, ref in iter_refs(models[name])} & aliases for name in aliases}
    on_cycle: set[str] = set()
    for name in sorted(name for name in aliases if edges[name]):
        seen: set[str] = set()
        stack = list(edges[name])
        while stack:
            current = stack.pop()
            if current == name:
                on_cycle.add(name)
                break
            if current not in seen:
                seen.add(current)
                stack.extend(edges[current])
    if not on_cycle:
        return models
    result = dict(models)
    for name in on_cycle:
        result[name] = _without_refs_to(models[name], on_cycle)
    return result


def _without_refs_to(node: Any, names: set[str]) -> Any:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and ref_name(node["$ref"]) in names:
            return {}
        return {key: _without_refs_to(value, names) for key, value in node.items()}
    if isinstance(node, list):
        return [_without_refs_to(item, names) for item in node]
    return node
