"""A tiny fake of the bctrl API on loopback, answering by route (for README examples)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support.samples import wait_response


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) != 4 or parts[:2] != ["v1", "invocations"] or parts[3] != "wait":
            self._send(404, {"error": "no such route"})
        elif self.headers.get("Authorization") != "Bearer readme-key":
            self._send(401, {"error": "bad key"})
        elif parts[2] == "missing":
            self._send(404, {"error": {"code": "NOT_FOUND", "message": "no such invocation"}})
        else:
            self._send(200, wait_response())

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", "req-readme")
        self.end_headers()
        self.wfile.write(data)


def fake_bctrl() -> Iterator[str]:
    """Yield the base URL of a running fake; stop it afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
