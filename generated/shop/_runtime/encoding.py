"""Request encoding: parameters on the wire by OpenAPI's serialization rules (query,
path, header and cookie, every ``style`` and ``explode``, ``allowReserved``,
``content``), and request bodies by media type (JSON, url-encoded forms, multipart
parts with their Encoding Objects, raw bytes, text and files).

Objects and arrays follow the style rules; where no rule applies (an object inside
an array, a nested object in a query), a value is written as JSON, never as
Python's ``repr``.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import json as _json
import os
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast

from .config import Param, Part, Route
from .constants import NotGiven, is_given
from .errors import RequestArgumentError
from .files import Upload, is_upload, upload
from .options import Options

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\x20-\x7e\t]*")
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"
#: allowReserved: RFC 3986's reserved characters a query value keeps as they are.
#: ``&``, ``=``, ``+`` and ``#`` are still encoded: they would end or change the
#: parameter (OpenAPI's Appendix E), and ``[`` ``]`` are not allowed in a query.
_RESERVED_KEPT = ":/?@!$'()*,;"
_PERCENT_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")
_JSON_SUBTYPE = re.compile(r"^[^/]+/([^;]*\+)?json\s*(;.*)?$", re.IGNORECASE)


def stringify(value: object) -> str:
    """A primitive value as text: booleans as JSON spells them, enums by value, dates ISO 8601."""
    # Before str: a str-valued enum (OpenEnum) is a str whose format() is ``Class.MEMBER``.
    if isinstance(value, enum.Enum):
        return stringify(cast(object, value.value))
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if value is None:
        return "null"
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


def json_text(value: object) -> str:
    """``value`` as compact JSON (models by their JSON names)."""
    try:
        return _json.dumps(
            _to_jsonable(value),
            default=_json_default,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    except (TypeError, ValueError, RecursionError) as exc:
        raise RequestArgumentError(f"A value is not JSON: {exc}") from exc


def is_json_media(media_type: str) -> bool:
    """``application/json``, or any ``+json`` media type."""
    return bool(_JSON_SUBTYPE.match(media_type.strip()))


# -- the shape a style rule sees ---------------------------------------------------------------------


def _shape(value: object) -> object:
    """A parameter's value as the style rules see it: a dict (an object), a list (an array) or a
    primitive. Models become their fields by JSON name; left-out and None members are dropped.
    """
    if isinstance(value, (str, int, float)):
        return value
    if _is_object(value):
        # A model's JSON fields; a root model (a list or a scalar behind a model) is its root value.
        value = _to_jsonable(value)
        if isinstance(value, dict):
            return {
                key: item
                for key, item in cast("dict[str, object]", value).items()
                if item is not None
            }
    if isinstance(value, (list, tuple, set, frozenset)):
        items = cast("Sequence[object]", value)
        return [item for item in items if is_given(item)]
    return value


def _text(value: object) -> str:
    """A member of an array or object: a primitive as text; an object or array (where no rule
    says how to write one) as JSON."""
    if _is_object(value) or _is_array(value):
        return json_text(value)
    return stringify(value)


def _is_object(value: object) -> bool:
    """A mapping or a model (duck-typed: pydantic is never imported)."""
    return isinstance(value, Mapping) or callable(getattr(value, "model_dump", None))


def _is_array(value: object) -> bool:
    return isinstance(value, (list, tuple))


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def _quote_reserved(text: str) -> str:
    """Reserved expansion (RFC 6570 §3.2.3): reserved characters and percent-encoded triples pass."""
    pieces = _PERCENT_TRIPLE.split(text)
    return "".join(
        piece if index % 2 else urllib.parse.quote(piece, safe=_RESERVED_KEPT)
        for index, piece in enumerate(pieces)
    )


def _plain(text: str) -> str:
    return text


@dataclass(frozen=True)
class _Syntax:
    """How one kind of name-value list writes names, values and delimiters: a query string
    (percent-encoded) or multipart field names (as they are)."""

    key: Callable[[str], str]
    space: str
    pipe: str
    left: str
    right: str


_QUERY = _Syntax(_quote, "%20", "%7C", "%5B", "%5D")
_FIELDS = _Syntax(_plain, " ", "|", "[", "]")


def _flatten(
    value: object, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], object]]:
    """deepObject: each primitive inside an object, by its path (arrays by index, as Stripe reads them)."""
    if isinstance(value, dict):
        for key, item in cast("dict[str, object]", value).items():
            yield from _flatten(_shape(item), (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(cast("list[object]", value)):
            yield from _flatten(_shape(item), (*path, str(index)))
    else:
        yield path, value


def expand(
    name: str,
    value: object,
    style: str,
    explode: bool,
    escape: Callable[[str], str] = _quote,
    syntax: _Syntax = _QUERY,
) -> list[tuple[str, str]]:
    """The name-value pairs of one query-style parameter (OpenAPI's ``form``, ``spaceDelimited``,
    ``pipeDelimited``, ``deepObject``), names and values escaped as ``syntax`` and ``escape`` say.
    """
    shaped = _shape(value)
    key = syntax.key(name)
    delimiter = {"spaceDelimited": syntax.space, "pipeDelimited": syntax.pipe}.get(
        style, ","
    )
    if style == "deepObject" and isinstance(shaped, (dict, list)):
        return [
            (
                key
                + "".join(
                    f"{syntax.left}{syntax.key(step)}{syntax.right}" for step in path
                ),
                escape(_text(item)),
            )
            for path, item in _flatten(cast(object, shaped), ())
        ]
    if isinstance(shaped, dict):
        members = cast("dict[str, object]", shaped)
        if explode:
            return [
                (syntax.key(member), escape(_text(item)))
                for member, item in members.items()
            ]
        flat = [
            escape(text)
            for member, item in members.items()
            for text in (member, _text(item))
        ]
        return [(key, delimiter.join(flat))]
    if isinstance(shaped, list):
        items = [escape(_text(item)) for item in cast("list[object]", shaped)]
        if explode:
            return [(key, item) for item in items]
        return [(key, delimiter.join(items))] if items else []
    return [(key, escape(stringify(shaped)))]


# -- parameters ---------------------------------------------------------------------------------------


def _content_value(param: Param | None, value: object) -> object:
    """A parameter described by ``content``: its value written in that media type."""
    if param is None or param.media_type is None:
        return value
    return json_text(value) if is_json_media(param.media_type) else _text(value)


def query_string(route: Route | None, *sources: Mapping[str, object] | None) -> str:
    """The encoded query of the parameters in ``sources``, each by its ``Param`` (the route's
    query parameters) or as ``form`` with ``explode`` (extras, defaults, credentials).
    """
    pieces: list[str] = []
    styles: Mapping[tuple[str, str], Param] = route.styles if route is not None else {}
    for source in sources:
        for name, value in (source or {}).items():
            if not is_given(value):
                continue
            param = styles.get(("query", name)) if styles else None
            if param is None:
                pairs = expand(name, value, "form", True)
            else:
                style = param.style or "form"
                explode = (
                    param.explode if param.explode is not None else style == "form"
                )
                escape = _quote_reserved if param.allow_reserved else _quote
                pairs = expand(
                    name, _content_value(param, value), style, explode, escape
                )
            pieces.extend(f"{key}={text}" for key, text in pairs)
    return "&".join(pieces)


def encode_pairs(pairs: Sequence[tuple[str, str]]) -> str:
    """Name-value pairs of text (credentials) as an encoded query."""
    return "&".join(f"{_quote(name)}={_quote(text)}" for name, text in pairs)


def format_path(route: Route, path_params: Mapping[str, object] | None) -> str:
    """The route's path with each parameter written by its style, percent-encoded as exactly one segment."""
    pieces = route.pieces
    if len(pieces) == 1:
        return pieces[0]
    params = path_params or {}
    styles = route.styles
    parts = list(pieces)
    for index in range(1, len(parts), 2):
        name = parts[index]
        param = styles.get(("path", name)) if styles else None
        parts[index] = _path_segment(name, params.get(name), param)
    return "".join(parts)


