"""Resources: the operations of one tag become one module of one family, with a class per variant."""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping

from generator.contract import (
    IdempotencyKeys,
    auth_scheme,
    default_requirement,
    makes_idempotency_key,
    operation_requirement,
)
from generator.ir import Api, Operation
from generator.naming.autoname import RESERVED
from generator.naming.case import pascal
from generator.naming.identifiers import is_unsafe
from generator.naming.operations import OperationName
from generator.pagination import Paging
from generator.prelaid import assigned_call, definition, parser_constant, returned_call
from generator.schemas import SchemaSet
from generator.typemodel import ANY, NONE, Callable, Literal, Primitive, Runtime, Type, members, union
from generator.variants import Execution, Family, Variant, resource_class_names
from generator.view.annotate import BUILTIN_TYPES, Annotator, Imports, requirement_literal
from generator.view.docstrings import docstring_text
from generator.view.methods import MethodBuilder, variant_returns
from generator.view.shapes import (
    HeldView,
    ImportView,
    MethodView,
    OverloadView,
    PagingView,
    ParserView,
    ResourceClassView,
    ResourceView,
    RouteView,
    StreamChoice,
    VariantMethodView,
)
from generator.view.wire import route_arguments

#: What every resource module imports from the runtime (the client classes its variants hold come from the
#: variants); a module with methods needs the rest too, and its variants' response wrappers.
_RUNTIME_FOR_METHODS = frozenset({"NOT_GIVEN", "NotGiven", "Route", "Timeout"})
# Builtins, and what resource modules import (the runtime's ``Timeout``, typing's ``Any``...).
_BUILTIN_NAMES = frozenset(dir(builtins)) | RESERVED
# Where a class's members stand, and their bodies.
_MEMBER = " " * 4
_BODY = " " * 8
#: The module (``resources/_client_methods.py``) and class (``ClientMethods``) of the client's own methods.
CLIENT_METHODS = "client_methods"


def build_resources(
    api: Api,
    schemas: SchemaSet,
    operation_names: Mapping[str, OperationName],
    variants: tuple[Variant, ...],
    client_names: Mapping[str, str],
    paging: Mapping[str, Paging] | None = None,
    idempotency_keys: IdempotencyKeys = "declared",
) -> tuple[ResourceView, ...]:
    """Every resource module of one family (its ``variants``), nested resources included, in dotted order;
    ``client_names``: every client's class, by its setting; ``idempotency_keys``: the configuration's."""
    grouped: dict[str, list[Operation]] = {}
    for operation in api.operations:
        path = operation_names[operation.key].resource_path
        for depth in range(1, len(path)):  # a parent with only nested resources still exists
            grouped.setdefault(".".join(path[:depth]), [])
        grouped.setdefault(".".join(path), []).append(operation)  # "": the client's own methods
    taken = frozenset(schemas.models) | frozenset(client_names.values())
    modules = _module_names(sorted(grouped))
    executions = tuple(variant.execution for variant in variants)
    # Every resource's classes are named in its family's resources package: none may take another's name. The
    # top-level resources are named first (``customers_cards`` keeps ``CustomersCards`` from ``customers.cards``).
    classes: dict[str, str] = {}
    for dotted in sorted(grouped, key=lambda dotted: (dotted.count("."), dotted)):
        classes[dotted] = resource_class_name(dotted or CLIENT_METHODS, taken, executions)
        taken |= {name for execution in executions for name in resource_class_names(classes[dotted], execution).all}
    resources = []
    for dotted in sorted(grouped):
        # The client holds the top-level resources itself, not through its own methods' class.
        children = [child for child in sorted(grouped) if dotted and child.rpartition(".")[0] == dotted]
        resource = _Resource(
            api, schemas, operation_names, variants, dotted, classes[dotted], modules[dotted], idempotency_keys
        )
        resources.append(
            resource.build(
                grouped[dotted], paging or {}, [(child, classes[child], modules[child]) for child in children]
            )
        )
    return tuple(resources)


def held(dotted: str, base: str, module: str, variant: Variant, package: str, holder: str, wrapped: str) -> HeldView:
    """A resource as its client or parent holds it in one variant (``module``: where its classes are;
    ``package``: the name the holding module gives the resources package; ``holder``: what the main class
    passes the resource's class, ``wrapped``: the attribute the wrappers' classes hold it from)."""
    attribute = dotted.rsplit(".", 1)[-1]
    names = resource_class_names(base, variant.execution)

    def held_property(cls: str, argument: str) -> tuple[str, ...]:
        return definition(_MEMBER, attribute, "self", f"{package}.{cls}") + returned_call(
            _BODY, f"{package}.{cls}", argument
        )

    return HeldView(
        attribute,
        names,
        module,
        main=held_property(names.main, holder),
        raw=held_property(names.raw, f"{wrapped}.{attribute}"),
        streaming=held_property(names.streaming, f"{wrapped}.{attribute}"),
    )


