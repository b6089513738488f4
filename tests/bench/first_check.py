"""Benchmark: the first ``clientgen check`` after ``clientgen init``, beside the ``init`` itself.

``init`` generates the package and records the no-op stamp for the configuration
it writes, so the ``check`` that follows (the next step a user or CI takes) finds
the package up to date from the cache and the files' hashes, without
generating again. Each command runs as a fresh process in a scratch project
with its own cache directory; ``check`` runs RUNS times after one ``init`` (the
median is shown). The corpus spec comes from ../shared/corpus (twilio, 1.87 MB)
and is skipped, with a message, when it is absent; bctrl's spec always runs.

    python tests/bench/first_check.py [--runs N] [spec ...]      # also part of: python3 noxfile.py -s bench
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
SPECS = {"bctrl": ROOT / "spec" / "bctrl.yaml", "twilio": CORPUS / "twilio_api_v2010.json.gz"}


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, result.returncode, result.stdout + result.stderr


def bench(name: str, runs: int, scratch: Path) -> str:
    source = SPECS[name]
    if not source.exists():
        return f"| {name} | skipped: {source} is absent | | | |"
    folder = scratch / name
    folder.mkdir()
    spec = folder / ("api.json" if source.name.endswith(".json.gz") else "api.yaml")
    data = source.read_bytes()
    spec.write_bytes(gzip.decompress(data) if source.suffix == ".gz" else data)
    env = {**os.environ, "CLIENTGEN_CACHE_DIR": str(scratch / f"cache-{name}")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    clientgen = [sys.executable, "-m", "generator"]
    init_seconds, status, output = timed([*clientgen, "init", spec.name, "--lenient"], folder, env)
    if status != 0:
        return f"| {name} | init fails (exit {status}): {output.strip().splitlines()[-1:]} | | | |"
    checks = []
    for _ in range(runs):
        seconds, status, output = timed([*clientgen, "check"], folder, env)
        if status != 0 or "up to date" not in output:
            return f"| {name} | check after init fails (exit {status}): {output.strip().splitlines()[-1:]} | | | |"
        checks.append(seconds)
    size = spec.stat().st_size
    return f"| {name} | {size / 1e6:.2f} MB | {init_seconds:.2f} s | {checks[0]:.2f} s | {statistics.median(checks):.2f} s |"


def main() -> int:
    parser = argparse.ArgumentParser(description="the first clientgen check after clientgen init")
    parser.add_argument("--runs", type=int, default=5, help="check runs after the init; the median is shown")
    parser.add_argument("specs", nargs="*", default=list(SPECS), help=f"any of {', '.join(SPECS)} (default: all)")
    args = parser.parse_args()
    rows = []
    scratch = Path(tempfile.mkdtemp(prefix="clientgen-first-check-"))
    try:
        for name in args.specs:
            print(f"{name}: init, then check ...", file=sys.stderr, flush=True)
            rows.append(bench(name, args.runs, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("\n| spec | size | init | first check after init | check, median of all |\n|---|---|---|---|---|")
    print("\n".join(rows))
    print(
        f"\n{args.runs} check run(s) per spec after one init; fresh processes; wall time including interpreter "
        f"start; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the end."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
