"""The one adapter between wire values and a generated method's arguments, for the conformance harness.

The generator's own view of each method (``MethodView``: its arguments and their
wire names, and the runtime call it renders, ``path_params={...}``, ``json=...``)
says which argument feeds which part of the request. :func:`method_records`
turns that view into :class:`MethodRecord` s; :func:`arguments_for` turns wire
values (a parameter's value, a body drawn from the spec's schema) into the
keyword arguments one client variant takes: pydantic models for the model
clients (validated through the method's own annotation), plain dicts for the
typed ones, and uploads in a different one of the runtime's upload forms per
variant (bytes, a file object, ``(name, bytes)``, ``(name, file, content type)``).
When call shapes change (issue 19), only this module changes.
"""

from __future__ import annotations

import ast
import importlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from generator.typemodel import Primitive, Runtime, Type, walk
from generator.view.shapes import MethodView, PackageView, ResourceView

Location = Literal["path", "query", "header", "cookie", "body", "field", "file"]
Variant = Literal["sync", "async", "typed", "async_typed"]
VARIANTS: tuple[Variant, ...] = ("sync", "async", "typed", "async_typed")

_KEYWORDS: Mapping[str, Location] = {
    "path_params": "path",
    "query": "query",
    "headers": "header",
    "cookies": "cookie",
    "json": "field",
    "form": "field",
    "files": "file",
    "content": "body",
}


@dataclass(frozen=True)
class Slot:
    """One argument of a method: where its value travels and under which wire name (``""``: the whole body)."""

    argument: str
    location: Location
    wire_name: str
    required: bool
    annotation: str
    type: Type
    positional: bool = False

    @property
    def upload(self) -> bool:
        """Takes a file in any of the runtime's upload forms (``FileContent``)."""
        return any(isinstance(node, Runtime) and node.name == "FileContent" for node in walk(self.type))

    @property
    def binary(self) -> bool:
        """Takes bytes or a file (an upload, a raw body)."""
        return any(
            (isinstance(node, Runtime) and node.name == "FileContent")
            or (isinstance(node, Primitive) and node.kind == "bytes")
            for node in walk(self.type)
        )


@dataclass(frozen=True)
class MethodRecord:
    """A generated method as the harness calls it."""

    resource: str  # dotted attribute path on the client: ``customers.cards``
    name: str
    module: str  # the resource module, ``resources.customers_cards`` or ``typed_resources.…``
    http_method: str
    path: str
    slots: tuple[Slot, ...]
    streams: bool
    paged: bool
    #: A JSON-or-stream method: the keyword argument that asks for the stream, and what leaving it out means.
    stream_argument: str | None = None
    stream_default: bool = False
    #: The body needs one of some sets of optional arguments (``MethodView.required_sets``).
    needs_one_of: bool = False

    def streams_with(self, kwargs: dict[str, Any]) -> bool:
        """Whether this call answers with a stream (a JSON-or-stream method streams when its argument says so)."""
        if self.stream_argument is None:
            return self.streams
        asked = kwargs.get(self.stream_argument)
        return self.stream_default if asked is None else bool(asked)

    @property
    def key(self) -> str:
        return f"{self.http_method} {self.path}"

    @property
    def needs_body(self) -> bool:
        """A body field is a required argument, or the body needs one of some sets of its optional fields
        (the method refuses a call without one), even where the spec says the body itself is optional."""
        return self.needs_one_of or any(
            slot.required and slot.location in ("field", "file", "body") for slot in self.slots
        )

    @property
    def label(self) -> str:
        return f"{self.resource}.{self.name}"


def method_records(view: PackageView, typed: bool) -> list[MethodRecord]:
    """Every method of the package's pydantic (or typed) resources, with its argument slots."""
    module = next(module for module in view.modules if module.family.name == ("typed" if typed else "pydantic"))
    folder = module.family.resources_package
    return [_record(resource, method, folder) for resource in module.resources for method in resource.methods]


def _record(resource: ResourceView, method: MethodView, folder: str) -> MethodRecord:
    routes = {route.constant: route for route in resource.routes}
    route = routes[method.route]
    return MethodRecord(
        resource=resource.dotted,
        name=method.name,
        module=f"{folder}.{resource.module}",
        http_method=route.method,
        path=route.path,
        slots=tuple(_slots(method)),
        streams=method.streams,
        paged=bool(method.paging),
        stream_argument=method.stream_choice.argument if method.stream_choice is not None else None,
        stream_default=method.stream_choice.default if method.stream_choice is not None else False,
        needs_one_of=bool(method.required_sets),
    )


