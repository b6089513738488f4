"""Which old model is which new one, for ``clientgen diff``: by readable name, schema key, identical structure
or position, so that a name the naming absorbs is no change and a renamed model is one finding. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generator.diff.shape import Shape, component_names, similarity
from generator.modeldefs import ModelDef, ObjectModel
from generator.naming.structure import canonical, structural_classes
from generator.pipeline import Analysis
from generator.pointer import SCHEMA_PREFIX
from generator.typemodel import DictOf, ListOf, Model, Type, Union
from generator.values import NO_SCHEMA, Value


def parallel_refs(old: Type, new: Type) -> Iterable[tuple[str, str]]:
    """Pairs of models that sit at the same place in two types: list items, dict values, union members."""
    if isinstance(old, Model) and isinstance(new, Model):
        yield old.name, new.name
    elif isinstance(old, ListOf) and isinstance(new, ListOf):
        yield from parallel_refs(old.item, new.item)
    elif isinstance(old, DictOf) and isinstance(new, DictOf):
        yield from parallel_refs(old.value, new.value)
    elif isinstance(old, Union) and isinstance(new, Union) and len(old.members) == len(new.members):
        for old_member, new_member in zip(old.members, new.members, strict=True):
            yield from parallel_refs(old_member, new_member)


def _parallel_fields(old: ObjectModel, new: ObjectModel) -> Iterable[tuple[str, str]]:
    """Pairs of models at the same field of two object models, and in their additional properties."""
    new_fields = {field.wire_name: field for field in new.fields}
    for field in sorted(old.fields, key=lambda field: field.wire_name):
        if field.wire_name in new_fields:
            yield from parallel_refs(field.type, new_fields[field.wire_name].type)
    if old.extra is not None and new.extra is not None:
        yield from parallel_refs(old.extra, new.extra)


def _parallel_definitions(
    old: ModelDef, new: ModelDef, old_shape: Shape, new_shape: Shape
) -> Iterable[tuple[str, str]]:
    """Pairs of models at the same place in two model definitions."""
    if isinstance(old, ObjectModel) and isinstance(new, ObjectModel):
        yield from _parallel_fields(old, new)
    elif not isinstance(old, ObjectModel) and not isinstance(new, ObjectModel):
        yield from parallel_refs(old_shape.definition_type(old.name), new_shape.definition_type(new.name))


def _parallel_places(old: Value | None, new: Value | None) -> Iterable[tuple[str, str]]:
    """Pairs of models at the same place in an operation's body, response or parameter on both sides; a body
    written in place with its properties pairs field by field."""
    old, new = old or NO_SCHEMA, new or NO_SCHEMA
    old_object, new_object = _in_place(old), _in_place(new)
    if old_object and new_object:
        new_fields = dict(new.fields.values)
        for name, field in sorted(old.fields.values, key=lambda item: item[0]):
            if name in new_fields:
                yield from parallel_refs(field.type, new_fields[name].type)
        if old.extra is not None and new.extra is not None:
            yield from parallel_refs(old.extra.type, new.extra.type)
    elif not old_object and not new_object:
        yield from parallel_refs(old.type, new.type)


def _in_place(value: Value) -> bool:
    return value.has_properties and not isinstance(value.type, Model)


#: How alike a removed and an added model at the same place must be to count as one renamed model.
RENAME_SIMILARITY = 0.5


def match_models(old: Analysis, new: Analysis) -> dict[str, str]:
    """Old component model name → new component model name.

    By readable name first, then by schema key (the rename map or automatic
    naming changed the name), then repeatedly by identical content and by
    position (the model a kept operation or field now refers to instead) when
    the two are structurally alike (``RENAME_SIMILARITY``), since a renamed
    parent also renames the models hoisted out of it. Hoisted inline models
    are not matched: they are compared where they are used.
    """
    old_shape, new_shape = shape_of(old), shape_of(new)
    old_models = {name: schema for name, schema in old.schemas.models.items() if name in old_shape.components}
    new_models = {name: schema for name, schema in new.schemas.models.items() if name in new_shape.components}
    matching = {name: name for name in old_models if name in new_models}
    taken = set(matching.values())
    for name in sorted(set(old_models) - set(matching)):
        for key in old.model_names.keys_of(name):
            target = new.model_names.by_key.get(key)
            if target is not None and target not in taken and target in new_models:
                matching[name] = target
                taken.add(target)
                break
    # Identical structure, recursion included (a whole family of models renamed at once).
    for name, target in _identical(old_models, new_models, matching).items():
        if name not in matching and target not in taken:
            matching[name] = target
            taken.add(target)
    shared_operations = sorted(set(old.schemas.operations) & set(new.schemas.operations))
    while True:
        if not set(old_models) - set(matching) or not set(new_models) - taken:
            return matching  # one side has no model left to pair (the usual case): nothing below can find one
        found = False
        new_texts: dict[str, list[str]] = {}
        for name in sorted(set(new_models) - taken):
            new_texts.setdefault(canonical(new_models[name], lambda target: target), []).append(name)
        for name in sorted(set(old_models) - set(matching)):
            text = canonical(old_models[name], lambda target: matching.get(target, "\0" + target))
            candidates = [candidate for candidate in new_texts.get(text, []) if candidate not in taken]
            if len(candidates) == 1:
                matching[name] = candidates[0]
                taken.add(candidates[0])
                found = True
        pairs: list[tuple[str, str]] = []
        for name, target in sorted(matching.items()):
            old_model, new_model = old_shape.definitions[name], new_shape.definitions[target]
            pairs.extend(_parallel_definitions(old_model, new_model, old_shape, new_shape))
        for key in shared_operations:
            before, after = old.schemas.operations[key], new.schemas.operations[key]
            old_body, new_body = before.arguments.body, after.arguments.body
            places = [
                (old_body.value if old_body else None, new_body.value if new_body else None),
                (before.returns, after.returns),
            ]
            old_parameters, new_parameters = before.arguments.parameters, after.arguments.parameters
            places.extend(
                (old_parameters[place].value, new_parameters[place].value)
                for place in sorted(set(old_parameters) & set(new_parameters))
            )
            for old_schema, new_schema in places:
                pairs.extend(_parallel_places(old_schema, new_schema))
        proposals: dict[str, set[str]] = {}
        for old_ref, new_ref in pairs:
            if old_ref not in matching and new_ref not in taken and old_ref in old_models and new_ref in new_models:
                proposals.setdefault(old_ref, set()).add(new_ref)
        for name, targets in sorted(proposals.items()):
            target = next(iter(targets))
            if (
                len(targets) == 1
                and target not in taken
                and similarity(old_shape.definitions[name], new_shape.definitions[target], old_shape, new_shape)
                >= RENAME_SIMILARITY
            ):
                matching[name] = target
                taken.add(target)
                found = True
        if not found:
            return matching


def _identical(
    old_models: Mapping[str, Any], new_models: Mapping[str, Any], matching: Mapping[str, str]
) -> dict[str, str]:
    """Old → new models that are structurally identical and the only such pair, references compared by structure."""
    if not set(old_models) - set(matching) or not set(new_models) - set(matching.values()):
        return {}  # every model of one side is matched already: nothing is left to pair (the usual case, and costly)
    combined: dict[str, Any] = {}
    for side, models in (("old", old_models), ("new", new_models)):
        for name, schema in models.items():
            combined[f"{side}:{name}"] = _prefixed(schema, side)
    # Models already matched stand for each other: one class from the start.
    for name, target in matching.items():
        if name in old_models and target in new_models:
            combined[f"old:{name}"] = combined[f"new:{target}"] = {"matched": name}
    classes = structural_classes(combined)
    members: dict[int, list[str]] = {}
    for key, number in classes.items():
        members.setdefault(number, []).append(key)
    result: dict[str, str] = {}
    for keys in members.values():
        olds = [key[4:] for key in keys if key.startswith("old:") and key[4:] not in matching]
        news = [key[4:] for key in keys if key.startswith("new:")]
        news = [name for name in news if name not in set(matching.values())]
        if len(olds) == 1 and len(news) == 1:
            result[olds[0]] = news[0]
    return result


def _prefixed(node: Any, side: str) -> Any:
    """A schema whose model references name ``side:Model``."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
            return {"$ref": SCHEMA_PREFIX + side + ":" + ref[len(SCHEMA_PREFIX) :]}
        return {
            key: _prefixed(value, side)
            if key != "properties"
            else {prop: _prefixed(sub, side) for prop, sub in value.items()}
            if isinstance(value, dict)
            else value
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_prefixed(item, side) for item in node]
    return node


def shape_of(analysis: Analysis) -> Shape:
    return Shape(analysis.schemas.values, component_names(analysis.model_names.by_key), analysis.models)
