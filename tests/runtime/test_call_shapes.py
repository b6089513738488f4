"""Call shapes (issue 19): keyword bodies on all four clients, against a loopback server, judged by openapi-core.

The example package is tests/data/shapes/chat_sse.yaml (OpenAI-like). A JSON
object body is taken as keyword arguments: the bytes sent must be the ones a
``body=ChatCompletionRequest(...)`` argument sent before (the runtime's own JSON
of the model), and openapi-core, which clientgen did not write, must find the
request valid.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from support.loopback import KINDS, Api, value
from support.oracle import Captured, OracleUnavailable, judge, oracle_python
from support.server import ScriptedServer
from support.shapes import SHAPE_CLASSES, SHAPES, generate_shape

#: The body of the call below as JSON, in the schema's property order: what ``body=`` sent before.
WIRE: dict[str, Any] = {
    "model": "m-1",
    "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi", "name": "ann"}],
    "temperature": 0.5,
    "metadata": {"k": "v"},
    "response_format": {"type": "json_object"},
    "timeout": 30,
    "class": "c",
    "user": "body-user",
}
COMPLETION = {
    "id": "c1",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
}


@pytest.fixture(scope="module")
def chat_sse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("shapes")
    name = generate_shape("chat_sse", root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(root))


def _driver(package: ModuleType, kind: Any, server: ScriptedServer) -> Api:
    return Api(package, "httpx2", kind, server, SHAPE_CLASSES)


def test_keyword_bodies_send_the_bytes_a_body_argument_sent(chat_sse: ModuleType, server: ScriptedServer) -> None:
    models = importlib.import_module("chat_sse.models")
    before = chat_sse._runtime.encoding.json_text(models.ChatCompletionRequest.model_validate(WIRE))
    captured = []
    for kind in KINDS:
        api = _driver(chat_sse, kind, server)
        try:
            client = api.client(base_url=f"{server.url}/v1")
            messages: list[Any] = [dict(message) for message in WIRE["messages"]]
            if not api.is_typed:
                # The pydantic clients take a model or its TypedDict's plain dict, side by side.
                messages[0] = models.ChatMessage(role="system", content="Be brief.")
            server.reply(200, json_body=COMPLETION)
            result = api.run(
                client.completions.create(
                    model="m-1",
                    messages=messages,
                    temperature=0.5,
                    metadata={"k": "v"},
                    response_format={"type": "json_object"},
                    body_timeout=30,  # the property ``timeout``: the client's own timeout keeps its name
                    class_="c",  # the property ``class``: a Python keyword
                    body_user="body-user",  # the property ``user``: the query parameter keeps the plain name
                    user="query-user",
                )
            )
            assert value(result, "id") == "c1"
        finally:
            api.close()
        request = server.requests[-1]
        assert request.body == before.encode("utf-8"), kind
        assert request.query == {"user": ["query-user"]}, kind
        assert request.headers["content-type"] == "application/json"
        captured.append(Captured(request.method, request.raw_path, tuple(request.header_items), request.body))
    try:
        oracle_python()
    except OracleUnavailable as exc:
        pytest.skip(f"openapi-core's environment could not be made: {exc}")
    verdicts = judge(SHAPES / "chat_sse.yaml", "https://api.chat.example", captured).result()
    assert [item.verdict for item in verdicts] == ["valid"] * len(KINDS), verdicts


@pytest.mark.parametrize("kind", KINDS)
def test_a_body_argument_for_an_object_body_fails_before_sending(
    chat_sse: ModuleType, server: ScriptedServer, kind: Any
) -> None:
    api = _driver(chat_sse, kind, server)
    try:
        client = api.client(base_url=f"{server.url}/v1")
        with pytest.raises(TypeError, match="'body'"):
            api.run(client.completions.create(body=WIRE))
        # A body that is no object (an array) is still one ``body`` argument.
        server.reply(200, json_body=[True, False])
        assert api.run(client.moderations.create(body=["a", "b"])) == [True, False]
    finally:
        api.close()
    assert [request.path for request in server.requests] == ["/v1/moderations"]
    assert server.requests[0].json() == ["a", "b"]
