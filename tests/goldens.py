"""Golden cases: a small spec per folder under tests/golden/, and the tree it must produce.

Each case folder holds ``spec.yaml`` (or ``spec.json``), optionally
``renames.yaml`` and ``config.yaml`` (client settings), and either
``expected/`` (the generated package, byte for byte) or ``expected_error.txt``
(the one-line error generation must stop with).

The runtime (the ``_runtime/`` modules) is the same template in every package:
it is checked once, in ``generated/bctrl`` (which is bctrl's golden tree), not
in each case; so is the manifest that hashes it. ``full_case`` gives a case's
complete package, runtime included, to import or type-check.
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.cache import NO_CACHE, Cache
from generator.config import ClientConfig, build_client
from generator.errors import ClientgenError
from generator.load import Document, load_data_file
from generator.pipeline import generate
from generator.settings import Source
from generator.write import read_tree, write_tree

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "golden"


def case_names() -> list[str]:
    return sorted(path.name for path in CASES.iterdir() if path.is_dir() and not path.name.startswith((".", "_")))


@contextmanager
def _at_root() -> Iterator[None]:
    # Error messages name files relative to the repository, whatever the cwd.
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(previous)


def case_config(name: str) -> ClientConfig:
    """The case's settings (its config.yaml, read and located like a configuration file's client entry)."""
    folder = CASES.relative_to(ROOT) / name
    spec = next(path for path in (folder / "spec.yaml", folder / "spec.json") if (ROOT / path).exists())
    config = folder / "config.yaml"
    document = load_data_file(config) if (ROOT / config).exists() else Document(str(config), "", {})
    renames = folder / "renames.yaml"
    given = {"spec": spec, "output": folder / "expected", "renames": renames if (ROOT / renames).exists() else None}
    settings = {"name": name, "package": name, **document.data}
    return build_client(settings, Source(document), given=given)


#: Files of every package that the golden trees leave out (checked once, in generated/bctrl).
SHARED_FILES = frozenset({"_manifest.json"})
#: The folder of the runtime's modules, left out of the golden trees too.
SHARED_FOLDER = "_runtime/"


def full_case(name: str, cache: Cache = NO_CACHE) -> dict[str, bytes] | str:
    """Every file the case generates, or the error line it stops with."""
    with _at_root():
        try:
            return generate(case_config(name), cache=cache).files
        except ClientgenError as error:
            return str(error)


def run_case(name: str, cache: Cache = NO_CACHE) -> dict[str, bytes] | str:
    """The files of the case's golden tree (``SHARED_FILES`` left out), or the error line it stops with."""
    outcome = full_case(name, cache)
    if isinstance(outcome, str):
        return outcome
    return {
        path: data for path, data in outcome.items() if path not in SHARED_FILES and not path.startswith(SHARED_FOLDER)
    }


def expected(name: str) -> dict[str, bytes] | str:
    folder = CASES / name
    if (folder / "expected_error.txt").exists():
        return (folder / "expected_error.txt").read_text().strip()
    return read_tree(folder / "expected")


def describe_mismatch(want: dict[str, bytes] | str, got: dict[str, bytes] | str) -> str:
    """A readable account of how two outcomes differ: unified diffs per file."""
    if isinstance(want, str) or isinstance(got, str):
        return f"expected:\n  {want if isinstance(want, str) else 'a generated tree'}\ngot:\n  {got if isinstance(got, str) else 'a generated tree'}"
    lines: list[str] = []
    for path in sorted(set(want) | set(got)):
        if path not in got:
            lines.append(f"missing file: {path}")
        elif path not in want:
            lines.append(f"unexpected file: {path}")
        elif want[path] != got[path]:
            diff = difflib.unified_diff(
                want[path].decode(errors="replace").splitlines(keepends=True),
                got[path].decode(errors="replace").splitlines(keepends=True),
                f"expected/{path}",
                f"generated/{path}",
            )
            lines.append("".join(diff))
    return "\n".join(lines)


def update(name: str) -> bool:
    """Rewrite one case's expectation; whether it changed."""
    folder = CASES / name
    before = expected(name) if (folder / "expected").exists() or (folder / "expected_error.txt").exists() else None
    outcome = run_case(name)
    if outcome == before:
        return False
    shutil.rmtree(folder / "expected", ignore_errors=True)
    (folder / "expected_error.txt").unlink(missing_ok=True)
    if isinstance(outcome, str):
        (folder / "expected_error.txt").write_text(outcome + "\n")
    else:
        write_tree(folder / "expected", outcome)
    return True
