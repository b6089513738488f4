"""``with_streaming_response``: the response unread, streamed with flat memory, in all four clients."""

from __future__ import annotations

import asyncio
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support.features import KINDS, Kind, generate_features, is_async, run_with_client
from support.server import ScriptedServer, loopback_server

CHUNK = bytes(range(256)) * 256  # 64 KiB, one object served again and again
BIG = 100 * 1024 * 1024


class _Download(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        size = int(self.path.rsplit("/", 2)[-2].removeprefix("size-"))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        sent = 0
        while sent < size:
            piece = CHUNK if size - sent >= len(CHUNK) else CHUNK[: size - sent]
            self.wfile.write(piece)
            sent += len(piece)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generate_features(tmp_path_factory.mktemp("streaming"))


@pytest.fixture(scope="module")
def download_url() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Download)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()


def test_a_100_mb_body_streams_with_flat_memory(package: ModuleType, download_url: str) -> None:
    def scenario(client: Any) -> tuple[int, int, int]:
        tracemalloc.start()
        try:
            total = 0
            with client.with_streaming_response.files.download(f"size-{BIG}") as response:
                assert response.status_code == 200
                assert response.headers["content-length"] == str(BIG)
                for chunk in response.iter_bytes():
                    total += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return total, peak, response.http_response.is_closed

    total, peak, closed = run_with_client(package, "sync", download_url, scenario)
    assert total == BIG
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while streaming {BIG / 1e6:.0f} MB"
    assert closed  # leaving the block closes the response


def test_the_async_client_streams_with_flat_memory(package: ModuleType, download_url: str) -> None:
    size = 20 * 1024 * 1024

    async def scenario(client: Any) -> tuple[int, int]:
        tracemalloc.start()
        try:
            total = 0
            async with client.with_streaming_response.files.download(f"size-{size}") as response:
                async for chunk in response.iter_bytes():
                    total += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return total, peak

    total, peak = run_with_client(package, "async_typed", download_url, scenario)
    assert total == size and peak < 8 * 1024 * 1024, peak


@pytest.mark.parametrize("kind", KINDS)
def test_stream_to_file_writes_a_binary_body_in_chunks(
    package: ModuleType, download_url: str, tmp_path: Path, kind: Kind
) -> None:
    size = 3 * len(CHUNK) + 17
    target = tmp_path / "download.bin"

    def scenario(client: Any) -> Any:
        if is_async(kind):

            async def save() -> int:
                async with client.with_streaming_response.files.download(f"size-{size}") as response:
                    written: int = await response.stream_to_file(target)
                    return written

            return save()
        with client.with_streaming_response.files.download(f"size-{size}") as response:
            return response.stream_to_file(target)

    assert run_with_client(package, kind, download_url, scenario) == size
    data = target.read_bytes()
    assert len(data) == size and data[: len(CHUNK)] == CHUNK


@pytest.mark.parametrize("kind", KINDS)
def test_parse_read_lines_status_and_headers(package: ModuleType, server: ScriptedServer, kind: Kind) -> None:
    server.reply(200, json_body=[{"id": "it_1", "n": 1}], headers={"x-request-id": "req-9"})
    server.reply(200, body=b"one\ntwo\n", headers={"content-type": "application/octet-stream"})

    def scenario(client: Any) -> Any:
        if is_async(kind):

            async def steps() -> Any:
                async with client.with_streaming_response.plain_items.list() as response:
                    assert response.status_code == 200 and response.request_id == "req-9"
                    parsed = await response.parse()
                async with client.with_streaming_response.files.download("f") as response:
                    lines = [line async for line in response.iter_lines()]
                return parsed, lines

            return steps()
        with client.with_streaming_response.plain_items.list() as response:
            assert response.status_code == 200 and response.request_id == "req-9"
            parsed = response.parse()
        with client.with_streaming_response.files.download("f") as response:
            lines = list(response.iter_lines())
        return parsed, lines

    parsed, lines = run_with_client(package, kind, server.url, scenario)
    first = parsed[0]
    assert (first["id"] if isinstance(first, dict) else first.id) == "it_1"
    assert lines == ["one", "two"]


def test_read_returns_the_whole_body(package: ModuleType, server: ScriptedServer) -> None:
    server.reply(200, body=b"\x00\x01payload", headers={"content-type": "application/octet-stream"})

    def scenario(client: Any) -> bytes:
        with client.with_streaming_response.files.download("f") as response:
            body: bytes = response.read()
            return body

    assert run_with_client(package, "typed", server.url, scenario) == b"\x00\x01payload"


def test_an_error_status_raises_before_the_block(package: ModuleType, server: ScriptedServer) -> None:
    server.reply(404, json_body={"error": "missing"})

    def scenario(client: Any) -> None:
        with client.with_streaming_response.files.download("nope"):
            raise AssertionError("the block must not run")

    with pytest.raises(package.NotFoundError):
        run_with_client(package, "sync", server.url, scenario)


#: A response cut off mid-body: 64 KiB of the 100,000 bytes it announced, then the connection closes.
DROPPED = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n" + b"\x07" * 65536
)
READERS = ("iter_bytes", "iter_text", "iter_lines", "read", "parse")


