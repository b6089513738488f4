"""Server-sent events: decoding on the wire, error statuses, line splitting linear in the stream's size.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from support.loopback import Api
from support.server import ScriptedServer


def test_sse_events(api: Api, server: ScriptedServer) -> None:
    server.reply_sse(
        [
            ": keep-alive comment",
            'event: progress\ndata: {"step": 1}',
            'data: {"step": 2,\r\ndata:  "text": "a\u2028b"}',
        ]
    )
    stream = api.run(api.client().things.events("t1"))
    assert api.collect(stream) == [{"step": 1}, {"step": 2, "text": "a\u2028b"}]
    assert server.requests[0].headers["accept"] == "text/event-stream"
    assert stream.response.is_closed


def test_sse_error_status_raises_typed_error(api: Api, server: ScriptedServer) -> None:
    server.reply(401, json_body={"error": "bad key"})
    with pytest.raises(api.error("AuthenticationError")) as info:
        api.run(api.client().things.events("t1"))
    assert info.value.body == {"error": "bad key"}  # type: ignore[attr-defined]


class _CountingPattern:
    """Stands in for the line-break pattern and counts the bytes it is asked to scan."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self.scanned = 0

    def search(self, data: bytes, *args: Any) -> Any:
        self.scanned += len(data)
        return self.pattern.search(data, *args)

    def finditer(self, data: bytes, *args: Any) -> Any:
        self.scanned += len(data)
        return self.pattern.finditer(data, *args)