def namespace(family: Family, attributes: set[str]) -> str:
    """The name a module gives its family's resources package (``resources``), through which it names the classes of
    the resources it holds: ``_resources`` when one of a class's ``attributes`` has the package's name (in a class
    body, the attribute would hide the package from its own annotation)."""
    package = family.resources_package
    return f"_{package}" if package in attributes else package


def imported(module: str, base: str, variants: tuple[Variant, ...]) -> ImportView:
    """Every class of one resource module (of one family) that its client module or parent module imports."""
    names = [name for variant in variants for name in resource_class_names(base, variant.execution).all]
    return ImportView(module, tuple(names))


def _module_names(dotted_names: list[str]) -> dict[str, str]:
    """``customers.cards`` → ``customers_cards``, unless a top-level resource has that name."""
    result: dict[str, str] = {"": f"_{CLIENT_METHODS}"}  # a leading underscore: no tag makes that name
    used: set[str] = {name for name in dotted_names if "." not in name}
    for dotted in dotted_names:
        if not dotted:
            continue
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


class _Resource:
    """One resource module being built: its family, its name, and the imports its code collects."""

    def __init__(
        self,
        api: Api,
        schemas: SchemaSet,
        operation_names: Mapping[str, OperationName],
        variants: tuple[Variant, ...],
        dotted: str,
        class_name: str,
        module: str,
        idempotency_keys: IdempotencyKeys = "declared",
    ) -> None:
        self.api = api
        self.idempotency_keys: IdempotencyKeys = idempotency_keys
        self.schemas = schemas
        self.operation_names = operation_names
        self.family = variants[0].family
        self.dotted = dotted
        self.class_name = class_name
        self.module = module
        self.variants = variants
        self.imports = Imports(runtime={variant.execution.base_client for variant in self.variants})

    def build(
        self, operations: list[Operation], paging: Mapping[str, Paging], children: list[tuple[str, str, str]]
    ) -> ResourceView:
        """The module; ``children``: (dotted name, class name, module) of each nested resource."""
        if operations:
            self.imports.runtime.update(_RUNTIME_FOR_METHODS)
            for variant in self.variants:
                self.imports.runtime.update({variant.execution.raw_wrapper, variant.execution.streaming_wrapper})
        operations = sorted(operations, key=lambda op: self.operation_names[op.key].method)
        # A method named ``list`` hides the builtin from the annotations of the class body.
        shadowed = frozenset(self.operation_names[operation.key].method for operation in operations) & BUILTIN_TYPES
        annotate = Annotator(self.family.flavour, self.imports, shadowed)
        builder = MethodBuilder(
            self.schemas, self.family, self.imports, auth_scheme(self.api), shadowed, self.idempotency_keys
        )
        methods: list[MethodView] = []
        routes: list[RouteView] = []
        parsers: list[ParserView] = []
        pagings: list[PagingView] = []
        taken_names = {self.operation_names[operation.key].method for operation in operations}
        for operation in operations:
            naming = self.operation_names[operation.key]
            constant = naming.method.upper()
            requirement = operation_requirement(self.api, operation)
            security = None if requirement == default_requirement(self.api) else requirement_literal(requirement)
            wire, wire_names = route_arguments(operation, auth_scheme(self.api))
            self.imports.runtime.update(wire_names)
            route = _route(
                f"_{constant}_ROUTE",
                operation.method,
                operation.path,
                security,
                wire,
                makes_idempotency_key(operation, self.idempotency_keys),
            )
            page = paging.get(operation.key)
            page_constant = f"_{constant}_PAGING" if page is not None else None
            method = builder.build(
                operation, naming, route.constant, f"_{constant}_RESPONSE", page_constant, page, f"_{constant}_CHUNK"
            )
            if method.paging and page is not None and page_constant is not None:
                self.imports.runtime.add("Paging")
                pagings.append(PagingView(page_constant, paging_expression(page)))
            parsers.append(_parser(method, self.family, self.imports, annotate))
            choice = method.stream_choice
            if choice is not None:
                parsers.append(
                    _parser_of(choice.parser, choice.chunk, choice.call, self.family, self.imports, annotate)
                )
            routes.append(route)
            methods.append(method)
            twin = builder.separate_stream(operation, method, f"_{constant}_CHUNK")
            if twin is not None and twin.name not in taken_names:
                taken_names.add(twin.name)
                parsers.append(_parser(twin, self.family, self.imports, annotate))
                methods.append(twin)
        tag_docs = [op.tags[0] for op in operations if op.tags]
        package = (
            namespace(self.family, {*taken_names, *(child.rsplit(".", 1)[-1] for child, _, _ in children)})
            if children
            else ""
        )
        classes = tuple(self._variant_class(variant, methods, children, annotate, package) for variant in self.variants)
        return ResourceView(
            family=self.family,
            attribute=self.dotted.rsplit(".", 1)[-1],
            dotted=self.dotted,
            class_name=self.class_name,
            module=self.module,
            docstring=docstring_text(
                f"Operations on {self.dotted.replace('_', ' ').replace('.', ' ')}"
                + (f" (tag {tag_docs[0]!r})." if tag_docs else ".")
                if self.dotted
                else "The client's own methods: endpoints that are no resource's (``client.chat(...)``)."
            ),
            methods=tuple(methods),
            routes=tuple(routes),
            parsers=tuple(parsers),
            model_imports=tuple(sorted(self.imports.models)),
            typing_imports=tuple(sorted(self.imports.typing)),
            runtime_imports=tuple(sorted(self.imports.runtime)),
            import_lines=self.imports.lines(),
            namespace=package,
            classes=classes,
            pagings=tuple(pagings),
        )

    def _variant_class(
        self,
        variant: Variant,
        methods: list[MethodView],
        children: list[tuple[str, str, str]],
        annotate: Annotator,
        package: str,
    ) -> ResourceClassView:
        execution = variant.execution
        # The client's own methods are a base class of the client: they call the runtime client they are.
        receiver = "self" if not self.dotted else "self._client"
        defined = []
        for method in methods:
            returns = variant_returns(method.call, method.event_type, execution)
            paged = method.call == "request_page"
            choice = method.stream_choice
            overloads: tuple[OverloadView, ...] = ()
            condition = ""
            streamed: Type | None = None
            if choice is not None:
                streamed = variant_returns(choice.call, choice.chunk, execution)
                overloads = _overloads(method, choice, returns, streamed, annotate, self.imports)
                condition = f"{choice.argument} is not False" if choice.default else f"{choice.argument} is True"
                returns = union(returns, streamed)
            elif method.required_sets:
                overloads = _required_overloads(method, annotate(returns), annotate, self.imports)
            defined.append(
                VariantMethodView(
                    method,
                    execution.page_define if paged else execution.define,
                    execution.page_awaits if paged else execution.awaits,
                    returns,
                    annotate(returns),
                    receiver,
                    execution.page_call if paged else method.call,
                    overloads,
                    condition,
                    streamed,
                    _wrapped(method.name, execution.raw_wrapper),
                    _wrapped(method.name, execution.streaming_wrapper),
                )
            )
        base = execution.base_client if not self.dotted else None
        holder = "self" if base else "self._client"  # the client's own methods' class is the client
        return ResourceClassView(
            variant=variant,
            names=resource_class_names(self.class_name, execution),
            children=tuple(
                held(dotted, base, module, variant, package, holder, "self._resource")
                for dotted, base, module in children
            ),
            methods=tuple(defined),
            base=base,
        )


