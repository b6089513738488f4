"""Call shapes (issue 19): keyword bodies and JSON-or-stream methods on all four clients, on loopback.

The example packages are tests/data/shapes/chat_sse.yaml (OpenAI-like) and
chat_ndjson.yaml (Ollama-like). A JSON object body is taken as keyword
arguments: the bytes sent must be the ones a ``body=ChatCompletionRequest(...)``
argument sent before (the runtime's own JSON of the model), and openapi-core,
which clientgen did not write, must find the request valid. A method whose
body's ``stream`` property picks JSON or a stream returns the model, or a stream
of typed chunks from server-sent events or JSON Lines, as the argument (or the
API's default) says.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from support.loopback import KINDS, Api, value
from support.oracle import Captured, OracleUnavailable, judge, oracle_python
from support.server import RecordedRequest, ScriptedServer
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
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    root = tmp_path_factory.mktemp("shapes")
    names = [generate_shape(spec, root) for spec in ("chat_sse", "chat_ndjson", "union_bodies")]
    sys.path.insert(0, str(root))
    try:
        yield {name: importlib.import_module(name) for name in names}
    finally:
        sys.path.remove(str(root))


@pytest.fixture
def chat_sse(shapes: dict[str, ModuleType]) -> ModuleType:
    return shapes["chat_sse"]


@pytest.fixture
def chat_ndjson(shapes: dict[str, ModuleType]) -> ModuleType:
    return shapes["chat_ndjson"]


@pytest.fixture
def union_bodies(shapes: dict[str, ModuleType]) -> ModuleType:
    return shapes["union_bodies"]


def _body(request: RecordedRequest) -> dict[str, Any]:
    body = request.json()
    assert isinstance(body, dict)
    return body


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


#: Calls of tests/data/shapes/union_bodies.yaml, each sending one union member's fields, and the body each sends.
UNION_CALLS: list[tuple[str, dict[str, Any]]] = [
    (
        "app_configs",
        {"name": "n", "account_app_id": "a-1", "wans": ["w"], "breakout": True},
    ),  # allOf [object, oneOf [A, B]]: A
    ("app_configs", {"name": "n", "managed_app_id": 7, "wans": [1, 2], "priority": 2}),  # ... and B
    ("rules", {"action": "block", "reason": "spam", "description": "d"}),  # an object's own oneOf: A
    ("rules", {"action": "redirect", "target": "https://b.example", "status": 301, "enabled": True}),  # B
]


def test_each_union_members_fields_are_keyword_arguments(union_bodies: ModuleType, server: ScriptedServer) -> None:
    """A body's union parts (an ``allOf`` with a ``oneOf`` part, an object's own ``oneOf``): every field a
    member carries is a keyword argument, and each member's call is valid by openapi-core."""
    captured = []
    for kind in KINDS:
        api = _driver(union_bodies, kind, server)
        try:
            client = api.client(base_url=f"{server.url}/v1")
            for resource, fields in UNION_CALLS:
                server.reply(200, json_body={"id": "x"})
                result = api.run(getattr(client, resource).create(**fields))
                assert value(result, "id") == "x"
                request = server.requests[-1]
                assert request.json() == fields, (kind, fields)
                captured.append(Captured(request.method, request.raw_path, tuple(request.header_items), request.body))
        finally:
            api.close()
    try:
        oracle_python()
    except OracleUnavailable as exc:
        pytest.skip(f"openapi-core's environment could not be made: {exc}")
    verdicts = judge(SHAPES / "union_bodies.yaml", "https://api.chat.example", captured).result()
    assert [item.verdict for item in verdicts] == ["valid"] * len(captured), verdicts


#: Calls that give none of the sets of optional fields a body's union needs, and the words naming the choices.
MISSING_CHOICE: list[tuple[str, dict[str, Any], str]] = [
    ("pulls", {"number": 5}, r"request_reviewers\(\) needs reviewers or team_reviewers"),  # anyOf of requireds
    ("app_configs", {"name": "n", "account_app_id": "a-1"}, r"create\(\) needs breakout or priority"),
    ("app_configs", {"name": "n", "breakout": True}, r"create\(\) needs account_app_id or managed_app_id"),
    ("rules", {"action": "block"}, r"create\(\) needs reason or target"),  # each oneOf member needs its own field
]