#: A segment that percent-encoding leaves as it is (RFC 3986 unreserved characters).
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


def _path_segment(name: str, value: object, param: Param | None = None) -> str:
    if (
        param is None
        and type(value) is str
        and _UNRESERVED.fullmatch(value)
        and value.strip(".")
    ):
        return value
    if not is_given(value):
        raise RequestArgumentError(f"Missing path parameter {name!r}.")
    style = (param.style if param is not None else None) or "simple"
    explode = bool(param.explode) if param is not None else False
    text = _styled(name, _content_value(param, value), style, explode, _quote)
    if text in ("", ".", ".."):
        # "." and ".." would remove or climb a segment once a server
        # normalises the path, whatever their encoding.
        shown = "an empty string" if not text else repr(text)
        raise RequestArgumentError(
            f"Path parameter {name!r} cannot be {shown}: it must name one segment."
        )
    return text


def _styled(
    name: str, value: object, style: str, explode: bool, escape: Callable[[str], str]
) -> str:
    """A path or header value by RFC 6570's ``simple``, ``label`` (``.``) or ``matrix`` (``;``) expansion."""
    shaped = _shape(value)
    if style == "matrix":
        prefix = ";" + escape(name)
        if isinstance(shaped, dict):
            members = cast("dict[str, object]", shaped).items()
            if explode:
                return "".join(
                    f";{escape(key)}={escape(_text(item))}" for key, item in members
                )
            return (
                prefix
                + "="
                + ",".join(
                    escape(text) for key, item in members for text in (key, _text(item))
                )
            )
        if isinstance(shaped, list):
            items = [escape(_text(item)) for item in cast("list[object]", shaped)]
            if explode:
                return "".join(f"{prefix}={item}" for item in items)
            return f"{prefix}={','.join(items)}"
        text = escape(stringify(shaped))
        return f"{prefix}={text}" if text else prefix
    lead, separator = (".", ".") if style == "label" else ("", ",")
    if isinstance(shaped, dict):
        members = cast("dict[str, object]", shaped).items()
        if explode:
            return lead + separator.join(
                f"{escape(key)}={escape(_text(item))}" for key, item in members
            )
        return lead + ",".join(
            escape(text) for key, item in members for text in (key, _text(item))
        )
    if isinstance(shaped, list):
        items = [escape(_text(item)) for item in cast("list[object]", shaped)]
        return lead + (separator if explode else ",").join(items)
    return lead + escape(stringify(shaped))