def _overloads(
    method: MethodView, choice: StreamChoice, whole: Type, streamed: Type, annotate: Annotator, imports: Imports
) -> tuple[OverloadView, ...]:
    """A JSON-or-stream method's overloads: the argument left out (the API's default), the other value,
    then any ``bool`` (either answer)."""
    imports.typing.add("overload")
    left_out, other, either = stream_overload_types(choice)
    default_answer, other_answer = (streamed, whole) if choice.default else (whole, streamed)
    first = f"{choice.argument}: {annotate(left_out)}" + ("" if choice.required else " = NOT_GIVEN")

    def declaring(declaration: str) -> tuple[str, ...]:
        return tuple(declaration if a.name == choice.argument else a.declaration for a in method.keyword)

    return (
        OverloadView(declaring(first), annotate(default_answer)),
        OverloadView(declaring(f"{choice.argument}: {annotate(other)}"), annotate(other_answer)),
        OverloadView(declaring(f"{choice.argument}: {annotate(either)}"), annotate(union(whole, streamed))),
    )


#: At most this many overloads for the sets of arguments a body needs; beyond, the check alone guards the call.
MAX_REQUIRED_OVERLOADS = 8


def required_overload_sets(method: MethodView) -> tuple[frozenset[str], ...]:
    """The sets of arguments each overload of a method makes required: one set of each union of the body
    (their product), or none when a JSON-or-stream method is overloaded already or the product is too large."""
    if method.stream_choice is not None or not method.required_sets:
        return ()
    combined: list[frozenset[str]] = [frozenset()]
    for sets in method.required_sets:
        combined = [chosen | set(names) for chosen in combined for names in sets]
        if len(combined) > MAX_REQUIRED_OVERLOADS:
            return ()
    chosen = tuple(dict.fromkeys(combined))
    # One overload alone is an error to type checkers (mypy: "Single overload definition"): one set is left to the check.
    return chosen if len(chosen) > 1 else ()


