"""Soak the generated runtime against a misbehaving server: ``nox -s soak`` (60 s by default).

200 concurrent async calls and 50 threads (sync and typed clients) call
``things.retrieve(<unique id>)`` on tests/bench/chaos_server.py, which resets,
stalls, drips, answers 429 with odd Retry-Afters, 5xx, redirects (same and other
origin) and breaks HTTP at random. Every call must end in time with its own
result or a typed error. Beside them, a fifth of as many threads and tasks walk
the paging package's lists (tests/features/paging.yaml) on the same server, which
repeats cursors, cycles them, links to the same URL or another origin, ignores
offsets and says there is more after an empty or identical page; and read event
streams and downloads (``with_streaming_response``, ``stream_to_file``) that drip,
drop, decompress past ``max_decompressed_bytes`` or send ``event: error``. The run
fails (exit 1) on a hang, a raw exception, a result delivered to the wrong caller,
a socket left open after the clients close, an endless walk (more than
``max_pages`` pages), an item yielded twice, a credential sent from a next link,
wrong events, or a file ``stream_to_file`` damaged; it prints the figures either way.

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

from support.features import generate_features
from support.loopback import generate_loopback

#: A call taking longer than this is a hang (total_timeout is 4 s).
HANG_SECONDS = 15.0
#: The paging clients' max_pages: a walk of more pages would be endless.
MAX_PAGES = 50
#: The clients' max_decompressed_bytes (the server's gzip bomb decodes to 64 MiB).
MAX_DECOMPRESSED = 8 * 1024 * 1024
#: The lists walked, with the arguments that choose the server's mode (tests/bench/chaos_server.py).
LISTS = [
    ("token_items", {}),
    ("link_items", {}),
    ("offset_items", {"limit": 2}),
    ("offset_items", {"limit": 3}),
    ("stripe_items", {"limit": 2}),
    ("stripe_items", {"limit": 3}),
    ("stripe_items", {"limit": 4}),
]
#: What a good event stream may yield: all of the good one but its cut-off last event, or the dripped one.
GOOD_EVENTS = ([1, 2, 3], [0, 1, 2])
ORIGINAL = b"the user's own file\n" * 400


class Tally:
    """Outcomes of every call, from every thread and task."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.raw: list[str] = []
        self.misdelivered: list[str] = []
        self.longest = 0.0
        #: The longest walk through a list: up to MAX_PAGES calls, each bounded by total_timeout.
        self.longest_walk = 0.0
        self.longest_by: collections.Counter[str] = collections.Counter()
        self.ids = itertools.count()

    def record(self, outcome: str, seconds: float) -> None:
        with self.lock:
            self.outcomes[outcome] += 1
            kind = outcome.split(" ", 1)[0] if outcome.startswith(("list ", "download ", "events ")) else "retrieve"
            self.longest_by[kind] = max(self.longest_by[kind], seconds)
            if outcome.startswith("list "):
                self.longest_walk = max(self.longest_walk, seconds)
            else:
                self.longest = max(self.longest, seconds)


def open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return count


def record_error(base: type[BaseException], tally: Tally, error: BaseException, seconds: float, what: str = "") -> None:
    if isinstance(error, base):
        reason = getattr(error, "reason", None) if type(error).__name__ == "PaginationError" else None
        tally.record(f"{what}{type(error).__name__}" + (f" ({reason})" if reason else ""), seconds)
    else:
        tally.record(f"RAW {what}{type(error).__name__}", seconds)
        with tally.lock:
            tally.raw.append(f"{what}{type(error).__name__}: {str(error)[:200]}")


def classify(package: Any, tally: Tally, wanted: str, result: Any, error: BaseException | None, seconds: float) -> None:
    if error is not None:
        record_error(package.LoopbackError, tally, error, seconds)
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


