"""The view's shapes: frozen records of exactly what each template lays out.

What differs between variants is read from their records (``generator.variants``):
a module's records hold its family, a class's records its variant.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from generator.typemodel import Type
from generator.variants import ClassNames, Family, Variant


@dataclass(frozen=True)
class ArgumentView:
    name: str
    type: Type  # the value it takes (without ``NotGiven``)
    annotation: str  # as rendered in the method's module
    default: str | None  # None: required
    wire_name: str
    description: str

    @property
    def declaration(self) -> str:
        text = f"{self.name}: {self.annotation}"
        return text if self.default is None else f"{text} = {self.default}"


@dataclass(frozen=True)
class StreamChoice:
    """An operation answering with JSON or with a stream, as its body's boolean ``stream`` property asks:
    its method is overloaded on that argument (``Literal[True]`` returns the stream)."""

    argument: str  # the keyword argument that picks (``stream``)
    default: bool  # what the API does when the argument is left out (Ollama streams: True)
    call: str  # the runtime method of the streamed answer: ``stream_events`` or ``stream_lines``
    chunk: Type  # one event or line of the stream
    parser: str  # module constant holding the chunk's parser
    nullable: bool = False  # the property may be null: None means what leaving it out means
    required: bool = False  # the property is required: no overload leaves it out


@dataclass(frozen=True)
class OverloadView:
    """One ``@overload`` of a method in one variant: its keyword arguments' declarations and what it returns.
    A JSON-or-stream method's declare ``stream`` each their way (``stream: Literal[True]``); a method whose body
    needs one of several sets of arguments has one per set, that set's arguments without a default."""

    keyword: tuple[str, ...]  # each keyword argument's declaration, in the method's order
    return_annotation: str


@dataclass(frozen=True)
class GuardView:
    """A check a method makes before it sends anything: when ``condition`` holds, it raises
    ``RequestArgumentError(message)`` (a Python string literal)."""

    condition: str
    message: str


@dataclass(frozen=True)
class MethodView:
    """One operation as the methods of one family's resource take it; ``VariantMethodView`` adds each variant's own."""

    name: str
    docstring: str
    positional: tuple[ArgumentView, ...]
    keyword: tuple[ArgumentView, ...]
    returns: Type  # what the sync method returns
    call: str  # the runtime method: ``request``, ``request_page`` or ``stream_events``
    route: str  # module constant holding the Route
    parser: str  # module constant holding the parser
    call_arguments: tuple[str, ...]  # ``path_params={...}`` and friends
    takes_idempotency_key: bool
    streams: bool
    event_type: Type  # what the parser returns: the body, one event of a stream, one item of a page
    paging: str = ""  # how the method pages (api.txt), when it returns a page
    stream_choice: StreamChoice | None = None  # JSON, or a stream when its ``stream`` argument asks
    #: Per union of the body that needs some optional arguments: the sets of argument names one of which a
    #: call must give (``(("reviewers",), ("team_reviewers",))``); each union a tuple of sets.
    required_sets: tuple[tuple[tuple[str, ...], ...], ...] = ()
    guards: tuple[GuardView, ...] = ()  # checked before anything is sent: one per entry of ``required_sets``


@dataclass(frozen=True)
class RouteView:
    constant: str
    method: str
    path: str
    security: str | None = None  # a Python literal; None: the package's default requirement
    wire: tuple[str, ...] = ()  # further keyword arguments: ``params=(Param(...),)``, ``media_type=``, ``parts=``
    makes_idempotency_key: bool = False  # the operation declares an Idempotency-Key header
    #: ``constant = Route(...)`` as black lays it out (``generator/prelaid.py``).
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class PagingView:
    constant: str
    expression: str  # ``Paging("cursor", items=("data",), ...)``


