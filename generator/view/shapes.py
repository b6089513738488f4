"""The view's shapes: frozen records of exactly what each template lays out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from generator.typemodel import Type

Variant = Literal["pydantic", "typed"]


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
class MethodView:
    name: str
    docstring: str
    positional: tuple[ArgumentView, ...]
    keyword: tuple[ArgumentView, ...]
    returns: Type  # what the sync method returns
    return_annotation: str  # sync variant
    async_return_annotation: str
    call: str  # the runtime method: ``request`` or ``stream_events``
    route: str  # module constant holding the Route
    parser: str  # module constant holding the parser
    call_arguments: tuple[str, ...]  # ``path_params={...}`` and friends
    takes_idempotency_key: bool
    streams: bool
    event_type: Type  # what the parser returns: the body, or one event of a stream
    event_annotation: str
    paging: str = ""  # how the method pages (api.txt), when it returns a page


@dataclass(frozen=True)
class RouteView:
    constant: str
    method: str
    path: str
    security: str | None = None  # a Python literal; None: the package's default requirement
    wire: tuple[str, ...] = ()  # further keyword arguments: ``params=(Param(...),)``, ``media_type=``, ``parts=``


@dataclass(frozen=True)
class PagingView:
    constant: str
    expression: str  # ``Paging("cursor", items=("data",), ...)``


@dataclass(frozen=True)
class ParserView:
    constant: str
    expression: str  # pydantic: model_parser(X); typed: passthrough
    annotation: str  # typed: Callable[[object], X]


@dataclass(frozen=True)
class ChildView:
    """A nested resource as its parent holds it: ``customers.cards``."""

    attribute: str  # ``cards``
    class_name: str  # ``CustomersCards``
    module: str  # ``customers_cards``


@dataclass(frozen=True)
class ResourceView:
    attribute: str  # ``invocations``; a nested resource's own name (``cards``)
    dotted: str  # ``invocations``; ``customers.cards`` for a nested resource
    class_name: str  # ``Invocations``
    module: str  # ``invocations``
    docstring: str
    methods: tuple[MethodView, ...]
    routes: tuple[RouteView, ...]
    parsers: tuple[ParserView, ...]
    model_imports: tuple[str, ...]
    typing_imports: tuple[str, ...]
    runtime_imports: tuple[str, ...]
    import_lines: tuple[str, ...] = ()  # standard-library types; ``import builtins`` where a method hides one
    children: tuple[ChildView, ...] = ()
    pagings: tuple[PagingView, ...] = ()

    @property
    def top_level(self) -> bool:
        return "." not in self.dotted


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
    client_class: str
    async_client_class: str
    typed_client_class: str
    async_typed_client_class: str
    base_error: str
    env_prefix: str
    http_module: str
    environments: tuple[EnvironmentView, ...]
    environment_annotation: str  # ``Literal["production", "local"] | None``
    credentials: tuple[CredentialView, ...]  # the primary scheme (api_key) first
    security: str  # a Python literal: what operations without their own requirement send
    api_key_required: bool
    user_agent: str
    resources: tuple[ResourceView, ...]  # pydantic variant, nested ones included
    typed_resources: tuple[ResourceView, ...]  # typed-dict variant, nested ones included
    has_models: bool

    @property
    def pydantic_missing(self) -> str:
        """What importing a model-based client says when pydantic is not installed, as a Python literal."""
        message = (
            f"{self.package}.{self.client_class} and {self.package}.{self.async_client_class} need pydantic v2 "
            f"(pip install pydantic); {self.package}.typed_client.{self.typed_client_class} works without it"
        )
        return json.dumps(message)

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