def _required_overloads(
    method: MethodView, returns: str, annotate: Annotator, imports: Imports
) -> tuple[OverloadView, ...]:
    """A method whose body needs one of several sets of optional arguments: one overload per set, its
    arguments without a default, so that a type checker refuses a call that gives none."""
    chosen = required_overload_sets(method)
    if chosen:
        imports.typing.add("overload")
    return tuple(
        OverloadView(
            tuple(f"{a.name}: {annotate(a.type)}" if a.name in names else a.declaration for a in method.keyword),
            returns,
        )
        for names in chosen
    )


def stream_overload_types(choice: StreamChoice) -> tuple[Type, Type, Type]:
    """How the three overloads declare ``stream``: left out (the API's default, or None where the property
    may be null), the other value, any ``bool``."""
    null = (NONE,) if choice.nullable else ()
    left_out = union(Literal((choice.default,)), *(() if choice.required else (Runtime("NotGiven"),)), *null)
    return left_out, Literal((not choice.default,)), union(Primitive("bool"), *null)


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


def resource_class_name(attribute: str, taken: frozenset[str], executions: tuple[Execution, ...]) -> str:
    """``pets`` → ``Pets``, or ``PetsResource`` when a class of it in one of ``executions``
    (``AsyncPetsWithRawResponse``) is the name of a model or client class imported beside it, or when the
    name is a keyword or a builtin (tag ``true`` → ``TrueResource``, ``exception``)."""
    name = pascal(attribute)
    names = {each for execution in executions for each in resource_class_names(name, execution).all}
    clashes = names & taken
    return f"{name}Resource" if clashes or is_unsafe(name) or name in _BUILTIN_NAMES else name


def _parser(method: MethodView, family: Family, imports: Imports, annotate: Annotator) -> ParserView:
    """How a call's body becomes its result. A family that validates parses models; otherwise the decoded
    body is returned as it is, except that a call whose return type excludes None refuses an empty or
    ``null`` body (``not_none``), so that no variant returns None where its annotation does not say so."""
    return _parser_of(method.parser, method.event_type, method.call, family, imports, annotate)


def _parser_of(
    constant: str, returns: Type, call: str, family: Family, imports: Imports, annotate: Annotator
) -> ParserView:
    annotation = annotate(Callable((Primitive("object"),), returns))
    if family.validates and returns not in (NONE, ANY, Primitive("str"), Primitive("bytes")):
        imports.runtime.add("model_parser")
        return _parser_view(constant, f"model_parser({annotate(returns)})", annotation, annotate(returns))
    if call == "request" and returns != ANY and NONE not in members(returns):
        imports.runtime.add("not_none")
        return _parser_view(constant, "not_none", annotation, annotate(returns))
    imports.runtime.add("passthrough")
    return _parser_view(constant, "passthrough", annotation, annotate(returns))


def _wrapped(name: str, wrapper: str) -> tuple[str, ...]:
    """A method as a response wrapper's ``__init__`` holds it: ``self.create = wrapper(resource.create)``."""
    return assigned_call(f"self.{name}", wrapper, (f"resource.{name}",), _BODY)


def tojson(value: str) -> str:
    """Jinja's ``tojson`` filter of a string, which the templates wrote routes with (without importing jinja2:
    ``clientgen diff`` builds views and renders nothing)."""
    text = json.dumps(value, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def _route(
    constant: str, method: str, path: str, security: str | None, wire: tuple[str, ...], makes_key: bool
) -> RouteView:
    """A route constant, its statement laid out when its arguments are plain strings and the security literal
    (black does not split those); a string with escapes or other than ASCII (which black may rewrite, or measure by
    its width) or wire arguments leave it on one line for black."""
    strings = (tojson(method), tojson(path))
    arguments = (
        *strings,
        *(() if security is None else (f"security={security}",)),
        *wire,
        *(("makes_idempotency_key=True",) if makes_key else ()),
    )
    plain = not wire and all(argument.isascii() and "\\" not in argument for argument in arguments)
    laid = assigned_call(constant, "Route", arguments) if plain else (f"{constant} = Route({', '.join(arguments)})",)
    return RouteView(constant, method, path, security, wire, makes_key, laid)


def _parser_view(constant: str, expression: str, annotation: str, returns: str) -> ParserView:
    """A parser constant, its statement laid out (when its annotation is the ``Callable`` prelaid knows)."""
    laid = (
        parser_constant(constant, returns, expression)
        if annotation == f"Callable[[object], {returns}]"
        else (f"{constant}: {annotation} = {expression}",)
    )
    return ParserView(constant, expression, annotation, laid)