def header_value(route: Route | None, name: str, value: object) -> str:
    """A header parameter's value: ``simple`` style (arrays and objects comma-separated), unencoded."""
    param = (
        route.styles.get(("header", name))
        if route is not None and route.styles
        else None
    )
    explode = bool(param.explode) if param is not None else False
    return _styled(name, _content_value(param, value), "simple", explode, _plain)


def check_header(name: str, value: str, where: str) -> None:
    if not _TOKEN.fullmatch(name):
        raise RequestArgumentError(f"{where}: {name!r} is not a valid header name.")
    if not _HEADER_VALUE.fullmatch(value):
        raise RequestArgumentError(
            f"{where}: the value of header {name!r} contains a newline, a control "
            "or a non-ASCII character (the value is not shown)."
        )


def _cookie_text(text: str) -> str:
    return urllib.parse.quote(text, safe=_COOKIE_SAFE)


def cookie_pair(name: str, value: object) -> str:
    if not _TOKEN.fullmatch(name):
        raise RequestArgumentError(f"{name!r} is not a valid cookie name.")
    return f"{name}={_cookie_text(stringify(value))}"


def cookie_pairs(route: Route | None, name: str, value: object) -> list[str]:
    """A cookie parameter as ``name=value`` pairs: ``form`` style, exploded unless it says otherwise
    (an exploded array is one pair per item, an exploded object one pair per member)."""
    param = (
        route.styles.get(("cookie", name))
        if route is not None and route.styles
        else None
    )
    explode = param.explode if param is not None and param.explode is not None else True
    pairs = expand(
        name, _content_value(param, value), "form", explode, _cookie_text, _FIELDS
    )
    for key, _ in pairs:
        if not _TOKEN.fullmatch(key):
            raise RequestArgumentError(f"{key!r} is not a valid cookie name.")
    return [f"{key}={text}" for key, text in pairs]


# -- bodies -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """What one attempt sends: bytes, a file to stream, or multipart parts; and its media type."""

    content: bytes | None = None
    stream: IO[bytes] | None = None  # a file object, read in chunks (sync or async)
    length: int | None = (
        None  # the stream's length, where it can be told without reading it
    )
    files: list[tuple[str, Any]] | None = None
    content_type: str | None = None


NO_BODY = Body()


def _json_body(opts: Options) -> Body:
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
    media_type = opts.route.media_type or "application/json"
    return Body(content=text.encode("utf-8"), content_type=media_type)


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


def _uses_style(part: Part | None) -> bool:
    """An Encoding Object with ``style``, ``explode`` or ``allowReserved`` writes its property like a
    query parameter; without them, by its ``contentType`` (OpenAPI 3.1.1 §4.8.15)."""
    return part is not None and (
        part.style is not None or part.explode is not None or part.allow_reserved
    )


def _urlencoded_body(opts: Options) -> Body:
    """``application/x-www-form-urlencoded``: each property by its Encoding Object, else by default
    (a primitive as text, an array as repeated names, an object as JSON)."""
    fields = {**_form_fields(opts.form), **(opts.extra_body or {})}
    encodings = opts.route.encodings
    pieces: list[str] = []
    for name, value in fields.items():
        if not is_given(value):
            continue
        part = encodings.get(name) if encodings else None
        if _uses_style(part) and part is not None:
            style = part.style or "form"
            explode = part.explode if part.explode is not None else style == "form"
            escape = _quote_reserved if part.allow_reserved else _quote
            pairs = expand(name, value, style, explode, escape)
        else:
            media = _first_media_type(part.content_type if part is not None else None)
            pairs = [
                (_quote(name), _quote(_field_text(item, media)))
                for item in _repeated(value)
            ]
        pieces.extend(f"{key}={text}" for key, text in pairs)
    return Body(
        content="&".join(pieces).encode("ascii"),
        content_type="application/x-www-form-urlencoded",
    )


