"""Pagination: which list operations page through results, and how the next page is asked for.

Detected from the spec (parameters and the success response's shape), from the
``x-pagination``, ``x-fern-pagination`` and ``x-speakeasy-pagination``
extensions, or set per operation by the configuration's ``pagination:`` map
(which wins; ``false`` turns detection off for one operation). Pure: the
result is a ``Paging`` record the view renders as a runtime ``Paging(...)``.

Styles:

* ``cursor_id``: Stripe and OpenAI; the body has one array and ``has_more``,
  and ``starting_after``/``after`` (or ``before``) takes the last item's ``id``;
* ``cursor``: a next-cursor field of the body (``next_cursor``,
  ``next_page_token``, ``next``... also under ``meta``/``pagination``) goes
  back in a cursor-like query parameter; a field holding a URL is followed;
* ``offset``: ``offset`` advances by the number of items received;
* ``page``: ``page`` advances by one;
* ``link``: the RFC 8288 ``Link: <...>; rel="next"`` header is followed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from generator.errors import ClientgenError, Location
from generator.naming.operations import operation_hint
from generator.paging_check import Schemas, body_schema, check_against
from generator.rules import AnyOf, Choice, Const, Fields, Invalid, ListOf, Text

if TYPE_CHECKING:
    from generator.ir import Api, Operation, Parameter

Style = Literal["cursor_id", "cursor", "offset", "page", "link"]
STYLES: tuple[Style, ...] = ("cursor_id", "cursor", "offset", "page", "link")

_PATH = AnyOf((Text(what="a path such as meta.next_cursor"), ListOf(Text(what="a field name"), min_items=1)), "path")
_ITEMS = AnyOf(
    (Text(what="a path such as data ('' for an array body)", allow_empty=True), ListOf(Text(what="a field name"))),
    "path ('' for an array body)",
)


def _settings_together(settings: Mapping[str, Any]) -> None:
    style = settings["style"]
    if style != "link" and not settings.get("param"):
        raise Invalid(f"style {style} needs param (the query parameter that takes the next value)")
    if style == "cursor" and not settings.get("cursor"):
        raise Invalid("style cursor needs cursor (where the body holds the next cursor)")


#: clientgen's paging settings: a configuration's ``pagination:`` entry, or an operation's ``x-pagination``.
PAGING_SETTINGS = Fields(
    required={"style": Choice(STYLES)},
    optional={
        "param": Text(what="a query parameter name"),
        "items": _ITEMS,
        "cursor": _PATH,
        "has_more": _PATH,
        "size_param": Text(what="a query parameter name"),
    },
    what="paging settings",
    together=_settings_together,
)
_REQUEST = Text(pattern=r"\$request\.[^\s]+|[A-Za-z0-9_.-]+", what="a request parameter ($request.name)")
_RESPONSE = Text(pattern=r"\$response\.[^\s]+|[A-Za-z0-9_.-]+", what="a response field ($response.path)")


def _fern_together(settings: Mapping[str, Any]) -> None:
    if ("cursor" in settings) == ("offset" in settings):
        raise Invalid("needs either cursor (with next_cursor) or offset, not both or neither")
    if "cursor" in settings and "next_cursor" not in settings:
        raise Invalid("cursor needs next_cursor (where the response holds the next cursor)")


#: ``x-fern-pagination`` on an operation (``true`` defers to the document's, which clientgen does not read).
FERN_PAGINATION = AnyOf(
    (
        Const(True),
        Fields(
            optional={
                "cursor": _REQUEST,
                "next_cursor": _RESPONSE,
                "offset": _REQUEST,
                "step": _REQUEST,
                "results": _RESPONSE,
                "has-next-page": _RESPONSE,
            },
            what="Fern paging settings",
            together=_fern_together,
        ),
    ),
    "true or Fern paging settings",
)


def _speakeasy_together(settings: Mapping[str, Any]) -> None:
    inputs = {item["type"] for item in settings.get("inputs", ())}
    outputs = settings.get("outputs", {})
    kind = settings["type"]
    if kind == "offsetLimit" and not inputs & {"offset", "page"}:
        raise Invalid("type offsetLimit needs an input of type offset or page")
    if kind == "cursor" and ("cursor" not in inputs or "nextCursor" not in outputs):
        raise Invalid("type cursor needs an input of type cursor and outputs.nextCursor")
    if kind == "url" and "nextUrl" not in outputs:
        raise Invalid("type url needs outputs.nextUrl")


#: ``x-speakeasy-pagination`` on an operation.
SPEAKEASY_PAGINATION = Fields(
    required={"type": Choice(("offsetLimit", "cursor", "url"))},
    optional={
        "inputs": ListOf(
            Fields(
                required={
                    "name": Text(what="a parameter name"),
                    "in": Choice(("parameters", "requestBody")),
                    "type": Choice(("offset", "limit", "page", "cursor")),
                },
                what="input",
            )
        ),
        "outputs": Fields(
            optional={
                "results": Text(what="a JSONPath ($.data)"),
                "numPages": Text(what="a JSONPath"),
                "nextCursor": Text(what="a JSONPath"),
                "nextUrl": Text(what="a JSONPath"),
            },
            what="outputs",
        ),
    },
    what="Speakeasy paging settings",
    together=_speakeasy_together,
)

_ID_CURSOR_PARAMS = ("starting_after", "after", "ending_before", "before")
_CURSOR_PARAMS = (
    "cursor",
    "page_token",
    "pagetoken",
    "next_token",
    "nexttoken",
    "next_page_token",
    "continuation_token",
    "continuationtoken",
    "page_cursor",
    "pagination_token",
    "marker",
    "after",
    "starting_after",
    "next",
)
_CURSOR_FIELDS = (
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
    "nexttoken",
    "next",
    "cursor",
    "next_page",
    "nextpage",
)
_CURSOR_CONTAINERS = (
    "meta",
    "pagination",
    "page_info",
    "pageinfo",
    "paging",
    "links",
    "response_metadata",
    "metadata",
    "next_page",
    "nextpage",
)
_HAS_MORE_FIELDS = ("has_more", "hasmore", "has_next", "hasnext", "has_next_page", "hasnextpage")
_OFFSET_PARAMS = ("offset", "skip", "start")
_PAGE_PARAMS = ("page", "page_number", "pagenumber")
_SIZE_PARAMS = (
    "limit",
    "per_page",
    "perpage",
    "page_size",
    "pagesize",
    "size",
    "count",
    "max_results",
    "maxresults",
    "top",
)
_ITEM_ARRAYS = ("data", "items", "results", "entries", "records", "values", "list")


@dataclass(frozen=True)
class Paging:
    """How one operation pages: everything the runtime needs, by JSON and wire names."""

    style: Style
    items: tuple[str, ...]  # path of the array in the body; () when the body is the array
    param: str = ""  # query parameter that carries the next cursor, offset or page
    cursor: tuple[str, ...] = ()  # cursor: path of the next cursor; cursor_id: the item's id field
    has_more: tuple[str, ...] = ()  # path of a "more pages" flag, when the body has one
    size_param: str = ""  # offset/page: the page-size parameter

    def describe(self) -> str:
        """One line for api.txt: ``paginated: cursor_id starting_after (items: data)``."""
        parts: list[str] = [self.style]
        if self.param:
            parts.append(self.param)
        where = ".".join(self.items) or "body"
        return f"paginated: {' '.join(parts)} (items: {where})"


@dataclass(frozen=True)
class PaginationMap:
    """The configuration's ``pagination:`` map: operationId or ``METHOD /path`` → settings or ``false``."""

    entries: Mapping[str, Any] = field(default_factory=dict)
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False)  # where each entry is written
    #: Where a setting of an entry is written: (entry key, JSON pointer below the entry) → location.
    locator: Callable[[str, str], Location | None] | None = field(default=None, compare=False, repr=False)

    def locate(self, key: str, below: str = "") -> Location | None:
        """Where entry ``key`` is written, or the setting ``below`` it (``/param``) when that can be told."""
        if below and self.locator is not None:
            found = self.locator(key, below)
            if found is not None:
                return found
        return self.locations.get(key)


