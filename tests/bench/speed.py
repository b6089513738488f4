"""Benchmark: clientgen's cold, no-op, one-schema-edit and check times, and its packages' import times, beside
openapi-python-client, in one run.

Every command runs as a fresh process (what a user waits for), in a scratch
project with its own cache directory. For each spec:

- cold: ``clientgen generate`` with an empty cache;
- no-op: ``generate`` again, nothing changed (median of NOOP_RUNS runs);
- check: ``clientgen check`` on the up-to-date project (likewise);
- edit: one schema's description changed, then ``generate``;
- openapi-python-client 0.29.1 ``generate`` on the same spec, run here and now.

Peak RSS is that of the cold run's largest process (for both generators); CPU
is user plus system time of the command and everything it started (clientgen
formats in worker processes). The corpus specs come from ../shared/corpus and
are skipped, with a message, when it is absent; the synthetic ones
(tests/bench/synthetic.py; ``synthetic-N`` for any N, 400, 1,600 and 10,000 by
default) are made here, to show how generation grows: the growth from the
smallest synthetic document to each larger one is printed for both generators.
The load average after each spec is printed with the tables: on a shared
machine it says how far the figures can be trusted.

A second table gives import times of the packages both generators made, each
in a fresh interpreter (median of IMPORT_RUNS): the package (``import pkg``),
the first model (``from pkg.models import <first>``: what the first call that
returns a model pays; a pydantic model that builds its validator on first use is
built) and every model (each name of ``pkg.models`` touched).

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
#: Every real document of the corpus that is an OpenAPI 3 document meant to be valid (not the swagger 2.0 one, not
#: the two invalid on purpose), smallest first, then the synthetic ones, 10,000 operations last.
SPECS = {
    "bctrl": (ROOT / "spec" / "bctrl.yaml", ROOT / "spec" / "bctrl.renames.yaml"),
    "petstore-3.0": (CORPUS / "petstore-3.0.yaml.gz", None),
    "petstore-3.1": (CORPUS / "petstore-3.1.yaml.gz", None),
    "petstore-expanded-3.0": (CORPUS / "petstore-expanded-3.0.yaml.gz", None),
    "webhook-example-3.1": (CORPUS / "webhook-example-3.1.json.gz", None),
    "smallestai": (CORPUS / "smallestai.json.gz", None),
    "murf": (CORPUS / "murf.json.gz", None),
    "openrouter": (CORPUS / "openrouter.json.gz", None),
    "twilio_api_v2010": (CORPUS / "twilio_api_v2010.json.gz", None),
    "asana": (CORPUS / "asana.yaml.gz", None),
    "openai": (CORPUS / "openai.yaml.gz", None),
    "github": (CORPUS / "github.json.gz", None),
    "linode": (CORPUS / "linode.yaml.gz", None),
    "stripe": (CORPUS / "stripe.json.gz", None),
    "cloudflare": (CORPUS / "cloudflare.json.gz", None),
    "synthetic-400": (Path("synthetic-400.json"), None),
    "synthetic-1600": (Path("synthetic-1600.json"), None),
    "synthetic-10000": (Path("synthetic-10000.json"), None),
}
#: Specs whose packages' import times are measured (when both generators made one): the largest real documents
#: (cloudflare is the largest of the corpus) and synthetic-1600.
IMPORTED = ("openrouter", "stripe", "github", "cloudflare", "synthetic-1600")
#: Fresh interpreters per import measurement (the table shows the median).
IMPORT_RUNS = 3
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


def spec_source(name: str) -> tuple[Path, Path | None]:
    """Where ``name``'s spec and rename map are (``synthetic-N`` for any N is made on the spot)."""
    if name.startswith("synthetic-") and name.removeprefix("synthetic-").isdigit():
        return Path(f"{name}.json"), None
    if name not in SPECS:
        raise SystemExit(f"unknown spec {name!r}: choose from {', '.join(SPECS)} or synthetic-N")
    return SPECS[name]


def prepare(name: str, folder: Path) -> tuple[Path, Path] | None:
    """A scratch project for ``name``: its spec (decompressed) and configuration; None when the spec is absent."""
    source, renames = spec_source(name)
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
    package = name.replace("-", "_")  # synthetic-400 is no Python name
    entry = {"name": name, "spec": f"spec/{spec.name}", "package": package, "output": f"generated/{package}"}
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
        return f"skipped: {spec_source(name)[0]} is absent (../shared/corpus is not on this machine)"
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