def test_a_call_giving_none_of_the_fields_a_body_needs_one_of_is_refused_before_sending(
    union_bodies: ModuleType, server: ScriptedServer
) -> None:
    """``anyOf: [{required: [reviewers]}, {required: [team_reviewers]}]`` over optional properties (github's
    requested reviewers): a call with neither would send ``{}``, which every validator refuses; the method
    raises ``RequestArgumentError`` naming the choices instead, and a call with one of them is valid by
    openapi-core."""
    captured = []
    for kind in KINDS:
        api = _driver(union_bodies, kind, server)
        try:
            client = api.client(base_url=f"{server.url}/v1")
            for resource, fields, words in MISSING_CHOICE:
                method = getattr(getattr(client, resource), "request_reviewers" if resource == "pulls" else "create")
                arguments = dict(fields)
                positional = [arguments.pop("number")] if "number" in arguments else []
                with pytest.raises(union_bodies.RequestArgumentError, match=words):
                    api.run(method(*positional, **arguments))
            assert server.requests == [], kind
            for fields in ({"reviewers": ["ann"]}, {"team_reviewers": ["core"]}):
                server.reply(200, json_body={"id": "x"})
                assert value(api.run(client.pulls.request_reviewers(5, **fields)), "id") == "x"
                request = server.requests.pop()
                assert request.json() == fields, (kind, fields)
                captured.append(Captured(request.method, request.raw_path, tuple(request.header_items), request.body))
        finally:
            api.close()
    try:
        oracle_python()
    except OracleUnavailable as exc:
        pytest.skip(f"openapi-core's environment could not be made: {exc}")
    verdicts = judge(SHAPES / "union_bodies.yaml", "https://api.chat.example", captured).result()
    assert [item.verdict for item in verdicts] == ["valid"] * len(captured), verdicts


