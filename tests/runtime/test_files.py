"""Uploads and forms: url-encoded and multipart bodies, rewinding a file for a retry or refusing one that cannot be.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import importlib
import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from support.loopback import Api
from support.multipart import multipart_parts
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


# -- uploads in every form FileContent admits, through an inline and a named ($ref) binary schema -----


def _forms(tmp_path: Path) -> list[tuple[Any, tuple[str, str, bytes]]]:
    """Each upload form, and the (filename, content type, content) the part must carry."""
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG path")
    return [
        (b"raw bytes", ("file", "application/octet-stream", b"raw bytes")),
        (io.BytesIO(b"file object"), ("file", "application/octet-stream", b"file object")),
        (photo, ("photo.png", "image/png", b"\x89PNG path")),
        (("a.txt", b"two"), ("a.txt", "text/plain", b"two")),
        (("b.bin", io.BytesIO(b"three"), "application/x-three"), ("b.bin", "application/x-three", b"three")),
        (("c.json", b"{}", "application/json", {"X-Part": "4"}), ("c.json", "application/json", b"{}")),
    ]


@pytest.mark.parametrize("operation", ["create", "by_ref"])
def test_every_upload_form_through_an_inline_and_a_named_binary_schema(
    api: Api, server: ScriptedServer, tmp_path: Path, operation: str
) -> None:
    method = getattr(api.client().uploads, operation)
    forms = _forms(tmp_path)
    for _ in forms:
        server.reply(200, json_body={}) if operation == "create" else server.reply(204)
    for value, _ in forms:
        api.run(method(file=value))
    for (_, (filename, content_type, content)), request in zip(forms, server.requests, strict=True):
        [part] = multipart_parts(request.headers["content-type"], request.body)
        assert (part.name, part.filename, part.content_type, part.content) == ("file", filename, content_type, content)
    assert (
        multipart_parts(server.requests[-1].headers["content-type"], server.requests[-1].body)[0].headers["x-part"]
        == "4"
    )


def test_a_multipart_body_sends_objects_as_json_parts_and_arrays_as_repeated_parts(
    api: Api, server: ScriptedServer
) -> None:
    server.reply(204)
    meta: Any = {"name": "Photo.png", "size": 3}
    if not api.is_typed:
        meta = importlib.import_module(f"{api.package.__name__}.models").PartsMeta(**meta)
    api.run(
        api.client().uploads.parts(
            meta=meta, labels=["a", "b c"], files=[b"one", ("two.txt", b"two")], count=2, icon=("i", b"\x89PNG")
        )
    )
    request = server.requests[0]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = [
        (part.name, part.filename, part.content_type, part.content)
        for part in multipart_parts(request.headers["content-type"], request.body)
    ]
    assert parts == [
        ("meta", None, "application/json", b'{"name":"Photo.png","size":3}'),
        ("labels", None, None, b"a"),
        ("labels", None, None, b"b c"),
        ("count", None, None, b"2"),
        ("files", "files", "application/octet-stream", b"one"),
        ("files", "two.txt", "text/plain", b"two"),
        # The Encoding Object lists image/png first; nothing in the name says otherwise.
        ("icon", "i", "image/png", b"\x89PNG"),
    ]


def test_a_raw_body_takes_every_upload_form_and_a_text_body_takes_text(
    api: Api, server: ScriptedServer, tmp_path: Path
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n")
    for _ in range(4):
        server.reply(204)
    client = api.client()
    api.run(client.uploads.raw(body=b"bytes"))
    api.run(client.uploads.raw(body=path))
    api.run(client.uploads.raw(body=("x.png", io.BytesIO(b"png"), "image/png")))
    api.run(client.uploads.text(body="caf\u00e9"))
    sent = [
        (request.headers["content-type"], request.headers.get("content-length"), request.body)
        for request in server.requests
    ]
    assert sent == [
        ("application/octet-stream", "5", b"bytes"),
        ("application/octet-stream", "4", b"a,b\n"),
        ("image/png", "3", b"png"),
        ("text/plain", "5", "caf\u00e9".encode()),
    ]


def test_a_path_upload_is_reopened_for_a_retry(api: Api, server: ScriptedServer, tmp_path: Path) -> None:
    path = tmp_path / "retry.txt"
    path.write_bytes(b"again")
    server.reply(503)
    server.reply(200, json_body={})
    api.run(api.client().uploads.put(file=path))
    bodies = [multipart_parts(request.headers["content-type"], request.body)[0].content for request in server.requests]
    assert bodies == [b"again", b"again"]


def test_what_is_not_a_file_is_refused_before_sending(api: Api, server: ScriptedServer, tmp_path: Path) -> None:
    client = api.client()
    bad = ["text is not a file", io.StringIO("text mode"), tmp_path / "missing.bin", ("a", "b"), ("a", b"b", 1)]
    for value in bad:
        with pytest.raises(api.error("RequestArgumentError")) as info:
            api.run(client.uploads.put(file=value))
        assert "file" in str(info.value)
    assert server.requests == []


def test_the_content_type_of_an_upload(rt: Any, tmp_path: Path) -> None:
    """The caller's type, else the document's where it names one (a guess from the name picks among
    several or fills a wildcard), else the guess, else application/octet-stream."""
    upload = rt.files.upload
    image = tmp_path / "a.jpeg"
    image.write_bytes(b"jpeg")
    assert upload(("a.png", b"x", "image/webp"), "f", "image/png").content_type == "image/webp"
    assert upload(b"x", "f", "image/png, image/jpeg").content_type == "image/png"
    assert upload(image, "f", "image/png, image/jpeg").content_type == "image/jpeg"
    assert upload(image, "f", "image/*").content_type == "image/jpeg"
    assert upload(image, "f", "application/pdf").content_type == "application/pdf"
    assert upload(image, "f").content_type == "image/jpeg"
    assert upload(("notes", b"x"), "f").content_type == "application/octet-stream"
    file = upload(image, "f")
    assert (file.filename, file.length()) == ("a.jpeg", 4)


def _pipe(data: bytes, *, blocking: bool = True) -> Any:
    """The read end of an OS pipe holding ``data``, its write end closed (or kept open when non-blocking)."""
    read, write = os.pipe()
    os.write(write, data)
    if blocking:
        os.close(write)
    else:
        os.set_blocking(read, False)
        _OPEN_WRITE_ENDS.append(write)  # an open writer: read() returns None, not the end of the file
    return os.fdopen(read, "rb")


_OPEN_WRITE_ENDS: list[int] = []


class _FailingFile(io.RawIOBase):
    """A file object that cannot be rewound, whose second read fails (a device, a network file system)."""

    def __init__(self) -> None:
        self.reads = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        self.reads += 1
        if self.reads > 1:
            raise OSError(5, "Input/output error")
        buffer[:5] = b"first"
        return 5


def _received(server: ScriptedServer, count: int) -> list[Any]:
    """The requests the server recorded, once it has recorded ``count`` (it records a cut-off one when it ends)."""
    deadline = time.monotonic() + 5
    while len(server.requests) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return list(server.requests)


def test_a_pipe_upload_sends_the_whole_file(api: Api, server: ScriptedServer) -> None:
    """A pipe's size (0) is no length: it is sent chunked, whole (it announced a Content-Length of an empty file)."""
    server.reply(200, json_body={"stored": True})
    server.reply(200)
    api.run(api.client(max_retries=0).uploads.put(file=("a.txt", _pipe(b"hello pipe"), "text/plain")))
    api.run(api.client(max_retries=0).uploads.raw(body=_pipe(b"raw pipe")))
    multipart, raw = _received(server, 2)
    assert multipart.complete and [
        part.content for part in multipart_parts(multipart.headers["content-type"], multipart.body)
    ] == [b"hello pipe"]
    assert raw.complete and raw.body == b"raw pipe"


