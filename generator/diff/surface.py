"""The public surface of a generated package as typed records: the methods, the public names, where each is used.

Built from what ``api.txt`` is built from: the package view's methods (their
arguments and return types, type-model values) and the model definitions. A
model's use is found in the type model, not in the schemas: the methods whose
arguments (request) or return values and error bodies (response) hold it,
directly, through other models or through a child class that inherits its
fields (``allOf``). ``compare`` reads the directions to judge a change and the
methods to say where it reaches; a model no method uses says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from generator.modeldefs import AliasModel, EnumModel, ModelDef, ObjectModel, TaggedUnion
from generator.pipeline import Analysis
from generator.pointer import iter_refs, ref_name
from generator.typemodel import Model, Type, walk
from generator.variants import VARIANTS, variants_of
from generator.view.resources import build_resources

Direction = Literal["request", "response"]
Use = Literal["request", "response", "both", "unused"]


@dataclass(frozen=True)
class MethodSurface:
    """One method as a user calls it: ``resource.method``, its route, what it takes and returns."""

    name: str
    route: str  # METHOD /path
    arguments: tuple[tuple[str, Type], ...]  # (argument, type) as the signature says
    returns: Type
    errors: tuple[str, ...] = ()  # models that parse its response bodies beside the return type: errors, pages
    body: tuple[str, ...] = ()  # models of a request body it takes as keyword arguments (one per field)
    keyword_body: str = ""  # the body model (a ``$ref``) whose properties are its keyword arguments
    keyword_fields: tuple[tuple[str, str], ...] = ()  # that model's properties: (JSON name, argument)


@dataclass(frozen=True)
class Reach:
    """Where a public name is used: the methods (by direction) and the child classes that inherit its fields."""

    request: frozenset[str] = frozenset()
    response: frozenset[str] = frozenset()
    children: frozenset[str] = frozenset()

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(sorted(self.request | self.response))

    @property
    def use(self) -> Use:
        if self.request and self.response:
            return "both"
        if self.request:
            return "request"
        return "response" if self.response else "unused"

    @property
    def directions(self) -> frozenset[Direction]:
        found: set[Direction] = set()
        if self.request:
            found.add("request")
        if self.response:
            found.add("response")
        return frozenset(found)


@dataclass(frozen=True)
class Surface:
    methods: tuple[MethodSurface, ...]
    models: Mapping[str, ModelDef]
    reach: Mapping[str, Reach]

    def reach_of(self, name: str) -> Reach:
        return self.reach.get(name, Reach())


def kind_of(model: ModelDef) -> str:
    """How the user knows a public name: a model class, an enum, a tagged union or an alias (``X = int``)."""
    if isinstance(model, ObjectModel):
        return "model"
    if isinstance(model, EnumModel):
        return "enum"
    return "union" if isinstance(model, TaggedUnion) else "alias"


def references(model: ModelDef) -> Iterable[str]:
    """The models a model's own definition names."""
    if isinstance(model, ObjectModel):
        for field in model.fields:
            yield from _models_in(field.type)
        if model.extra is not None:
            yield from _models_in(model.extra)
    elif isinstance(model, TaggedUnion):
        yield from (name for _, name in model.variants)
    elif isinstance(model, AliasModel):
        yield from _models_in(model.type)


def _models_in(value: Type) -> Iterable[str]:
    return (node.name for node in walk(value) if isinstance(node, Model))


