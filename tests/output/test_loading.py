"""A client loads a resource's module, and the models it returns, when the resource is first used (issue 22).

Importing every resource of a large API with the client cost seconds (stripe's
client module: 1.6 s, all of it resources and the models they import). Each
check runs in a fresh interpreter on the committed shop package (a resource
with a nested one, ``customers.cards``), for the pydantic and the typed-dict
clients, sync and async.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import GENERATED, suite_cache
from support.property_hints import property_hints, resource_properties

_SCRIPT = """
import sys

def loaded(part):
    return sorted(name for name in sys.modules if name.startswith("shop." + part))

from shop.{module} import {sync}, {async_}
client = {sync}(api_key="k", base_url="http://127.0.0.1:9")
assert loaded("{resources}") == ["shop.{resources}"], loaded("{resources}")  # the package's names, no resource
assert "shop.models" not in sys.modules and "shop.types" not in sys.modules

customers = client.customers
assert customers is client.customers and customers._client is client
assert loaded("{resources}") == ["shop.{resources}", "shop.{resources}.customers"], loaded("{resources}")

cards = customers.cards
assert cards is customers.cards and cards._client is client
assert "shop.{resources}.customers_cards" in sys.modules and "shop.{resources}.files" not in sys.modules

raw = client.with_raw_response.customers.cards
assert raw is client.with_raw_response.customers.cards
assert raw.list.__wrapped__ == cards.list, "the raw wrapper wraps the client's own resource"
streaming = client.with_streaming_response.products
assert streaming.list.__wrapped__ == client.products.list

copy = client.with_options(max_retries=0)
assert copy.customers is not customers and copy.customers._client is copy
assert copy.customers.cards._client is copy

other = {async_}(api_key="k", base_url="http://127.0.0.1:9")
assert other.files._client is other and type(other.files).__name__ == "{async_files}"
print("ok")
"""


@pytest.mark.parametrize(
    ("module", "sync", "async_", "resources", "async_files"),
    [
        ("client", "Shop", "AsyncShop", "resources", "AsyncFiles"),
        ("typed_client", "TypedShop", "AsyncTypedShop", "typed_resources", "AsyncFiles"),
    ],
)
def test_resources_load_on_first_use(module: str, sync: str, async_: str, resources: str, async_files: str) -> None:
    script = _SCRIPT.format(module=module, sync=sync, async_=async_, resources=resources, async_files=async_files)
    result = subprocess.run([sys.executable, "-c", script], cwd=GENERATED, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


_MODELS_SCRIPT = """
import sys

from shop.models import Card
from shop.types import Card as CardDict

Card.model_validate({"id": "c", "last4": "4242"})
assert "httpx2" not in sys.modules and "shop.client" not in sys.modules, sorted(sys.modules)
assert sorted(name for name in sys.modules if name.startswith("shop._runtime")) == [
    "shop._runtime", "shop._runtime.base_model"
], sorted(name for name in sys.modules if name.startswith("shop._runtime"))

import shop
from shop import APIError, NotFoundError, ShopError