@pytest.mark.parametrize("where", ["multipart", "raw"])
def test_a_pipe_upload_that_cannot_be_read_never_reaches_the_server_whole(
    api: Api, server: ScriptedServer, where: str
) -> None:
    """A read that fails, or a non-blocking pipe with nothing in it, is UploadReadError: the body is cut off
    (the server gets no complete request), never sent as an empty or truncated file."""
    client = api.client(max_retries=2)
    for file in (_pipe(b"", blocking=False), _FailingFile()):
        server.requests.clear()
        server.reply(200, json_body={"stored": True})
        with pytest.raises(api.error("UploadReadError")) as info:
            if where == "multipart":
                api.run(client.uploads.put(file=("a.txt", file, "text/plain")))
            else:
                api.run(client.uploads.raw(body=file))
        received = _received(server, 1)
        assert len(received) <= 1 and not any(request.complete for request in received), file
        assert server.pending == 1  # the server answered nothing
        assert "could not be read" in str(info.value)
        server._replies.clear()
    while _OPEN_WRITE_ENDS:
        os.close(_OPEN_WRITE_ENDS.pop())


def test_an_iterator_is_no_upload_and_nothing_is_sent(api: Api, server: ScriptedServer) -> None:
    chunks = iter([b"one", b"two"])
    with pytest.raises(api.error("RequestArgumentError")):
        api.run(api.client().uploads.raw(body=chunks))
    assert server.requests == []
