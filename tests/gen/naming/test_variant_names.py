"""Union members are named from what they are (``naming.variants``), never by position."""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.extract import extract
from generator.load import parse_document
from generator.naming.model_names import name_models
from generator.naming.operations import name_operations
from generator.naming.rename_map import RenameMap
from generator.schemas import build_schema_set


def models(schemas: dict[str, Any]) -> set[str]:
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}}
    api = extract(parse_document(yaml.safe_dump(spec), "spec.yaml"))
    return set(build_schema_set(api, name_models(api.schemas, RenameMap({})), name_operations(api)).models)


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties)}


def test_members_are_named_by_the_constant_that_tells_them_apart() -> None:
    found = models(
        {
            "Message": {
                "oneOf": [
                    obj(role={"type": "string", "enum": ["assistant"]}, content={"type": "string"}),
                    obj(role={"const": "user"}, content={"type": "string"}),
                    obj(role={"$ref": "#/components/schemas/SystemRole"}, content={"type": "string"}),
                ]
            },
            "SystemRole": {"type": "string", "enum": ["system"]},
        }
    )
    assert {"MessageAssistant", "MessageUser", "MessageSystem"} <= found


def test_the_discriminator_names_the_members_even_with_other_constants() -> None:
    found = models(
        {
            "Shape": {
                "oneOf": [
                    obj(kind={"const": "circle"}, type={"const": "a"}, r={"type": "number"}),
                    obj(kind={"const": "square"}, type={"const": "b"}, side={"type": "number"}),
                ],
                "discriminator": {"propertyName": "kind"},
            }
        }
    )
    assert {"ShapeCircle", "ShapeSquare"} <= found


def test_titles_required_properties_own_properties_references_and_kinds() -> None:
    found = models(
        {
            "Think": {"oneOf": [{"type": "boolean"}, {"type": "string", "enum": ["high", "medium", "low"]}]},
            "Titled": {"anyOf": [{"title": "Plain text", **obj(text={"type": "string"})}, {"type": "string"}]},
            "LongTitle": {"anyOf": [{"title": "ResponseAudioDeltaWebSocketEvent", **obj(d={"type": "string"})}]},
            "AddLabels": {"anyOf": [obj(labels={"type": "array", "items": {"type": "string"}}), {"type": "string"}]},
            "Card": {
                "oneOf": [
                    obj(note={"type": "string"}),
                    {
                        "type": "object",
                        "properties": {"content_id": {"type": "integer"}, "content_type": {"type": "string"}},
                        "required": ["content_id", "content_type"],
                    },
                ]
            },
            "Rule": {
                "anyOf": [
                    obj(id={"type": "integer"}, wait_timer={"type": "integer"}),
                    obj(id={"type": "integer"}, reviewers={"type": "array"}),
                    {"type": "object", "properties": {"id": {"type": "integer"}}},
                ]
            },
            "Flag": {
                "anyOf": [
                    obj(a={"type": "string"}, b={"type": "string"}),
                    obj(a={"type": "string"}, b={"type": "string"}, c={"type": "string"}),
                ]
            },
            "Base": obj(id={"type": "string"}),
            "Extended": {
                "anyOf": [
                    {"allOf": [{"$ref": "#/components/schemas/Base"}, obj(extra={"type": "string"})]},
                    {"type": "null"},
                ]
            },
            "Variable": {
                "oneOf": [
                    obj(name={"type": "string"}, type={"type": "string", "enum": ["string", "secret"]}),
                    obj(name={"type": "string"}, type={"type": "string", "enum": ["worker"]}),
                ]
            },
        }
    )
    expected = {
        "ThinkEnum",  # Ollama's think: boolean | "high" | "medium" | "low"
        "TitledPlainText",
        "ResponseAudioDeltaWebSocketEvent",  # a title that is a class name already
        "AddLabelsObject",  # its only property would repeat the owner's last word: its kind
        "CardNote",  # the only required property
        "CardContentId",  # a required property no other member has
        "RuleWaitTimer",
        "RuleReviewers",
        "RuleId",  # its only property
        "ExtendedBase",  # the schema it extends
        "FlagObject",  # nothing of its own: its kind
        "FlagC",
        "VariableStringOrSecret",  # two values of its type property
        "VariableWorker",
    }
    assert expected <= found, expected - found
    assert not [name for name in found if re.search(r"Variant\d+$", name)]


def test_names_do_not_depend_on_the_order_or_on_other_unions() -> None:
    members = [obj(kind={"const": "a"}, x={"type": "string"}), obj(kind={"const": "b"}, y={"type": "string"})]
    alone = models({"U": {"oneOf": members}})
    reordered = models(
        {"U": {"oneOf": members[::-1]}, "Other": {"oneOf": [obj(z={"type": "string"}), {"type": "string"}]}}
    )
    assert {"UA", "UB"} <= alone and {"UA", "UB"} <= reordered
