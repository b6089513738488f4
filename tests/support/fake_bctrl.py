"""A tiny fake of the bctrl and shop APIs on loopback, answering by route (for README examples)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

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

    def do_GET(self) -> None:  # the shop example API (spec/shop.yaml)
        path, _, query_text = self.path.partition("?")
        query = {key: values[-1] for key, values in parse_qs(query_text).items()}
        parts = path.strip("/").split("/")
        if self.headers.get("Authorization") != "Bearer readme-key":
            self._send(401, {"error": "bad key"})
        elif parts == ["v1", "products"]:
            ids = [f"prod_{n}" for n in range(1, 6)]
            start = ids.index(query["starting_after"]) + 1 if "starting_after" in query else 0
            chosen = ids[start : start + int(query.get("limit", "2"))]
            more = start + len(chosen) < len(ids)
            self._send(
                200,
                {"object": "list", "data": [{"id": i, "name": f"Product {i[-1]}"} for i in chosen], "has_more": more},
            )
        elif len(parts) == 3 and parts[:2] == ["v1", "products"]:
            self._send(200, {"id": parts[2], "name": f"Product {parts[2][-1]}"})
        elif len(parts) == 4 and parts[:2] == ["v1", "customers"] and parts[3] == "cards":
            if query.get("cursor") == "page-2":
                self._send(200, {"cards": [{"id": "card_3", "last4": "4444"}], "meta": {"next_cursor": None}})
            else:
                self._send(
                    200,
                    {
                        "cards": [{"id": "card_1", "last4": "4242"}, {"id": "card_2", "last4": "1881"}],
                        "meta": {"next_cursor": "page-2"},
                    },
                )
        elif len(parts) == 4 and parts[:2] == ["v1", "files"] and parts[3] == "content":
            data = b"%PDF-1.7 example line\n" * 4096
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            self._send(404, {"error": "no such route"})

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
