"""Raw JSON Schema keys are read in the stages up to the schema stage only; later stages read the records.

From the schema stage on, the consumers (models, TypedDicts, signatures, ``api.txt``, ``clientgen diff``) read
the model definitions (``modeldefs``), the value definitions (``values``) and the type model. This test lists
every module that still reads a schema's keywords (``.get("properties")``, ``["allOf"]``, ``"anyOf" in``...)
and fails when a module outside those stages starts to, or when one listed as left stops (update the list).
"""

from __future__ import annotations

import re
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[2] / "generator"

_KEYWORDS = (
    "properties|items|prefixItems|allOf|anyOf|oneOf|additionalProperties|enum|const|required|type|format|pattern"
    "|minLength|maxLength|minimum|maximum|minItems|maxItems|minProperties|maxProperties|readOnly|default"
    "|discriminator|nullable|\\$ref"
)
_STRUCTURE = "properties|items|prefixItems|allOf|anyOf|oneOf|additionalProperties|enum|const|\\$ref"
#: A read (not a write: ``result["minLength"] = 1``) of a keyword, or a test for a structural one.
RAW_KEY = re.compile(rf'\.get\("({_KEYWORDS})"|\["({_KEYWORDS})"\](?!\s*=[^=])|"({_STRUCTURE})" (not )?in ')

#: Load, validate, extract, name and normalise: where the document is read as JSON Schema, by design.
SCHEMA_STAGE = {
    "allof.py",
    "applicable.py",
    "arguments.py",
    "discriminators.py",
    "extensions.py",
    "extract.py",
    "fastpath.py",
    "modeldefs.py",
    "naming/model_names.py",
    "naming/operations.py",
    "naming/structure.py",
    "naming/variants.py",
    "pointer.py",
    "references.py",
    "schemas.py",
    "typemodel.py",
    "validate.py",
    "values.py",
}
#: JSON Schema of clientgen's own configuration (``clientgen.schema.json``), not of a spec.
OWN_SCHEMA = {"config_forms.py", "settings.py"}
#: Consumers that still read a schema's keys, and why.
LEFT = {
    # The paging analysis runs on the extracted operations before the schema stage (its checks locate errors
    # in the document), and the view's item type of a page follows the page's properties.
    "pagination.py": "paging detection and its checks read the operation's schemas as written",
    "paging_check.py": "the checks of configured paging name the document's own pointers",
    "diff/matching.py": "identical-structure matching compares normalised schemas by their canonical text",
}


def readers() -> set[str]:
    found = set()
    for path in sorted(GENERATOR.rglob("*.py")):
        if RAW_KEY.search(path.read_text(encoding="utf-8")):
            found.add(path.relative_to(GENERATOR).as_posix())
    return found


def test_raw_schema_keys_are_read_up_to_the_schema_stage_only() -> None:
    outside = readers() - SCHEMA_STAGE - OWN_SCHEMA
    assert outside == set(LEFT), (
        f"reading raw schema keys: {sorted(outside - set(LEFT))}; no longer: {sorted(set(LEFT) - outside)}"
    )


def test_the_diff_compares_records_not_schemas() -> None:
    """The structural walk, the constraint checks and the shapes of ``clientgen diff`` read value definitions."""
    assert not {"diff/schema.py", "diff/shape.py", "diff/compare.py", "diff/surface.py"} & readers()


def test_methods_take_their_arguments_from_the_argument_definitions() -> None:
    """The view builds parameters and body arguments from ``arguments`` records, never from a body's schema."""
    source = (GENERATOR / "view" / "methods.py").read_text(encoding="utf-8")
    for reader in ("body_schema", "UNION_PARTS", "binary_string", "resolve(", "schema_type(", "schemas.models"):
        assert reader not in source, reader
