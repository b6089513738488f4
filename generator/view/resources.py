"""Resources: the operations of one tag become one module and class, for one variant."""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping
from dataclasses import replace

from generator.contract import auth_scheme, default_requirement, operation_requirement
from generator.ir import Api, Operation
from generator.naming.autoname import RESERVED
from generator.naming.case import pascal
from generator.naming.identifiers import is_unsafe
from generator.naming.operations import OperationName
from generator.pagination import Paging
from generator.schemas import SchemaSet
from generator.typemodel import ANY, NONE, Callable, Primitive, members
from generator.view.annotate import BUILTIN_TYPES, Annotator, Imports, requirement_literal
from generator.view.docstrings import docstring_text
from generator.view.methods import MethodBuilder
from generator.view.shapes import ChildView, MethodView, PagingView, ParserView, ResourceView, RouteView, Variant
from generator.view.wire import route_arguments

#: What every resource module imports from the runtime; a module with methods needs the rest too.
_RUNTIME_CLASSES = frozenset({"AsyncAPIClient", "SyncAPIClient"})
_RUNTIME_FOR_METHODS = frozenset(
    {
        "NOT_GIVEN",
        "NotGiven",
        "Route",
        "Timeout",
        "async_to_raw_response_wrapper",
        "async_to_streamed_response_wrapper",
        "to_raw_response_wrapper",
        "to_streamed_response_wrapper",
    }
)
# Builtins, and what resource modules import (the runtime's ``Timeout``, typing's ``Any``...).
_BUILTIN_NAMES = frozenset(dir(builtins)) | RESERVED


def build_resources(
    api: Api,
    schemas: SchemaSet,
    operation_names: Mapping[str, OperationName],
    variant: Variant,
    client_names: frozenset[str],
    paging: Mapping[str, Paging] | None = None,
) -> tuple[ResourceView, ...]:
    grouped: dict[str, list[Operation]] = {}
    for operation in api.operations:
        path = operation_names[operation.key].resource_path
        for depth in range(1, len(path)):  # a parent with only nested resources still exists
            grouped.setdefault(".".join(path[:depth]), [])
        grouped.setdefault(".".join(path), []).append(operation)
    taken = frozenset(schemas.models) | client_names
    modules = _module_names(sorted(grouped))
    classes = {dotted: resource_class_name(dotted, taken) for dotted in grouped}
    resources = []
    for dotted in sorted(grouped):
        children = tuple(
            ChildView(child.rsplit(".", 1)[-1], classes[child], modules[child])
            for child in sorted(grouped)
            if child.rpartition(".")[0] == dotted
        )
        resource = _resource(api, schemas, operation_names, variant, dotted, grouped[dotted], taken, paging or {})
        resources.append(replace(resource, class_name=classes[dotted], module=modules[dotted], children=children))
    return tuple(resources)


def _module_names(dotted_names: list[str]) -> dict[str, str]:
    """``customers.cards`` → ``customers_cards``, unless a top-level resource has that name."""
    result: dict[str, str] = {}
    used: set[str] = {name for name in dotted_names if "." not in name}
    for dotted in dotted_names:
        if "." not in dotted:
            result[dotted] = dotted
            continue
        base = dotted.replace(".", "_")
        candidate, number = base, 2
        while candidate in used:
            candidate = f"{base}_{number}"
            number += 1
        used.add(candidate)
        result[dotted] = candidate
    return result


