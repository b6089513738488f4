"""A synthetic OpenAPI 3.1 document of any number of operations, for measuring how generation grows with an API.

Each resource has four operations (list with cursor and filters, create with a
JSON body, retrieve, update) and three schemas (the resource with a dozen
fields of every common kind, its creation body and a page of it), plus an
enum of its own; every operation has tags, a summary and a description, as
real documents do. The document is deterministic for a given size.

    python tests/bench/synthetic.py 1600 > synthetic-1600.json
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _resource_schemas(name: str, index: int) -> dict[str, Any]:
    title = name.title().replace("_", "")
    fields: dict[str, Any] = {
        "id": {"type": "string", "description": f"Unique identifier of the {name}."},
        "created_at": {"type": "string", "format": "date-time"},
        "name": {"type": "string", "maxLength": 200},
        "description": {"type": ["string", "null"]},
        "amount": {"type": "integer", "format": "int64", "minimum": 0},
        "ratio": {"type": "number"},
        "active": {"type": "boolean", "default": True},
        "status": {"$ref": f"#/components/schemas/{title}Status"},
        "labels": {"type": "array", "items": {"type": "string"}},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
        "address": {
            "type": "object",
            "properties": {"line": {"type": "string"}, "city": {"type": "string"}, "country": {"type": "string"}},
            "required": ["line", "country"],
        },
    }
    if index > 0:
        fields["parent"] = {"$ref": f"#/components/schemas/Resource{index - 1}"}
    return {
        f"Resource{index}": {
            "title": title,
            "type": "object",
            "description": f"A {name}.",
            "properties": fields,
            "required": ["id", "created_at", "name", "status"],
        },
        f"{title}Status": {"type": "string", "enum": ["pending", "active", "archived"]},
        f"{title}Create": {
            "type": "object",
            "properties": {key: fields[key] for key in ("name", "description", "amount", "labels", "metadata")},
            "required": ["name"],
        },
        f"{title}Page": {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": {"$ref": f"#/components/schemas/Resource{index}"}},
                "next_cursor": {"type": ["string", "null"]},
            },
            "required": ["data"],
        },
    }


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def _operations(name: str, index: int) -> dict[str, Any]:
    title = name.title().replace("_", "")
    one = {"$ref": f"#/components/schemas/Resource{index}"}
    error = {
        "description": "Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    identifier = {"name": f"{name}_id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        f"/v1/{name}s": {
            "get": {
                "operationId": f"list_{name}s",
                "tags": [name],
                "summary": f"List {name}s",
                "description": f"Returns a page of {name}s, newest first.",
                "parameters": [
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20, "maximum": 100}},
                    {"name": "status", "in": "query", "schema": {"$ref": f"#/components/schemas/{title}Status"}},
                ],
                "responses": {"200": ok({"$ref": f"#/components/schemas/{title}Page"}), "default": error},
            },
            "post": {
                "operationId": f"create_{name}",
                "tags": [name],
                "summary": f"Create a {name}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{title}Create"}}},
                },
                "responses": {"201": ok(one), "default": error},
            },
        },
        f"/v1/{name}s/{{{name}_id}}": {
            "parameters": [identifier],
            "get": {
                "operationId": f"retrieve_{name}",
                "tags": [name],
                "summary": f"Retrieve a {name}",
                "responses": {"200": ok(one), "default": error},
            },
            "patch": {
                "operationId": f"update_{name}",
                "tags": [name],
                "summary": f"Update a {name}",
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{title}Create"}}}
                },
                "responses": {"200": ok(one), "default": error},
            },
        },
    }


def synthetic_document(operations: int) -> dict[str, Any]:
    """A document of ``operations`` operations (rounded up to a multiple of four)."""
    resources = max(1, -(-operations // 4))
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            "required": ["code", "message"],
        }
    }
    for index in range(resources):
        name = f"item{index}"
        paths.update(_operations(name, index))
        schemas.update(_resource_schemas(name, index))
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Synthetic {resources * 4}", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "components": {"schemas": schemas, "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}},
        "security": [{"key": []}],
        "paths": paths,
    }


if __name__ == "__main__":
    json.dump(synthetic_document(int(sys.argv[1]) if len(sys.argv) > 1 else 400), sys.stdout, indent=1)
    sys.stdout.write("\n")
