"""Lenient responses, the default: a body that fails validation is still returned.

Real APIs drift from their specs (a field the spec says is a number arrives as
a string, a required field goes missing), and one drifted field should not
fail a whole call. A pydantic client parses each body strictly first; when
that fails, ``LenientModelParser`` builds the result field by field: each
field that validates is validated, each one that does not keeps the value the
API sent, fields the spec does not know are kept, and a warning names the
model and field (once per model and field in a process). Only a body that
cannot take the documented shape at all (no object where a model is
documented, or an empty body) still raises ``APIResponseValidationError``.
A client made with ``strict_response_validation=True`` raises on any
mismatch, as before.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Union, cast, get_args, get_origin, get_type_hints

from .constants import T
from .log import logger
from .models import ModelParser

#: (model, field) pairs already warned about.
_WARNED: set[tuple[str, str]] = set()
#: Each strict parser's lenient twin (parsers are module constants: this stays small).
_LENIENT: dict[int, tuple[ModelParser, LenientModelParser]] = {}
_ADAPTERS: dict[int, tuple[object, Any]] = {}
_UNSHAPED: Any = object()


def lenient_parser(parse: Callable[[object], T]) -> Callable[[object], T]:
    """``parse``, made lenient when it validates models; other parsers are returned as they are."""
    if not isinstance(parse, ModelParser) or isinstance(parse, LenientModelParser):
        return parse
    found = _LENIENT.get(id(parse))
    if found is None:
        found = _LENIENT[id(parse)] = (parse, LenientModelParser(parse))
    return cast("Callable[[object], T]", found[1])


class LenientModelParser(ModelParser):
    """Validates like its strict twin; when that fails, keeps what the API sent (see the module)."""

    def __init__(self, strict: ModelParser) -> None:
        super().__init__(strict._tp)
        self._strict = strict

    def _get_adapter(self) -> Any:
        return self._strict._get_adapter()

    def __call__(self, data: object) -> Any:
        try:
            return super().__call__(data)
        except ValueError:  # pydantic's ValidationError
            shaped = _shape(self._tp, data)
            if shaped is _UNSHAPED:
                raise
            return shaped


def _adapter(tp: object) -> Any:
    found = _ADAPTERS.get(id(tp))
    if found is None:
        pydantic = importlib.import_module("pydantic")
        found = _ADAPTERS[id(tp)] = (tp, pydantic.TypeAdapter(tp))
    return found[1]


def _shape(tp: Any, data: object) -> Any:
    """``data`` as ``tp`` where it fits, field by field; ``_UNSHAPED`` when it cannot take that shape."""
    try:
        return _adapter(tp).validate_python(data)
    except ValueError:
        pass
    pydantic = importlib.import_module("pydantic")
    origin = get_origin(tp)
    if origin is Annotated:
        return _shape(get_args(tp)[0], data)
    if hasattr(tp, "__value__"):  # a TypeAliasType: ``Shape = TypeAliasType(...)``
        return _shape(_alias_value(tp), data)
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        if not isinstance(data, Mapping):
            return _UNSHAPED
        return _model(tp, cast("Mapping[str, object]", data))
    if origin in (list, Sequence) and isinstance(data, list):
        (item,) = get_args(tp) or (Any,)
        return [_kept(item, value) for value in cast("list[object]", data)]
    if origin in (dict, Mapping) and isinstance(data, Mapping):
        arguments = get_args(tp)
        value_type = arguments[1] if len(arguments) == 2 else Any
        return {
            key: _kept(value_type, value)
            for key, value in cast("Mapping[str, object]", data).items()
        }
    if origin in (Union, types.UnionType):
        for member in get_args(tp):
            shaped = _shape(member, data)
            if shaped is not _UNSHAPED:
                return shaped
    return _UNSHAPED


def _alias_value(alias: Any) -> Any:
    """The type an alias names; one written as a string (it names a later or another module's class) is
    resolved in the module that defines it, as pydantic does: a string given to a TypeAdapter here would
    be looked up in this module, and fail with PydanticUserError."""
    value = alias.__value__
    if not isinstance(value, str):
        return value
    holder = type(
        "_AliasValue",
        (),
        {"__annotations__": {"value": value}, "__module__": alias.__module__},
    )
    try:
        return get_type_hints(holder, include_extras=True)["value"]
    except Exception:  # a name the module lacks: nothing to shape by
        return Any


def _kept(tp: Any, data: object) -> Any:
    shaped = _shape(tp, data)
    return data if shaped is _UNSHAPED else shaped


def _model(model: Any, data: Mapping[str, object]) -> Any:
    fields: Mapping[str, Any] = model.model_fields
    by_wire = {field.alias or name: name for name, field in fields.items()}
    values: dict[str, object] = {}
    for key, raw in data.items():
        name = by_wire.get(key, key if key in fields else None)
        if name is None:
            values[key] = (
                raw  # a field the spec does not know: kept, as extra="allow" does
            )
            continue
        annotation = fields[name].annotation
        try:
            values[name] = _adapter(annotation).validate_python(raw)
        except ValueError as error:
            _warn(model, key, _reason(error))
            values[name] = _kept(annotation, raw)
    for name, field in fields.items():
        if field.is_required() and name not in values:
            _warn(model, field.alias or name, "it is required but missing")
    return model.model_construct(**values)


def _reason(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        found = cast("list[dict[str, Any]]", errors(include_input=False))
        if found:
            return str(found[0].get("msg", "invalid"))
    return "invalid"


def _warn(model: Any, field: str, reason: str) -> None:
    key = (f"{model.__module__}.{model.__qualname__}", field)
    if key in _WARNED:
        return
    _WARNED.add(key)
    logger.warning(
        "%s.%s does not match the API's schema (%s); the response keeps it as sent. "
        "Pass strict_response_validation=True to the client to raise APIResponseValidationError instead.",
        model.__qualname__,
        field,
        reason,
    )