@dataclass(frozen=True)
class ParserView:
    constant: str
    expression: str  # pydantic: model_parser(X); typed: passthrough
    annotation: str  # typed: Callable[[object], X]
    #: ``constant: annotation = expression`` as black lays it out (``generator/prelaid.py``).
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class VariantMethodView:
    """A method as one variant defines it: ``def`` or ``async def``, awaited or not, and what it returns."""

    method: MethodView
    define: str  # ``def``, ``async def``
    awaits: bool  # the runtime call
    returns: Type
    return_annotation: str
    receiver: str = "self._client"  # what it calls the runtime on; ``self`` in the client's own methods
    call: str = ""  # the runtime method it calls: its MethodView's, or the variant's way of paging
    overloads: tuple[OverloadView, ...] = ()  # a JSON-or-stream method's, before its implementation
    stream_condition: str = ""  # when such a method streams: ``stream is True``
    stream_returns: Type | None = None  # what its streamed answer is in this variant
    #: ``self.name = wrapper(resource.name)`` in the raw-response and the streaming wrapper, as black lays it out.
    raw_wrapped: tuple[str, ...] = ()
    streaming_wrapped: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeldView:
    """A resource as a client or a parent resource holds it, in one variant: ``self.cards = AsyncCards(client)``."""

    attribute: str  # ``cards``
    names: ClassNames  # its classes in that variant
    module: str  # the module defining them, imported on first use: ``customers_cards``
    #: The ``cached_property`` holding it in the class, the raw-response wrapper and the streaming wrapper: its
    #: ``def`` and ``return`` lines, laid out as black lays them out (``generator/prelaid.py``).
    main: tuple[str, ...] = ()
    raw: tuple[str, ...] = ()
    streaming: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportView:
    """The classes a module imports from one resource module: ``from .resources.pets import (...)``."""

    module: str  # ``customers_cards``
    names: tuple[str, ...]


@dataclass(frozen=True)
class ResourceClassView:
    """One variant of a resource: its classes, the resources it holds, its methods."""

    variant: Variant
    names: ClassNames
    children: tuple[HeldView, ...]
    methods: tuple[VariantMethodView, ...]
    #: The runtime client class it derives from, for the client's own methods (a base class of the client,
    #: which calls the runtime on itself); None for a resource, which holds the client it is given.
    base: str | None = None


@dataclass(frozen=True)
class ResourceView:
    """One resource module of one family: its constants, and a class (and wrappers) per variant."""

    family: Family
    attribute: str  # ``invocations``; a nested resource's own name (``cards``)
    dotted: str  # ``invocations``; ``customers.cards`` for a nested resource
    class_name: str  # ``Invocations``: the sync variant's class
    module: str  # ``invocations``
    docstring: str
    methods: tuple[MethodView, ...]
    routes: tuple[RouteView, ...]
    parsers: tuple[ParserView, ...]
    model_imports: tuple[str, ...]
    typing_imports: tuple[str, ...]
    runtime_imports: tuple[str, ...]
    import_lines: tuple[str, ...] = ()  # standard-library types; ``import builtins`` where a method hides one
    #: The name it gives the resources package, through which its classes name their nested resources' classes
    #: (``resources.CustomersCards``); "" when it holds none.
    namespace: str = ""
    classes: tuple[ResourceClassView, ...] = ()  # one per variant of the family
    pagings: tuple[PagingView, ...] = ()

    @property
    def top_level(self) -> bool:
        """A resource the client holds as an attribute (not the client's own methods, not a nested one)."""
        return bool(self.dotted) and "." not in self.dotted

    @property
    def is_client(self) -> bool:
        """The methods of the client itself (``client.chat(...)``): a base class of the client."""
        return not self.dotted


@dataclass(frozen=True)
class ClientView:
    """One variant's client class, and the top-level resources it holds."""

    variant: Variant
    names: ClassNames
    http_client: str  # the HTTP client one may pass in: ``httpx2.Client``
    note: str  # its docstring's paragraph after the API's description; "": it documents the constructor
    resources: tuple[HeldView, ...]
    base: str  # its base class: the runtime's client, or the class of its own methods (which derives from it)
    own: ClassNames | None = None  # the classes of its own methods (``client.chat(...)``), which it derives from


@dataclass(frozen=True)
class ClientModuleView:
    """One family's client module (``client.py``, ``typed_client.py``) and its resource package."""

    family: Family
    docstring: str
    runtime_imports: tuple[str, ...]
    #: Every resource's classes (nested ones too), every variant's: what the resources package offers by name,
    #: each loaded with its module on first use (the properties holding resources name them through the package).
    resource_imports: tuple[ImportView, ...]
    clients: tuple[ClientView, ...]
    resources: tuple[ResourceView, ...]  # nested ones included
    own_import: ImportView | None = None  # the classes of the client's own methods, its base classes
    typing_imports: tuple[str, ...] = ()  # the names the module imports from ``typing``
    #: The name the client module gives the resources package (``resources``), under which its properties
    #: name each resource's class; ``_resources`` when a resource's attribute is the package's own name.
    namespace: str = ""

    @property
    def namespace_import(self) -> str:
        """``from . import resources`` (``... as _resources`` when the package's name is taken)."""
        package = self.family.resources_package
        alias = f" as {self.namespace}" if self.namespace != package else ""
        return f"from . import {package}{alias}"

    @property
    def resource_names(self) -> tuple[str, ...]:
        """Every class the resources package offers by name, sorted."""
        return tuple(sorted(name for imported in self.resource_imports for name in imported.names))

    @property
    def resource_homes(self) -> tuple[tuple[str, str], ...]:
        """Each resource's sync class, and the module defining it and its other classes, sorted."""
        return tuple(
            sorted((resource.class_name, resource.module) for resource in self.resources if not resource.is_client)
        )