CHUNKS = [
    {"id": "c1", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hel"}}]},
    {"id": "c1", "choices": [{"index": 0, "delta": {"content": "lo"}, "finish_reason": "stop"}]},
]


def _chunk_text(chunks: list[Any]) -> str:
    return "".join(
        value(value(chunk, "choices")[0], "delta").get("content", "")
        if isinstance(chunk, dict)
        else chunk.choices[0].delta.content or ""
        for chunk in chunks
    )


@pytest.mark.parametrize("kind", KINDS)
def test_stream_true_yields_typed_chunks_from_server_sent_events(
    chat_sse: ModuleType, server: ScriptedServer, kind: Any
) -> None:
    models = importlib.import_module("chat_sse.models")
    api = _driver(chat_sse, kind, server)
    try:
        client = api.client(base_url=f"{server.url}/v1")
        # OpenAI's end of stream, ``data: [DONE]``, ends the iteration; nothing after it is read.
        server.reply_sse([*(f"data: {json.dumps(chunk)}" for chunk in CHUNKS), "data: [DONE]", "data: {}"])
        stream = api.run(
            client.completions.create(model="m-1", messages=[{"role": "user", "content": "Hi"}], stream=True)
        )
        chunks = api.collect(stream)
        server.reply(200, json_body=COMPLETION)
        whole = api.run(client.completions.create(model="m-1", messages=[{"role": "user", "content": "Hi"}]))
    finally:
        api.close()
    assert len(chunks) == 2
    if api.is_typed:
        assert chunks == CHUNKS and whole == COMPLETION
    else:
        assert all(isinstance(chunk, models.ChatCompletionChunk) for chunk in chunks)
        assert isinstance(whole, models.ChatCompletion)
    assert _chunk_text(chunks) == "Hello"
    streamed, plain = server.requests
    assert _body(streamed)["stream"] is True and streamed.headers["accept"] == "text/event-stream"
    assert "stream" not in _body(plain) and plain.headers["accept"] == "application/json"


LINES = [
    {"model": "llama", "message": {"role": "assistant", "content": "Hel"}, "done": False},
    {"model": "llama", "message": {"role": "assistant", "content": "lo"}, "done": False},
    {"model": "llama", "done": True},
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_default_streaming_api_streams_json_lines_on_the_natural_call(
    chat_ndjson: ModuleType, server: ScriptedServer, kind: Any
) -> None:
    models = importlib.import_module("chat_ndjson.models")
    api = _driver(chat_ndjson, kind, server)
    body = "".join(json.dumps(line) + "\n" for line in LINES)
    try:
        client = api.client(base_url=server.url)
        # CRLF line ends, a blank line and a last line without its line break, sent a few bytes at a time.
        dripped = body.replace("\n", "\r\n", 1) + "\n" + json.dumps(LINES[0])
        server.reply(200, body=dripped, headers={"Content-Type": "application/x-ndjson"}, drip=0.0005)
        chunks = api.collect(api.run(client.chat(model="llama", messages=[{"role": "user", "content": "Hi"}])))
        server.reply(200, json_body=LINES[2])
        whole = api.run(client.chat(model="llama", messages=[{"role": "user", "content": "Hi"}], stream=False))
        server.reply(200, body=body, headers={"Content-Type": "application/x-ndjson"})
        flag: bool = True
        again = api.collect(api.run(client.chat(model="llama", messages=[], stream=flag)))
        server.reply(
            200,
            body='{"status": "pulling"}\n{"status": "done", "completed": 3}\n',
            headers={"Content-Type": "application/x-ndjson"},
        )
        progress = api.collect(api.run(client.pull(model="llama")))
    finally:
        api.close()
    assert [value(chunk, "done") for chunk in chunks] == [False, False, True, False]
    assert len(again) == 3
    assert [value(item, "status") for item in progress] == ["pulling", "done"]
    if api.is_typed:
        assert chunks[:3] == LINES and whole == LINES[2]
    else:
        assert all(isinstance(chunk, models.ChatResponse) for chunk in chunks)
        assert isinstance(whole, models.ChatResponse) and whole.done is True
        assert chunks[0].message is not None and chunks[0].message.content == "Hel"
    natural, plain, flagged, pull = server.requests
    assert "stream" not in _body(natural) and "ndjson" in natural.headers["accept"]
    assert _body(plain)["stream"] is False and plain.headers["accept"] == "application/json"
    assert _body(flagged)["stream"] is True
    assert pull.path == "/api/pull"


@pytest.mark.parametrize("kind", KINDS)
def test_a_json_lines_stream_fails_typed(chat_ndjson: ModuleType, server: ScriptedServer, kind: Any) -> None:
    api = _driver(chat_ndjson, kind, server)
    try:
        client = api.client(base_url=server.url)
        ndjson = {"Content-Type": "application/x-ndjson"}
        server.reply(200, body=json.dumps(LINES[0]) + '\n{"error": "model not found"}\n', headers=ndjson)
        with pytest.raises(api.error("EventStreamError"), match="model not found"):
            api.collect(api.run(client.chat(model="x", messages=[])))
        server.reply(200, body=json.dumps(LINES[0]) + "\n{not json\n", headers=ndjson)
        with pytest.raises(api.error("APIResponseValidationError"), match="not JSON"):
            api.collect(api.run(client.chat(model="x", messages=[])))
        server.reply(200, json_body=LINES[0])  # JSON where a stream was asked for
        with pytest.raises(api.error("APIResponseValidationError"), match="JSON Lines"):
            api.collect(api.run(client.chat(model="x", messages=[])))
    finally:
        api.close()


class _CountingPattern:
    """A line-break pattern that counts the bytes it scans."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self.scanned = 0

    def finditer(self, data: bytes, *args: Any) -> Any:
        self.scanned += len(data)
        return self.pattern.finditer(data, *args)


def test_json_lines_are_split_in_linear_time(chat_ndjson: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2 MB line arriving in 4 KiB chunks is scanned about once, not once per chunk."""
    rt: Any = chat_ndjson._runtime
    counting = _CountingPattern(rt.sse._LINE_BREAK)
    monkeypatch.setattr(rt.sse, "_LINE_BREAK", counting)
    line = json.dumps({"model": "x" * 2_000_000, "done": True}).encode() + b"\n"
    chunks = [line[i : i + 4096] for i in range(0, len(line), 4096)] + [line]
    httpx = importlib.import_module("httpx2")
    response = httpx.Response(200, headers={"Content-Type": "application/x-ndjson"}, content=iter(chunks))
    values = list(rt.JSONLinesStream(response, lambda data: data))
    assert [len(value["model"]) for value in values] == [2_000_000, 2_000_000]
    assert counting.scanned <= 2 * 2 * len(line)