def _norm(name: str) -> str:
    return name.lower().replace("-", "_")


def _query(operation: Operation) -> dict[str, Parameter]:
    return {_norm(parameter.name): parameter for parameter in operation.parameters if parameter.location == "query"}


def _first(names: tuple[str, ...], available: Mapping[str, Any]) -> str | None:
    return next((name for name in names if name in available), None)


def _items_path(schemas: Schemas, body: Any) -> tuple[str, ...] | None:
    """Where the list is: () for an array body, else the object's one array property."""
    if schemas.is_array(body):
        return ()
    properties = schemas.properties(body)
    arrays = [name for name, sub in properties.items() if schemas.is_array(sub)]
    if len(arrays) == 1:
        return (arrays[0],)
    preferred = [name for name in arrays if _norm(name) in _ITEM_ARRAYS]
    return (preferred[0],) if len(preferred) == 1 else None


def _is_string(schemas: Schemas, schema: Any) -> bool:
    """A string, possibly nullable (``type: [string, null]``, ``anyOf: [string, null]``)."""
    resolved = schemas.resolve(schema)
    kind = resolved.get("type")
    if kind == "string" or (isinstance(kind, list) and "string" in kind):
        return True
    variants = resolved.get("anyOf") or resolved.get("oneOf")
    return isinstance(variants, list) and any(_is_string(schemas, variant) for variant in variants)


