"""The configuration's published forms, made from its declarations: the JSON Schema and the README's table."""

from __future__ import annotations

from generator.config import PROJECT_SETTINGS, SETTINGS
from generator.rules import JSONSchema
from generator.settings import markdown_rows, schema_properties


def json_schema() -> JSONSchema:
    """The JSON Schema of clientgen.yaml and of pyproject.toml's ``[tool.clientgen]``, from the declarations."""
    project = schema_properties(PROJECT_SETTINGS)
    clients = project["properties"]["clients"]
    clients["items"] = {"$ref": "#/$defs/client"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "clientgen configuration",
        "description": "clientgen.yaml, spec/clientgen.yaml, or the [tool.clientgen] table of pyproject.toml "
        "(paths are relative to the project root). Generated from generator/config.py.",
        **project,
        "$defs": {"client": schema_properties(SETTINGS)},
    }


def markdown_table() -> str:
    """The README's table of settings, from the declarations."""
    rows = ["| setting | value | default | meaning |", "|---|---|---|---|"]
    rows += markdown_rows(PROJECT_SETTINGS)
    rows += markdown_rows(SETTINGS, prefix="clients[].")
    return "\n".join(rows) + "\n"
