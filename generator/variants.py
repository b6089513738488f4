"""The output variants: one record per client a package has, with the data that sets each apart.

A variant runs calls one way (an ``Execution``: sync or async) over one kind
of data (a ``Family``: pydantic models, or TypedDicts that are never
validated). The view reads these records and nothing else to tell variants
apart, and the templates lay out what the records say: a client's base class,
``def`` or ``async def``, ``await``, the page and event-stream types, the
response wrappers, the modules a family's clients and resources live in, the
prose that introduces each. Adding a variant is adding its record here (and
its class-name setting), plus a template only where its code looks different.

Prose fields are ``str.format`` patterns over the clients' setting names
(``{client_class}``...) and ``{package}``; line breaks are where the
docstrings break.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.typemodel import Flavour


@dataclass(frozen=True)
class Execution:
    """How a variant's calls run."""

    name: str  # how docstrings say it: "sync", "async"
    class_prefix: str  # of its resource classes: ``Pets``, ``AsyncPets``
    define: str  # a method's keyword: "def", "async def"
    awaits: bool  # its methods await the runtime call
    base_client: str  # the runtime class a client derives from, and its resources hold
    http_client: str  # the HTTP library's client class one can pass in: ``Client``, ``AsyncClient``
    page: str  # the runtime type a paged call returns
    #: How a paged call is made: the runtime method, and whether the method is ``async def`` and awaits it.
    #: An async paged call is a plain ``def`` returning an ``AsyncPaginator``, which is awaitable for the first
    #: page and also iterable with ``async for`` without ``await`` (as in openai-python).
    page_call: str
    page_define: str
    page_awaits: bool
    event_stream: str  # the runtime type an event-stream call returns
    line_stream: str  # the runtime type a JSON Lines (NDJSON) call returns
    raw_wrapper: str  # the runtime function behind ``with_raw_response``
    streaming_wrapper: str  # the runtime function behind ``with_streaming_response``
    streaming_docstring: str  # of a resource's ``with_streaming_response`` class


SYNC = Execution(
    name="sync",
    class_prefix="",
    define="def",
    awaits=False,
    base_client="SyncAPIClient",
    http_client="Client",
    page="SyncPage",
    page_call="request_page",
    page_define="def",
    page_awaits=False,
    event_stream="EventStream",
    line_stream="JSONLinesStream",
    raw_wrapper="to_raw_response_wrapper",
    streaming_wrapper="to_streamed_response_wrapper",
    streaming_docstring="The same methods as context managers yielding a ``StreamedResponse``, its body unread.",
)
ASYNC = Execution(
    name="async",
    class_prefix="Async",
    define="async def",
    awaits=True,
    base_client="AsyncAPIClient",
    http_client="AsyncClient",
    page="AsyncPaginator",
    page_call="paginate",
    page_define="def",
    page_awaits=False,
    event_stream="AsyncEventStream",
    line_stream="AsyncJSONLinesStream",
    raw_wrapper="async_to_raw_response_wrapper",
    streaming_wrapper="async_to_streamed_response_wrapper",
    streaming_docstring="The same methods as async context managers yielding an ``AsyncStreamedResponse``.",
)


@dataclass(frozen=True)
class Family:
    """What a variant's arguments and results are, and where its code lives."""

    name: str
    flavour: Flavour  # how the type model renders its types (``UUID`` or ``str``)
    models_module: str  # the module its model types come from
    client_module: str  # the module holding its clients
    resources_package: str  # the package holding its resource modules, one per tag
    validates: bool  # results are parsed into models at run time
    needs_pydantic: bool  # importing its clients imports pydantic
    client_module_docstring: str  # pattern
    summary: str  # pattern: its clients in the package's docstring
    resources_docstring: str  # of its resources package
    resource_note: str  # after each resource module's docstring; "" for none
    method_note: str  # after each method's docstring; "" for none
    #: The module whose TypedDicts its arguments take beside its own models (and whose enums' values they
    #: take as plain strings): a pydantic client's ``messages=[{"role": "user", ...}]``; None: its own
    #: models are TypedDicts and literals already.
    argument_dicts: str | None = None


