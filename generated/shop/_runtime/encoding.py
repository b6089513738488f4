"""Request encoding: values on the wire (query, path, header and cookie parameters)
and request bodies (JSON, url-encoded forms, multipart fields).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import json as _json
import re
import urllib.parse
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from .config import Route
from .constants import NotGiven, is_given
from .errors import RequestArgumentError
from .options import Options

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\x20-\x7e\t]*")
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


def stringify(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return stringify(cast(object, value.value))
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _json_default(value: object) -> object:
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, enum.Enum):
        return cast(object, value.value)
    if isinstance(value, (set, frozenset)):
        return list(cast("set[object]", value))
    if isinstance(value, bytes):
        return value.decode("utf-8")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _to_jsonable(value: object) -> object:
    """Recursively convert pydantic models (duck-typed) and drop NOT_GIVEN values."""
    if isinstance(value, type):
        return value
    dump: Any = getattr(value, "model_dump", None)
    if callable(dump):
        return _to_jsonable(dump(mode="json", by_alias=True, exclude_unset=True))
    if isinstance(value, Mapping):
        items = cast("Mapping[object, object]", value)
        return {
            str(k): _to_jsonable(v)
            for k, v in items.items()
            if not isinstance(v, NotGiven)
        }
    if isinstance(value, (list, tuple)):
        seq = cast("Sequence[object]", value)
        return [_to_jsonable(v) for v in seq if not isinstance(v, NotGiven)]
    return value


def query_items(
    params: list[tuple[str, str]], source: Mapping[str, object] | None
) -> None:
    for key, value in (source or {}).items():
        if not is_given(value):
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            items = cast("Sequence[object]", value)
            params.extend((key, stringify(item)) for item in items if is_given(item))
        else:
            params.append((key, stringify(value)))


def format_path(route: Route, path_params: Mapping[str, object] | None) -> str:
    """The route's path with each parameter percent-encoded as exactly one segment."""
    pieces = route.pieces
    if len(pieces) == 1:
        return pieces[0]
    params = path_params or {}
    if len(pieces) == 3:
        return pieces[0] + _path_segment(pieces[1], params.get(pieces[1])) + pieces[2]
    parts = list(pieces)
    for index in range(1, len(parts), 2):
        parts[index] = _path_segment(parts[index], params.get(parts[index]))
    return "".join(parts)


#: A segment that percent-encoding leaves as it is (RFC 3986 unreserved characters).
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


def _path_segment(name: str, value: object) -> str:
    if type(value) is str and _UNRESERVED.fullmatch(value) and value.strip("."):
        return value
    if not is_given(value):
        raise RequestArgumentError(f"Missing path parameter {name!r}.")
    text = stringify(value)
    if text in ("", ".", ".."):
        # "." and ".." would remove or climb a segment once a server
        # normalises the path, whatever their encoding.
        shown = "an empty string" if not text else repr(text)
        raise RequestArgumentError(
            f"Path parameter {name!r} cannot be {shown}: it must name one segment."
        )
    return urllib.parse.quote(text, safe="")


def check_header(name: str, value: str, where: str) -> None:
    if not _TOKEN.fullmatch(name):
        raise RequestArgumentError(f"{where}: {name!r} is not a valid header name.")
    if not _HEADER_VALUE.fullmatch(value):
        raise RequestArgumentError(
            f"{where}: the value of header {name!r} contains a newline, a control "
            "or a non-ASCII character (the value is not shown)."
        )


def cookie_pair(name: str, value: object) -> str:
    if not _TOKEN.fullmatch(name):
        raise RequestArgumentError(f"{name!r} is not a valid cookie name.")
    return f"{name}={urllib.parse.quote(stringify(value), safe=_COOKIE_SAFE)}"


@dataclass(frozen=True)
class _Body:
    content: bytes | None = None
    data: dict[str, Any] | None = None
    files: dict[str, Any] | list[tuple[str, Any]] | None = None
    content_type: str | None = None


NO_BODY = _Body()


def _json_body(opts: Options) -> _Body:
    body: object = {} if isinstance(opts.json, NotGiven) else _to_jsonable(opts.json)
    if opts.extra_body:
        if not isinstance(body, dict):
            raise RequestArgumentError("extra_body requires a JSON object request body")
        body = _to_jsonable({**cast("dict[str, object]", body), **opts.extra_body})
    try:
        text = _json.dumps(
            body, default=_json_default, ensure_ascii=False, separators=(",", ":")
        )
    except (TypeError, ValueError, RecursionError) as exc:
        raise RequestArgumentError(f"The request body is not JSON: {exc}") from exc
    return _Body(content=text.encode("utf-8"), content_type="application/json")


def _form_fields(form: object) -> Mapping[str, object]:
    """A form's fields: a mapping as given, or a model's fields by their JSON names.

    A form body that is a union of models arrives as whichever model the
    caller built.
    """
    if not is_given(form):
        return {}
    if isinstance(form, Mapping):
        return cast("Mapping[str, object]", form)
    dump: Any = getattr(form, "model_dump", None)
    if callable(dump):
        return cast("Mapping[str, object]", dump(by_alias=True, exclude_unset=True))
    raise RequestArgumentError(
        f"A form body must be a mapping or a model, not {type(form).__name__}"
    )


def _form_body(opts: Options) -> _Body:
    data: dict[str, Any] = {}
    files = {key: value for key, value in (opts.files or {}).items() if is_given(value)}
    for key, value in {**_form_fields(opts.form), **(opts.extra_body or {})}.items():
        if not is_given(value):
            continue
        if isinstance(value, (bytes, bytearray)):
            files[key] = bytes(value)  # a binary field of a form model is a file part
        elif isinstance(value, (list, tuple)):
            data[key] = [stringify(item) for item in cast("Sequence[object]", value)]
        else:
            data[key] = stringify(value)
    if opts.files is not None and not files and data:
        # A multipart operation (``files`` given, even empty) without a file: httpx would send the
        # fields url-encoded, so each field goes as a part of its own.
        parts: list[tuple[str, Any]] = []
        for key, value in data.items():
            items = cast("list[object]", value) if isinstance(value, list) else [value]
            parts.extend((key, (None, item)) for item in items)
        return _Body(files=parts)
    return _Body(data=data or None, files=files or None)


def request_body(opts: Options) -> _Body:
    uses_json = not isinstance(opts.json, NotGiven)
    if uses_json or (
        opts.extra_body
        and not is_given(opts.form)
        and opts.files is None
        and opts.content is None
    ):
        return _json_body(opts)
    if is_given(opts.form) or opts.files is not None:
        return _form_body(opts)
    return NO_BODY if opts.content is None else _Body(content=opts.content)
