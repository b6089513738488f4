"""Fixtures for the runtime tests.

The runtime template is rendered into a throw-away package (once per
``http_module``) next to a small hand-written client written the way generated
code uses the runtime. Tests drive it against :mod:`tests.support.server`.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.support.server import ScriptedServer, loopback_server  # noqa: E402

TEMPLATES = REPO / "templates"
HTTP_MODULES = ["httpx2", "httpx"]

# A client written the way the generator writes one: a config, routes, resource
# classes calling `request()`, raw-response wrappers, and sync + async clients.
CLIENT_SOURCE = """\
from __future__ import annotations

from typing import Any

import HTTP_MODULE as httpx
import pydantic

from . import _runtime as rt
from ._runtime import NOT_GIVEN, NotGiven, Route

CONFIG = rt.ClientConfig(
    client_name="Bctrl",
    env_prefix="BCTRL",
    environments={
        "production": "https://api.bctrl.ai",
        "local": "http://localhost:8787",
    },
    auth=rt.AuthScheme(kind="bearer", name="Authorization"),
    api_key_required=True,
    user_agent="bctrl-python/1.2.3",
    package_version="1.2.3",
)


class Invocation(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    id: str
    status: str
    display_name: str | None = pydantic.Field(default=None, alias="displayName")


_parse_invocation = rt.model_parser(Invocation)
_parse_invocations = rt.model_parser(list[Invocation])

_CREATE = Route("POST", "/v1/invocations")
_RETRIEVE = Route("GET", "/v1/invocations/{id}")
_LIST = Route("GET", "/v1/invocations")
_EVENTS = Route("GET", "/v1/invocations/{id}/events")


class Invocations:
    def __init__(self, client: rt.SyncAPIClient) -> None:
        self._client = client
        self.with_raw_response = InvocationsWithRawResponse(self)

    def create(
        self,
        *,
        name: str,
        tags: list[str] | NotGiven = NOT_GIVEN,
        note: str | None | NotGiven = NOT_GIVEN,
        idempotency_key: str | None = None,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, object] | None = None,
        extra_body: dict[str, object] | None = None,
        timeout: float | None | NotGiven = NOT_GIVEN,
    ) -> Invocation:
        return self._client.request(
            _CREATE,
            json={"name": name, "tags": tags, "note": note},
            parse=_parse_invocation,
            idempotency_key=idempotency_key,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )

    def retrieve(
        self,
        id: str,
        *,
        extra_headers: dict[str, str] | None = None,
        timeout: float | None | NotGiven = NOT_GIVEN,
    ) -> Invocation:
        return self._client.request(
            _RETRIEVE,
            path_params={"id": id},
            parse=_parse_invocation,
            extra_headers=extra_headers,
            timeout=timeout,
        )

    def list(
        self,
        *,
        status: list[str] | NotGiven = NOT_GIVEN,
        include_done: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
    ) -> list[Invocation]:
        return self._client.request(
            _LIST,
            query={"status": status, "include_done": include_done, "limit": limit},
            parse=_parse_invocations,
        )

    def events(self, id: str) -> rt.EventStream[Any]:
        return self._client.stream_events(
            _EVENTS, path_params={"id": id}, parse=rt.passthrough
        )


class InvocationsWithRawResponse:
    def __init__(self, invocations: Invocations) -> None:
        self.create = rt.to_raw_response_wrapper(invocations.create)
        self.retrieve = rt.to_raw_response_wrapper(invocations.retrieve)


class AsyncInvocations:
    def __init__(self, client: rt.AsyncAPIClient) -> None:
        self._client = client
        self.with_raw_response = AsyncInvocationsWithRawResponse(self)

    async def create(
        self,
        *,
        name: str,
        tags: list[str] | NotGiven = NOT_GIVEN,
        note: str | None | NotGiven = NOT_GIVEN,
        idempotency_key: str | None = None,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, object] | None = None,
        extra_body: dict[str, object] | None = None,
        timeout: float | None | NotGiven = NOT_GIVEN,
    ) -> Invocation:
        return await self._client.request(
            _CREATE,
            json={"name": name, "tags": tags, "note": note},
            parse=_parse_invocation,
            idempotency_key=idempotency_key,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )

    async def retrieve(
        self,
        id: str,
        *,
        extra_headers: dict[str, str] | None = None,
        timeout: float | None | NotGiven = NOT_GIVEN,
    ) -> Invocation:
        return await self._client.request(
            _RETRIEVE,
            path_params={"id": id},
            parse=_parse_invocation,
            extra_headers=extra_headers,
            timeout=timeout,
        )

    async def list(
        self,
        *,
        status: list[str] | NotGiven = NOT_GIVEN,
        include_done: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
    ) -> list[Invocation]:
        return await self._client.request(
            _LIST,
            query={"status": status, "include_done": include_done, "limit": limit},
            parse=_parse_invocations,
        )

    async def events(self, id: str) -> rt.AsyncEventStream[Any]:
        return await self._client.stream_events(
            _EVENTS, path_params={"id": id}, parse=rt.passthrough
        )


