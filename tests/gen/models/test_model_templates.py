"""Models through templates: each kind of model (object, enum, union, alias) is laid out by its own template,
per flavour (pydantic, TypedDict), from typed records; templates are compiled once, not looked up per model."""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
from support.paths import ROOT

import generator.models.module as model_module
from generator import templating
from generator.modeldefs import MISSING, AliasModel, EnumModel, Field, ModelDef, ObjectModel, TaggedUnion
from generator.models import generate_models
from generator.typemodel import ListOf, Model, Primitive
from generator.values import NO_CONSTRAINTS

KINDS = ("object", "enum", "union", "alias")
FLAVOURS = {"pydantic": "models", "typed": "types"}  # template folder → module


def _field(name: str, description: str = "") -> Field:
    return Field(name, name, Primitive("str"), True, MISSING, description, NO_CONSTRAINTS, False)


def definitions() -> list[ModelDef]:
    """Two definitions of each kind."""
    return [
        EnumModel("Colour", "A colour.", "str", (("RED", "red"), ("BLUE", "blue"))),
        EnumModel("Size", "", "int", (("SIZE_1", 1), ("SIZE_2", 2))),
        ObjectModel("Cat", "A cat.", (_field("kind"), _field("name", description="Its name.")), None),
        ObjectModel("Dog", "", (_field("kind"), _field("bark")), None),
        TaggedUnion("Pet", "Any pet.", "kind", (("cat", "Cat"), ("dog", "Dog"))),
        TaggedUnion("Animal", "", "kind", (("c", "Cat"), ("d", "Dog"))),
        AliasModel("Pets", "Many pets.", ListOf(Model("Pet"))),
        AliasModel("Names", "", ListOf(Primitive("str"))),
    ]


def _clear_caches() -> None:
    templating.environment.cache_clear()
    templating.template.cache_clear()
    model_module._kind_template.cache_clear()


@pytest.fixture
def own_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the templates that the generator reads instead of the real ones."""
    copy = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", copy)
    monkeypatch.setattr(templating, "TEMPLATES", copy)
    _clear_caches()
    yield copy
    _clear_caches()


def _modules() -> dict[str, str]:
    sources = generate_models(definitions())
    return {"models": sources.pydantic, "types": sources.typed_dicts}


@pytest.mark.parametrize("folder", sorted(FLAVOURS))
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_and_flavour_is_laid_out_by_its_own_template(own_templates: Path, folder: str, kind: str) -> None:
    before = _modules()
    template = own_templates / "models" / folder / f"{kind}.py.jinja"
    text = template.read_text()
    assert text.count("{% endmacro %}") == 1
    template.write_text(text.replace("{% endmacro %}", "# laid out by {{ block.model.name }}\n{% endmacro %}"))
    _clear_caches()
    after = _modules()
    expected = sorted(d.name for d in definitions() if _kind(d) == kind)
    for module, source in after.items():
        marked = re.findall(r"# laid out by (\w+)", source)
        assert sorted(marked) == (expected if module == FLAVOURS[folder] else []), module
        # Nothing else changed: the one template decides how its kind looks.
        assert re.sub(r"# laid out by \w+\n", "", source) == before[module]


def _kind(definition: ModelDef) -> str:
    return {ObjectModel: "object", EnumModel: "enum", TaggedUnion: "union", AliasModel: "alias"}[type(definition)]


def test_the_model_modules_parse_and_define_every_name() -> None:
    for source in _modules().values():
        tree = ast.parse(source)
        defined = {
            target.id
            for node in tree.body
            for target in (node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)])
            if isinstance(target, ast.Name)
        } | {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
        assert {d.name for d in definitions()} <= defined


def test_a_description_with_nothing_printable_leaves_no_stray_blank_line() -> None:
    hidden = "\x01\x02"  # a description that is there, but says nothing a docstring can hold
    sources = generate_models(
        [
            EnumModel("Colour", hidden, "str", (("RED", "red"),)),
            ObjectModel("Cat", hidden, (_field("name"),), None),
        ]
    )
    assert 'class Colour(OpenEnum):\n    RED = "red"' in sources.pydantic
    assert "class Cat(BaseModel):\n    model_config" in sources.pydantic
    assert "class Cat(TypedDict):\n    name: str" in sources.typed_dicts


def test_templates_are_looked_up_once_per_run_not_once_per_model(monkeypatch: pytest.MonkeyPatch) -> None:
    lookups: list[str] = []
    original = jinja2.Environment.get_template

    def counted(self: jinja2.Environment, name: str | jinja2.Template, *args: object, **kwargs: object) -> object:
        lookups.append(str(name))
        return original(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "get_template", counted)
    counts = []
    for copies, lazy_from in ((1, 1000), (50, 1000), (1, 1), (50, 1)):  # in one module, and in the lazy layout
        _clear_caches()
        lookups.clear()
        many = [
            replace_name(definition, f"{definition.name}{number}")
            for number in range(copies)
            for definition in definitions()
            if not isinstance(definition, (TaggedUnion, AliasModel))  # those name other models
        ]
        generate_models(many, lazy_from=lazy_from)
        counts.append(len(lookups))
    _clear_caches()
    assert counts[0] == counts[1] and counts[2] == counts[3] and max(counts) <= 10, counts


def replace_name(definition: ModelDef, name: str) -> ModelDef:
    return replace(definition, name=name)
