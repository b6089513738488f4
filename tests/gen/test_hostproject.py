"""The host project: its layout, import paths, and dependencies added to pyproject.toml as text (checked by tomllib)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator.errors import ClientgenError
from generator.hostproject import add_dependencies, detect_layout, import_path, propose_output

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

WANTED = ["httpx2>=2.16,<3", "pydantic>=2.14,<3"]


@pytest.mark.parametrize(
    "text",
    [
        '[project]\nname = "x"\n',
        '[project]\nname = "x"',
        '[project]\nname = "x"\ndependencies = []\n',
        '[project]\nname = "x"\ndependencies = [\n]\n',
        '[project]\nname = "x"\ndependencies = ["a>=1"]\n[tool.x]\ny = 1\n',
        '[project]\nname = "x"\ndependencies = ["a>=1",]  # trailing\n',
        '[project]\nname = "x"\ndependencies = [\n    "a>=1",  # why, [not] "this"\n    "b" # c\n]\n',
        '[project]\nname = "x"\ndependencies = [\n  "a>=1",\n  "b"]\n',
        "[project]\nname = 'x'\ndependencies = ['a]b ; python_version<\"4\"']\n",
        '[build-system]\nrequires = ["setuptools"]\n\n[project]\nname = "x"\n\n[project.urls]\nhome = "h"\n',
    ],
)
def test_the_requirements_are_added_and_nothing_else_changes(text: str) -> None:
    before = tomllib.loads(text)
    edit = add_dependencies(text, Path("pyproject.toml"), WANTED)
    after = tomllib.loads(edit.text)
    existing = before["project"].get("dependencies", [])
    assert after["project"].pop("dependencies") == [*existing, *WANTED]
    before["project"].pop("dependencies", None)
    assert after == before
    assert edit.added == tuple(WANTED)
    for line in text.splitlines():
        if "#" in line:  # the user's comments stay
            assert line[line.index("#") :] in edit.text


def test_requirements_already_there_are_left_as_they_are() -> None:
    text = '[project]\nname = "x"\ndependencies = ["Pydantic>=2", "httpx2"]\n'
    edit = add_dependencies(text, Path("pyproject.toml"), WANTED)
    assert edit.text == text and edit.added == () and edit.present == tuple(WANTED)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.x]\ny = 1\n", "no \\[project\\] table"),
        ('[project]\nname = "x"\ndynamic = ["dependencies"]\n', "dynamic"),
        ("[project\n", "not valid TOML"),
        ('project = {name = "x"}\n', "not a plain table"),
    ],
)
def test_files_it_cannot_edit_safely_are_refused(text: str, message: str) -> None:
    with pytest.raises(ClientgenError, match=message):
        add_dependencies(text, Path("pyproject.toml"), WANTED)


def _package(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")


def test_layouts_and_the_outputs_proposed_for_them(tmp_path: Path) -> None:
    src = tmp_path / "src_layout"
    _package(src / "src" / "other")
    _package(src / "src" / "myapp")
    (src / "pyproject.toml").write_text('[project]\nname = "my-app"\n')
    layout = detect_layout(src)
    assert (layout.kind, layout.host, layout.import_root) == ("src", "myapp", "src")
    assert propose_output(layout, "acme") == "src/myapp/_vendor/acme"
    assert import_path(src, "src/myapp/_vendor/acme", "src") == "myapp._vendor.acme"
    assert import_path(src, "generated/acme", "src") is None

    flat = tmp_path / "flat"
    _package(flat / "tests")
    _package(flat / "app")
    layout = detect_layout(flat)
    assert (layout.kind, layout.host) == ("flat", "app")
    assert propose_output(layout, "acme") == "app/_vendor/acme"

    several = tmp_path / "several"
    _package(several / "one")
    _package(several / "two")
    layout = detect_layout(several)
    assert layout.host is None and "pass --output" in layout.describe()
    assert propose_output(layout, "acme") == "acme"

    bare = tmp_path / "bare"
    bare.mkdir()
    assert propose_output(detect_layout(bare), "acme") == "acme"
    assert import_path(bare, "acme", "") == "acme"
    assert import_path(bare, "generated/acme", "") is None  # generated/ is not a package
