"""Stage 6, models: pydantic v2 models and TypedDicts from the schema set.

datamodel-code-generator runs in-process on an OpenAPI document that holds only
the normalised, already-named schemas, so every class name is ours. Options are
fixed here: nothing in the user's environment can change them.

Two things are made forward compatible afterwards, in the pydantic models only:
enums derive from the runtime's ``OpenEnum`` (an unknown value parses), and a
discriminated union gets a callable discriminator with a fallback member, so a
variant the client does not know yet is kept as a dict instead of failing the
whole response or being mistaken for another variant.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from typing import Any

import datamodel_code_generator as dcg

from generator.errors import ClientgenError
from generator.naming.case import snake
from generator.pointer import ref_name
from generator.schemas import SchemaSet
from generator.text import escape_in_literals, prose

_COMMON_OPTIONS: dict[str, Any] = {
    "input_file_type": dcg.InputFileType.OpenAPI,
    "target_python_version": dcg.PythonVersion.PY_310,
    "disable_timestamp": True,
    "use_schema_description": True,
    "use_field_description": True,
    "use_union_operator": True,
    "use_standard_collections": True,
    "use_double_quotes": True,
    "keep_model_order": False,  # definitions before use (enum defaults need it)
    "use_title_as_name": False,
    "field_constraints": True,
    "capitalise_enum_members": True,
    "use_single_value_enum_as_const": True,
    "formatters": [],
    "custom_file_header": "",
    "collapse_root_models": False,
    "use_type_alias": True,
}

_PYDANTIC_OPTIONS: dict[str, Any] = {
    **_COMMON_OPTIONS,
    "output_model_type": dcg.DataModelType.PydanticV2BaseModel,  # type: ignore[attr-defined]
    "snake_case_field": True,
    "use_annotated": True,
    "allow_population_by_field_name": True,
    "extra_fields": "allow",
    "use_subclass_enum": True,
    "set_default_enum_member": True,
}

_TYPED_DICT_OPTIONS: dict[str, Any] = {
    **_COMMON_OPTIONS,
    "output_model_type": dcg.DataModelType.TypingTypedDict,  # type: ignore[attr-defined]
    "snake_case_field": False,
    "enum_field_as_literal": dcg.LiteralType.All,
}


@dataclass(frozen=True)
class ModelSources:
    pydantic: str  # models.py
    typed_dicts: str  # types.py


@dataclass(frozen=True)
class TaggedUnion:
    """A named union told apart by one property: ``(tag, model)`` per variant."""

    name: str
    wire_name: str
    variants: tuple[tuple[str, str], ...]


def _tag_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def tagged_unions(schemas: SchemaSet) -> dict[str, TaggedUnion]:
    """Models that are exactly a discriminated ``oneOf``/``anyOf`` of models."""
    result: dict[str, TaggedUnion] = {}
    for name, schema in schemas.models.items():
        discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
        variants = schema.get("oneOf") or schema.get("anyOf") if isinstance(schema, dict) else None
        if not isinstance(discriminator, dict) or not isinstance(variants, list):
            continue
        wire_name = discriminator.get("propertyName")
        if not isinstance(wire_name, str) or not all(isinstance(v, dict) and "$ref" in v for v in variants):
            continue
        by_model: dict[str, list[str]] = {ref_name(v["$ref"]): [] for v in variants}
        for tag, target in (discriminator.get("mapping") or {}).items():
            model = ref_name(str(target))
            if model in by_model:
                by_model[model].append(str(tag))
        for model, tags in by_model.items():
            prop = (schemas.models.get(model) or {}).get("properties", {}).get(wire_name)
            if not tags and isinstance(prop, dict) and "const" in prop:
                tags.append(_tag_text(prop["const"]))
            elif not tags and isinstance(prop, dict) and isinstance(prop.get("enum"), list):
                tags.extend(_tag_text(value) for value in prop["enum"])
        if any(not tags for tags in by_model.values()):
            continue  # a variant we cannot tell apart: leave it a plain union
        pairs = tuple((tag, model) for model, tags in by_model.items() for tag in tags)
        if len({tag for tag, _ in pairs}) == len(pairs):
            result[name] = TaggedUnion(name, wire_name, pairs)
    return result


def _document(schemas: SchemaSet, unions: dict[str, TaggedUnion]) -> dict[str, Any]:
    models = dict(schemas.models)
    for name in unions:
        # The union is rendered by _tag_unions; dcg sees a plain union.
        models[name] = {key: value for key, value in models[name].items() if key != "discriminator"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        # Enums first: a field's default may name an enum member, evaluated when its class is.
        "components": {"schemas": dict(sorted(models.items(), key=lambda item: not _is_enum(item[1])))},
    }


def _is_enum(schema: Any) -> bool:
    return isinstance(schema, dict) and isinstance(schema.get("enum"), list) and "properties" not in schema


_ENUM_CLASS = re.compile(r"^class (\w+)\(str, Enum\):$", re.MULTILINE)


def _open_enums(source: str) -> str:
    if not _ENUM_CLASS.search(source):
        return source
    source = _ENUM_CLASS.sub(r"class \1(OpenEnum):", source)
    if not re.search(r"\bEnum\b", source.replace("OpenEnum", "").replace("from enum import Enum\n", "")):
        source = source.replace("from enum import Enum\n", "")
    return _add_import(source, "from ._runtime import OpenEnum")


def _add_import(source: str, line: str) -> str:
    """Put an import after ``from __future__`` (isort orders it later)."""
    future = "from __future__ import annotations\n"
    return source.replace(future, future + line + "\n", 1) if future in source else line + "\n" + source


def _tag_unions(source: str, unions: dict[str, TaggedUnion]) -> str:
    if not unions:
        return source
    for union in unions.values():
        members = " | ".join(f"Annotated[{model}, Tag({json.dumps(tag)})]" for tag, model in union.variants)
        tags = ", ".join(json.dumps(tag) for tag, _ in union.variants) + ("," if len(union.variants) == 1 else "")
        expression = (
            f"Annotated[{members} | Annotated[dict[str, Any], Tag(UNKNOWN_VARIANT)], "
            f"Discriminator(variant_tag({json.dumps(union.wire_name)}, {json.dumps(snake(union.wire_name))}, ({tags})))]"
        )
        pattern = re.compile(rf'^{union.name} = TypeAliasType\("{union.name}", [^\n]*\)$', re.MULTILINE)
        source, count = pattern.subn(lambda _: f'{union.name} = TypeAliasType("{union.name}", {expression})', source)
        if count != 1:
            raise ClientgenError(f"cannot render the tagged union {union.name}; please report this")
    source = _add_import(source, "from ._runtime import UNKNOWN_VARIANT, variant_tag")
    source = _add_import(source, "from pydantic import Discriminator, Tag")
    if not re.search(r"^from typing import .*\bAny\b", source, re.MULTILINE):
        source = _add_import(source, "from typing import Any")
    if not re.search(r"^from typing import .*\bAnnotated\b", source, re.MULTILINE):
        source = _add_import(source, "from typing import Annotated")
    return source


_PROTECTED_FIELD = re.compile(r"^    model_\w*:", re.MULTILINE)


def _unprotected_namespaces(source: str) -> str:
    """A property named ``model_dump`` becomes the field ``model_dump_``, which pydantic warns about at import
    (its ``model_`` namespace is protected): such models opt out of the check, their fields shadow nothing."""
    blocks = source.split("\n\n\nclass ")
    for index, block in enumerate(blocks):
        if _PROTECTED_FIELD.search(block) and "    model_config = ConfigDict(\n" in block:
            blocks[index] = block.replace("    model_config = ConfigDict(\n", "    model_config = ConfigDict(\n        protected_namespaces=(),\n", 1)
    return "\n\n\nclass ".join(blocks)


def _run(document: dict[str, Any], options: dict[str, Any]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = dcg.generate(document, **options)
        except Exception as exc:  # dcg raises many types; all mean "cannot model this"
            raise ClientgenError(f"model generation failed: {' '.join(str(exc).split())[:300]}") from None
    if not isinstance(result, str):
        raise ClientgenError("model generation produced no single module")
    return escape_in_literals(_strip_header(result))


def _strip_header(source: str) -> str:
    lines = source.split("\n")  # not splitlines(): U+2028 and friends inside string literals are not line ends
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).rstrip("\n") + "\n"


_TYPING_EXTENSIONS = re.compile(r"^from typing_extensions import (?P<names>.+)$", re.MULTILINE)


def _portable_typing_extensions(source: str) -> str:
    """``NotRequired`` lives in ``typing`` from 3.11; older Pythons take it from typing_extensions."""

    def replace(match: re.Match[str]) -> str:
        names = match.group("names")
        return (
            "import sys\n\n"
            "if sys.version_info >= (3, 11):\n"
            f"    from typing import {names}\n"
            "else:  # pragma: no cover\n"
            f"    from typing_extensions import {names}\n"
        )

    return _TYPING_EXTENSIONS.sub(replace, source)


def _plain_typed_dicts(node: Any) -> Any:
    """Additional properties beside named ones would need PEP 728 (``closed=``, ``extra_items=``),
    which neither ``typing.TypedDict`` before 3.15 nor type checkers read: TypedDicts keep the named keys only."""
    if isinstance(node, dict):
        drop = "properties" in node
        return {key: _plain_typed_dicts(value) for key, value in node.items() if not (drop and key == "additionalProperties")}
    if isinstance(node, list):
        return [_plain_typed_dicts(item) for item in node]
    return node


def _prose_only(node: Any, in_properties: bool = False) -> Any:
    """Descriptions become docstrings, and a class docstring cannot hold a lone surrogate (type() encodes it):
    they get ``text.prose``. Values (enums, defaults, constants) are data and stay exactly as written."""
    if isinstance(node, dict):
        return {
            key: prose(value) if not in_properties and key in ("description", "title") and isinstance(value, str) else _prose_only(value, key == "properties" and not in_properties)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_prose_only(item) for item in node]
    return node


def generate_models(schemas: SchemaSet) -> ModelSources:
    if not schemas.models:
        return ModelSources("", "")
    unions = tagged_unions(schemas)
    document = _prose_only(_document(schemas, unions))
    pydantic = _tag_unions(_open_enums(_unprotected_namespaces(_run(document, _PYDANTIC_OPTIONS))), unions)
    typed = _portable_typing_extensions(_run(_plain_typed_dicts(document), _TYPED_DICT_OPTIONS))
    return ModelSources(pydantic, typed)
