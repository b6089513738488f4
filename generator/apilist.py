"""The public API listing (``api.txt``): every method and model of a package, as text.

One line per method (signature and HTTP route) and per model field (type and
whether it is required), sorted, with nothing that changes between runs, so
that an ordinary pull-request diff of ``api.txt`` shows what changes for the
people who use the client. Pure: built from the package view and schema set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.schemas import SchemaSet
from generator.text import listing, one_line
from generator.view.annotate import Annotator, Imports, literal
from generator.view.shapes import MethodView, PackageView, RouteView

API_LIST = "api.txt"


def method_signature(method: MethodView) -> str:
    """``name(positional, *, keyword=NOT_GIVEN) -> Return`` as a user calls it."""
    parts = [argument.declaration for argument in method.positional]
    if method.keyword:
        parts.append("*")
        parts.extend(argument.declaration for argument in method.keyword)
    return f"{method.name}({', '.join(parts)}) -> {method.return_annotation}"


def model_lines(name: str, schema: Any, annotate: Annotator) -> list[str]:
    """The lines that describe one model: its kind, then one line per field."""
    if not isinstance(schema, dict):
        return [f"model {name} = Any"]
    if isinstance(schema.get("enum"), list) and "properties" not in schema:
        values = " | ".join(literal(value) for value in schema["enum"])
        return [f"enum {name}: {values}"]
    properties = schema.get("properties")
    if isinstance(properties, dict) and properties:
        required = set(schema.get("required") or [])
        lines = [f"model {name}"]
        for prop in sorted(properties):
            marker = "" if prop in required else "?"
            lines.append(f"    {listing(prop)}{marker}: {annotate(properties[prop])}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            lines.append(f"    [str]: {annotate(extra)}")
        return lines
    return [f"model {name} = {annotate(schema)}"]


def _routes(routes: tuple[RouteView, ...]) -> Mapping[str, RouteView]:
    return {route.constant: route for route in routes}


def build_api_list(view: PackageView, schemas: SchemaSet) -> str:
    """The text of ``api.txt``."""
    lines = [
        f"# Public API of the {view.package} package ({one_line(view.title)} {listing(view.api_version)}), listed by clientgen.",
        "# Generated with the package; review its diff: it is what changes for the client's users.",
        "# Model fields carry their JSON names; '?' marks an optional field.",
        "",
        f"client {view.client_class} / {view.async_client_class} / {view.typed_client_class} / {view.async_typed_client_class}",
    ]
    lines.extend(
        f"    auth {credential.argument}: {credential.kind} {listing(credential.name)} (scheme {listing(credential.scheme)})".rstrip()
        for credential in view.credentials
    )
    lines.append(f"    security: {view.security}")
    lines.extend(f"    environment {listing(environment.name)}: {listing(environment.url)}" for environment in view.environments)
    for resource in sorted(view.resources, key=lambda item: item.dotted):
        if not resource.methods:
            continue
        lines.append("")
        lines.append(f"resource {resource.dotted}")
        routes = _routes(resource.routes)
        for method in sorted(resource.methods, key=lambda item: item.name):
            route = routes[method.route]
            lines.append(f"    {method_signature(method)}")
            lines.append(f"        {route.method} {listing(route.path)}" + (f" security={route.security}" if route.security is not None else ""))
            if method.paging:
                lines.append(f"        {method.paging}")
    annotate = Annotator(schemas, "pydantic", Imports())
    for name in sorted(schemas.models):
        lines.append("")
        lines.extend(model_lines(name, schemas.models[name], annotate))
    return "\n".join(lines) + "\n"
