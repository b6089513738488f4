"""A client loads a resource's module, and the models it returns, when the resource is first used (issue 22).

Importing every resource of a large API with the client cost seconds (stripe's
client module: 1.6 s, all of it resources and the models they import). Each
check runs in a fresh interpreter on the committed shop package (a resource
with a nested one, ``customers.cards``), for the pydantic and the typed-dict
clients, sync and async.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.paths import GENERATED

_SCRIPT = """
import sys

def loaded(part):
    return sorted(name for name in sys.modules if name.startswith("shop." + part))

from shop.{module} import {sync}, {async_}
client = {sync}(api_key="k", base_url="http://127.0.0.1:9")
assert loaded("{resources}") == [], loaded("{resources}")
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
