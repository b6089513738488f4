"""Soak the generated runtime against a misbehaving server: ``nox -s soak`` (60 s by default).

200 concurrent async calls and 50 threads (sync and typed clients) call
``things.retrieve(<unique id>)`` on tests/bench/chaos_server.py, which resets,
stalls, drips, answers 429 with odd Retry-Afters, 5xx, redirects (same and other
origin) and breaks HTTP at random. Every call must end in time with its own
result or a typed error. The run fails (exit 1) on a hang, a raw exception, a
result delivered to the wrong caller, or a socket left open after the clients
close; it prints the figures either way.

    python tests/bench/soak.py [--seconds 60] [--tasks 200] [--threads 50] [--http httpx2]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS.parent)]

import contextlib

from support.loopback import generate_loopback

#: A call taking longer than this is a hang (total_timeout is 4 s).
HANG_SECONDS = 15.0


class Tally:
    """Outcomes of every call, from every thread and task."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.raw: list[str] = []
        self.misdelivered: list[str] = []
        self.longest = 0.0
        self.ids = itertools.count()

    def record(self, outcome: str, seconds: float) -> None:
        with self.lock:
            self.outcomes[outcome] += 1
            self.longest = max(self.longest, seconds)


def open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return count


def classify(package: Any, tally: Tally, wanted: str, result: Any, error: BaseException | None, seconds: float) -> None:
    if error is not None:
        if isinstance(error, package.LoopbackError):
            tally.record(type(error).__name__, seconds)
        else:
            tally.record("RAW " + type(error).__name__, seconds)
            with tally.lock:
                tally.raw.append(f"{type(error).__name__}: {str(error)[:200]}")
        return
    got = result["id"] if isinstance(result, dict) else result.id
    if got != wanted:
        with tally.lock:
            tally.misdelivered.append(f"asked {wanted}, got {got}")
        tally.record("MISDELIVERED", seconds)
    else:
        tally.record("ok", seconds)


def thread_worker(package: Any, client: Any, tally: Tally, deadline: float, name: str) -> None:
    while time.monotonic() < deadline:
        wanted = f"{name}-{next(tally.ids)}"
        started = time.monotonic()
        result, error = None, None
        try:
            result = client.things.retrieve(wanted)
        except BaseException as exc:  # noqa: BLE001 - classified: a raw one fails the run
            error = exc
        classify(package, tally, wanted, result, error, time.monotonic() - started)


async def task_worker(package: Any, client: Any, tally: Tally, deadline: float, name: str) -> None:
    while time.monotonic() < deadline:
        wanted = f"{name}-{next(tally.ids)}"
        started = time.monotonic()
        result, error = None, None
        try:
            result = await client.things.retrieve(wanted)
        except BaseException as exc:  # noqa: BLE001 - classified: a raw one fails the run
            error = exc
        classify(package, tally, wanted, result, error, time.monotonic() - started)


async def run_tasks(package: Any, base_url: str, tally: Tally, deadline: float, tasks: int) -> None:
    async with package.AsyncLoopback(
        api_key="sk-soak", base_url=base_url, timeout=1.0, total_timeout=4.0, max_retries=3
    ) as client:
        await asyncio.gather(*(task_worker(package, client, tally, deadline, f"a{index}") for index in range(tasks)))


def soak(seconds: float, tasks: int, threads: int, http_module: str) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    name = generate_loopback(http_module, workdir)
    sys.path.insert(0, str(workdir))
    package = __import__(name)
    retries = package._runtime.retries
    retries.INITIAL_RETRY_DELAY, retries.MAX_RETRY_DELAY = 0.05, 0.5
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("chaos_server.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base_url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        sockets_before = open_sockets()
        tally = Tally()
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        options = {"api_key": "sk-soak", "base_url": base_url, "timeout": 1.0, "total_timeout": 4.0, "max_retries": 3}
        sync_client, typed_client = package.Loopback(**options), package.TypedLoopback(**options)
        workers = [
            threading.Thread(
                target=thread_worker,
                args=(package, typed_client if index % 2 else sync_client, tally, deadline, f"t{index}"),
                daemon=True,
            )
            for index in range(threads)
        ]
        for worker in workers:
            worker.start()
        asyncio.run(run_tasks(package, base_url, tally, deadline, tasks))
        for worker in workers:
            worker.join(timeout=HANG_SECONDS)
        hung = sum(worker.is_alive() for worker in workers)
        sync_client.close()
        typed_client.close()
        elapsed = time.monotonic() - started
        sockets_after = open_sockets()
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)
    total = sum(tally.outcomes.values())
    print(
        f"soak: {seconds:.0f} s, {tasks} async tasks + {threads} threads ({http_module}), {total} calls in {elapsed:.1f} s"
    )
    for outcome, count in tally.outcomes.most_common():
        print(f"  {outcome:32} {count:7}")
    print(f"  longest call                     {tally.longest:7.2f} s (total_timeout 4 s)")
    print(f"  threads still running            {hung:7}")
    print(f"  raw exceptions                   {len(tally.raw):7}")
    print(f"  results for the wrong caller     {len(tally.misdelivered):7}")
    print(f"  sockets open before / after      {sockets_before:3} / {sockets_after}")
    for line in (tally.raw + tally.misdelivered)[:10]:
        print("   ", line)
    failed = (
        hung
        or tally.raw
        or tally.misdelivered
        or sockets_after > sockets_before
        or tally.longest > HANG_SECONDS
        or not tally.outcomes["ok"]
    )
    print("soak: FAILED" if failed else "soak: passed")
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--http", default="httpx2", choices=("httpx2", "httpx"))
    args = parser.parse_args()
    sys.exit(soak(args.seconds, args.tasks, args.threads, args.http))


if __name__ == "__main__":
    main()