_IMPORT = (
    "import importlib, sys, time\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "started = time.perf_counter()\n"
    "module = importlib.import_module(sys.argv[2])\n"
    "names = [name for name in dir(module) if not name.startswith('_')] if sys.argv[3:] == ['*'] else sys.argv[3:]\n"
    "for name in names:\n"
    "    value = getattr(module, name)\n"
    "    if len(names) == 1 and hasattr(value, 'model_rebuild'):\n"
    "        value.model_rebuild()  # a pydantic model that builds on first use: built, as the first call needs it\n"
    "print(time.perf_counter() - started, len(names))\n"
)


def _import_seconds(
    python: str, folder: Path, module: str, names: list[str], env: dict[str, str]
) -> tuple[float, int] | str:
    """Median seconds, in fresh interpreters, to import ``module`` from ``folder`` and touch ``names``."""
    runs = []
    for _ in range(IMPORT_RUNS):
        result = subprocess.run(
            [python, "-c", _IMPORT, str(folder), module, *names], env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            return f"fails ({(result.stderr.strip().splitlines() or ['?'])[-1][:80]})"
        seconds, count = result.stdout.split()
        runs.append((float(seconds), int(count)))
    return statistics.median(seconds for seconds, _ in runs), runs[0][1]


def _first_model(models: Path) -> str | None:
    """The first public model a models module (or package ``__init__``) defines or imports from its own modules.

    Imports are followed, also those under ``if TYPE_CHECKING:`` (the lazy layout's ``models.py`` names its
    definitions there only), to the module that defines the name. Enums are passed over (cheap to build whatever
    the loading), and so are aliases and the runtime's names: the first model is a class that pydantic builds.
    """
    import ast

    def model_class(module: Path, name: str) -> bool:
        if not module.exists():
            return False
        for node in ast.parse(module.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return not any("Enum" in ast.unparse(base) for base in node.bases)
        return False

    def statements(body: list[ast.stmt]) -> list[ast.stmt]:
        found: list[ast.stmt] = []
        for node in body:
            found.extend(statements(node.body) if isinstance(node, ast.If) else [node])
        return found

    for node in statements(ast.parse(models.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_") and model_class(models, node.name):
            return node.name
        if isinstance(node, ast.ImportFrom) and node.level > 0 and not (node.module or "").startswith("_runtime"):
            base = models.parent
            for _ in range(node.level - 1):
                base = base.parent
            source = base.joinpath(*(node.module or "").split("."))
            source = source / "__init__.py" if source.is_dir() else source.with_suffix(".py")
            for alias in node.names:
                if not (alias.asname or alias.name).startswith("_") and model_class(source, alias.name):
                    return alias.asname or alias.name
    return None


def import_times(python: str, package_parent: Path, package: str, models: Path, env: dict[str, str]) -> dict[str, str]:
    """Package, first model and all models, each in fresh interpreters of ``python``."""
    first = _first_model(models)
    cells = {}
    for label, module, names in (
        ("package", package, []),
        ("first model", f"{package}.models", [first] if first else []),
        ("all models", f"{package}.models", ["*"]),
    ):
        outcome = _import_seconds(python, package_parent, module, names, env)
        cells[label] = outcome if isinstance(outcome, str) else f"{outcome[0]:.2f} s"
        if label == "all models" and not isinstance(outcome, str):
            cells["names"] = f"{outcome[1]:,}"
    return cells


def measure_imports(name: str, scratch: Path, opc: str | None) -> dict[str, dict[str, str]]:
    """Import times of the packages the last cold runs left: clientgen's and openapi-python-client's.

    openapi-python-client's packages are imported by the Python it runs under (its packages need attrs and
    python-dateutil, which the nox session installs beside it).
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    found: dict[str, dict[str, str]] = {}
    package = name.replace("-", "_")
    ours = scratch / name / "generated" / package
    if (ours / "models.py").exists():
        import_times(sys.executable, ours.parent, package, ours / "models.py", env)  # the first import writes byte code
        found["clientgen"] = import_times(sys.executable, ours.parent, package, ours / "models.py", env)
    theirs = sorted(scratch.glob(f"opc-{name}-*"))
    if theirs:
        packages = [path.parent for path in theirs[-1].glob("*/client.py") if (path.parent / "models").is_dir()]
        beside = Path(opc).parent / "python" if opc is not None else None
        python = str(beside) if beside is not None and beside.exists() else sys.executable
        if packages:
            package = packages[0]
            import_times(python, package.parent, package.name, package / "models" / "__init__.py", env)
            found["openapi-python-client"] = import_times(
                python, package.parent, package.name, package / "models" / "__init__.py", env
            )
    return found


def _seconds(run: Run | None) -> str:
    if run is None:
        return "not run"
    return f"{run.seconds:.2f} s" if run.status == 0 else f"fails (exit {run.status})"


def growth(rows: list[tuple[str, dict[str, Run] | str]]) -> None:
    """How cold generation grows from the smallest synthetic document to each larger one, for both generators."""
    synthetic = sorted(
        ((int(name.split("-")[1]), result) for name, result in rows if name.startswith("synthetic-")),
        key=lambda item: item[0],
    )
    if len(synthetic) < 2 or isinstance(synthetic[0][1], str):
        return
    small, first = synthetic[0]
    print()
    for large, last in synthetic[1:]:
        if isinstance(last, str) or last["cold"].status != 0 or first["cold"].status != 0:
            continue
        line = f"Growth, {small:,} → {large:,} operations (×{large / small:.0f}): clientgen ×{last['cold'].seconds / first['cold'].seconds:.2f} wall, ×{last['cold'].cpu / first['cold'].cpu:.2f} CPU"
        if "opc" in first and "opc" in last and first["opc"].status == 0 and last["opc"].status == 0:
            line += f"; openapi-python-client ×{last['opc'].seconds / first['opc'].seconds:.2f} wall"
        per = (last["cold"].seconds - first["cold"].seconds) / (large - small) * 1000
        print(line + f"; clientgen {per:.0f} ms of wall per added operation.")


def main() -> int:
    parser = argparse.ArgumentParser(description="clientgen cold / no-op / edit / check beside openapi-python-client")
    parser.add_argument("--runs", type=int, default=1, help="runs per measurement; the median is shown (default 1)")
    parser.add_argument("--no-imports", action="store_true", help="leave out the import times")
    parser.add_argument(
        "specs", nargs="*", default=list(SPECS), help=f"any of {', '.join(SPECS)}, or synthetic-N (default: all)"
    )
    args = parser.parse_args()
    opc = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent)) or shutil.which(
        "openapi-python-client"
    )
    if opc is None:
        print(
            "openapi-python-client is not installed (`pip install openapi-python-client==0.29.1`): its column stays empty"
        )
    rows = []
    imports = []
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.specs:
            started = time.perf_counter()
            print(f"{name}: measuring ...", file=sys.stderr, flush=True)
            rows.append((name, bench(name, args.runs, opc, Path(scratch))))
            if name in IMPORTED and not args.no_imports:
                imports.append((name, measure_imports(name, Path(scratch), opc)))
            loads.append(os.getloadavg()[0])
            print(
                f"{name}: done in {time.perf_counter() - started:.0f} s (load average {loads[-1]:.2f})",
                file=sys.stderr,
                flush=True,
            )
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
        "peak RSS (cold / opc)",
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
            f"{cold.peak_kib / 1024:.0f} / {theirs.peak_kib / 1024:.0f} MiB"
            if theirs is not None
            else f"{cold.peak_kib / 1024:.0f} MiB",
        ]
        print("| " + " | ".join(cells) + " |")
    growth(rows)
    if imports:
        columns = ["spec", "generator", "package", "first model", "all models", "names"]
        print("\nImport times (fresh interpreter, byte code cached):\n")
        print("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
        for name, found in imports:
            for generator, cells in found.items():
                print(f"| {name} | {generator} | " + " | ".join(cells.get(column, "") for column in columns[2:]) + " |")
    print(
        f"\n{args.runs} run(s) per cell, {args.runs * NOOP_RUNS} for no-op and check (median); fresh processes with byte code cached; "
        f"wall time including interpreter start; {os.cpu_count()} CPUs; load average (1 min) {loads[0]:.2f} at the start, "
        f"{min(loads):.2f}–{max(loads):.2f} after each spec, {loads[-1]:.2f} at the end."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