def judge_walk(tally: Tally, ids: list[str]) -> str:
    """The walk's own failure, if any: an item twice, a credential sent from a link, too many pages."""
    if "LEAKED" in ids:
        problem = "CREDENTIAL SENT FROM A NEXT LINK"
    elif len(ids) != len(set(ids)):
        problem = "ITEM YIELDED TWICE"
    elif len(ids) > 4 * MAX_PAGES:
        problem = "ENDLESS WALK"
    else:
        return ""
    with tally.lock:
        tally.misdelivered.append(f"{problem}: {ids[:12]}")
    return problem


def judge_file(tally: Tally, target: Path, ok: bool) -> str:
    """After stream_to_file: the whole body on success; else the user's file as it was, and nothing beside it."""
    whole = target.read_bytes() == (b"\x07" * 100_000 if ok else ORIGINAL)
    alone = [path.name for path in target.parent.iterdir()] == [target.name]
    if whole and alone:
        target.write_bytes(ORIGINAL)
        return ""
    with tally.lock:
        tally.misdelivered.append(f"FILE DAMAGED (ok={ok}, alone={alone})")
    return "FILE DAMAGED"


def list_and_stream_worker(
    paging: Any, loopback: Any, clients: tuple[Any, Any], tally: Tally, deadline: float, folder: Path
) -> None:
    """Walk a list, read a download or an event stream, until ``deadline``: the sync clients."""
    paging_client, loopback_client = clients
    target = folder / "report.bin"
    target.write_bytes(ORIGINAL)
    for turn in itertools.count():
        if time.monotonic() >= deadline:
            return
        started, ids, events, problem = time.monotonic(), [], [], ""
        what = ("list ", "download ", "events ")[turn % 3]
        try:
            if what == "list ":
                name, kwargs = LISTS[turn // 3 % len(LISTS)]
                for item in getattr(paging_client, name).list(**kwargs):
                    ids.append(item["id"] if isinstance(item, dict) else item.id)
                problem = judge_walk(tally, ids)
            elif what == "download ":
                with paging_client.with_streaming_response.files.download(f"f{turn}") as response:
                    response.stream_to_file(target)
                problem = judge_file(tally, target, True)
            else:
                with loopback_client.things.events(f"e{turn}") as stream:
                    events = [event["n"] for event in stream]
                problem = "" if events in GOOD_EVENTS else "WRONG EVENTS"
        except BaseException as exc:  # noqa: BLE001 - classified: a raw one fails the run
            problem = judge_walk(tally, ids) if what == "list " else ""
            problem = problem or (judge_file(tally, target, False) if what == "download " else "")
            if not problem:
                record_error(
                    paging.PagingError if what != "events " else loopback.LoopbackError,
                    tally,
                    exc,
                    time.monotonic() - started,
                    what,
                )
                continue
        tally.record(problem or f"{what}ok", time.monotonic() - started)


async def alist_and_stream_worker(
    paging: Any, loopback: Any, clients: tuple[Any, Any], tally: Tally, deadline: float, folder: Path
) -> None:
    """Walk a list, read a download or an event stream, until ``deadline``: the async clients."""
    paging_client, loopback_client = clients
    target = folder / "report.bin"
    target.write_bytes(ORIGINAL)
    for turn in itertools.count():
        if time.monotonic() >= deadline:
            return
        started, ids, events, problem = time.monotonic(), [], [], ""
        what = ("list ", "download ", "events ")[turn % 3]
        try:
            if what == "list ":
                name, kwargs = LISTS[turn // 3 % len(LISTS)]
                async for item in await getattr(paging_client, name).list(**kwargs):
                    ids.append(item["id"] if isinstance(item, dict) else item.id)
                problem = judge_walk(tally, ids)
            elif what == "download ":
                async with paging_client.with_streaming_response.files.download(f"f{turn}") as response:
                    await response.stream_to_file(target)
                problem = judge_file(tally, target, True)
            else:
                async with await loopback_client.things.events(f"e{turn}") as stream:
                    events = [event["n"] async for event in stream]
                problem = "" if events in GOOD_EVENTS else "WRONG EVENTS"
        except BaseException as exc:  # noqa: BLE001 - classified: a raw one fails the run
            problem = judge_walk(tally, ids) if what == "list " else ""
            problem = problem or (judge_file(tally, target, False) if what == "download " else "")
            if not problem:
                record_error(
                    paging.PagingError if what != "events " else loopback.LoopbackError,
                    tally,
                    exc,
                    time.monotonic() - started,
                    what,
                )
                continue
        tally.record(problem or f"{what}ok", time.monotonic() - started)


async def run_tasks(
    package: Any, paging: Any, base_url: str, tally: Tally, deadline: float, tasks: int, folder: Path
) -> None:
    options = {"api_key": "sk-soak", "base_url": base_url, "timeout": 1.0, "total_timeout": 4.0, "max_retries": 3}
    limits = {"max_pages": MAX_PAGES, "max_decompressed_bytes": MAX_DECOMPRESSED}
    async with (
        package.AsyncLoopback(**options) as client,
        paging.AsyncPaging(**options, **limits) as paging_client,
        paging.AsyncTypedPaging(**options, **limits) as typed_paging,
        package.AsyncTypedLoopback(**options, max_decompressed_bytes=MAX_DECOMPRESSED) as typed_client,
    ):
        await asyncio.gather(
            *(task_worker(package, client, tally, deadline, f"a{index}") for index in range(tasks)),
            *(
                alist_and_stream_worker(
                    paging,
                    package,
                    (typed_paging, typed_client) if index % 2 else (paging_client, client),
                    tally,
                    deadline,
                    Path(tempfile.mkdtemp(dir=folder)),
                )
                for index in range(max(2, tasks // 5))
            ),
        )


def soak(seconds: float, tasks: int, threads: int, http_module: str) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    name = generate_loopback(http_module, workdir)
    sys.path.insert(0, str(workdir))
    package = __import__(name)
    paging = generate_features(workdir, http_module)
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
        limits = {"max_pages": MAX_PAGES, "max_decompressed_bytes": MAX_DECOMPRESSED}
        paging_clients = (paging.Paging(**options, **limits), paging.TypedPaging(**options, **limits))
        workers = [
            threading.Thread(
                target=thread_worker,
                args=(package, typed_client if index % 2 else sync_client, tally, deadline, f"t{index}"),
                daemon=True,
            )
            for index in range(threads)
        ] + [
            threading.Thread(
                target=list_and_stream_worker,
                args=(
                    paging,
                    package,
                    (paging_clients[index % 2], typed_client if index % 2 else sync_client),
                    tally,
                    deadline,
                    Path(tempfile.mkdtemp(dir=workdir)),
                ),
                daemon=True,
            )
            for index in range(max(2, threads // 5))
        ]
        for worker in workers:
            worker.start()
        asyncio.run(run_tasks(package, paging, base_url, tally, deadline, tasks, workdir))
        for worker in workers:
            worker.join(timeout=HANG_SECONDS)
        hung = sum(worker.is_alive() for worker in workers)
        sync_client.close()
        typed_client.close()
        for client in paging_clients:
            client.close()
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
    print(f"  longest walk through a list      {tally.longest_walk:7.2f} s (at most {MAX_PAGES} calls)")
    print(
        "  longest by kind                  " + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(tally.longest_by.items()))
    )
    print(f"  threads still running            {hung:7}")
    print(f"  raw exceptions                   {len(tally.raw):7}")
    print(
        f"  results for the wrong caller, endless walks, items twice, leaked or wrong streams, damaged files {len(tally.misdelivered):3}"
    )
    print(f"  sockets open before / after      {sockets_before:3} / {sockets_after}")
    for line in (tally.raw + tally.misdelivered)[:10]:
        print("   ", line)
    failed = (
        hung
        or tally.raw
        or tally.misdelivered
        or sockets_after > sockets_before
        or tally.longest > HANG_SECONDS
        or tally.longest_walk > MAX_PAGES * HANG_SECONDS
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
