"""generated/ is fresh, readable, deterministic and vendorable."""

from __future__ import annotations

import ast
import datetime
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from goldens import describe_mismatch
from support.paths import GENERATED, ROOT, suite_cache

from generator.config import load_project
from generator.pipeline import generate
from generator.write import read_tree

BCTRL = GENERATED / "bctrl"


def test_generated_is_what_spec_produces() -> None:
    project = load_project(ROOT / "spec" / "clientgen.yaml")
    for config in project.clients:
        want, got = read_tree(config.output), generate(config, cache=suite_cache()).files
        # generated/bctrl is also bctrl's golden tree: a difference shows as a diff.
        assert want == got, f"{config.output} is stale; run `python3 noxfile.py -s generate`:\n" + describe_mismatch(
            want, got
        )


def _public_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
            names.extend(item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
            names.extend(
                item.target.id
                for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            )
        elif isinstance(node, ast.Assign):
            names.extend(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [name for name in names if not name.startswith("_")]


def test_public_names_are_short_and_readable() -> None:
    files = [path for path in BCTRL.rglob("*.py") if "_runtime" not in path.parts]
    names = sorted({name for path in files for name in _public_names(path)})
    assert "Invocation" in names and "WaitResponse" in names and "StepErrorCode" in names
    # The wrapper classes' suffixes are fixed (Stainless's names): the part before them is what must read well.
    too_long = [
        name for name in names if len(name.removesuffix("WithStreamingResponse").removesuffix("WithRawResponse")) > 32
    ]
    assert not too_long, too_long
    for path in BCTRL.rglob("*.py"):
        assert "V1Invocations" not in path.read_text(), path


@pytest.mark.slow
def test_output_is_identical_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "1", "12345"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                "spec/bctrl.yaml",
                "--package",
                "bctrl",
                "--output",
                str(out),
                "--renames",
                "spec/bctrl.renames.yaml",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        outputs.append(read_tree(out))
    assert outputs[0] == outputs[1] == outputs[2]
    today = datetime.date.today().isoformat().encode()
    assert not any(today in data or b"timestamp" in data for data in outputs[0].values())


@pytest.mark.slow
def test_vendored_copy_works_under_another_name(tmp_path: Path) -> None:
    vendor = tmp_path / "myapp" / "_vendor"
    vendor.mkdir(parents=True)
    (tmp_path / "myapp" / "__init__.py").write_text("")
    (vendor / "__init__.py").write_text("")
    shutil.copytree(BCTRL, vendor / "bctrl_client", ignore=shutil.ignore_patterns("__pycache__"))
    script = textwrap.dedent(
        """
        import sys
        from myapp._vendor.bctrl_client import AsyncBctrl, Bctrl, TypedBctrl, NotFoundError
        from myapp._vendor.bctrl_client.models import WaitResponse
        for cls in (Bctrl, AsyncBctrl, TypedBctrl):
            client = cls(api_key="k")
            assert client.invocations is not None
        assert not any(name == "generator" or name.startswith("generator.") for name in sys.modules)
        assert not any(name.startswith("bctrl") for name in sys.modules)
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_generated_imports_are_relative_and_used() -> None:
    for path in BCTRL.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert not node.module.startswith(("bctrl", "generator")), f"{path}: absolute import of {node.module}"
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "F401,F811,F841", str(BCTRL)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_preformatted_templates_are_already_formatted() -> None:
    """The runtime skips black for speed; that is only right while black would not change it."""
    from generator.format import format_source
    from generator.render import PREFORMATTED, render_runtime

    assert "_runtime/__init__.py" in PREFORMATTED and "_runtime/sync_client.py" in PREFORMATTED
    checked: set[str] = set()  # most modules render the same for every setting: each text is formatted once
    for http_module in ("httpx2", "httpx"):
        # A name that sorts first, one that sorts last, and a long one: imports and lines stay as isort and black want.
        for base_error in ("AaError", "BctrlError", "ZzzError", "AVeryLongClientNameForAnEnterpriseServiceClientError"):
            modules = render_runtime(http_module, base_error)
            assert set(modules) == PREFORMATTED
            for path, source in modules.items():
                if source not in checked:
                    assert format_source(source, path) == source, (path, http_module, base_error)
                    checked.add(source)


def test_the_runtime_substitutions_are_exact() -> None:
    """Two substitutions only: the HTTP library's import and the base error's name."""
    from generator.locations import RUNTIME
    from generator.render import render_runtime

    modules = render_runtime("httpx", "AcmeError")
    assert "import httpx2 as httpx\n" in render_runtime("httpx2", "AcmeError")["_runtime/base_client.py"]
    assert "class AcmeError(Exception):" in modules["_runtime/errors.py"]
    assert '"AcmeError",' in modules["_runtime/__init__.py"]  # its __all__ entry
    for path, rendered in modules.items():
        template = (RUNTIME / path.removeprefix("_runtime/")).read_text()
        assert "httpx2" not in rendered and "PackageError" not in rendered and "clientgen:" not in rendered, path
        assert ("import httpx\n" in rendered) == ("# clientgen: http-module" in template), path
        assert rendered.count("AcmeError") == template.count("PackageError") - _mentions_outside_code(template), path
        compile(rendered, path, "exec")


def _mentions_outside_code(template: str) -> int:
    """PackageError in the template's dropped note lines (not renamed, just removed)."""
    return sum(line.count("PackageError") for line in template.splitlines() if line.startswith("# clientgen:"))