def methods_of(analysis: Analysis) -> tuple[MethodSurface, ...]:
    """Every method of the pydantic client, with the models its error responses parse."""
    errors: dict[str, tuple[str, ...]] = {}
    bodies: dict[str, tuple[str, ...]] = {}
    keyword_bodies: dict[str, str] = {}
    keyword_properties: dict[str, frozenset[str]] = {}
    for operation in analysis.api.operations:
        names = [
            analysis.model_names.by_key.get(ref_name(ref))
            for response in operation.responses
            if response is not operation.success and response.schema is not None
            for _, ref in iter_refs(response.schema)
        ]
        errors[operation.key] = tuple(dict.fromkeys(name for name in names if name))
        schemas = analysis.schemas.operations.get(operation.key)
        if schemas is not None:
            # A body model's fields are the method's keyword arguments: the method uses the model even
            # though no argument's type names it.
            bodies[operation.key] = tuple(dict.fromkeys(ref_name(ref) for _, ref in iter_refs(schemas.body)))
            body = schemas.arguments.body
            if body is not None and body.model:
                keyword_bodies[operation.key] = body.model
                keyword_properties[operation.key] = frozenset(field.wire_name for field in body.properties)
            # A paginated method returns items, not the page model; the page model still parses its responses.
            errors[operation.key] += tuple(
                name for name in dict.fromkeys(ref_name(ref) for _, ref in iter_refs(schemas.response))
            )
    primary = variants_of(VARIANTS[0].family, VARIANTS)  # the pydantic clients
    resources = build_resources(analysis.api, analysis.schemas, analysis.operation_names, primary, {}, analysis.paging)
    result = []
    for resource in resources:
        routes = {route.constant: f"{route.method} {route.path}" for route in resource.routes}
        for method in resource.methods:
            route = routes[method.route]
            arguments = tuple((argument.name, argument.type) for argument in (*method.positional, *method.keyword))
            model = keyword_bodies.get(route, "")
            properties = keyword_properties.get(route, frozenset())
            fields = tuple(
                (argument.wire_name, argument.name) for argument in method.keyword if argument.wire_name in properties
            )
            # A JSON-or-stream method's chunks are parsed from its responses too.
            chunks = tuple(_models_in(method.stream_choice.chunk)) if method.stream_choice is not None else ()
            result.append(
                MethodSurface(
                    f"{resource.dotted}.{method.name}" if resource.dotted else method.name,  # ``chat``: the client's
                    route,
                    arguments,
                    method.returns if not method.streams else method.event_type,
                    (*errors.get(route, ()), *chunks),
                    bodies.get(route, ()),
                    model,
                    fields,
                )
            )
    return tuple(sorted(result, key=lambda item: item.name))


def build_surface(analysis: Analysis) -> Surface:
    models = {model.name: model for model in analysis.models}
    methods = methods_of(analysis)
    named = {name: tuple(dict.fromkeys(references(model))) for name, model in models.items()}
    children: dict[str, set[str]] = {}
    for name, model in models.items():
        for parent in model.parents if isinstance(model, ObjectModel) else ():
            children.setdefault(parent, set()).add(name)
    request: dict[str, set[str]] = {}
    response: dict[str, set[str]] = {}
    for method in methods:
        roots: list[tuple[dict[str, set[str]], Iterable[str]]] = [
            (request, (*(name for _, value in method.arguments for name in _models_in(value)), *method.body)),
            (response, (*_models_in(method.returns), *method.errors)),
        ]
        for found, start in roots:
            pending, seen = list(start), set()
            while pending:
                name = pending.pop()
                if name in seen:
                    continue
                seen.add(name)
                found.setdefault(name, set()).add(method.name)
                pending.extend(named.get(name, ()))
    reach: dict[str, Reach] = {}
    for name in models:
        # A parent's fields live on in its children: their methods are the parent's too.
        family, pending = {name}, list(children.get(name, ()))
        while pending:
            child = pending.pop()
            if child not in family:
                family.add(child)
                pending.extend(children.get(child, ()))
        reach[name] = Reach(
            frozenset(method for member in family for method in request.get(member, ())),
            frozenset(method for member in family for method in response.get(member, ())),
            frozenset(family - {name}),
        )
    return Surface(methods, models, reach)


#: Where model names are written in the generated client: (owner, slot). The owner is a model's name or
#: ``route:METHOD /path``; the slot a field, argument or return value of it, or what an alias or union names.
Slot = tuple[str, str]


def positions(surface: Surface) -> dict[Slot, tuple[str, ...]]:
    """The models named in each slot, in order: each model's fields, aliases and variants, each method's signature."""
    found: dict[Slot, tuple[str, ...]] = {}

    def note(owner: str, slot: str, names: Iterable[str]) -> None:
        written = tuple(dict.fromkeys(names))
        if written:
            found[(owner, slot)] = written

    for name, model in surface.models.items():
        if isinstance(model, ObjectModel):
            for field in model.fields:
                note(name, "field:" + field.wire_name, _models_in(field.type))
            if model.extra is not None:
                note(name, "extra", _models_in(model.extra))
        elif isinstance(model, AliasModel):
            note(name, "alias", _models_in(model.type))
        elif isinstance(model, TaggedUnion):
            note(name, "alias", (variant for _, variant in model.variants))  # a union, tagged or not
    for method in surface.methods:
        owner = "route:" + method.route
        for argument, value in method.arguments:
            note(owner, "argument:" + argument, _models_in(value))
        note(owner, "return", _models_in(method.returns))
        note(owner, "body", method.body)
        note(owner, "responses", method.errors)
    return found
