"""A loopback HTTP server that misbehaves on purpose, for the soak run (tests/bench/soak.py).

``GET /v1/things/<id>`` answers ``{"id": <id>, "status": "ok"}`` when it behaves;
otherwise, chosen at random per request: a reset connection, a stall, a body
dripped slower than any timeout, a 429 with an odd Retry-After, a 5xx, a
same-origin or a cross-origin redirect, a malformed response. Run it as a
script; it prints its port on the first line of stdout and serves until killed.
"""

from __future__ import annotations

import json
import random
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ODD_RETRY_AFTERS = ["nan", "NaN", "-1", "inf", "1e400", "0", "0.05", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "3600"]
FAULTS = ["ok"] * 10 + ["reset", "stall", "drip", "429", "503", "500", "redirect", "redirect-away", "garbage"]


class ChaosHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        thing = split.path.rsplit("/", 1)[-1]
        fault = "ok" if "redirected=1" in split.query else random.choice(FAULTS)
        getattr(self, "_" + fault.replace("-", "_"))(thing, split.path)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _ok(self, thing: str, path: str) -> None:
        self._send(200, json.dumps({"id": thing, "status": "ok"}).encode(), {"Content-Type": "application/json"})

    def _reset(self, thing: str, path: str) -> None:
        # SO_LINGER 0: close() sends RST, not FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def _stall(self, thing: str, path: str) -> None:
        time.sleep(3.0)
        self.close_connection = True

    def _drip(self, thing: str, path: str) -> None:
        body = json.dumps({"id": thing, "status": "dripped"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for index in range(len(body)):
            self.wfile.write(body[index : index + 1])
            self.wfile.flush()
            time.sleep(0.2)

    def _429(self, thing: str, path: str) -> None:
        name = random.choice(["Retry-After", "retry-after-ms"])
        self._send(
            429, b'{"error": "slow down"}', {"Content-Type": "application/json", name: random.choice(ODD_RETRY_AFTERS)}
        )

    def _503(self, thing: str, path: str) -> None:
        self._send(503, b"unavailable")

    def _500(self, thing: str, path: str) -> None:
        self._send(500, b"<html>" + b"x" * 100_000 + b"</html>", {"Content-Type": "text/html"})

    def _redirect(self, thing: str, path: str) -> None:
        self._send(random.choice([301, 302, 307, 308]), b"", {"Location": f"{path}?redirected=1"})

    def _redirect_away(self, thing: str, path: str) -> None:
        self._send(307, b"", {"Location": f"http://127.0.0.2:{self.server.server_address[1]}{path}"})

    def _garbage(self, thing: str, path: str) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\n")
        self.close_connection = True


class ChaosServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on stalls on purpose


def main() -> None:
    random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 12345)
    server = ChaosServer(("127.0.0.1", 0), ChaosHandler)
    print(server.server_address[1], flush=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sys.stdin.read()  # serve until the parent closes our stdin
    server.shutdown()


if __name__ == "__main__":
    main()
