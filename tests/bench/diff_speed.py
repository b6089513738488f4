"""Benchmark: ``clientgen diff`` on a pair of versions of one spec, beside one cold generation of that spec.

The pair is made from a real spec: the new side drops a field of one model and
adds one to another (two findings). Every command runs as a fresh process with
an empty cache (what CI pays on a pull request), writing three reports from one
comparison (``--format markdown=… --format json=… --format text``); "cached"
runs the same diff again, its validation verdicts in the cache (what a second
run, or a run after ``generate`` of the same spec, pays). CPU is user plus system
time of the command and its worker. The corpus specs come from ../shared/corpus
and are skipped, with a message, when it is absent.

    python tests/bench/diff_speed.py [--runs N] [spec ...]      # also part of: python3 noxfile.py -s bench
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
SPECS = {"openrouter": CORPUS / "openrouter.json.gz", "asana": CORPUS / "asana.yaml.gz"}
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "started = time.perf_counter()\n"
    "status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - started, status, usage.ru_utime + usage.ru_stime)\n"
)


@dataclass
class Run:
    seconds: float
    cpu: float
    status: int


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    seconds, status, cpu = result.stdout.split()
    return Run(float(seconds), float(cpu), int(status))


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(run.seconds for run in runs),
        statistics.median(run.cpu for run in runs),
        max(run.status for run in runs),
    )


def make_pair(source: Path, folder: Path) -> tuple[Path, Path]:
    """old.json and new.json: the spec, and the spec with one field removed and one added (JSON either way)."""
    import yaml

    text = gzip.decompress(source.read_bytes()).decode()
    document = json.loads(text) if source.name.endswith(".json.gz") else yaml.safe_load(text)
    old = folder / "old.json"
    old.write_text(json.dumps(document, indent=2))
    schemas = document["components"]["schemas"]
    objects = sorted(name for name, schema in schemas.items() if isinstance(schema.get("properties"), dict))
    objects = [name for name in objects if schemas[name]["properties"]]
    dropped = schemas[objects[len(objects) // 2]]["properties"]
    del dropped[sorted(dropped)[0]]
    schemas[objects[len(objects) // 3]]["properties"]["added_by_bench"] = {"type": "string"}
    new = folder / "new.json"
    new.write_text(json.dumps(document, indent=2))
    return old, new


def bench(name: str, runs: int, scratch: Path) -> dict[str, Run] | str:
    source = SPECS[name]
    if not source.exists():
        return f"skipped: {source} is absent (../shared/corpus is not on this machine)"
    folder = scratch / name
    folder.mkdir()
    old, new = make_pair(source, folder)
    clientgen = [sys.executable, "-m", "generator"]
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    reports = ["--format", "markdown=diff.md", "--format", "json=diff.json", "--format", "text"]
    diff = [*clientgen, "diff", str(old), str(new), "--lenient", *reports]
    measured: dict[str, list[Run]] = {"diff": [], "cached": [], "generate": []}
    for number in range(runs):
        env["CLIENTGEN_CACHE_DIR"] = str(scratch / f"cache-{name}-diff-{number}")
        measured["diff"].append(measure(diff, folder, env))
        measured["cached"].append(measure(diff, folder, env))
        env["CLIENTGEN_CACHE_DIR"] = str(scratch / f"cache-{name}-generate-{number}")
        out = folder / f"generated-{number}"
        config = folder / "clientgen.yaml"
        entry = {"name": name, "spec": new.name, "package": name, "output": out.name, "validation": "lenient"}
        config.write_text(json.dumps({"clients": [entry]}))
        measured["generate"].append(measure([*clientgen, "--config", str(config), "generate"], folder, env))
        shutil.rmtree(out, ignore_errors=True)
    return {label: median(items) for label, items in measured.items()}


def _cell(run: Run) -> str:
    return f"{run.seconds:.2f} s ({run.cpu:.2f} s CPU)" if run.status in (0, 1) else f"fails (exit {run.status})"


def main() -> int:
    parser = argparse.ArgumentParser(description="clientgen diff beside a cold generation of the same spec")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is shown (default 3)")
    parser.add_argument("specs", nargs="*", default=list(SPECS), help=f"any of {', '.join(SPECS)} (default: all)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.specs:
            print(f"{name}: measuring diff ...", file=sys.stderr, flush=True)
            rows.append((name, bench(name, args.runs, Path(scratch))))
    columns = ["spec", "size", "diff (cold cache)", "diff (verdicts cached)", "cold generate", "diff / generate"]
    print("\n| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
    for name, result in rows:
        if isinstance(result, str):
            print(f"| {name} | {result} |" + " |" * (len(columns) - 2))
            continue
        size = len(gzip.decompress(SPECS[name].read_bytes()))
        ratio = result["diff"].seconds / result["generate"].seconds if result["generate"].status == 0 else 0.0
        cells = [
            name,
            f"{size / 1e6:.2f} MB",
            _cell(result["diff"]),
            _cell(result["cached"]),
            _cell(result["generate"]),
            f"{ratio:.0%} (CPU {result['diff'].cpu / result['generate'].cpu:.0%})" if ratio else "n/a",
        ]
        print("| " + " | ".join(cells) + " |")
    print(
        f"\n{args.runs} run(s) per cell (median); fresh processes; three reports per diff run; wall time including "
        f"interpreter start; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the end."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