def _field_schema(schemas: Schemas, body: Any, path: tuple[str, ...]) -> Any:
    schema: Any = body
    for name in path:
        schema = schemas.properties(schema).get(name)
    return schema


def _find_field(
    schemas: Schemas, body: Any, names: tuple[str, ...], containers_only: bool = False
) -> tuple[str, ...] | None:
    """A field named like ``names`` at the top of the body, or inside one of its containers."""
    properties = schemas.properties(body)
    by_norm = {_norm(name): name for name in properties}
    found = None if containers_only else _first(names, by_norm)
    if found is not None:
        return (by_norm[found],)
    for container in _CURSOR_CONTAINERS:
        if container in by_norm:
            inner = schemas.properties(properties[by_norm[container]])
            inner_norm = {_norm(name): name for name in inner}
            found = _first(names, inner_norm)
            if found is not None:
                return (by_norm[container], inner_norm[found])
    return None


def _item_has_id(schemas: Schemas, body: Any, items: tuple[str, ...]) -> bool:
    array = schemas.resolve(body)
    for name in items:
        array = schemas.resolve(schemas.properties(array).get(name))
    item = schemas.resolve(array.get("items"))
    properties = schemas.properties(item)
    return not properties or "id" in properties  # an untyped item may still carry ids


def _declares_link(operation: Operation) -> bool:
    success = operation.success
    return success is not None and any(name.lower() == "link" for name in success.headers)


def detect(operation: Operation, schemas: Schemas) -> Paging | None:
    """The paging the spec's shapes show, or None."""
    if operation.method != "GET":
        return None
    body = body_schema(operation)
    items = _items_path(schemas, body)
    if items is None:
        return None
    query = _query(operation)
    has_more = _find_field(schemas, body, _HAS_MORE_FIELDS) if items else None
    id_param = _first(_ID_CURSOR_PARAMS, query)
    if items and has_more is not None and id_param is not None and _item_has_id(schemas, body, items):
        if id_param in ("ending_before", "before") and _first(("starting_after", "after"), query):
            id_param = _first(("starting_after", "after"), query)
        return Paging("cursor_id", items, query[id_param or ""].name, ("id",), has_more)
    cursor_param = _first(_CURSOR_PARAMS, query)
    cursor_field = _find_field(schemas, body, _CURSOR_FIELDS) if items else None
    if cursor_param is not None and cursor_field is not None:
        return Paging("cursor", items, query[cursor_param].name, cursor_field, has_more or ())
    # An opaque string "page" or "offset" is a cursor: Stripe's search (next_page), Asana (next_page.offset).
    for name in (*_PAGE_PARAMS, *_OFFSET_PARAMS):
        if name in query and _is_string(schemas, query[name].schema) and items:
            field = _find_field(schemas, body, (name,), containers_only=True) or _find_field(
                schemas, body, _CURSOR_FIELDS
            )
            if field is not None and _is_string(schemas, _field_schema(schemas, body, field)):
                return Paging("cursor", items, query[name].name, field, has_more or ())
    if _declares_link(operation):
        return Paging("link", items)
    size = _first(_SIZE_PARAMS, query)
    offset = _first(_OFFSET_PARAMS, query)
    if offset is not None and size is not None:
        return Paging("offset", items, query[offset].name, (), has_more or (), query[size].name)
    page = _first(_PAGE_PARAMS, query)
    if page is not None and (size is not None or has_more is not None):
        return Paging("page", items, query[page].name, (), has_more or (), query[size].name if size else "")
    return None


