"""Check a generated package the way a user meets it: it compiles, imports under ``-W error``, passes mypy --strict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def mypy_cache_dir() -> Path:
    """mypy's cache for this test run, shared by every mypy the suite starts (tests/conftest.py makes it).

    What the packages import (typeshed, pydantic, httpx, httpx2) is analysed once
    per run instead of once per check; each package is still checked afresh (its
    files are new to the cache, or changed, which mypy sees by their hashes).
    """
    given = os.environ.get("CLIENTGEN_TEST_MYPY_CACHE_DIR")
    return Path(given) if given else Path(tempfile.mkdtemp(prefix="clientgen-mypy-"))


def mypy_cache_args() -> list[str]:
    """mypy's options for the run's shared cache: one file per module, each written atomically (the
    default SQLite store is one database, which two mypy processes writing at once can lock each other out of)."""
    return ["--cache-dir", str(mypy_cache_dir()), "--no-sqlite-cache"]


_IMPORT_EACH = """
import importlib, json, pkgutil, sys, traceback
root, packages = sys.argv[1], sys.argv[2:]
sys.path.insert(0, root)
failures = {}
for name in packages:
    try:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    except BaseException:
        failures[name] = traceback.format_exc()[-3000:]
print(json.dumps(failures))
"""


def compile_and_import_each(root: Path, *packages: str) -> dict[str, str | None]:
    """For each of ``packages`` under ``root``: ``None`` when every module of it compiles and imports with
    warnings as errors, else the failure. One interpreter imports them all, each apart from the others (their
    names differ), so the runtime's dependencies are imported once rather than once per package."""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", _IMPORT_EACH, str(root), *packages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:  # the interpreter itself failed: every package fails with it
        return dict.fromkeys(packages, result.stderr[-3000:])
    failures: dict[str, str] = json.loads(result.stdout)
    return {package: failures.get(package) for package in packages}


def mypy_strict(root: Path, *packages: str) -> str | None:
    """``None`` when ``mypy --strict`` is clean on the packages under ``root``; else its report."""
    args = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        *mypy_cache_args(),
        "--python-version",
        "3.10",
    ]
    for package in packages:
        args += ["-p", package]
    result = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=600)
    return None if result.returncode == 0 else (result.stdout + result.stderr)[-3000:]