PYDANTIC = Family(
    name="pydantic",
    flavour="python",
    models_module="models",
    client_module="client",
    resources_package="resources",
    validates=True,
    needs_pydantic=True,
    client_module_docstring="The {client_class} (sync) and {async_client_class} (async) clients, with pydantic models.",
    summary="``{client_class}`` (sync) and ``{async_client_class}`` (async) return\n"
    "pydantic models from ``{package}.models``",
    resources_docstring="Resources of the pydantic clients, one module per tag.",
    resource_note="",
    method_note="",
    argument_dicts="types",
)
TYPED = Family(
    name="typed",
    flavour="json",
    models_module="types",
    client_module="typed_client",
    resources_package="typed_resources",
    validates=False,
    needs_pydantic=False,
    client_module_docstring="The {typed_client_class} (sync) and {async_typed_client_class} (async) clients: "
    "TypedDicts in and out, no pydantic.\n\n"
    "Responses are the decoded JSON, typed for your type checker but not validated\n"
    "at run time, by design: importing or using these clients never imports pydantic.\n",
    summary="``{typed_client_class}`` (sync) and\n"
    "``{async_typed_client_class}`` (async) return TypedDicts from ``{package}.types``\n"
    "and never import pydantic",
    resources_docstring="Resources of the typed-dict client, one module per tag.",
    resource_note="Typed-dict variant: arguments and results are plain dicts typed as TypedDicts.\n"
    "Nothing is validated at run time, by design, and pydantic is never imported;\n"
    "only a body the API documents is never returned as None: an empty or null one\n"
    "raises APIResponseValidationError.\n",
    method_note="Returns the response as plain data typed as a TypedDict; it is not validated, by design.",
)


@dataclass(frozen=True)
class Variant:
    """One client of the package."""

    name: str
    family: Family
    execution: Execution
    class_setting: str  # the client setting that names its class
    #: Its class docstring's paragraph after the API's description (a pattern); "" for the client that
    #: documents the constructor's arguments, which the others refer to.
    note: str


VARIANTS = (
    Variant("sync", PYDANTIC, SYNC, "client_class", ""),
    Variant(
        "async",
        PYDANTIC,
        ASYNC,
        "async_client_class",
        "The asynchronous client: the same resources and arguments as\n``{client_class}``, with every method awaited.",
    ),
    Variant(
        "typed",
        TYPED,
        SYNC,
        "typed_client_class",
        "Typed-dict variant of ``{client_class}``: the same resources, methods and\n"
        "arguments; results are plain dicts typed as TypedDicts (not validated).",
    ),
    Variant(
        "async_typed",
        TYPED,
        ASYNC,
        "async_typed_client_class",
        "Asynchronous typed-dict variant: the same resources and arguments as\n"
        "``{typed_client_class}``, with every method awaited; never imports pydantic.",
    ),
)


def families(variants: tuple[Variant, ...]) -> tuple[Family, ...]:
    """The families of ``variants``, in the order of their first variant."""
    return tuple(dict.fromkeys(variant.family for variant in variants))


def variants_of(family: Family, variants: tuple[Variant, ...]) -> tuple[Variant, ...]:
    return tuple(variant for variant in variants if variant.family == family)


@dataclass(frozen=True)
class ClassNames:
    """The classes of one variant of a client or resource: ``Pets``, ``PetsWithRawResponse``, ``PetsWithStreamingResponse``."""

    main: str
    raw: str
    streaming: str

    @property
    def all(self) -> tuple[str, str, str]:
        return (self.main, self.raw, self.streaming)


def class_names(main: str) -> ClassNames:
    """The names a class and its two response wrappers have."""
    return ClassNames(main, f"{main}WithRawResponse", f"{main}WithStreamingResponse")


def resource_class_names(base: str, execution: Execution) -> ClassNames:
    """``Pets`` → ``Pets`` (sync) or ``AsyncPets`` (async), with their wrappers."""
    return class_names(execution.class_prefix + base)