def _path(value: Any) -> tuple[str, ...]:
    """``$response.meta.next`` / ``$.meta.next`` / ``meta.next`` / ``["meta", "next"]`` → (meta, next)."""
    if isinstance(value, (list, tuple)):
        return tuple(str(part) for part in value)
    text = str(value or "")
    for prefix in ("$response.body#/", "$response.", "$request.", "$.", "$"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text.replace("/", ".").replace("[*]", "")
    return tuple(part for part in text.split(".") if part)


def _last(value: Any) -> str:
    """The parameter a ``$request.name`` names ('' when it names none)."""
    path = _path(value)
    return path[-1] if path else ""


@dataclass(frozen=True)
class _Read:
    """Paging read from a block of settings, and where in the block each of its fields was written."""

    paging: Paging
    origin: Mapping[str, str]  # Paging field → JSON pointer below the block ("/param", "/inputs/0/name")


_OWN_ORIGIN = {name: f"/{name}" for name in ("param", "items", "cursor", "has_more", "size_param")}


def _from_settings(settings: Mapping[str, Any], operation: Operation, schemas: Schemas) -> _Read:
    """clientgen's own shape (configuration and ``x-pagination``); ``Invalid`` when it cannot even be read."""
    style = settings.get("style")
    if style not in STYLES:
        raise Invalid(f"style must be one of {', '.join(STYLES)}, not {style!r}", "/style")
    detected_items = _items_path(schemas, body_schema(operation))
    items = _path(settings["items"]) if "items" in settings else detected_items
    if items is None:
        raise Invalid("say where the list is with items: (the array's field, or '' for an array body)")
    param = str(settings.get("param") or "")
    if style != "link" and not param:
        raise Invalid(f"style {style} needs param: (the query parameter that takes the next value)")
    cursor = _path(settings.get("cursor")) or (("id",) if style == "cursor_id" else ())
    if style == "cursor" and not cursor:
        raise Invalid("style cursor needs cursor: (where the body holds the next cursor)")
    paging = Paging(style, items, param, cursor, _path(settings.get("has_more")), str(settings.get("size_param") or ""))
    return _Read(paging, _OWN_ORIGIN)


def _from_fern(settings: Mapping[str, Any], operation: Operation, schemas: Schemas) -> _Read | None:
    results = _path(settings.get("results"))
    origin = {"items": "/results", "cursor": "/next_cursor", "has_more": "/has-next-page", "size_param": "/step"}
    for key in ("cursor", "offset"):
        if key in settings and not _last(settings[key]):
            raise Invalid(f"{settings[key]!r} names no request parameter ($request.name)", f"/{key}")
    if "cursor" in settings:
        paging = Paging(
            "cursor",
            results,
            _last(settings["cursor"]),
            _path(settings.get("next_cursor")),
            _path(settings.get("has-next-page")),
        )
        return _Read(paging, {**origin, "param": "/cursor"})
    if "offset" in settings:
        param = _last(settings["offset"])
        query = _query(operation)
        style: Style = "page" if _norm(param) in _PAGE_PARAMS else "offset"
        size = _last(settings["step"]) if "step" in settings else ""
        if not size and (found := _first(_SIZE_PARAMS, query)):
            size = query[found].name
        paging = Paging(style, results, param, (), _path(settings.get("has-next-page")), size)
        return _Read(paging, {**origin, "param": "/offset"})
    return None


def _from_speakeasy(settings: Mapping[str, Any], operation: Operation, schemas: Schemas) -> _Read | None:
    raw_inputs = [item for item in settings.get("inputs") or [] if isinstance(item, dict)]
    for index, item in enumerate(raw_inputs):
        if item.get("in") == "requestBody":
            # The runtime pages through query parameters only: it would send this one where the server ignores it.
            raise Invalid(
                f"input {item.get('name')!r} is in the request body; clientgen pages through query parameters",
                f"/inputs/{index}/in",
            )
    inputs = {str(item.get("type")): str(item.get("name")) for item in raw_inputs}
    where = {str(item.get("type")): f"/inputs/{index}/name" for index, item in enumerate(raw_inputs)}
    outputs: dict[str, Any] = settings["outputs"] if isinstance(settings.get("outputs"), dict) else {}
    results = (
        _path(outputs.get("results")) if outputs.get("results") else _items_path(schemas, body_schema(operation)) or ()
    )
    origin = {"items": "/outputs/results" if outputs.get("results") else "", "size_param": where.get("limit", "")}
    kind = settings.get("type")
    if kind == "cursor" and "cursor" in inputs:
        paging = Paging("cursor", results, inputs["cursor"], _path(outputs.get("nextCursor")))
        return _Read(paging, {**origin, "param": where["cursor"], "cursor": "/outputs/nextCursor"})
    if kind == "offsetLimit":
        for name in ("page", "offset"):
            if name in inputs:
                paging = Paging(name, results, inputs[name], (), (), inputs.get("limit", ""))
                return _Read(paging, {**origin, "param": where[name]})
    if kind == "url" and outputs.get("nextUrl"):
        return _Read(
            Paging("cursor", results, "", _path(outputs.get("nextUrl"))), {**origin, "cursor": "/outputs/nextUrl"}
        )
    return None


_READERS = (("x-fern-pagination", _from_fern), ("x-speakeasy-pagination", _from_speakeasy))


def _from_extensions(operation: Operation, schemas: Schemas, name: str) -> _Read | None | Literal[False]:
    """What the operation's paging extension ``name`` says; ``Invalid`` when it cannot be read."""
    block = operation.extensions.get(name)
    if name == "x-pagination":
        return (
            False if block is False else _from_settings(block, operation, schemas) if isinstance(block, dict) else None
        )
    reader = dict(_READERS)[name]
    return reader(block, operation, schemas) if isinstance(block, dict) else None


def _extension_name(operation: Operation) -> str:
    """The paging extension the operation carries ('' when none): clientgen's own first, then Fern's, Speakeasy's."""
    names = ("x-pagination", *(name for name, _ in _READERS))
    return next((name for name in names if name in operation.extensions), "")


def _lookup(key: str, api: Api) -> Operation | None:
    for operation in api.operations:
        if key in (operation.operation_id, operation.key):
            return operation
    method, _, path = key.partition(" ")
    return next((op for op in api.operations if op.method == method.upper() and op.path == path.strip()), None)


@dataclass(frozen=True)
class ExtensionProblem:
    """A paging extension that does not fit its operation: ignored (no paging), and reported at ``pointer``."""

    message: str
    pointer: str  # into the document


def _configured(api: Api, configured: PaginationMap) -> dict[str, tuple[str, Any]]:
    """Operation key → (the configuration's key, its settings), every entry naming an operation."""
    overrides: dict[str, tuple[str, Any]] = {}
    for key, settings in configured.entries.items():
        operation = _lookup(key, api)
        if operation is None:
            raise ClientgenError(
                f"stale pagination entry {key!r}: no operation has that operationId or 'METHOD /path'"
                + operation_hint(key, api),
                configured.locate(key),
            )
        if settings is not False and not isinstance(settings, dict):
            raise ClientgenError(
                f"pagination entry {key!r} must be a mapping (style, param, items...) or false", configured.locate(key)
            )
        overrides[operation.key] = (key, settings)
    return overrides


def _from_configuration(
    key: str, settings: Mapping[str, Any], operation: Operation, schemas: Schemas, configured: PaginationMap
) -> Paging:
    try:
        read = _from_settings(settings, operation, schemas)
    except Invalid as error:
        raise ClientgenError(f"pagination: {error.message}", configured.locate(key, error.at)) from None
    problem = check_against(read.paging, operation, schemas)
    if problem is not None:
        message, field_name = problem
        raise ClientgenError(
            f"pagination: {message}", configured.locate(key, read.origin.get(field_name, ""))
        ) from None
    return read.paging


def _extension_paging(
    operation: Operation, schemas: Schemas
) -> tuple[Paging | None | Literal[False], ExtensionProblem | None]:
    """What the operation's paging extension says, checked against it; a problem instead when it does not fit."""
    name = _extension_name(operation)
    if not name:
        return None, None
    try:
        read = _from_extensions(operation, schemas, name)
    except Invalid as error:
        return None, ExtensionProblem(f"{name}: {error.message}", f"{operation.pointer}/{name}{error.at}")
    if read is None or read is False:
        return read, None
    problem = check_against(read.paging, operation, schemas)
    if problem is None:
        return read.paging, None
    message, field_name = problem
    return None, ExtensionProblem(f"{name}: {message}", f"{operation.pointer}/{name}{read.origin.get(field_name, '')}")


def pagination_problems(api: Api, configured: PaginationMap | None = None) -> list[ExtensionProblem]:
    """Each paging extension that does not fit its operation (the configuration's entries, which win, aside)."""
    overrides = _configured(api, configured or PaginationMap())
    schemas = Schemas(api)
    found = []
    for operation in api.operations:
        if operation.key not in overrides:
            _, problem = _extension_paging(operation, schemas)
            if problem is not None:
                found.append(problem)
    return found


def paginate(api: Api, configured: PaginationMap | None = None) -> dict[str, Paging]:
    """``METHOD /path`` → its paging, for every operation that pages.

    A configuration entry that does not fit its operation is a located error; an extension that does not
    is ignored here (``pagination_problems`` reports it: an error, or a warning with ``--lenient``).
    """
    configured = configured or PaginationMap()
    schemas = Schemas(api)
    overrides = _configured(api, configured)
    result: dict[str, Paging] = {}
    for operation in api.operations:
        if operation.key in overrides:
            key, settings = overrides[operation.key]
            if settings is not False:
                result[operation.key] = _from_configuration(key, settings, operation, schemas, configured)
            continue
        extension, problem = _extension_paging(operation, schemas)
        if extension is False or problem is not None:
            continue
        found = extension or detect(operation, schemas)
        if found is not None:
            result[operation.key] = found
    return result