assert issubclass(NotFoundError, APIError) and issubclass(APIError, ShopError) and shop.APIError is APIError
assert shop._runtime.retries.__name__ == "shop._runtime.retries"
assert not hasattr(shop, "NoSuchName") and not hasattr(shop._runtime, "no_such_module")
namespace = {}
exec("from shop import *", namespace)
assert {"Shop", "TypedShop", "APIError", "DEFAULT_TIMEOUT"} <= set(namespace)
print("ok")
"""


def test_models_load_without_the_http_library_or_the_clients() -> None:
    """The models need pydantic and their base class: the package's ``__init__`` and the runtime's load their
    names on first use, so a model no longer pays for httpx2 and the clients' machinery (stripe: 0.12 s of
    the first model's 0.34 s)."""
    result = subprocess.run(
        [sys.executable, "-c", _MODELS_SCRIPT], cwd=GENERATED, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


#: Models in the chain: each names the one before it, so the last one's validator nests all of them.
CHAIN = 150


def _chain_document(length: int = CHAIN, closed: bool = False) -> dict[str, object]:
    first: dict[str, object] = {"value": {"type": "string"}}
    if closed:  # the first link names the last: one cycle through every model
        first["next"] = {"$ref": f"#/components/schemas/Link{length - 1}"}
    schemas: dict[str, object] = {"Link0": {"type": "object", "properties": first}}
    for number in range(1, length):
        schemas[f"Link{number}"] = {
            "type": "object",
            "properties": {"value": {"type": "string"}, "next": {"$ref": f"#/components/schemas/Link{number - 1}"}},
            "required": ["value"],
        }
    last = {"$ref": f"#/components/schemas/Link{length - 1}"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Chain", "version": "1"},
        "paths": {
            "/links/last": {
                "get": {
                    "operationId": "getLastLink",
                    "responses": {
                        "200": {"description": "The last link", "content": {"application/json": {"schema": last}}}
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


_CHAIN_SCRIPT = f"""
import sys

from chain.models import Link{CHAIN - 1} as Last
from chain._runtime import model_parser

data = {{"value": "a", "next": {{"value": "b", "next": {{"value": "c"}}}}}}
if sys.argv[1] == "model":
    assert Last.model_validate(data).next.next.value == "c"
else:  # what a client does with a response
    assert model_parser(list[Last])([data])[0].next.value == "b"
print("ok")
"""


def test_a_long_chain_of_models_builds_without_exhausting_the_stack(tmp_path: Path) -> None:
    """A chain of 150 models, each naming the one before it: building the last one built all of them
    recursively, about fifteen frames a model, and raised RecursionError (synthetic-1600 has a chain of 400).
    Built in steps, deepest first, it validates, from the model and from a response parser."""
    from generator.config import client_config
    from generator.pipeline import generate
    from generator.write import write_tree

    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(_chain_document()))
    config = client_config(name="chain", spec=spec, package="chain", output=tmp_path / "chain")
    write_tree(config.output, generate(config, cache=suite_cache()).files)
    for way in ("model", "parser"):
        result = subprocess.run(
            [sys.executable, "-c", _CHAIN_SCRIPT, way], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0 and result.stdout.strip() == "ok", f"{way}: {result.stderr[-2000:]}"


#: A cycle of models short enough for one build: what most APIs' models look like (stripe's form cycles of hundreds).
CYCLE = 40

_CYCLE_SCRIPT = f"""
import sys

from cycle._runtime import base_model, model_parser
from cycle.models import Link{CYCLE - 1} as Last


def walked(top: object) -> None:
    raise AssertionError("the models were walked before a build that needed no steps")


base_model.build_deep_models = walked
data = {{"value": "a", "next": {{"value": "b", "next": {{"value": "c"}}}}}}
if sys.argv[1] == "model":
    assert Last.model_validate(data).next.next.value == "c"
else:
    assert model_parser(list[Last])([data])[0].next.value == "b"
print("ok")
"""


def test_models_a_single_build_can_take_are_built_without_walking_them_first(tmp_path: Path) -> None:
    """Walking the models a build names, before every first build, took minutes on stripe (its models form
    cycles of hundreds, walked again for each model built ahead): the steps are taken only when one build
    runs out of stack. A cycle of 40 models builds, from the model and from a response parser, with the
    walk made to fail."""
    from generator.config import client_config
    from generator.pipeline import generate
    from generator.write import write_tree

    spec = tmp_path / "cycle.json"
    spec.write_text(json.dumps(_chain_document(CYCLE, closed=True)))
    config = client_config(name="cycle", spec=spec, package="cycle", output=tmp_path / "cycle")
    write_tree(config.output, generate(config, cache=suite_cache()).files)
    for way in ("model", "parser"):
        result = subprocess.run(
            [sys.executable, "-c", _CYCLE_SCRIPT, way], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0 and result.stdout.strip() == "ok", f"{way}: {result.stderr[-2000:]}"


@pytest.fixture(scope="module")
def every_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """generated/ and every golden case that generates, complete, in one folder (a package per case)."""
    from goldens import case_names, full_case

    from generator.write import write_tree

    root = tmp_path_factory.mktemp("hinted-packages")
    names: list[str] = []
    for package in sorted(path for path in GENERATED.iterdir() if (path / "__init__.py").exists()):
        shutil.copytree(package, root / package.name, ignore=shutil.ignore_patterns("__pycache__"))
        names.append(package.name)
    for case in case_names():
        files = full_case(case, suite_cache())
        if not isinstance(files, str):
            write_tree(root / case, files)
            names.append(case)
    return root, names


def test_every_resource_property_resolves_its_type_hints_before_the_resource_is_used(
    every_package: tuple[Path, list[str]],
) -> None:
    """``typing.get_type_hints`` on every resource property (``Client.<resource>.func``) of every client class,
    sync, async, typed and async typed, and their raw and streaming wrappers, of generated/ and every golden
    case; importing the client modules loads no resource module (issue 22: the properties resolved only once
    their resource had been used)."""
    root, names = every_package
    verdict = property_hints(root, names)
    assert verdict["failed"] == [], verdict["failed"][:10]
    assert verdict["loaded"] == []
    assert verdict["checked"] == resource_properties(root, names) > 100
