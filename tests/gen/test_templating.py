"""Templates are compiled once and their compiled code kept beside clientgen's byte code; that cache never fails a run."""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import pytest

from generator.templating import TEMPLATES, new_environment

NAMES = sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.jinja"))


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates Jinja compiles from source (rather than loading compiled code)."""
    seen: list[str] = []
    original = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: object, name: str | None = None, *args: object) -> object:
        seen.append(str(name))
        return original(self, source, name, *args)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return seen


def _load_all(compiled: Path) -> str:
    environment = new_environment(compiled)
    return "".join(environment.get_template(name).render.__qualname__ for name in NAMES)


def test_a_second_run_loads_every_template_compiled(tmp_path: Path, compiles: list[str]) -> None:
    _load_all(tmp_path / "compiled")
    assert sorted(compiles) == NAMES
    compiles.clear()
    _load_all(tmp_path / "compiled")
    assert compiles == []


def test_a_folder_that_cannot_be_written_or_damaged_entries_only_mean_compiling(
    tmp_path: Path, compiles: list[str]
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    _load_all(blocked / "compiled")
    assert sorted(compiles) == NAMES
    _load_all(tmp_path / "compiled")
    for entry in (tmp_path / "compiled").iterdir():
        entry.write_bytes(entry.read_bytes()[:40])  # cut short: a torn or foreign write
    compiles.clear()
    _load_all(tmp_path / "compiled")
    assert sorted(compiles) == NAMES


def test_nothing_is_written_when_python_writes_no_byte_code(
    tmp_path: Path, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _load_all(tmp_path / "compiled")
    assert not (tmp_path / "compiled").exists()
