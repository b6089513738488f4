"""Check a generated package the way a user meets it: it compiles, imports under ``-W error``, passes mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def compile_and_import(root: Path, package: str) -> str | None:
    """``None`` when every module of ``root/package`` compiles and imports with warnings as errors; else the failure."""
    script = (
        "import importlib, pkgutil, sys\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        f"package = importlib.import_module({package!r})\n"
        "for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "    importlib.import_module(module.name)\n"
    )
    result = subprocess.run([sys.executable, "-W", "error", "-c", script], capture_output=True, text=True, timeout=120)
    return None if result.returncode == 0 else result.stderr[-3000:]


def mypy_strict(root: Path, *packages: str) -> str | None:
    """``None`` when ``mypy --strict`` is clean on the packages under ``root``; else its report."""
    args = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--cache-dir",
        "/dev/null",
        "--python-version",
        "3.10",
    ]
    for package in packages:
        args += ["-p", package]
    result = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=600)
    return None if result.returncode == 0 else (result.stdout + result.stderr)[-3000:]
