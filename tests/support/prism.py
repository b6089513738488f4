"""The second oracle: Stoplight Prism's mock server, behind a recording proxy on loopback.

``prism mock`` (``@stoplight/prism-cli`` from npm, pinned in :data:`PRISM`,
installed into ``.nox/prism`` on first use) validates each request against the
document and answers with a response it builds from the document's examples and
schemas. Its verdict on a request travels in the ``sl-violations`` response header
(or as an error status: 404 for an unknown route, 401 for missing credentials,
…). :class:`PrismBackend` starts Prism for one document and puts a small proxy in
front of it that records every exchange, so that the harness's clients call it
exactly as they call the loopback capture server.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from support.conformance import Reply
from support.oracle import Captured
from support.paths import ROOT

PRISM = "@stoplight/prism-cli@5.16.0"
FOLDER = ROOT / ".nox" / "prism"
START_TIMEOUT = 240.0
#: Headers that describe one hop, not the message: never forwarded.
HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"})


class PrismUnavailable(Exception):
    """Prism could not be installed or started."""


def prism_command() -> Path:
    """The ``prism`` executable, installed from npm into ``.nox/prism`` on first use."""
    executable = FOLDER / "node_modules" / ".bin" / "prism"
    marker = FOLDER / ".installed"
    if executable.exists() and marker.exists() and marker.read_text() == PRISM:
        return executable
    npm = shutil.which("npm")
    if npm is None:
        raise PrismUnavailable("npm is not on PATH (Prism is installed from the npm registry)")
    FOLDER.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(FOLDER), PRISM],
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise PrismUnavailable(f"npm install {PRISM} failed: {str(getattr(exc, 'stderr', exc))[-500:]}") from exc
    marker.write_text(PRISM)
    return executable


@dataclass(frozen=True)
class Exchange:
    request: Captured
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def violations(self) -> list[dict[str, object]]:
        """Prism's violations of severity Error by the request: its ``sl-violations`` header, or a 422's ``validation``."""
        raw = next((value for name, value in self.headers if name.lower() == "sl-violations"), "")
        try:
            found = json.loads(raw) if raw else []
            if not found and self.status == 422:
                found = json.loads(self.body).get("validation", [])
        except ValueError:
            return [{"message": raw or self.body[:300].decode("utf-8", "replace")}]
        # Prism also checks the response it made up ("response" locations): not a verdict on the request.
        return [
            item
            for item in found
            if isinstance(item, dict)
            and str(item.get("severity", "Error")) == "Error"
            and (item.get("location") or ["request"])[0] == "request"
        ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True
    backend: PrismBackend
    upstream: int
    exchanges: list[Exchange]
    lock: threading.Lock


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Proxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._body()
        items = tuple(self.headers.items())
        self.server.backend.ensure_running()
        connection = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=60)
        forwarded = {name: value for name, value in items if name.lower() not in HOP}
        forwarded["Content-Length"] = str(len(body))
        try:
            connection.request(self.command, self.path, body=body, headers=forwarded)
            response = connection.getresponse()
            data = response.read()
            status, headers = response.status, tuple(response.getheaders())
        except OSError as exc:
            crash = self.server.backend.crash()
            message = f"Prism crashed on this request: {crash}" if crash else f"Prism failed: {exc}"
            status, headers, data = 502, (("Content-Type", "text/plain"),), f"proxy: {message}".encode()
        finally:
            connection.close()
        with self.server.lock:
            self.server.exchanges.append(
                Exchange(Captured(self.command, self.path, items, body), status, headers, data)
            )
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class PrismBackend:
    """``prism mock`` on one document, behind a recording proxy; both on 127.0.0.1, both stopped by :meth:`close`."""

    def __init__(self, spec: str, base_path: str) -> None:
        self.spec = spec
        self.port = _free_port()
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed in close(); never beside the spec
        self.restarts = 0
        self._start()
        self.proxy = _Proxy(("127.0.0.1", 0), _Forward)
        self.proxy.backend = self
        self.proxy.upstream, self.proxy.exchanges, self.proxy.lock = self.port, [], threading.Lock()
        self.thread = threading.Thread(target=self.proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        # Prism matches the document's paths without the servers' base path.
        self.url = f"http://127.0.0.1:{self.proxy.server_address[1]}"

    def _start(self) -> None:
        self.log_start = self.log.tell()
        self.process = subprocess.Popen(
            [str(prism_command()), "mock", "-h", "127.0.0.1", "-p", str(self.port), self.spec],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self._wait(self.port)

    def crash(self) -> str:
        """The error Prism died of (its log's last lines), or ``""`` while it runs."""
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return ""
        self.log.flush()
        self.log.seek(self.log_start)
        lines = [line for line in self.log.read().splitlines() if line.strip().startswith(("Error", "TypeError"))]
        self.log.seek(0, 2)
        return lines[-1].strip() if lines else f"exit status {self.process.returncode}"

    def ensure_running(self) -> None:
        """Start Prism again after a request killed it (the request that did is reported as refused)."""
        if self.process.poll() is not None:
            self.restarts += 1
            self.log.seek(0, 2)
            self._start()

    def _wait(self, port: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise PrismUnavailable(f"prism mock exited ({self.process.returncode}): {self.log.read()[-600:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.25)
        self.close_process()
        raise PrismUnavailable(f"prism mock did not listen within {START_TIMEOUT:.0f} s")

    def expect(self, reply: Reply) -> None:
        """Prism answers by itself."""

    def exchanges(self) -> int:
        with self.proxy.lock:
            return len(self.proxy.exchanges)

    def exchange(self, index: int) -> Exchange:
        with self.proxy.lock:
            return self.proxy.exchanges[index]

    def captured(self, index: int) -> Captured:
        return self.exchange(index).request

    def settle(self) -> None:
        pass

    def close_process(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def close(self) -> None:
        self.proxy.shutdown()
        self.proxy.server_close()
        self.close_process()
        self.log.close()
