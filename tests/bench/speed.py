"""Benchmark: clientgen's cold, no-op, one-schema-edit and check times beside openapi-python-client, in one run.

Every command runs as a fresh process (what a user waits for), in a scratch
project with its own cache directory. For each spec:

- cold: ``clientgen generate`` with an empty cache;
- no-op: ``generate`` again, nothing changed (median of NOOP_RUNS runs);
- check: ``clientgen check`` on the up-to-date project (likewise);
- edit: one schema's description changed, then ``generate``;
- openapi-python-client 0.29.1 ``generate`` on the same spec, run here and now.

Peak RSS is that of the cold run's largest process; CPU is user plus system
time of the command and everything it started (clientgen formats in worker
processes). The corpus specs come from ../shared/corpus and are skipped, with
a message, when it is absent; the synthetic ones (tests/bench/synthetic.py,
400 and 1,600 operations) are made here, to show how generation grows.

    python3 noxfile.py -s bench            # or: python tests/bench/speed.py [--runs N] [spec ...]
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
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
SPECS = {
    "bctrl": (ROOT / "spec" / "bctrl.yaml", ROOT / "spec" / "bctrl.renames.yaml"),
    "openrouter": (CORPUS / "openrouter.json.gz", None),
    "stripe": (CORPUS / "stripe.json.gz", None),
    "synthetic-400": (Path("synthetic-400.json"), None),
    "synthetic-1600": (Path("synthetic-1600.json"), None),
}
#: No-op generate and check runs after each cold one (the table shows the median).
NOOP_RUNS = 5
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "started = time.perf_counter()\n"
    "status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - started, usage.ru_maxrss, status, usage.ru_utime + usage.ru_stime)\n"
)


@dataclass
class Run:
    seconds: float
    peak_kib: int
    status: int
    cpu: float = 0.0


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Wall time (including interpreter start) and peak RSS of a command, measured by a small parent."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    seconds, peak, status, cpu = result.stdout.split()
    return Run(float(seconds), int(peak), int(status), float(cpu))


def median(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda run: run.seconds)
    return Run(
        statistics.median(run.seconds for run in runs),
        max(run.peak_kib for run in runs),
        ordered[len(ordered) // 2].status,
        statistics.median(run.cpu for run in runs),
    )


def edit_one_schema(spec: Path) -> None:
    """Change the description of one schema in the middle of components/schemas."""
    import yaml

    is_json = spec.suffix == ".json"
    document = json.loads(spec.read_text()) if is_json else yaml.safe_load(spec.read_text())
    schemas = document["components"]["schemas"]
    name = sorted(schemas)[len(schemas) // 2]
    schemas[name]["description"] = f"{schemas[name].get('description', '')} (edited)".strip()
    spec.write_text(
        json.dumps(document, indent=2) if is_json else yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    )


def prepare(name: str, folder: Path) -> tuple[Path, Path] | None:
    """A scratch project for ``name``: its spec (decompressed) and configuration; None when the spec is absent."""
    source, renames = SPECS[name]
    synthetic = name.startswith("synthetic-")
    if not synthetic and not source.exists():
        return None
    (folder / "spec").mkdir(parents=True)
    spec = folder / "spec" / source.name.removesuffix(".gz")
    if synthetic:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from synthetic import synthetic_document

        spec.write_text(json.dumps(synthetic_document(int(name.split("-")[1])), indent=1))
    else:
        spec.write_bytes(gzip.decompress(source.read_bytes()) if source.suffix == ".gz" else source.read_bytes())
    entry = {"name": name, "spec": f"spec/{spec.name}", "package": name, "output": f"generated/{name}"}
    if renames is not None:
        shutil.copy(renames, folder / "spec" / renames.name)
        entry["renames"] = f"spec/{renames.name}"
    config = folder / "spec" / "clientgen.yaml"
    config.write_text(json.dumps({"clients": [entry]}))
    return spec, config


def bench(name: str, runs: int, opc: str | None, scratch: Path) -> dict[str, Run] | str:
    folder = scratch / name
    prepared = prepare(name, folder)
    if prepared is None:
        return f"skipped: {SPECS[name][0]} is absent (../shared/corpus is not on this machine)"
    spec, config = prepared
    clientgen = [sys.executable, "-m", "generator", "--config", str(config)]
    env = dict(os.environ)
    # What a user runs: an installed clientgen whose byte code Python caches (a
    # development shell may turn that off; then every run would compile it again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    measured: dict[str, list[Run]] = {"cold": [], "noop": [], "check": [], "edit": [], "opc": []}
    original = spec.read_bytes()
    for number in range(runs):
        env["CLIENTGEN_CACHE_DIR"] = str(scratch / f"cache-{name}-{number}")
        shutil.rmtree(folder / "generated", ignore_errors=True)
        spec.write_bytes(original)
        measured["cold"].append(measure([*clientgen, "generate"], folder, env))
        for _ in range(NOOP_RUNS):  # cheap, and the noisiest: the median of several
            measured["noop"].append(measure([*clientgen, "generate"], folder, env))
            measured["check"].append(measure([*clientgen, "check"], folder, env))
        edit_one_schema(spec)
        measured["edit"].append(measure([*clientgen, "generate"], folder, env))
        spec.write_bytes(original)
        if opc is not None:
            out = scratch / f"opc-{name}-{number}"
            measured["opc"].append(
                measure([opc, "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"], scratch, env)
            )
    return {label: median(runs_) for label, runs_ in measured.items() if runs_}


def _seconds(run: Run | None) -> str:
    if run is None:
        return "not run"
    return f"{run.seconds:.2f} s" if run.status == 0 else f"fails (exit {run.status})"


def main() -> int:
    parser = argparse.ArgumentParser(description="clientgen cold / no-op / edit / check beside openapi-python-client")
    parser.add_argument("--runs", type=int, default=1, help="runs per measurement; the median is shown (default 1)")
    parser.add_argument("specs", nargs="*", default=list(SPECS), help=f"any of {', '.join(SPECS)} (default: all)")
    args = parser.parse_args()
    opc = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent)) or shutil.which(
        "openapi-python-client"
    )
    if opc is None:
        print(
            "openapi-python-client is not installed (`pip install openapi-python-client==0.29.1`): its column stays empty"
        )
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.specs:
            started = time.perf_counter()
            print(f"{name}: measuring ...", file=sys.stderr, flush=True)
            rows.append((name, bench(name, args.runs, opc, Path(scratch))))
            print(f"{name}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    columns = [
        "spec",
        "cold",
        "no-op generate",
        "check",
        "one-schema edit",
        "openapi-python-client",
        "cold / opc",
        "CPU cold / opc",
        "edit / cold",
        "peak RSS (cold)",
    ]
    print("\n| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
    for name, result in rows:
        if isinstance(result, str):
            print(f"| {name} | {result} |" + " |" * (len(columns) - 2))
            continue
        cold, theirs = result["cold"], result.get("opc")
        ratio = (
            f"{cold.seconds / theirs.seconds:.1f}×"
            if theirs is not None and theirs.status == 0 and cold.status == 0
            else "n/a"
        )
        cpu_ratio = (
            f"{cold.cpu:.1f} / {theirs.cpu:.1f} s = {cold.cpu / theirs.cpu:.1f}×"
            if theirs is not None and theirs.status == 0 and cold.status == 0 and theirs.cpu > 0
            else f"{cold.cpu:.1f} s / n/a"
        )
        cells = [
            name,
            _seconds(cold),
            _seconds(result["noop"]),
            _seconds(result["check"]),
            _seconds(result["edit"]),
            _seconds(theirs),
            ratio,
            cpu_ratio,
            f"{result['edit'].seconds / cold.seconds:.0%}",
            f"{cold.peak_kib / 1024:.0f} MiB",
        ]
        print("| " + " | ".join(cells) + " |")
    print(
        f"\n{args.runs} run(s) per cell, {args.runs * NOOP_RUNS} for no-op and check (median); fresh processes with byte code cached; "
        f"wall time including interpreter start; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the end."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
