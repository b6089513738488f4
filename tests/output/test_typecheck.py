"""mypy --strict on generator/; mypy --strict and pyright strict on every generated package (generated/, goldens, httpx)
and on the runtime template where it lives (templates/package/_runtime/)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.package_check import mypy_cache_args
from support.paths import GENERATED, ROOT, suite_cache

RUNTIME = ROOT / "templates" / "package" / "_runtime"


def _run(args: list[str], cwd: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_mypy_strict_on_generator() -> None:
    result = _run([sys.executable, "-m", "mypy", "--strict", *mypy_cache_args(), "generator"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def golden_packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Every package to type-check, in one folder: generated/ (bctrl's golden), every golden case that
    generates, complete, some of them with their models split into parts or in the lazy layout, and bctrl rendered against httpx. One mypy and one pyright run cover them all."""
    from goldens import case_names, full_case

    import generator.models as models
    from generator.config import client_config
    from generator.pipeline import generate
    from generator.write import write_tree

    root = tmp_path_factory.mktemp("typed-packages")
    names: list[str] = []
    # The runtime template itself, as a package of its own (not only its copies in packages).
    shutil.copytree(RUNTIME, root / "runtime_template", ignore=shutil.ignore_patterns("__pycache__"))
    names.append("runtime_template")
    for package in sorted(path for path in GENERATED.iterdir() if (path / "__init__.py").exists()):
        shutil.copytree(package, root / package.name, ignore=shutil.ignore_patterns("__pycache__"))
        names.append(package.name)
    for case in case_names():
        files = full_case(case, suite_cache())
        if isinstance(files, str):
            continue  # a case that stops with an error
        # Imports inside a package are relative, so the folder name is the package name.
        write_tree(root / case, files)
        names.append(case)
    # Models too many for one module are split into parts that import each other: the same cases, split.
    for case in ("compositions", "corner_cases", "enums_and_formats", "inheritance", "recursion", "tagged_unions"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(models, "PART_BUDGET", 20)
            files = full_case(case, suite_cache())
        assert not isinstance(files, str) and "_models_2.py" in files, case
        write_tree(root / f"split_{case}", files)
        names.append(f"split_{case}")
    # A large schema set is written in the lazy layout (a module per group, models.py naming them for type
    # checkers under TYPE_CHECKING): the same cases, lazy.
    for case in ("compositions", "enums_and_formats", "inheritance", "recursion", "tagged_unions"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(models, "LAZY_FROM", 1)
            patch.setattr(models, "PACK", 20)
            files = full_case(case, suite_cache())
        assert not isinstance(files, str) and "_models/__init__.py" in files, case
        write_tree(root / f"lazy_{case}", files)
        names.append(f"lazy_{case}")
    config = client_config(
        name="bctrl_httpx",
        spec=ROOT / "spec" / "bctrl.yaml",
        renames=ROOT / "spec" / "bctrl.renames.yaml",
        package="bctrl_httpx",
        output=root / "bctrl_httpx",
        http_module="httpx",
    )
    write_tree(config.output, generate(config, cache=suite_cache()).files)
    names.append("bctrl_httpx")
    return root, names


@pytest.mark.slow
def test_mypy_strict_on_every_package(golden_packages: tuple[Path, list[str]]) -> None:
    root, names = golden_packages
    args = [sys.executable, "-m", "mypy", "--strict", *mypy_cache_args(), "--python-version", "3.10"]
    for name in names:
        args += ["-p", name]
    result = _run(args, root)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


#: Packages whose runtime pyright checks in full, beside the template: one on each HTTP library.
FULL_RUNTIME = ("bctrl", "bctrl_httpx")


def _runtime_as_rendered(package: Path) -> bool:
    """Whether ``package/_runtime`` is exactly the template rendered for httpx2 and the package's base error:
    the runtime of bctrl but for that one name, so checking bctrl's checks it."""
    from generator.render import render_runtime

    found = re.search(r"^class (\w+)\(Exception\):", (package / "_runtime" / "errors.py").read_text(), re.MULTILINE)
    if found is None:
        return False
    written = {
        f"_runtime/{path.name}": path.read_text(encoding="utf-8") for path in sorted(package.glob("_runtime/*.py"))
    }
    return written == render_runtime("httpx2", found.group(1))


@pytest.mark.slow
def test_pyright_strict_on_every_package(golden_packages: tuple[Path, list[str]]) -> None:
    """pyright strict on every package; the runtime of each is checked where it differs from what another
    check covers: the template, and its copies on httpx2 (bctrl) and on httpx (bctrl_httpx). Every other
    copy is asserted to be bctrl's but for the base error's name; pyright still reads it for the types the
    package uses, it only does not report on it (3/4 of the lines, and of pyright's time, were runtime copies)."""
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright is not installed (it comes with the dev extra)")
    root, names = golden_packages
    copies = [name for name in names if name not in FULL_RUNTIME and (root / name / "_runtime").is_dir()]
    differing = [name for name in copies if not _runtime_as_rendered(root / name)]
    assert not differing, f"runtimes that differ from the template rendered for them: {differing}"
    config = root / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {
                "include": names,
                "exclude": [f"{name}/_runtime" for name in copies],
                "typeCheckingMode": "strict",
                "pythonVersion": "3.10",
                "reportMissingModuleSource": False,
            }
        )
    )
    result = _run([pyright, "--stats", "--pythonpath", sys.executable, "-p", str(config)], root)
    assert result.returncode == 0, result.stdout[-4000:]
    # It reported on every module but the excluded copies: the exclusions hide nothing else.
    excluded = [root / name / "_runtime" for name in copies]
    expected = [
        path
        for name in names
        for path in (root / name).rglob("*.py")
        if not any(path.is_relative_to(folder) for folder in excluded)
    ]
    checked = re.search(r"Total files checked: (\d+)", result.stdout)
    assert checked is not None and int(checked.group(1)) == len(expected), result.stdout[-4000:]


def test_ruff_on_the_runtime_template() -> None:
    result = _run([sys.executable, "-m", "ruff", "check", "--no-cache", str(RUNTIME)], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
