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
    splitter = rt.sse._LineSplitter()
    lines = [text for chunk in chunks for text in splitter.feed(chunk)]
    assert [len(text) for text in lines] == [len(line) - 1, 0]
    assert counting.scanned <= 2 * len(line)  # the old splitter rescanned its whole buffer per chunk


def test_sse_splitter_handles_every_line_break(rt: Any) -> None:
    splitter = rt.sse._LineSplitter()
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
