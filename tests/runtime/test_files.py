"""Uploads and forms: url-encoded and multipart bodies, rewinding a file for a retry or refusing one that cannot be.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import importlib
import io
from typing import Any

import pytest
from support.loopback import Api
from support.server import ScriptedServer


class _Pipe(io.RawIOBase):
    """A file object that cannot be rewound (like a pipe or a socket)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_non_seekable_upload_is_sent_once_and_never_retried(api: Api, server: ScriptedServer) -> None:
    server.reply(503)
    server.reply(200, json_body={"stored": True})
    with pytest.raises(api.error("UploadNotRetryableError")) as info:
        api.run(api.client().uploads.put(file=("a.txt", _Pipe(b"hello pipe"), "text/plain")))
    assert len(server.requests) == 1 and b"hello pipe" in server.requests[0].body
    assert isinstance(info.value.__cause__, api.error("InternalServerError"))
    assert "rewound" in str(info.value)


def test_a_seekable_upload_is_rewound_for_a_retry(api: Api, server: ScriptedServer) -> None:
    server.reply(503)
    server.reply(200, json_body={"stored": True})
    api.run(api.client().uploads.put(file=("a.txt", io.BytesIO(b"hello file"), "text/plain")))
    assert [b"hello file" in request.body for request in server.requests] == [True, True]


def test_form_and_files(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(200, json_body={})
    server.reply(200, json_body={})
    api.run(client.uploads.forms_submit(a="1", b=True))
    api.run(client.uploads.create(file=("a.txt", b"hello", "text/plain"), kind="doc"))
    form, multipart = server.requests
    assert form.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form.body == b"a=1&b=true"
    assert multipart.headers["content-type"].startswith("multipart/form-data")
    assert b"hello" in multipart.body and b'name="kind"' in multipart.body


def test_a_form_body_that_is_a_union_of_models(api: Api, server: ScriptedServer) -> None:
    """A multipart body that is a ``oneOf`` of models: the model (or TypedDict) given becomes the form's parts."""
    client = api.client()
    server.reply(200, json_body={})
    server.reply(200, json_body={})
    if api.is_typed:
        text, file = {"text": "hi", "pinned": True}, {"title": "t", "attachment": b"\x00binary"}
    else:
        models = importlib.import_module(f"{api.package.__name__}.models")
        text, file = models.TextNote(text="hi", pinned=True), models.FileNote(title="t", attachment=b"\x00binary")
    api.run(client.uploads.note(body=text))
    api.run(client.uploads.note(body=file))
    first, second = server.requests
    # No file part: still multipart/form-data, as the operation says, each field a part.
    assert first.headers["content-type"].startswith("multipart/form-data")
    assert b'name="text"\r\n\r\nhi\r\n' in first.body and b'name="pinned"\r\n\r\ntrue\r\n' in first.body
    assert second.headers["content-type"].startswith("multipart/form-data")
    assert (
        b'name="title"' in second.body
        and b"\x00binary" in second.body
        and b'name="attachment"; filename=' in second.body
    )


def test_the_file_objects_of_an_upload_and_whether_they_rewind(rt: Any) -> None:
    seekable, pipe = io.BytesIO(b"a"), _Pipe(b"b")
    found = rt.files.file_objects({"a": seekable, "b": ("b.txt", pipe, "text/plain"), "c": b"bytes", "d": ("d", b"x")})
    assert found == [seekable, pipe]
    assert rt.files.rewindable(seekable) and not rt.files.rewindable(pipe)
    closed = io.BytesIO(b"c")
    closed.close()
    assert not rt.files.rewindable(closed)