def _streamed(
    package: ModuleType, kind: Kind, base_url: str, reader: str, target: Path | None = None, **options: Any
) -> Any:
    """Open ``files.download`` with ``with_streaming_response`` and read it with ``reader``."""

    def scenario(client: Any) -> Any:
        if is_async(kind):

            async def run() -> Any:
                async with client.with_streaming_response.files.download("f") as response:
                    if reader.startswith("iter_"):
                        return [piece async for piece in getattr(response, reader)()]
                    if reader == "stream_to_file":
                        return await response.stream_to_file(target)
                    return await getattr(response, reader)()

            return run()
        with client.with_streaming_response.files.download("f") as response:
            if reader.startswith("iter_"):
                return list(getattr(response, reader)())
            if reader == "stream_to_file":
                return response.stream_to_file(target)
            return getattr(response, reader)()

    return run_with_client(package, kind, base_url, scenario, **options)


@pytest.mark.parametrize("kind", KINDS)
def test_a_dropped_connection_is_a_typed_error_for_every_reader(
    package: ModuleType, server: ScriptedServer, kind: Kind
) -> None:
    for reader in READERS:
        server.reply(raw=DROPPED)
        with pytest.raises(package.APIConnectionError) as info:
            _streamed(package, kind, server.url, reader, max_retries=0)
        assert "sk-paging-secret-123" not in str(info.value), reader


@pytest.mark.parametrize("kind", KINDS)
def test_stream_to_file_leaves_the_target_as_it_was_when_the_download_fails(
    package: ModuleType, server: ScriptedServer, tmp_path: Path, kind: Kind
) -> None:
    target = tmp_path / "report.bin"
    original = bytes(range(256)) * 32  # the user's 8 KB file
    target.write_bytes(original)
    server.reply(raw=DROPPED)
    with pytest.raises(package.APIConnectionError):
        _streamed(package, kind, server.url, "stream_to_file", target, max_retries=0)
    assert target.read_bytes() == original
    assert [path.name for path in tmp_path.iterdir()] == ["report.bin"]  # no partial file left beside it
    server.reply(200, body=b"new content", headers={"content-type": "application/octet-stream"})
    assert _streamed(package, kind, server.url, "stream_to_file", target) == 11
    assert target.read_bytes() == b"new content" and [path.name for path in tmp_path.iterdir()] == ["report.bin"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_timeout_bounds_a_streamed_body_in_total(package: ModuleType, server: ScriptedServer, kind: Kind) -> None:
    # One byte every 50 ms for 4 s: no single read waits for 0.5 s, but the body takes far longer.
    server.reply(200, body=b"x" * 80, drip=0.05, headers={"content-type": "application/octet-stream"})
    with pytest.raises(package.APITimeoutError):
        _streamed(package, kind, server.url, "iter_bytes", timeout=0.5, max_retries=0)


def _gzip_reply(server: ScriptedServer, size: int) -> None:
    import gzip

    body = gzip.compress(b"\x00" * size)
    server.reply(200, body=body, headers={"content-type": "application/octet-stream", "content-encoding": "gzip"})


@pytest.mark.parametrize("kind", KINDS)
def test_a_compressed_body_decodes_only_up_to_the_limit(
    package: ModuleType, server: ScriptedServer, kind: Kind
) -> None:
    limit = 1024 * 1024
    _gzip_reply(server, 3 * limit)  # 3 MiB of zeros: 3 KB on the wire

    def unstreamed(client: Any) -> Any:
        return client.files.download("f")

    with pytest.raises(package.ResponseTooLargeError) as info:
        run_with_client(package, kind, server.url, unstreamed, max_decompressed_bytes=limit)
    assert info.value.limit == limit and "max_decompressed_bytes" in str(info.value)
    for reader in ("iter_bytes", "read"):
        _gzip_reply(server, 3 * limit)
        with pytest.raises(package.ResponseTooLargeError):
            _streamed(package, kind, server.url, reader, max_decompressed_bytes=limit)
    _gzip_reply(server, limit)  # at the limit: decoded as usual
    assert run_with_client(package, kind, server.url, unstreamed, max_decompressed_bytes=limit) == b"\x00" * limit
    _gzip_reply(server, 3 * limit)
    assert len(_streamed(package, kind, server.url, "read", max_decompressed_bytes=None)) == 3 * limit


@pytest.mark.parametrize("kind", KINDS)
def test_the_timeout_bounds_a_compressed_body_read_slowly(
    package: ModuleType, server: ScriptedServer, kind: Kind
) -> None:
    # 2 MiB of zeros arrive at once as 2 KB of gzip: the whole body is in memory after the
    # first network read, so only the decoded chunks can end it. The reader takes 2 ms per
    # 1 KiB chunk, 4 s in all: the soak's downloads that wrote each chunk through a worker
    # thread ran 40 s past total_timeout this way.
    _gzip_reply(server, 2 * 1024 * 1024)

    def scenario(client: Any) -> Any:
        if is_async(kind):

            async def read_slowly() -> int:
                size = 0
                async with client.with_streaming_response.files.download("f") as response:
                    async for chunk in response.iter_bytes(1024):
                        await asyncio.sleep(0.002)
                        size += len(chunk)
                return size

            return read_slowly()
        size = 0
        with client.with_streaming_response.files.download("f") as response:
            for chunk in response.iter_bytes(1024):
                time.sleep(0.002)
                size += len(chunk)
        return size

    with pytest.raises(package.APITimeoutError):
        run_with_client(package, kind, server.url, scenario, timeout=0.3, max_retries=0)