@dataclass(frozen=True)
class CredentialView:
    """One security scheme the client sends, and the constructor argument feeding it."""

    kind: str
    name: str
    scheme: str
    argument: str
    env_var: str
    description: str  # for the constructor's docstring

    @property
    def expression(self) -> str:
        values = (self.kind, self.name, self.scheme, self.argument)
        return (
            "AuthScheme("
            + ", ".join(
                f"{field}={json.dumps(value)}"
                for field, value in zip(("kind", "name", "scheme", "argument"), values, strict=False)
            )
            + ")"
        )


@dataclass(frozen=True)
class EnvironmentView:
    name: str
    url: str


@dataclass(frozen=True)
class PackageView:
    package: str
    title: str
    docstring: str
    api_version: str  # the spec's info.version: API_VERSION
    version: str  # the package's own: __version__ (the project's version when published, else the API's)
    generator_version: str
    modules: tuple[ClientModuleView, ...]  # one per family; the first is the primary one
    clients_summary: str  # the package docstring's paragraph on its clients
    base_error: str
    env_prefix: str
    http_module: str
    environments: tuple[EnvironmentView, ...]
    environment_annotation: str  # ``Literal["production", "local"] | None``
    credentials: tuple[CredentialView, ...]  # the primary scheme (api_key) first
    security: str  # a Python literal: what operations without their own requirement send
    api_key_required: bool
    user_agent: str
    has_models: bool

    @property
    def clients(self) -> tuple[ClientView, ...]:
        """Every client, in the order of the variants."""
        return tuple(client for module in self.modules for client in module.clients)

    @property
    def client_class(self) -> str:
        """The primary client's class: what the configuration, errors and examples are named after."""
        return self.clients[0].names.main

    @property
    def class_name(self) -> Mapping[str, str]:
        """Each client's class, by the setting that names it (``typed_client_class``)."""
        return {client.variant.class_setting: client.names.main for client in self.clients}

    @property
    def resources(self) -> tuple[ResourceView, ...]:
        """The primary family's resources, nested ones included: what ``api.txt`` and the README list."""
        return self.modules[0].resources

    def resources_of(self, family: str) -> tuple[ResourceView, ...]:
        """One family's resources, by its name (``typed``)."""
        return next(module.resources for module in self.modules if module.family.name == family)

    @property
    def pydantic_missing(self) -> str:
        """What importing a model-based client says when pydantic is not installed, as a Python literal."""
        needing = [
            f"{self.package}.{client.names.main}" for client in self.clients if client.variant.family.needs_pydantic
        ]
        alternative = next(client for client in self.clients if not client.variant.family.needs_pydantic)
        message = (
            f"{' and '.join(needing)} need pydantic v2 (pip install pydantic); "
            f"{self.package}.{alternative.variant.family.client_module}.{alternative.names.main} works without it"
        )
        return json.dumps(message)

    @property
    def api_key_env(self) -> str:
        return f"{self.env_prefix}_API_KEY"

    @property
    def base_url_env(self) -> str:
        return f"{self.env_prefix}_BASE_URL"

    @property
    def environment_literal(self) -> bool:
        return bool(self.environments)

    @property
    def auth_expression(self) -> str:
        """The ``auth=`` value of the package's ClientConfig."""
        return "(" + "".join(f"{credential.expression}, " for credential in self.credentials) + ")"

    @property
    def extra_credentials(self) -> tuple[CredentialView, ...]:
        """The constructor arguments beside ``api_key``."""
        return self.credentials[1:]

    @property
    def config_imports(self) -> str:
        return "AuthScheme, ClientConfig" if self.credentials else "ClientConfig"