def _slots(method: MethodView) -> list[Slot]:
    """The arguments with their locations, read from the runtime call the method renders."""
    arguments = {argument.name: argument for argument in (*method.positional, *method.keyword)}
    positional = {argument.name for argument in method.positional}
    located: dict[str, tuple[Location, str]] = {}
    for text in method.call_arguments:
        keyword, _, source = text.partition("=")
        location = _KEYWORDS.get(keyword)
        if location is None:
            continue
        expression = ast.parse(source, mode="eval").body
        if isinstance(expression, ast.Dict):
            for key, value in zip(expression.keys, expression.values, strict=True):
                wire = ast.literal_eval(key) if key is not None else ""
                for name in _names(value):
                    if name in arguments:
                        located.setdefault(name, (location, wire))
        else:
            for name in _names(expression):
                if name in arguments:
                    located.setdefault(name, ("body", ""))
    slots = []
    for name, argument in arguments.items():
        location, wire = located.get(name, ("body", argument.wire_name))
        slots.append(
            Slot(
                argument=name,
                location=location,
                wire_name=wire,
                required=argument.default is None,
                annotation=argument.annotation,
                type=argument.type,
                positional=name in positional,
            )
        )
    return slots


def _names(node: ast.AST) -> list[str]:
    return [child.id for child in ast.walk(node) if isinstance(child, ast.Name)]


@dataclass(frozen=True)
class WireValues:
    """What one call should put on the wire, by location and wire name; ``body``: the whole body instance."""

    path: Mapping[str, Any]
    query: Mapping[str, Any]
    header: Mapping[str, Any]
    cookie: Mapping[str, Any]
    body: Any = None
    has_body: bool = False


class ArgumentError(Exception):
    """A wire value the method's own annotation refuses (a pydantic model that does not accept a valid instance)."""


def arguments_for(
    record: MethodRecord, values: WireValues, variant: Variant, package: ModuleType
) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments for ``record`` in ``variant``, carrying ``values``."""
    module = importlib.import_module(f"{package.__name__}.{record.module}") if variant in ("sync", "async") else None
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for slot in record.slots:
        found, value = _wire_value(slot, values)
        if not found:
            if slot.required:
                raise ArgumentError(
                    f"no value for required argument {slot.argument} ({slot.location} {slot.wire_name!r})"
                )
            continue
        if slot.binary and slot.location in ("file", "body", "field"):
            value = _as_bytes(value)
            if slot.upload:
                value = _upload_form(value, variant)
        if module is not None and not slot.binary:
            value = _validated(slot, value, module)
        if slot.positional:
            positional.append(value)
        else:
            keywords[slot.argument] = value
    return positional, keywords


def _wire_value(slot: Slot, values: WireValues) -> tuple[bool, Any]:
    if slot.location == "body" or (slot.location == "field" and slot.wire_name == ""):
        return values.has_body, values.body
    if slot.location in ("field", "file"):
        if isinstance(values.body, dict) and slot.wire_name in values.body:
            return True, values.body[slot.wire_name]
        return False, None
    source: Mapping[str, Any] = getattr(values, slot.location)
    return (slot.wire_name in source), source.get(slot.wire_name)


def _as_bytes(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, list):
        return [_as_bytes(item) for item in value]
    return value


def _upload_form(value: Any, variant: Variant) -> Any:
    """Each variant sends uploads in another form ``FileContent`` admits, so every form meets every spec."""
    if isinstance(value, list):
        return [_upload_form(item, variant) for item in value]
    if not isinstance(value, bytes):
        return value
    if variant == "async":
        return io.BytesIO(value)
    if variant == "typed":
        return ("upload.bin", value)
    if variant == "async_typed":
        # The three-item form with no content type of its own: the one the document declares applies
        # (a caller's explicit type wins, so naming octet-stream here would send it to an image/png body).
        return ("upload.bin", io.BytesIO(value), None)
    return value


_ADAPTERS: dict[tuple[str, str], Any] = {}


def _validated(slot: Slot, value: Any, module: ModuleType) -> Any:
    """The value as the annotation wants it (a model from a dict), through pydantic, in the method's module."""
    from pydantic import TypeAdapter

    key = (module.__name__, slot.annotation)
    adapter = _ADAPTERS.get(key)
    if adapter is None:
        namespace = dict(vars(module))
        annotation = slot.annotation.replace("| NotGiven", "").replace("NotGiven |", "")
        # The TypedDict a pydantic client's argument also takes (``| _types.Address``) stays out: the harness
        # passes models there, and pydantic refuses typing.TypedDict before Python 3.12.
        annotation = re.sub(r"\s*\|\s*_types\.\w+", "", annotation)
        try:
            hint = eval(annotation, namespace)  # noqa: S307 - the generator's own annotation text
            adapter = TypeAdapter(hint)
        except Exception as exc:
            raise ArgumentError(
                f"annotation {slot.annotation!r} of {slot.argument} cannot be evaluated: {exc}"
            ) from exc
        _ADAPTERS[key] = adapter
    try:
        return adapter.validate_python(value)
    except Exception as exc:
        raise ArgumentError(
            f"{slot.argument}: {slot.annotation} refuses a value the spec's schema accepts: {_short(exc)}"
        ) from exc


def _short(exc: Exception) -> str:
    text = str(exc).replace("\n", " ")
    return text[:300]
