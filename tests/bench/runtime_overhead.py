"""Per-call overhead of the generated clients against raw httpx2: ``nox -s bench-runtime``.

One loopback server (a subprocess) answers ``GET /v1/things/<id>`` with a small
JSON object. In the same process, and interleaved call by call so that noise
hits all of them alike, the script times 2,000 calls each of: raw httpx2
(``client.get`` then ``.json()``), the pydantic client (``Loopback``) and the
typed-dict client (``TypedLoopback``), all on keep-alive connections. It prints
the median and mean per call and each client's ratio to raw httpx2.

    python tests/bench/runtime_overhead.py [--calls 2000] [--packages DIR]

``--packages DIR`` times ``DIR/loopback_httpx2`` instead of a fresh generation
(a package made by another clientgen, to compare runtimes).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS.parent)]

from support.loopback import generate_loopback

SERVER = """
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
BODY = json.dumps({"id": "t1", "status": "ready", "displayName": "A thing"}).encode()
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *args): pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--packages", type=Path, default=None)
    args = parser.parse_args()
    if args.packages is None:
        root = Path(tempfile.mkdtemp(prefix="bench-runtime-"))
        name = generate_loopback("httpx2", root)
    else:
        root, name = args.packages, "loopback_httpx2"
    sys.path.insert(0, str(root))
    package = __import__(name)
    import httpx2

    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        base_url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        raw = httpx2.Client(timeout=60.0)
        headers = {"Authorization": "Bearer sk-bench", "Accept": "application/json"}
        pydantic_client = package.Loopback(api_key="sk-bench", base_url=base_url)
        typed_client = package.TypedLoopback(api_key="sk-bench", base_url=base_url)
        calls: dict[str, Callable[[], object]] = {
            "raw httpx2": lambda: raw.get(f"{base_url}/v1/things/t1", headers=headers).json(),
            "pydantic": lambda: pydantic_client.things.retrieve("t1"),
            "typed": lambda: typed_client.things.retrieve("t1"),
        }
        times: dict[str, list[float]] = {label: [] for label in calls}
        for call in calls.values():  # warm up: connections, imports, pydantic adapters
            for _ in range(50):
                call()
        order = list(calls)
        for index in range(args.calls):
            for label in order[index % 3 :] + order[: index % 3]:  # rotate who goes first
                started = time.perf_counter()
                calls[label]()
                times[label].append(time.perf_counter() - started)
        raw.close()
        pydantic_client.close()
        typed_client.close()
    finally:
        server.kill()
        server.wait()
    base_median = statistics.median(times["raw httpx2"])
    base_mean = statistics.fmean(times["raw httpx2"])
    print(
        f"runtime overhead: {args.calls} interleaved calls each, loopback, keep-alive ({package.__name__} from {root})"
    )
    print(f"  {'client':12} {'median µs':>10} {'mean µs':>10} {'median ×':>9} {'mean ×':>8}")
    for label, samples in times.items():
        median, mean = statistics.median(samples), statistics.fmean(samples)
        print(
            f"  {label:12} {median * 1e6:10.1f} {mean * 1e6:10.1f} {median / base_median:9.3f} {mean / base_mean:8.3f}"
        )


if __name__ == "__main__":
    main()
