"""A loopback HTTP server that misbehaves on purpose, for the soak run (tests/bench/soak.py).

``GET /v1/things/<id>`` answers ``{"id": <id>, "status": "ok"}`` when it behaves;
otherwise, chosen at random per request: a reset connection, a stall, a body
dripped slower than any timeout, a 429 with an odd Retry-After, a 5xx, a
same-origin or a cross-origin redirect, a malformed response. Run it as a
script; it prints its port on the first line of stdout and serves until killed.

It also serves the lists of tests/features/paging.yaml as servers that make no
progress, each walk in one mode: ``/v1/token_items`` repeats a cursor, cycles
A->B->A, hands out fresh cursors forever or ends; ``/v1/link_items`` links to the
same URL, to another origin, through ``user:password@`` or ends;
``/v1/offset_items`` ignores ``offset`` (``limit=2``) or ends (``limit=3``);
``/v1/stripe_items`` says ``has_more`` with the same page (``limit=2``), an empty
page (``limit=3``) or ends (``limit=4``). Streams drip or drop:
``/v1/files/<id>/content`` drips, drops mid-body, decompresses to 64 MiB or is
whole; ``/v1/things/<id>/events`` is a good event stream (a BOM, CRLF, a comment, a
cut-off last event), drips, drops, sends ``event: error`` or answers JSON.
"""

from __future__ import annotations

import gzip
import json
import random
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ODD_RETRY_AFTERS = ["nan", "NaN", "-1", "inf", "1e400", "0", "0.05", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "3600"]
FAULTS = ["ok"] * 10 + ["reset", "stall", "drip", "429", "503", "500", "redirect", "redirect-away", "garbage"]
TOKEN_MODES = ["repeat", "cycle", "fresh", "end"]
LINK_MODES = ["same", "away", "userinfo", "end"]
DOWNLOADS = ["whole", "drip", "drop", "bomb"]
STREAMS = ["good", "drip", "drop", "error", "json"]
#: 64 MiB of zeros, about 64 KB gzipped: past any sane max_decompressed_bytes.
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class ChaosHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        if split.path.endswith("_items"):
            self._list(split.path.rsplit("/", 1)[-1], parse_qs(split.query), split.path)
        elif split.path.startswith("/v1/files/"):
            getattr(self, "_download_" + random.choice(DOWNLOADS))()
        elif split.path.endswith("/events"):
            getattr(self, "_events_" + random.choice(STREAMS))()
        else:
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

    # Lists that make no progress: each walk keeps the mode its first page chose.

    def _list(self, kind: str, query: dict[str, list[str]], path: str) -> None:
        def items(start: int, count: int = 2) -> list[dict[str, object]]:
            return [{"id": f"it_{index}", "n": index} for index in range(start, start + count)]

        if kind == "token_items":
            token = query.get("pageToken", [""])[0]
            mode, _, step = token.partition(".")
            number = int(step) if step.isdigit() else 0
            if not token:
                mode = random.choice(TOKEN_MODES)
            following = {"repeat": 1, "cycle": 2 if number == 1 else 1, "fresh": number + 1, "end": number + 1}[mode]
            token = "" if mode == "end" and number >= 3 else f"{mode}.{following}"
            body = json.dumps({"results": items(2 * number), "nextPageToken": token}).encode()
            return self._send(200, body, {"Content-Type": "application/json"})
        if kind == "link_items":
            mode = query.get("mode", [random.choice(LINK_MODES)])[0]
            page = int(query.get("page", ["0"])[0])
            host = f"127.0.0.1:{self.server.server_address[1]}"
            target = {
                "same": f"http://{host}{path}?mode=same&page={page}",
                "away": f"http://127.0.0.2:{self.server.server_address[1]}{path}?mode=end&page={page + 1}",
                "userinfo": f"http://mallory:pw@{host}{path}?mode=end&page={page + 1}",
                "end": f"http://{host}{path}?mode=end&page={page + 1}" if page < 3 else "",
            }[mode]
            link = {"Link": f'<{target}>; rel="next"'} if target else {}
            leaked = self.headers.get("Authorization", "").startswith("Basic")  # from mallory:pw@
            body = json.dumps([{"id": "LEAKED"}] if leaked else items(2 * page)).encode()
            return self._send(200, body, {"Content-Type": "application/json", **link})
        limit = int(query.get("limit", ["2"])[0])
        if kind == "offset_items":
            offset = int(query.get("offset", ["0"])[0]) if limit == 3 else 0  # limit=2: offset ignored
            body = json.dumps(items(offset, limit if offset < 3 * limit else 1)).encode()
            return self._send(200, body, {"Content-Type": "application/json"})
        after = query.get("starting_after", [""])[0]
        start = int(after.removeprefix("it_")) + 1 if after else 0
        data = {2: items(0), 3: [] if after else items(0, 3), 4: items(start, 4)}[limit]
        more = limit != 4 or start < 8
        body = json.dumps({"object": "list", "data": data, "has_more": more}).encode()
        self._send(200, body, {"Content-Type": "application/json"})

    # Downloads and event streams that drip or drop.

    def _download_whole(self) -> None:
        self._send(200, b"\x07" * 100_000, {"Content-Type": "application/octet-stream"})

    def _download_drip(self) -> None:
        self._drip_bytes(b"\x07" * 50, 0.1, "application/octet-stream")

    def _download_drop(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n")
        self.wfile.write(b"\x07" * 30_000)
        self.close_connection = True

    def _download_bomb(self) -> None:
        self._send(200, BOMB, {"Content-Type": "application/octet-stream", "Content-Encoding": "gzip"})

    def _drip_bytes(self, body: bytes, pause: float, media_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for index in range(len(body)):
            self.wfile.write(body[index : index + 1])
            self.wfile.flush()
            time.sleep(pause)

    def _events_good(self) -> None:
        body = (
            b'\xef\xbb\xbf: hello\r\ndata: {"n": 1}\r\n\r\nid: 2\rdata: {"n": 2}\r\rdata: {"n": 3}\n\ndata: {"n": 4}\n'
        )
        self._send(200, body, {"Content-Type": "text/event-stream"})

    def _events_drip(self) -> None:
        self._drip_bytes(b"".join(b'data: {"n": %d}\n\n' % index for index in range(3)), 0.02, "text/event-stream")

    def _events_drop(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 1000\r\n\r\n")
        self.wfile.write(b'data: {"n": 1}\n\n')
        self.close_connection = True

    def _events_error(self) -> None:
        body = b'data: {"n": 1}\n\nevent: error\ndata: {"error": "overloaded"}\n\n'
        self._send(200, body, {"Content-Type": "text/event-stream"})

    def _events_json(self) -> None:
        self._send(200, b'{"error": "streaming is off"}', {"Content-Type": "application/json"})


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
