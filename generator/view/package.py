"""The package view: everything the templates of one package need, built from the analysis."""

from __future__ import annotations

from collections.abc import Mapping

from generator import __version__
from generator.config import ClientConfig
from generator.contract import api_key_required, credentials, default_requirement
from generator.ir import Api
from generator.naming.case import snake
from generator.naming.operations import OperationName
from generator.pagination import Paging, paginate
from generator.schemas import SchemaSet
from generator.typemodel import Literal, Primitive, optional, render
from generator.variants import VARIANTS, Variant, families, variants_of
from generator.view.annotate import requirement_literal
from generator.view.clients import client_module, clients_summary
from generator.view.docstrings import docstring_text
from generator.view.resources import build_resources
from generator.view.shapes import CredentialView, EnvironmentView, PackageView


def credential_views(api: Api, env_prefix: str) -> tuple[CredentialView, ...]:
    views = []
    for credential in credentials(api):
        scheme = credential.scheme
        where = {"bearer": "as a bearer token", "basic": "as HTTP basic auth ('user:password')"}.get(
            scheme.kind, f"in the {scheme.kind} {scheme.name!r}"
        )
        description = f"The {scheme.key!r} credential, sent {where}. Defaults to the {env_prefix}_{credential.argument.upper()} environment variable."
        views.append(
            CredentialView(
                scheme.kind,
                scheme.name,
                scheme.key,
                credential.argument,
                f"{env_prefix}_{credential.argument.upper()}",
                docstring_text(description),
            )
        )
    return tuple(views)


def environments(api: Api, config: ClientConfig) -> tuple[EnvironmentView, ...]:
    """The configured environments, else one per server of the spec, named from its description or URL."""
    if config.environments:
        return tuple(EnvironmentView(name, url.rstrip("/")) for name, url in config.environments.items())
    result: list[EnvironmentView] = []
    for index, server in enumerate(api.servers):
        if server.description and len(server.description) <= 30:
            name = snake(server.description)
        elif "localhost" in server.url or "127.0.0.1" in server.url:
            name = "local"
        else:
            name = "production" if index == 0 else f"server_{index + 1}"
        if any(env.name == name for env in result):
            name = f"{name}_{index + 1}"
        result.append(EnvironmentView(name, server.url))
    return tuple(result)


def _header_safe(text: str) -> str:
    """Visible ASCII only: the version goes into every request's User-Agent header."""
    return "".join(char for char in text if "!" <= char <= "~") or "0"


def environment_annotation(names: tuple[EnvironmentView, ...]) -> str:
    """``environment=``: a Literal of the configured names, so a type checker catches a typo."""
    if not names:
        return render(optional(Primitive("str")))
    return render(optional(Literal(tuple(environment.name for environment in names))))


def build_view(
    api: Api,
    schemas: SchemaSet,
    operation_names: Mapping[str, OperationName],
    config: ClientConfig,
    variants: tuple[Variant, ...] = VARIANTS,
    paging: dict[str, Paging] | None = None,
) -> PackageView:
    """The package's view; one client per variant (the first is the primary one), each named by its setting.

    ``paging``: ``paginate(api, config.pagination)``, when the caller has it already (``Analysis.paging``).
    """
    title = docstring_text(" ".join(api.title.split()))  # only ever shown inside docstrings
    paging = paginate(api, config.pagination) if paging is None else paging
    names = {variant.class_setting: str(getattr(config, variant.class_setting)) for variant in variants}
    modules = tuple(
        client_module(
            variants_of(family, variants),
            build_resources(
                api,
                schemas,
                operation_names,
                variants_of(family, variants),
                names,
                paging,
                config.idempotency_keys,
            ),
            names,
            config.package,
            config.http_module,
            environment_literal=bool(environments(api, config)),
        )
        for family in families(variants)
    )
    return PackageView(
        package=config.package,
        title=title,
        docstring=docstring_text(f"Python client for {api.title} {api.version}.".replace(" .", "."), api.description),
        api_version=api.version,
        version=config.project.version if config.project else api.version,
        generator_version=__version__,
        modules=modules,
        clients_summary=clients_summary(families(variants), names, config.package),
        base_error=f"{modules[0].clients[0].names.main}Error",
        env_prefix=config.env_prefix,
        http_module=config.http_module,
        environments=environments(api, config),
        environment_annotation=environment_annotation(environments(api, config)),
        credentials=credential_views(api, config.env_prefix),
        security=requirement_literal(default_requirement(api)),
        api_key_required=api_key_required(api),
        user_agent=f"{config.package}-python/{_header_safe(api.version)} clientgen/{__version__}",
        has_models=bool(schemas.models),
    )