def _repeated(value: object) -> list[object]:
    """A field's values: an array's items, each a field of its own (RFC 7578 §4.3), or the value."""
    if isinstance(value, (list, tuple)) and not is_upload(cast(object, value)):
        return [item for item in cast("Sequence[object]", value) if is_given(item)]
    return [value]


def _first_media_type(listed: str | None) -> str | None:
    """The first of the media types an Encoding Object lists (``image/png, image/jpeg``)."""
    if not listed:
        return None
    first = listed.split(",")[0].strip()
    return first or None


def _field_text(value: object, media_type: str | None) -> str:
    """A form field's text: JSON for an object (or where the encoding says JSON), else the value as text."""
    if media_type is not None and is_json_media(media_type):
        return json_text(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="surrogateescape")
    return _text(value)


def _multipart_body(opts: Options) -> Body:
    """``multipart/*``: one part per property in order, arrays as repeated parts. A file is a file part
    (``application/octet-stream`` unless known better); an object a JSON part; a primitive a text part;
    each part's Encoding Object may say otherwise."""
    encodings = opts.route.encodings
    parts: list[tuple[str, Any]] = []
    uploads = {
        key: value for key, value in (opts.files or {}).items() if is_given(value)
    }
    fields = {**_form_fields(opts.form), **(opts.extra_body or {})}
    for name, value in {**fields, **uploads}.items():
        if not is_given(value):
            continue
        part = encodings.get(name) if encodings else None
        if _uses_style(part) and part is not None and name not in uploads:
            style = part.style or "form"
            explode = part.explode if part.explode is not None else style == "form"
            for key, text in expand(name, value, style, explode, _plain, _FIELDS):
                parts.append((key, (None, text.encode("utf-8"))))
            continue
        listed = part.content_type if part is not None else None
        for item in _repeated(value):
            if name in uploads or is_upload(item):
                file = upload(item, name, listed)
                parts.append((name, file.as_part()))
            else:
                parts.append((name, _field_part(item, listed)))
    if not parts:
        # No field given: still a multipart body (an empty one), so that a required body is sent and
        # says its media type; the HTTP library would send none at all.
        boundary = os.urandom(16).hex()
        media = (opts.route.media_type or "multipart/form-data").split(";")[0].strip()
        return Body(
            content=f"--{boundary}--\r\n".encode("ascii"),
            content_type=f"{media}; boundary={boundary}",
        )
    content_type = opts.route.media_type
    if content_type is not None:
        if content_type.split(";")[0].strip().lower() == "multipart/form-data":
            content_type = None  # the HTTP library writes it, with the boundary
        elif "boundary=" not in content_type:
            # multipart/mixed and friends: the HTTP library takes the boundary from the header.
            content_type = f"{content_type}; boundary={os.urandom(16).hex()}"
    return Body(files=parts, content_type=content_type)


def _field_part(
    value: object, listed: str | None
) -> tuple[None, bytes] | tuple[None, bytes, str]:
    """A non-file part: text as it is (RFC 7578's default ``text/plain``), an object as JSON."""
    media = _first_media_type(listed)
    shaped = _shape(value)
    if media is None and isinstance(shaped, (dict, list)):
        media = "application/json"
    text = _field_text(value, media)
    return (
        (None, text.encode("utf-8"))
        if media is None
        else (None, text.encode("utf-8"), media)
    )


def _raw_body(opts: Options) -> Body:
    """Any other media type: text (encoded UTF-8), bytes, or a file to stream."""
    content = opts.content
    declared = opts.route.media_type
    if isinstance(content, str):
        return Body(
            content=content.encode("utf-8"),
            content_type=declared or "text/plain; charset=utf-8",
        )
    if content is None:
        return NO_BODY
    # The body's media type is the document's (octet-stream when it says none): a guess from a file
    # name only fills a wildcard (image/*).
    file: Upload = upload(content, "body", declared or "application/octet-stream")
    data = file.content
    if isinstance(data, bytes):
        return Body(content=data, content_type=file.content_type)
    return Body(stream=data, length=file.length(), content_type=file.content_type)


def request_body(opts: Options) -> Body:
    uses_json = not isinstance(opts.json, NotGiven)
    if uses_json or (
        opts.extra_body
        and not is_given(opts.form)
        and opts.files is None
        and opts.content is None
    ):
        return _json_body(opts)
    if opts.files is not None:
        return _multipart_body(opts)
    if is_given(opts.form):
        return _urlencoded_body(opts)
    return _raw_body(opts)
