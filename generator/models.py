"""Stage 6, models: pydantic v2 models and TypedDicts from the schema set.

datamodel-code-generator runs in-process on an OpenAPI document that holds only
the normalised, already-named schemas, so every class name is ours. Options are
fixed here: nothing in the user's environment can change them.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

import datamodel_code_generator as dcg

from generator.errors import ClientgenError
from generator.schemas import SchemaSet

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
    "output_model_type": dcg.DataModelType.PydanticV2BaseModel,
    "snake_case_field": True,
    "use_annotated": True,
    "allow_population_by_field_name": True,
    "extra_fields": "allow",
    "use_subclass_enum": True,
    "set_default_enum_member": True,
}

_TYPED_DICT_OPTIONS: dict[str, Any] = {
    **_COMMON_OPTIONS,
    "output_model_type": dcg.DataModelType.TypingTypedDict,
    "snake_case_field": False,
    "enum_field_as_literal": dcg.LiteralType.All,
}


@dataclass(frozen=True)
class ModelSources:
    pydantic: str  # models.py
    typed_dicts: str  # types.py


def _document(schemas: SchemaSet) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        # Enums first: a field's default may name an enum member, evaluated when its class is.
        "components": {"schemas": dict(sorted(schemas.models.items(), key=lambda item: not _is_enum(item[1])))},
    }


def _is_enum(schema: Any) -> bool:
    return isinstance(schema, dict) and isinstance(schema.get("enum"), list) and "properties" not in schema


def _run(document: dict[str, Any], options: dict[str, Any]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = dcg.generate(document, **options)
        except Exception as exc:  # dcg raises many types; all mean "cannot model this"
            raise ClientgenError(f"model generation failed: {' '.join(str(exc).split())[:300]}") from None
    if not isinstance(result, str):
        raise ClientgenError("model generation produced no single module")
    return _strip_header(result)


def _strip_header(source: str) -> str:
    lines = source.splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines) + "\n"


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


def generate_models(schemas: SchemaSet) -> ModelSources:
    if not schemas.models:
        return ModelSources("", "")
    document = _document(schemas)
    pydantic = _run(document, _PYDANTIC_OPTIONS)
    typed = _portable_typing_extensions(_run(document, _TYPED_DICT_OPTIONS))
    return ModelSources(pydantic, typed)