def test_sse_line_splitting_is_linear(rt: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _CountingPattern(rt.sse._LINE_BREAK)
    monkeypatch.setattr(rt.sse, "_LINE_BREAK", counting)
    line = b"data: " + b"x" * 2_000_000 + b"\r"
    chunks = [line[i : i + 4096] for i in range(0, len(line), 4096)] + [b"\n\n"]
    splitter = rt.sse.LineSplitter()
    lines = [text for chunk in chunks for text in splitter.feed(chunk)]
    assert [len(text) for text in lines] == [len(line) - 1, 0]
    assert counting.scanned <= 2 * len(line)  # the old splitter rescanned its whole buffer per chunk


def test_sse_splitter_handles_every_line_break(rt: Any) -> None:
    splitter = rt.sse.LineSplitter()
    out = splitter.feed(b"a\r") + splitter.feed(b"\nb\rc\n") + splitter.feed(b"\r\r\nd") + splitter.flush()
    assert out == ["a", "b", "c", "", "", "d"]


# The decoder, on the examples of the HTML standard (9.2.6, "Interpreting an event stream")


def _events(rt: Any, stream: bytes, chunk: int) -> list[Any]:
    parser = rt.sse._EventParser()
    events: list[Any] = [
        event for start in range(0, len(stream), chunk) for event in parser.feed(stream[start : start + chunk])
    ]
    finished: list[Any] = parser.finish()
    return events + finished


@pytest.mark.parametrize("chunk", [1, 2, 7, 1_000])
def test_the_html_standards_examples_decode_as_it_says(rt: Any, chunk: int) -> None:
    stocks = b"data: YHOO\ndata: +2\ndata: 10\n\n"
    assert [event.data for event in _events(rt, stocks, chunk)] == ["YHOO\n+2\n10"]
    ids = b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"
    decoded = [(event.data, event.id) for event in _events(rt, ids, chunk)]
    assert decoded == [("first event", "1"), ("second event", ""), (" third event", "")]
    empty = b"data\n\ndata\ndata\n\n"
    assert [event.data for event in _events(rt, empty, chunk)] == ["", "\n"]
    spaces = b"data:test\n\ndata: test\n\n"
    assert [event.data for event in _events(rt, spaces, chunk)] == ["test", "test"]


def test_event_fields(rt: Any) -> None:
    stream = b"event: update\nretry: 250\nid: 7\ndata: x\n\nretry: soon\nid: a\x00b\nunknown: y\ndata: z\n\n"
    first, second = _events(rt, stream, 5)
    assert (first.event, first.retry, first.id, first.data) == ("update", 250, "7", "x")
    # A retry that is not a number and an id with NUL are ignored; the last id stays; the event name resets.
    assert (second.event, second.retry, second.id, second.data) == ("message", None, "7", "z")
    for retry in (b"1_0", b"+5", b" 5", b"5 ", b"\xd9\xa5"):  # ASCII digits only, as the standard says
        (event,) = _events(rt, b"retry: " + retry + b"\ndata: x\n\n", 3)
        assert event.retry is None, retry


# The standard's rules on the wire, in every client


def _serve_stream(server: ScriptedServer, body: bytes, content_type: str = "text/event-stream") -> None:
    server.reply(200, body=body, headers={"Content-Type": content_type})


def test_a_leading_bom_and_every_line_break_on_the_wire(api: Api, server: ScriptedServer) -> None:
    _serve_stream(server, b'\xef\xbb\xbfdata: {"n": 1}\r\n\r: comment\rdata: {"n": 2}\r\rdata: {"n": 3}\n\n')
    assert api.collect(api.run(api.client().things.events("t1"))) == [{"n": 1}, {"n": 2}, {"n": 3}]


def test_a_cut_off_last_event_is_dropped(api: Api, server: ScriptedServer) -> None:
    _serve_stream(server, b'data: {"n": 1}\n\ndata: {"n": 2}\n')  # the stream ends before the blank line
    assert api.collect(api.run(api.client().things.events("t1"))) == [{"n": 1}]


def test_id_and_retry_are_kept_for_resuming(api: Api, server: ScriptedServer) -> None:
    _serve_stream(
        server, b'retry: 1500\nid: 7\ndata: {"n": 1}\n\nretry: 1_0\nid: \x00x\ndata: {"n": 2}\n\nretry: +5\n\n'
    )
    stream = api.run(api.client().things.events("t1"))
    assert api.collect(stream) == [{"n": 1}, {"n": 2}]
    assert (stream.last_event_id, stream.retry) == ("7", 1500)  # "1_0", "+5" and an id with NUL are ignored


def test_an_error_event_is_a_typed_api_error(api: Api, server: ScriptedServer) -> None:
    _serve_stream(
        server, b'data: {"n": 1}\n\nevent: error\ndata: {"error": {"type": "overloaded"}}\n\ndata: {"n": 2}\n\n'
    )
    stream = api.run(api.client().things.events("t1"))
    seen: list[Any] = []
    with pytest.raises(api.error("EventStreamError")) as info:
        if api.is_async:

            async def read() -> None:
                async for event in stream:
                    seen.append(event)

            api.run(read())
        else:
            seen.extend(stream)
    assert seen == [{"n": 1}]
    assert isinstance(info.value, api.error("APIError"))
    assert info.value.body == {"error": {"type": "overloaded"}}  # type: ignore[attr-defined]
    assert info.value.event.event == "error"  # type: ignore[attr-defined]
    assert stream.response.is_closed


def test_a_json_answer_to_a_stream_call_is_a_typed_error_with_its_body(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body={"error": "streaming is off for this key"})
    with pytest.raises(api.error("APIResponseValidationError")) as info:
        api.run(api.client().things.events("t1"))
    assert info.value.body == {"error": "streaming is off for this key"}  # type: ignore[attr-defined]
    assert "text/event-stream" in str(info.value) and "application/json" in str(info.value)


def test_a_dropped_event_stream_is_a_typed_error(api: Api, server: ScriptedServer) -> None:
    server.reply(
        raw=b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 1000\r\n\r\n"
        + b'data: {"n": 1}\n\n'
    )
    stream = api.run(api.client(max_retries=0).things.events("t1"))
    with pytest.raises(api.error("APIConnectionError")):
        api.collect(stream)
