"""A scriptable HTTP/1.1 server on 127.0.0.1 for tests.

Each test queues replies with :meth:`ScriptedServer.reply` (or
:meth:`ScriptedServer.reply_sse`); every request the server receives is recorded
in :attr:`ScriptedServer.requests`. A request arriving when the queue is empty
gets a ``599`` reply with an explanatory body, so a missing script fails loudly.

Use the :func:`loopback_server` generator as (or inside) a pytest fixture::

    @pytest.fixture
    def server() -> Iterator[ScriptedServer]:
        yield from loopback_server()
"""

from __future__ import annotations

import json
import socket
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

#: Longest a scripted reply may be delayed; teardown interrupts any delay.
MAX_DELAY = 10.0


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    body: bytes = b""
    delay: float = 0.0
    drop: bool = False
    drip: float = 0.0  # seconds between body bytes, headers first
    head_drip: float = 0.0  # seconds between bytes of the status line and headers, then the body at once
    raw: bytes | None = None  # written verbatim instead of a response, then the connection closes
    echo: bool = False  # the body is {"id": <last path segment>, "status": "echo"}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    raw_path: str
    path: str
    query: dict[str, list[str]]
    header_items: list[tuple[str, str]]
    body: bytes
    client_port: int = 0
    #: Whether the body arrived whole: every byte its Content-Length announced, or a chunked body's last chunk.
    complete: bool = True

    @property
    def headers(self) -> dict[str, str]:
        """Headers with lower-cased names (last value wins)."""
        return {name.lower(): value for name, value in self.header_items}

    def json(self) -> object:
        return json.loads(self.body)


class ScriptedServer:
    def __init__(self) -> None:
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.scripted = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="scripted-http-server",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- scripting --------------------------------------------------------

    def reply(
        self,
        status: int = 200,
        *,
        json_body: object = None,
        body: bytes | str = b"",
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        drop: bool = False,
        drip: float = 0.0,
        head_drip: float = 0.0,
        raw: bytes | None = None,
        echo: bool = False,
    ) -> None:
        """Queue one reply. ``json_body`` (if not None) wins over ``body``."""
        out_headers = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body).encode()
            out_headers.setdefault("Content-Type", "application/json")
        else:
            data = body.encode() if isinstance(body, str) else body
        if delay < 0 or delay > MAX_DELAY:
            raise ValueError(f"delay must be within [0, {MAX_DELAY}]")
        with self._lock:
            self._replies.append(
                Reply(
                    status=status,
                    headers=out_headers,
                    body=data,
                    delay=delay,
                    drop=drop,
                    drip=drip,
                    head_drip=head_drip,
                    raw=raw,
                    echo=echo,
                )
            )

    def reply_sse(
        self,
        events: Sequence[str],
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Queue a ``text/event-stream`` reply; each item is one raw event block."""
        body = "".join(event if event.endswith("\n\n") else event + "\n\n" for event in events)
        self.reply(
            status,
            body=body,
            headers={"Content-Type": "text/event-stream", **(headers or {})},
        )

    def _next_reply(self) -> Reply | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._replies)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    scripted: ScriptedServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hang up on stalled replies on purpose; stay quiet.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _read_body(self) -> tuple[bytes, bool]:
        """The request's body, and whether it arrived whole (a client can cut it off)."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline()
                if not size_line.endswith(b"\n"):
                    return b"".join(chunks), False
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunk = self.rfile.read(size)
                chunks.append(chunk)
                if len(chunk) < size or not self.rfile.readline().endswith(b"\n"):
                    return b"".join(chunks), False
            return b"".join(chunks), True
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return body, len(body) == length

    def _handle(self) -> None:
        scripted = self.server.scripted
        body, complete = self._read_body()
        split = urlsplit(self.path)
        scripted._record(
            RecordedRequest(
                method=self.command,
                raw_path=self.path,
                path=split.path,
                query=parse_qs(split.query, keep_blank_values=True),
                header_items=list(self.headers.items()),
                body=body,
                client_port=int(self.client_address[1]),
                complete=complete,
            )
        )
        if not complete:
            self.close_connection = True
            return  # as a server does: a request cut off is never answered
        reply = scripted._next_reply()
        if reply is None:
            reply = Reply(status=599, body=b"no scripted reply queued for this request")
        if reply.delay and scripted._stopping.wait(min(reply.delay, MAX_DELAY)):
            self.close_connection = True
            return
        if reply.drop:
            self.close_connection = True
            return
        if reply.echo:
            echoed = json.dumps({"id": split.path.rsplit("/", 1)[-1], "status": "echo"}).encode()
            reply = Reply(status=reply.status, headers={"Content-Type": "application/json"}, body=echoed)
        if reply.raw is not None:
            self.close_connection = True
            try:
                self.wfile.write(reply.raw)
                self.wfile.flush()
            except OSError:
                pass
            return
        if reply.head_drip:
            self._drip_head(reply)
            return
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD" and reply.drip:
                self.wfile.flush()
                for index in range(len(reply.body)):
                    if scripted._stopping.wait(reply.drip):
                        break
                    self.wfile.write(reply.body[index : index + 1])
                    self.wfile.flush()
            elif self.command != "HEAD":
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _drip_head(self, reply: Reply) -> None:
        """The status line and headers one byte at a time, then the body."""
        scripted = self.server.scripted
        lines = [f"{self.protocol_version} {reply.status} {self.responses.get(reply.status, ('',))[0]}"]
        lines += [f"{name}: {value}" for name, value in reply.headers.items()]
        lines.append(f"Content-Length: {len(reply.body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        try:
            for index in range(len(head)):
                if scripted._stopping.wait(reply.head_drip):
                    self.close_connection = True
                    return
                self.wfile.write(head[index : index + 1])
                self.wfile.flush()
            self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = _handle


def refused_port() -> int:
    """A loopback port nothing listens on (bound, then released): connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def loopback_server() -> Iterator[ScriptedServer]:
    """Start a server, yield it, stop it (use from a pytest fixture)."""
    server = ScriptedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
