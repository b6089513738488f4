"""Generate every document of the real-world corpus and tabulate how it went: ``nox -s corpus``.

For each ``*.gz`` in the corpus folder (default ``../shared/corpus``) this runs
``clientgen generate`` in a subprocess, into a temporary folder, and records:
the outcome, the seconds generation took, the number of public model names,
the longest one, the names over 40 characters, whether the package imports
and its three clients construct (in a fresh interpreter) and the numbers of
``mypy --strict`` and pyright strict errors in the package (the messages are
kept beside the packages as ``<document>.mypy.txt`` / ``.pyright.txt``). The table is printed and written as
JSON (``--json``, default ``corpus-report.json`` in the current directory).

Usage: ``python tests/corpus_run.py [--corpus DIR] [--json FILE] [--no-mypy] [--jobs N] [NAME ...]``
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
MAX_NAME = 40
MYPY_TIMEOUT = 1800

# Documents that fail strict validation for small reasons, generated leniently.
LENIENT = frozenset({"openai", "cloudflare", "smallestai"})
# Documents that must be refused (exit status 2, nothing written).
REFUSED = frozenset({"invalid-missing-description", "invalid-property-missing-reference", "docker-swagger2"})


@dataclass
class Row:
    document: str
    mode: str
    outcome: str = ""  # "generated", "refused", "failed"
    exit_status: int | None = None
    seconds: float = 0.0
    message: str = ""
    models: int = 0
    longest_name: str = ""
    names_over_40: list[str] = field(default_factory=list)
    imports: bool | None = None
    constructs: bool | None = None
    import_error: str = ""
    mypy_errors: int | None = None
    mypy_seconds: float = 0.0
    pyright_errors: int | None = None
    pyright_seconds: float = 0.0


def stem(path: Path) -> str:
    """``petstore-3.0.yaml.gz`` → ``petstore-3.0``."""
    name = path.name.removesuffix(".gz")
    return re.sub(r"\.(json|ya?ml)$", "", name)


def package_name(document: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", document.lower()).strip("_")
    return name if not name[0].isdigit() else "api_" + name


def public_model_names(models: Path) -> list[str]:
    """Top-level classes and type aliases of ``models.py`` and of the modules it is split into (``_models_N.py``
    parts, or the lazily loaded ``_models/`` package of a large spec) that do not start with ``_``."""
    split = [*sorted(models.parent.glob("_models_*.py")), *sorted((models.parent / "_models").glob("*.py"))]
    body = [node for path in [models, *split] for node in ast.parse(path.read_text()).body]
    names: list[str] = []
    for node in body:
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and "TypeAlias" in ast.unparse(node.annotation)
        ):
            names.append(node.target.id)
        elif sys.version_info >= (3, 12) and isinstance(node, ast.TypeAlias):
            names.append(node.name.id)  # pragma: no cover - depends on the target version
    return [name for name in names if not name.startswith("_")]


def _pascal(package: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in package.split("_") if part)


_CONSTRUCT = """
import importlib, sys
package = importlib.import_module({package!r})
print("imported", flush=True)
for name in ({sync!r}, {async_!r}, {typed!r}):
    cls = getattr(package, name)
    client = cls(api_key="key", base_url="http://127.0.0.1:9")
    close = getattr(client, "close", None)
    if name.startswith("Async"):
        continue
    if callable(close):
        close()
