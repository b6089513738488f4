"""Variants as data: a client variant is one record (generator/variants.py); the view and the templates
read the records, so a new variant needs no other change to the generator, and changes no other variant."""

from __future__ import annotations

import ast
import importlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import ModuleType

import pytest
from support.paths import ROOT
from support.server import ScriptedServer

from generator.apilist import build_api_list
from generator.config import ClientConfig, client_config
from generator.models import generate_models
from generator.pipeline import analyse
from generator.render import render_package
from generator.variants import SYNC, TYPED, VARIANTS, Variant
from generator.view.package import build_view
from generator.write import write_tree

#: A fifth client: the TypedDict family's data in modules of its own, sync only.
RAW = replace(
    TYPED,
    name="raw",
    client_module="raw_client",
    resources_package="raw_resources",
    client_module_docstring="The {raw_client_class} client: the decoded JSON, typed as TypedDicts.",
    summary="``{raw_client_class}`` returns the same TypedDicts",
    resources_docstring="Resources of the raw client, one module per tag.",
)
EXTENDED = (*VARIANTS, Variant("raw", RAW, SYNC, "raw_client_class", "The raw client of ``{client_class}``."))


@dataclass(frozen=True)
class _Settings(ClientConfig):
    raw_client_class: str = "RawShop"  # the new variant's class-name setting


def _config(output: Path) -> _Settings:
    base = client_config(name="shopx", spec=ROOT / "spec" / "shop.yaml", package="shopx", output=output)
    return _Settings(**{item.name: getattr(base, item.name) for item in fields(base)})


def _files(config: ClientConfig, variants: tuple[Variant, ...]) -> dict[str, str]:
    analysis = analyse(config)
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config, variants)
    files = render_package(view, generate_models(analysis.models))
    files["api.txt"] = build_api_list(view, analysis.models)
    return files


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], dict[str, str], ModuleType]]:
    root = tmp_path_factory.mktemp("variants")
    config = _config(root / "shopx")
    files = _files(config, EXTENDED)
    write_tree(config.output, {path: text.encode() for path, text in files.items()})
    sys.path.insert(0, str(root))
    try:
        yield _files(config, VARIANTS), files, importlib.import_module("shopx")
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name == "shopx" or name.startswith("shopx.")]:
            del sys.modules[name]


@pytest.mark.slow  # extended generates, writes and imports a package
def test_a_new_variant_adds_its_modules_and_changes_no_other_variant(
    extended: tuple[dict[str, str], dict[str, str], ModuleType],
) -> None:
    standard, files, _ = extended
    added = sorted(set(files) - set(standard))
    assert added == ["raw_client.py", "raw_resources/__init__.py", "raw_resources/customers.py"] + [
        "raw_resources/customers_cards.py",
        "raw_resources/files.py",
        "raw_resources/products.py",
    ]
    # Only what lists every client changes: the package's exports and api.txt.
    changed = sorted(path for path in standard if standard[path] != files[path])
    assert changed == ["__init__.py", "api.txt"]
    assert "client Shopx / AsyncShopx / TypedShopx / AsyncTypedShopx / RawShop\n" in files["api.txt"]
    for path in added:
        ast.parse(files[path], path)


@pytest.mark.slow  # extended generates, writes and imports a package
def test_the_new_variant_works_against_a_server(
    extended: tuple[dict[str, str], dict[str, str], ModuleType], server: ScriptedServer
) -> None:
    _, _, package = extended
    assert "RawShop" in package.__all__
    client = package.RawShop(base_url=server.url, api_key="sk-test")
    server.reply(json_body={"id": "prod_1", "name": "Lamp"})
    assert client.products.get("prod_1") == {"id": "prod_1", "name": "Lamp"}
    server.reply(json_body={"data": [{"id": "prod_1"}, {"id": "prod_2"}], "has_more": False})
    assert [item["id"] for item in client.products.list(limit=2)] == ["prod_1", "prod_2"]
    server.reply(json_body={"id": "card_1"})
    raw = client.with_raw_response.customers.cards.create("cus_1", token="tok")
    assert raw.status_code == 200
    assert [(request.method, request.path) for request in server.requests] == [
        ("GET", "/v1/products/prod_1"),
        ("GET", "/v1/products"),
        ("POST", "/v1/customers/cus_1/cards"),
    ]
    assert server.requests[2].json() == {"token": "tok"}
    client.close()


#: What only the variant records may say: names of a family, an execution or the runtime's per-variant types.
_VARIANT_WORDS = (
    "typed",
    "pydantic",
    "typed_client",
    "typed_resources",
    "Async",
    "SyncPage",
    "AsyncPage",
    "AsyncPaginator",
    "paginate",
    "EventStream",
    "AsyncEventStream",
    "SyncAPIClient",
    "AsyncAPIClient",
    "to_raw_response_wrapper",
    "async_to_raw_response_wrapper",
)


def test_the_view_and_render_name_no_variant() -> None:
    sources = [*sorted((ROOT / "generator" / "view").glob("*.py")), ROOT / "generator" / "render.py"]
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path in sources
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in _VARIANT_WORDS
    ]
    assert found == []


def test_templates_build_no_name_by_concatenation() -> None:
    """``Async{{ name }}`` or ``{{ name }}WithRawResponse`` would be a name decided in a template."""
    glued = re.compile(r"[A-Za-z0-9_]\{\{|\}\}[A-Za-z0-9_]|~")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.jinja"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if glued.search(line)
    ]
    assert found == []