class AsyncInvocationsWithRawResponse:
    def __init__(self, invocations: AsyncInvocations) -> None:
        self.create = rt.async_to_raw_response_wrapper(invocations.create)
        self.retrieve = rt.async_to_raw_response_wrapper(invocations.retrieve)


class Bctrl(rt.SyncAPIClient):
    _config = CONFIG

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        environment: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = rt.DEFAULT_MAX_RETRIES,
        default_headers: dict[str, str] | None = None,
        default_query: dict[str, object] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            environment=environment,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )
        self.invocations = Invocations(self)


class AsyncBctrl(rt.AsyncAPIClient):
    _config = CONFIG

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        environment: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = rt.DEFAULT_MAX_RETRIES,
        default_headers: dict[str, str] | None = None,
        default_query: dict[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            environment=environment,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
        )
        self.invocations = AsyncInvocations(self)
"""


def render_runtime(http_module: str, base_error: str = "BctrlError") -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("package/_runtime.py.jinja")
    return template.render(http_module=http_module, base_error=base_error)


def write_package(root: Path, name: str, http_module: str) -> Path:
    pkg = root / name
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "_runtime.py").write_text(render_runtime(http_module))
    (pkg / "client.py").write_text(CLIENT_SOURCE.replace("HTTP_MODULE", http_module))
    return pkg


class Pkg:
    """The rendered package: ``rt`` is the runtime module, ``client`` the client."""

    def __init__(
        self, http_module: str, rt: types.ModuleType, client: types.ModuleType
    ):
        self.http_module = http_module
        self.rt = rt
        self.client = client
        self.httpx: Any = importlib.import_module(http_module)


@pytest.fixture(scope="session", params=HTTP_MODULES)
def pkg(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Pkg:
    http_module: str = request.param
    root = tmp_path_factory.mktemp(f"rendered_{http_module}")
    name = f"clientgen_rt_{http_module}"
    write_package(root, name, http_module)
    sys.path.insert(0, str(root))
    try:
        rt = importlib.import_module(f"{name}._runtime")
        client = importlib.import_module(f"{name}.client")
    finally:
        sys.path.remove(str(root))
    return Pkg(http_module, rt, client)


@pytest.fixture(autouse=True)
def fast_backoff(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep computed backoff tiny; tests about the backoff itself re-patch it."""
    if "pkg" in request.fixturenames:
        rt = request.getfixturevalue("pkg").rt
        monkeypatch.setattr(rt, "INITIAL_RETRY_DELAY", 0.001)
        monkeypatch.setattr(rt, "MAX_RETRY_DELAY", 0.01)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BCTRL_API_KEY", raising=False)
    monkeypatch.delenv("BCTRL_BASE_URL", raising=False)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()


class Driver:
    """Runs the same test against the sync or the async client.

    ``api.run(x)`` returns ``x`` for the sync client and awaits it on a per-test
    event loop for the async client, so ``api.run(client.request(...))`` works
    for both.
    """

    def __init__(self, pkg: Pkg, server: ScriptedServer, is_async: bool) -> None:
        self.pkg = pkg
        self.rt = pkg.rt
        self.server = server
        self.is_async = is_async
        self.loop = asyncio.new_event_loop() if is_async else None
        self._clients: list[Any] = []

    @property
    def client_class(self) -> Any:
        return self.pkg.client.AsyncBctrl if self.is_async else self.pkg.client.Bctrl

    def client(self, **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", self.server.url)
        kwargs.setdefault("api_key", "sk-test-123")
        client = self.client_class(**kwargs)
        self._clients.append(client)
        return client

    def run(self, value: Any) -> Any:
        if self.loop is not None and asyncio.iscoroutine(value):
            return self.loop.run_until_complete(value)
        return value

    def collect(self, stream: Any) -> list[Any]:
        if self.loop is None:
            with stream:
                return list(stream)

        async def gather() -> list[Any]:
            async with stream:
                return [item async for item in stream]

        return self.loop.run_until_complete(gather())

    def close(self) -> None:
        for client in self._clients:
            self.run(client.close())
        if self.loop is not None:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()


@pytest.fixture(params=["sync", "async"])
def api(
    request: pytest.FixtureRequest, pkg: Pkg, server: ScriptedServer
) -> Iterator[Driver]:
    driver = Driver(pkg, server, is_async=request.param == "async")
    try:
        yield driver
    finally:
        driver.close()