def _resource(
    api: Api,
    schemas: SchemaSet,
    operation_names: Mapping[str, OperationName],
    variant: Variant,
    attribute: str,
    operations: list[Operation],
    taken: frozenset[str],
    paging: Mapping[str, Paging],
) -> ResourceView:
    imports = Imports(runtime=set(_RUNTIME_CLASSES | (_RUNTIME_FOR_METHODS if operations else frozenset())))
    # A method named ``list`` hides the builtin from the annotations of the class body.
    shadowed = frozenset(operation_names[operation.key].method for operation in operations) & BUILTIN_TYPES
    annotate = Annotator(variant, imports, shadowed)
    builder = MethodBuilder(schemas, variant, imports, auth_scheme(api), shadowed)
    methods: list[MethodView] = []
    routes: list[RouteView] = []
    parsers: list[ParserView] = []
    pagings: list[PagingView] = []
    operations = sorted(operations, key=lambda op: operation_names[op.key].method)
    for operation in operations:
        naming = operation_names[operation.key]
        constant = naming.method.upper()
        requirement = operation_requirement(api, operation)
        security = None if requirement == default_requirement(api) else requirement_literal(requirement)
        wire, wire_names = route_arguments(operation, auth_scheme(api))
        imports.runtime.update(wire_names)
        route = RouteView(f"_{constant}_ROUTE", operation.method, operation.path, security, wire)
        page = paging.get(operation.key)
        page_constant = f"_{constant}_PAGING" if page is not None else None
        method = builder.build(operation, naming, route.constant, f"_{constant}_RESPONSE", page_constant, page)
        if method.paging and page is not None and page_constant is not None:
            imports.runtime.add("Paging")
            pagings.append(PagingView(page_constant, paging_expression(page)))
        parsers.append(_parser(method, variant, imports, annotate))
        routes.append(route)
        methods.append(method)
    tag_docs = [op.tags[0] for op in operations if op.tags]
    return ResourceView(
        attribute=attribute.rsplit(".", 1)[-1],
        dotted=attribute,
        class_name=resource_class_name(attribute, taken),
        module=attribute,
        docstring=docstring_text(
            f"Operations on {attribute.replace('_', ' ').replace('.', ' ')}"
            + (f" (tag {tag_docs[0]!r})." if tag_docs else ".")
        ),
        methods=tuple(methods),
        routes=tuple(routes),
        parsers=tuple(parsers),
        model_imports=tuple(sorted(imports.models)),
        typing_imports=tuple(sorted(imports.typing)),
        runtime_imports=tuple(sorted(imports.runtime)),
        import_lines=imports.lines(),
        pagings=tuple(pagings),
    )


def paging_expression(page: Paging) -> str:
    """The runtime ``Paging(...)`` of one operation, as Python source (names are JSON strings)."""
    parts = [json.dumps(page.style), f"items={_tuple(page.items)}"]
    if page.param:
        parts.append(f"param={json.dumps(page.param)}")
    if page.cursor:
        parts.append(f"cursor={_tuple(page.cursor)}")
    if page.has_more:
        parts.append(f"has_more={_tuple(page.has_more)}")
    if page.size_param:
        parts.append(f"size_param={json.dumps(page.size_param)}")
    return f"Paging({', '.join(parts)})"


def _tuple(parts: tuple[str, ...]) -> str:
    inner = ", ".join(json.dumps(part) for part in parts)
    return f"({inner},)" if len(parts) == 1 else f"({inner})"


def resource_class_name(attribute: str, taken: frozenset[str]) -> str:
    """``pets`` → ``Pets``, or ``PetsResource`` when a model or client class (imported beside it) has that
    name, or when the name is a keyword or a builtin (tag ``true`` → ``TrueResource``, ``exception``)."""
    name = pascal(attribute)
    names = {
        name,
        f"Async{name}",
        f"{name}WithRawResponse",
        f"Async{name}WithRawResponse",
        f"{name}WithStreamingResponse",
        f"Async{name}WithStreamingResponse",
    }
    clashes = names & taken
    return f"{name}Resource" if clashes or is_unsafe(name) or name in _BUILTIN_NAMES else name


def _parser(method: MethodView, variant: Variant, imports: Imports, annotate: Annotator) -> ParserView:
    """How a call's body becomes its result. pydantic validates models; otherwise the decoded body is
    returned as it is, except that a call whose return type excludes None refuses an empty or ``null``
    body (``not_none``), so that no variant returns None where its annotation does not say so."""
    returns = method.event_type
    annotation = annotate(Callable((Primitive("object"),), returns))
    if variant == "pydantic" and returns not in (NONE, ANY, Primitive("str"), Primitive("bytes")):
        imports.runtime.add("model_parser")
        return ParserView(method.parser, f"model_parser({annotate(returns)})", annotation)
    if method.call == "request" and returns != ANY and NONE not in members(returns):
        imports.runtime.add("not_none")
        return ParserView(method.parser, "not_none", annotation)
    imports.runtime.add("passthrough")
    return ParserView(method.parser, "passthrough", annotation)
