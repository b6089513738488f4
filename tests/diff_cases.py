"""Spec pairs for ``clientgen diff`` tests: a small base spec and one mutation per case.

Also the sample pair whose Markdown report is a golden file
(``tests/golden_diff/sample.md``, rewritten by ``tests/update_goldens.py``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.config import client_config
from generator.diff.compare import compare_analyses
from generator.diff.finding import Finding
from generator.diff.report import SpecReport, render_markdown
from generator.load import parse_document
from generator.naming.rename_map import RenameMap
from generator.pipeline import analyse

GOLDEN_DIFF = Path(__file__).resolve().parent / "golden_diff"
Spec = dict[str, Any]


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def base() -> Spec:
    """A small shop API: pets (response-only Pet, request-only NewPet), owners (both ways), orders (flattened body)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1.0.0"},
        "servers": [{"url": "https://api.shop.example"}],
        "security": [{"bearer": []}],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"name": "legacyFilter", "in": "query", "deprecated": True, "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
                                }
                            },
                        }
                    },
                },
                "post": {
                    "operationId": "createPet",
                    "tags": ["pets"],
                    "requestBody": {"required": True, "content": _json("NewPet")},
                    "responses": {"201": {"description": "created", "content": _json("Pet")}},
                },
            },
            "/pets/{petId}": {
                "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "get": {
                    "operationId": "getPet",
                    "tags": ["pets"],
                    "responses": {"200": {"description": "ok", "content": _json("Pet")}},
                },
                "delete": {"operationId": "deletePet", "tags": ["pets"], "responses": {"204": {"description": "gone"}}},
            },
            "/owners/{ownerId}": {
                "put": {
                    "operationId": "putOwner",
                    "tags": ["owners"],
                    "parameters": [{"name": "ownerId", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "requestBody": {"required": True, "content": _json("Owner")},
                    "responses": {"200": {"description": "ok", "content": _json("Owner")}},
                }
            },
            "/orders": {
                "post": {
                    "operationId": "createOrder",
                    "tags": ["orders"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["item"],
                                    "properties": {"item": {"type": "string"}, "quantity": {"type": "integer"}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {"id": {"type": "string"}}}
                                }
                            },
                        }
                    },
                }
            },
            "/stores": {
                "get": {
                    "operationId": "listStores",
                    "tags": ["stores"],
                    "deprecated": True,
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "name", "status"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "status": {"$ref": "#/components/schemas/PetStatus"},
                        "tag": {"type": "string"},
                        "weight": {"type": "number"},
                    },
                },
                "PetStatus": {"type": "string", "enum": ["available", "pending", "sold"]},
                "NewPet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "kind": {"type": "string", "enum": ["dog", "cat", "bird"]},
                        "age": {"type": "integer"},
                        "weight": {"type": "number"},
                    },
                },
                "Owner": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
                },
            },
        },
    }


def schema(spec: Spec, name: str) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"][name]
    return result


def op(spec: Spec, path: str, method: str) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"][path][method]
    return result


def mutated(change: Callable[[Spec], None]) -> Spec:
    spec = base()
    change(spec)
    return spec


def analysis_of(spec: Spec, renames: dict[str, str] | None = None, name: str = "spec.json") -> Any:
    return _analysis(json.dumps(spec, sort_keys=True), tuple(sorted((renames or {}).items())), name)


@lru_cache(maxsize=8)
def _analysis(text: str, renames: tuple[tuple[str, str], ...], name: str) -> Any:
    """Analyses are immutable, so the base spec's is computed once (validation is the slow part)."""
    config = client_config(name="shop", spec=Path(name), package="shop", output=Path("shop"))
    return analyse(config, parse_document(text, name), RenameMap(dict(renames)))


def diff_specs(
    old: Spec, new: Spec, old_renames: dict[str, str] | None = None, new_renames: dict[str, str] | None = None
) -> list[Finding]:
    return compare_analyses(analysis_of(old, old_renames, "old.json"), analysis_of(new, new_renames, "new.json"))


def _sample_change(spec: Spec) -> None:
    """Several changes at once, for the golden Markdown report."""
    del spec["paths"]["/pets/{petId}"]["delete"]
    del spec["paths"]["/stores"]
    schema(spec, "PetStatus")["enum"].append("adopted")
    schema(spec, "NewPet")["required"].append("kind")
    schema(spec, "Pet")["properties"]["name"] = {"type": ["string", "null"]}
    op(spec, "/pets", "get")["parameters"].append({"name": "sort", "in": "query", "schema": {"type": "string"}})
    spec["components"]["schemas"]["Animal"] = spec["components"]["schemas"].pop("Pet")
    text = json.dumps(spec).replace('#/components/schemas/Pet"', '#/components/schemas/Animal"')
    spec.clear()
    spec.update(json.loads(text))


def sample_markdown() -> str:
    old, new = base(), mutated(_sample_change)
    findings = diff_specs(old, new)
    report = SpecReport("shop", "main:spec/shop.json", "spec/shop.json", tuple(findings), "")
    return render_markdown([report])


def update_golden_diff() -> None:
    GOLDEN_DIFF.mkdir(exist_ok=True)
    (GOLDEN_DIFF / "sample.md").write_text(sample_markdown())


def copy_spec(spec: Spec) -> Spec:
    return copy.deepcopy(spec)


def with_zoo(spec: Spec) -> None:
    """Base plus inheritance (Dog and NewDog by allOf), an integer enum, a union field and an array query enum."""
    schemas = spec["components"]["schemas"]
    schemas["Dog"] = {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "required": ["breed"], "properties": {"breed": {"type": "string"}}},
        ]
    }
    schemas["NewDog"] = {
        "allOf": [
            {"$ref": "#/components/schemas/NewPet"},
            {"type": "object", "properties": {"breed": {"type": "string"}}},
        ]
    }
    schemas["Cat"] = {
        "type": "object",
        "required": ["meow"],
        "properties": {"meow": {"type": "boolean"}, "lives": {"type": "integer"}},
    }
    schemas["Hound"] = {
        "type": "object",
        "required": ["bark"],
        "properties": {"bark": {"type": "string"}, "speed": {"type": "number"}},
    }
    schemas["Pet"]["properties"]["level"] = {"type": "integer", "enum": [1, 2]}
    schemas["Pet"]["properties"]["companion"] = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Hound"}]
    }
    schemas["NewPet"]["properties"]["size"] = {"type": "integer", "enum": [1, 2]}
    spec["paths"]["/dogs/{dogId}"] = {
        "parameters": [{"name": "dogId", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "get": {
            "operationId": "getDog",
            "tags": ["dogs"],
            "responses": {"200": {"description": "ok", "content": _json("Dog")}},
        },
        "put": {
            "operationId": "putDog",
            "tags": ["dogs"],
            "requestBody": {"required": True, "content": _json("NewDog")},
            "responses": {"204": {"description": "done"}},
        },
    }
    spec["paths"]["/pets"]["get"]["parameters"].append(
        {
            "name": "status",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string", "enum": ["available", "pending", "sold"]}},
        }
    )


def zoo() -> Spec:
    spec = base()
    with_zoo(spec)
    return spec


def zoo_mutated(change: Callable[[Spec], None]) -> Spec:
    spec = zoo()
    change(spec)
    return spec
