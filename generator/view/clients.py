"""Clients: one module per family (``client.py``, ``typed_client.py``), with a client class per variant.

A client derives from the runtime's client class, or, when the API has
methods of the client itself (``client.chat(...)``), from the class holding
them, which derives from the runtime's; its response wrappers derive from that
class's wrappers likewise. A client holds each top-level resource as a
``cached_property`` that imports the resource's module on first use: the
module, and the models it imports, load with the resource that needs them.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.variants import Family, Variant, class_names, resource_class_names
from generator.view.resources import held, imported, namespace
from generator.view.shapes import ClientModuleView, ClientView, ResourceView

#: What every client module imports from the runtime besides its clients' base classes.
_RUNTIME = frozenset(
    {"DEFAULT_MAX_DECOMPRESSED_BYTES", "DEFAULT_MAX_PAGES", "DEFAULT_MAX_RETRIES", "NOT_GIVEN", "NotGiven", "Timeout"}
)


def client_module(
    variants: tuple[Variant, ...],
    resources: tuple[ResourceView, ...],
    names: Mapping[str, str],
    package: str,
    http_module: str,
    environment_literal: bool = False,
) -> ClientModuleView:
    """The client module of one family's ``variants``; ``names``: each client's class, by its setting;
    ``environment_literal``: whether the constructor's ``environment`` is a Literal of the spec's environments."""
    top = [resource for resource in resources if resource.top_level]
    own = next((resource for resource in resources if resource.is_client), None)
    family = variants[0].family
    # The runtime's client classes, unless the clients derive from their own methods' classes instead.
    bases = set() if own is not None else {variant.execution.base_client for variant in variants}
    held_in = namespace(family, {resource.attribute for resource in top})
    return ClientModuleView(
        family=family,
        docstring=family.client_module_docstring.format(**names, package=package),
        runtime_imports=tuple(sorted(_RUNTIME | bases)),
        resource_imports=tuple(
            imported(resource.module, resource.class_name, variants) for resource in resources if not resource.is_client
        ),
        own_import=imported(own.module, own.class_name, variants) if own is not None else None,
        clients=tuple(_client(variant, top, own, names, package, http_module, held_in) for variant in variants),
        resources=resources,
        typing_imports=("Literal",) if environment_literal else (),
        namespace=held_in,
    )


def _client(
    variant: Variant,
    top: list[ResourceView],
    own: ResourceView | None,
    names: Mapping[str, str],
    package: str,
    http_module: str,
    held_in: str,
) -> ClientView:
    own_names = resource_class_names(own.class_name, variant.execution) if own is not None else None
    return ClientView(
        variant=variant,
        names=class_names(names[variant.class_setting]),
        http_client=f"{http_module}.{variant.execution.http_client}",
        note=variant.note.format(**names, package=package),
        resources=tuple(
            held(resource.dotted, resource.class_name, resource.module, variant, held_in, "self", "self._client")
            for resource in top
        ),
        base=own_names.main if own_names is not None else variant.execution.base_client,
        own=own_names,
    )


def clients_summary(families: tuple[Family, ...], names: Mapping[str, str], package: str) -> str:
    """The package docstring's paragraph on its clients: what each family's return, where from."""
    return "Clients: " + "; ".join(family.summary.format(**names, package=package) for family in families) + "."
