"""The public API listing (``api.txt``): every method and model of a package, as text.

One line per method (signature and HTTP route) and per model field (type and
whether it is required), sorted, with nothing that changes between runs, so
that an ordinary pull-request diff of ``api.txt`` shows what changes for the
people who use the client. Pure: built from the package view and the model definitions, whose
types are the ones the code says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from generator.modeldefs import AliasModel, EnumModel, ModelDef, ObjectModel, TaggedUnion
from generator.text import listing, one_line
from generator.typemodel import Runtime, literal_source, render, union
from generator.variants import SYNC
from generator.view.methods import variant_returns
from generator.view.resources import required_overload_sets, stream_overload_types
from generator.view.shapes import ArgumentView, MethodView, PackageView, RouteView

API_LIST = "api.txt"


def _declaration(argument: ArgumentView) -> str:
    if argument.default is None:
        return f"{argument.name}: {render(argument.type)}"
    value = union(argument.type, Runtime("NotGiven")) if argument.default == "NOT_GIVEN" else argument.type
    return f"{argument.name}: {render(value)} = {argument.default}"


def method_signature(method: MethodView) -> str:
    """``name(positional, *, keyword=NOT_GIVEN) -> Return`` as a user calls it."""
    parts = [_declaration(argument) for argument in method.positional]
    if method.keyword:
        parts.append("*")
        parts.extend(_declaration(argument) for argument in method.keyword)
    return f"{method.name}({', '.join(parts)}) -> {render(method.returns)}"


def method_signatures(method: MethodView) -> list[str]:
    """The method's signature; an overloaded method's overloads, one a line: a JSON-or-stream method's
    ``stream`` argument left out (the API's default), its other value, any ``bool``; a method whose body needs
    one of several sets of arguments, one line per set, that set required."""
    choice = method.stream_choice
    if choice is None:
        chosen = required_overload_sets(method)
        if not chosen:
            return [method_signature(method)]
        return [
            method_signature(
                replace(
                    method,
                    keyword=tuple(
                        replace(argument, default=None) if argument.name in names else argument
                        for argument in method.keyword
                    ),
                )
            )
            for names in chosen
        ]
    whole = method.returns
    streamed = variant_returns(choice.call, choice.chunk, SYNC)
    default, other = (streamed, whole) if choice.default else (whole, streamed)
    left_out, given, either = stream_overload_types(choice)
    left_default = None if choice.required else "NOT_GIVEN"
    overloads = ((left_out, left_default, default), (given, None, other), (either, None, union(whole, streamed)))
    lines = []
    for value, value_default, returns in overloads:
        keyword = tuple(
            replace(argument, type=value, default=value_default) if argument.name == choice.argument else argument
            for argument in method.keyword
        )
        lines.append(method_signature(replace(method, keyword=keyword, returns=returns)))
    return lines


def model_lines(model: ModelDef) -> list[str]:
    """The lines that describe one model: its kind, then one line per field."""
    if isinstance(model, EnumModel):
        return [f"enum {model.name}({model.base}): {', '.join(literal_source(value) for _, value in model.members)}"]
    if isinstance(model, ObjectModel):
        lines = [f"model {model.name}"]
        for field in sorted(model.fields, key=lambda item: item.wire_name):
            marker = "" if field.required else "?"
            lines.append(f"    {listing(field.wire_name)}{marker}: {render(field.type)}")
        if model.extra is not None:
            lines.append(f"    [str]: {render(model.extra)}")
        return lines
    if isinstance(model, TaggedUnion):
        variants = ", ".join(f"{literal_source(tag)}: {name}" for tag, name in model.variants)
        return [f"union {model.name} by {listing(model.wire_name)}: {variants}"]
    assert isinstance(model, AliasModel)
    return [f"model {model.name} = {render(model.type)}"]


def _routes(routes: tuple[RouteView, ...]) -> Mapping[str, RouteView]:
    return {route.constant: route for route in routes}


def build_api_list(view: PackageView, models: Sequence[ModelDef]) -> str:
    """The text of ``api.txt``."""
    lines = [
        f"# Public API of the {view.package} package ({one_line(view.title)} {listing(view.api_version)}), listed by clientgen.",
        "# Generated with the package; review its diff: it is what changes for the client's users.",
        "# Model fields carry their JSON names; '?' marks an optional field.",
        "",
        f"client {' / '.join(client.names.main for client in view.clients)}",
    ]
    lines.extend(
        f"    auth {credential.argument}: {credential.kind} {listing(credential.name)} (scheme {listing(credential.scheme)})".rstrip()
        for credential in view.credentials
    )
    lines.append(f"    security: {view.security}")
    lines.extend(
        f"    environment {listing(environment.name)}: {listing(environment.url)}" for environment in view.environments
    )
    for resource in sorted(view.resources, key=lambda item: item.dotted):
        if not resource.methods:
            continue
        lines.append("")
        lines.append(f"resource {resource.dotted}" if not resource.is_client else "client methods")
        routes = _routes(resource.routes)
        for method in sorted(resource.methods, key=lambda item: item.name):
            route = routes[method.route]
            lines.extend(f"    {signature}" for signature in method_signatures(method))
            lines.append(
                f"        {route.method} {listing(route.path)}"
                + (f" security={route.security}" if route.security is not None else "")
            )
            if method.paging:
                lines.append(f"        {method.paging}")
    for model in sorted(models, key=lambda item: item.name):
        lines.append("")
        lines.extend(model_lines(model))
    return "\n".join(lines) + "\n"