print("constructed", flush=True)
"""


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def run_one(spec_gz: Path, work: Path, mypy: bool) -> Row:
    document = stem(spec_gz)
    row = Row(document, "lenient" if document in LENIENT else "strict")
    suffix = ".json" if ".json" in spec_gz.name else ".yaml"
    spec = work / "specs" / (document + suffix)
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_bytes(gzip.decompress(spec_gz.read_bytes()))
    package = package_name(document)
    out_root = work / "packages" / document
    output = out_root / package
    command = [sys.executable, "-m", "generator", "generate", str(spec), "--package", package, "--output", str(output)]
    if row.mode == "lenient":
        command.append("--lenient")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        row.outcome, row.message = "failed", "generation timed out after 1800 s"
        return row
    row.seconds = round(time.perf_counter() - started, 2)
    row.exit_status = result.returncode
    if result.returncode != 0:
        row.outcome = "refused" if result.returncode == 2 and "Traceback" not in result.stderr else "failed"
        row.message = _last_line(result.stderr)[:300]
        row.imports = row.constructs = None
        if output.exists():
            row.message = "wrote output despite failing: " + row.message
            row.outcome = "failed"
        return row
    row.outcome = "generated"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    row.message = f"{len(warnings)} validation warning(s)" if warnings else ""
    names = public_model_names(output / "models.py") if (output / "models.py").exists() else []
    row.models = len(names)
    row.longest_name = max(names, key=lambda name: (len(name), name), default="")
    row.names_over_40 = sorted(name for name in names if len(name) > MAX_NAME)
    base = _pascal(package)
    script = _CONSTRUCT.format(package=package, sync=base, async_=f"Async{base}", typed=f"Typed{base}")
    try:
        probe = subprocess.run(
            [sys.executable, "-c", script],
            cwd=out_root,
            env={**os.environ, "PYTHONPATH": str(out_root)},
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        row.imports, row.import_error = False, "import timed out after 600 s"
        return row
    row.imports = "imported" in probe.stdout
    row.constructs = "constructed" in probe.stdout
    if probe.returncode != 0:
        row.import_error = _last_line(probe.stderr)[:300]
    if mypy:
        started = time.perf_counter()
        try:
            checked = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "mypy",
                    "--strict",
                    "--no-incremental",
                    "--cache-dir",
                    os.devnull,
                    "-p",
                    package,
                ],
                cwd=out_root,
                env={**os.environ, "MYPYPATH": str(out_root)},
                capture_output=True,
                text=True,
                timeout=MYPY_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            row.message = (row.message + "; " if row.message else "") + f"mypy timed out after {MYPY_TIMEOUT} s"
        else:
            row.mypy_errors = sum(1 for line in checked.stdout.splitlines() if ": error:" in line)
            if row.mypy_errors:
                (work / f"{document}.mypy.txt").write_text(checked.stdout)
        row.mypy_seconds = round(time.perf_counter() - started, 2)
        _pyright(row, package, out_root, work)
    return row


def _pyright(row: Row, package: str, out_root: Path, work: Path) -> None:
    """pyright in strict mode on the package, with this interpreter's site-packages (httpx2, pydantic)."""
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if pyright is None:
        return
    config = out_root / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {
                "include": [package],
                "typeCheckingMode": "strict",
                "pythonVersion": "3.10",
                "reportMissingModuleSource": False,
            }
        )
    )
    started = time.perf_counter()
    try:
        checked = subprocess.run(
            [pyright, "--pythonpath", sys.executable, "-p", str(config), "--outputjson"],
            cwd=out_root,
            capture_output=True,
            text=True,
            timeout=MYPY_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        row.message = (row.message + "; " if row.message else "") + f"pyright timed out after {MYPY_TIMEOUT} s"
        return
    try:
        summary = json.loads(checked.stdout)
    except json.JSONDecodeError:
        row.message = (
            (row.message + "; " if row.message else "")
            + "pyright failed: "
            + _last_line(checked.stderr or checked.stdout)[:200]
        )
        return
    diagnostics = [item for item in summary.get("generalDiagnostics", []) if item.get("severity") == "error"]
    row.pyright_errors = len(diagnostics)
    if diagnostics:
        # A file-level diagnostic (an import cycle, a config problem) has no range.
        lines = [
            f"{item.get('file', '?')}:{item.get('range', {}).get('start', {}).get('line', -1) + 1}: {item.get('message', '')}"
            for item in diagnostics
        ]
        (work / f"{row.document}.pyright.txt").write_text("\n".join(lines) + "\n")
    row.pyright_seconds = round(time.perf_counter() - started, 2)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if value is True:
        return "yes"
    if value is False:
        return "NO"
    return str(value)


def table(rows: Sequence[Row]) -> str:
    headers = (
        "document",
        "mode",
        "outcome",
        "exit",
        "seconds",
        "models",
        "longest",
        ">40",
        "imports",
        "clients",
        "mypy errors",
        "pyright errors",
    )
    lines = [
        (
            row.document,
            row.mode,
            row.outcome,
            _cell(row.exit_status),
            f"{row.seconds:.1f}",
            str(row.models) if row.outcome == "generated" else "-",
            str(len(row.longest_name)) if row.longest_name else "-",
            str(len(row.names_over_40)) if row.outcome == "generated" else "-",
            _cell(row.imports),
            _cell(row.constructs),
            _cell(row.mypy_errors),
            _cell(row.pyright_errors),
        )
        for row in rows
    ]
    widths = [max(len(headers[i]), *(len(line[i]) for line in lines)) for i in range(len(headers))]
    render = lambda cells: "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)) + " |"
    out = [render(headers), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    out.extend(render(line) for line in lines)
    notes = [f"  {row.document}: {row.message}" for row in rows if row.message]
    notes += [f"  {row.document}: import: {row.import_error}" for row in rows if row.import_error]
    return "\n".join(out + (["", "notes:", *notes] if notes else []))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these documents (stems, e.g. petstore-3.0)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, default=Path("corpus-report.json"))
    parser.add_argument(
        "--no-mypy", action="store_true", help="skip mypy --strict and pyright strict (the slowest part)"
    )
    parser.add_argument("--jobs", type=int, default=max(1, min(4, (os.cpu_count() or 2) // 2)))
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it, instead of a temporary one")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    documents = sorted(args.corpus.glob("*.gz"))
    if args.names:
        documents = [path for path in documents if stem(path) in args.names]
    with tempfile.TemporaryDirectory(prefix="clientgen-corpus-") as temporary:
        work = args.keep or Path(temporary)
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            rows = list(pool.map(lambda path: run_one(path, work, not args.no_mypy), documents))
    print(table(rows))
    args.json.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n")
    print(f"\nwritten: {args.json}")
    expected_failures = [
        row.document
        for row in rows
        if (row.document in REFUSED and row.outcome != "refused")
        or (row.document not in REFUSED and not (row.outcome == "generated" and row.constructs))
        or bool(row.mypy_errors)
        or bool(row.pyright_errors)
    ]
    if expected_failures:
        print(f"not as expected: {', '.join(expected_failures)}", file=sys.stderr)
    return 1 if expected_failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
