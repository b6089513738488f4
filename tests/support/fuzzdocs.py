"""Random OpenAPI documents for property-based tests, and the check every one of them must pass.

``documents()`` draws documents that are valid enough to generate from:
hostile text in every role (keywords, ``True``/``none``, client attributes,
builtins, digits first, empty, non-ASCII, line breaks, quotes), schemas nested
at random within the limit, unions, enums of mixed types, recursion through
properties, references into subschemas, several responses and media types.

``check_document`` runs the generator in-process on one document and asserts
the contract: either a package that compiles, imports with warnings as errors
and passes ``mypy --strict``, or a ``ClientgenError`` that is one located line
(never a bug report, never another exception).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, ClassVar

from hypothesis import strategies as st

from generator.config import client_config
from generator.errors import ClientgenError
from generator.load import parse_document
from generator.pipeline import generate
from generator.pointer import pointer_escape
from generator.write import write_tree

HOSTILE_NAMES = [
    "class", "import", "def", "None", "none", "NONE", "True", "true", "false", "FALSE", "match", "case", "type", "_",
    "self", "request", "close", "api_key", "base_url", "timeout", "max_retries", "with_options", "with_raw_response",
    "stream_events", "http_client", "environment", "extra_headers", "idempotency_key", "str", "list", "dict", "int",
    "Exception", "object", "model_dump", "model_validate", "model_config", "model_fields", "schema", "json", "copy",
    "__init__", "__class__", "_private", "1st", "123", "", " ", "-", "a-b", "a_b", "aB", "A B", "Größe", "中文", "🎉",
    "Any", "BaseModel", "Field", "Literal", "Optional", "Timeout", "NotGiven", "Route", "Enum", "builtins",
    "a\nb", "tab\there", 'q"uote', "back\\slash", "line\u2028sep", "nul\x00byte",
]  # fmt: skip

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
names = st.one_of(st.sampled_from(HOSTILE_NAMES), _TEXT)
prose = st.one_of(st.just(""), _TEXT, st.sampled_from(['"""', "\\", "a\u2029b", "x\r\ny", "\x85", "'''"]))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False), _TEXT
)


def _primitive() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda kind, description: {"type": kind, **({"description": description} if description else {})},
                  st.sampled_from(["string", "integer", "number", "boolean"]), prose),
        st.builds(lambda values: {"enum": values}, st.lists(scalars, min_size=1, max_size=5, unique_by=lambda v: json.dumps(v))),
        st.builds(lambda values: {"type": "string", "enum": values}, st.lists(names, min_size=1, max_size=5, unique=True)),
        st.builds(lambda value: {"const": value}, st.one_of(st.booleans(), st.integers(-1000, 1000), _TEXT)),
        st.just({"type": "string", "format": "date-time"}),
        st.just({"type": "string", "format": "binary"}),
        st.just({"type": ["string", "null"]}),
        st.just({}),
    )  # fmt: skip


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(
            lambda props, required, extra: {
                "type": "object",
                "properties": props,
                **({"required": sorted(props)[: len(props) // 2]} if required and props else {}),
                **({"additionalProperties": extra} if extra is not None else {}),
            },
            st.dictionaries(names, children, max_size=4),
            st.booleans(),
            st.one_of(st.none(), st.booleans(), children),
        ),
        st.builds(lambda items: {"type": "array", "items": items}, children),
        st.builds(lambda members: {"anyOf": members}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda members: {"oneOf": members}, st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda inner: {**inner, "nullable": True} if isinstance(inner.get("type"), str) else inner, children),
    )


def _deep(levels: int, leaf: Any) -> Any:
    for level in range(levels):
        leaf = (
            {"type": "object", "properties": {f"level{level}": leaf}} if level % 3 else {"type": "array", "items": leaf}
        )
    return leaf


schemas = st.one_of(
    st.recursive(_primitive(), _extend, max_leaves=12),
    # Deep nesting, within the 64-level limit (each level here is one schema level).
    st.builds(_deep, st.integers(10, 60), _primitive()),
)


def _subschema_pointers(name: str, schema: Any) -> list[str]:
    """Pointers into ``schema`` (the component ``name``) that hold schemas: targets for references."""
    found: list[str] = []
    stack = [(schema, f"#/components/schemas/{pointer_escape(name)}")]
    while stack:
        node, pointer = stack.pop()
        if not isinstance(node, dict):
            continue
        found.append(pointer)
        for key, value in (node.get("properties") or {}).items():
            stack.append((value, f"{pointer}/properties/{pointer_escape(key)}"))
        if isinstance(node.get("items"), dict):
            stack.append((node["items"], f"{pointer}/items"))
        for keyword in ("anyOf", "oneOf", "allOf"):
            for index, member in enumerate(node.get(keyword) or []):
                stack.append((member, f"{pointer}/{keyword}/{index}"))
    return found


def _with_refs(draw: Any, schema: Any, targets: list[str]) -> Any:
    """Replace some leaves of ``schema`` with references to ``targets``, through properties and items only
    (a reference there is data, never a cycle with no data in between)."""
    if not targets or not isinstance(schema, dict):
        return schema
    result = dict(schema)
    if isinstance(result.get("properties"), dict):
        result["properties"] = {
            key: (
                {"$ref": draw(st.sampled_from(targets))}
                if draw(st.integers(0, 3)) == 0
                else _with_refs(draw, value, targets)
            )
            for key, value in result["properties"].items()
        }
    if isinstance(result.get("items"), dict) and draw(st.integers(0, 3)) == 0:
        result["items"] = {"$ref": draw(st.sampled_from(targets))}
    if "properties" in result and draw(st.integers(0, 4)) == 0:
        # allOf: a referenced schema plus fields of its own. The own fields never redefine inherited ones:
        # a child narrowing a parent's field is the type model's business (issue 8), not this property's.
        own = {f"own\ue000{index}": value for index, value in enumerate(result["properties"].values())}
        return {"allOf": [{"$ref": draw(st.sampled_from(targets))}, {**result, "properties": own}]}
    return result


_MEDIA = [
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    "application/vnd.x+json",
    "text/plain",
    "application/octet-stream",
]


@st.composite
def documents(draw: Any) -> str:
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    component_names = draw(st.lists(names, max_size=5, unique=True))
    components = {name: draw(schemas) for name in component_names}
    targets = [pointer for name, schema in components.items() for pointer in _subschema_pointers(name, schema)]
    components = {name: _with_refs(draw, schema, targets) for name, schema in components.items()}
    paths: dict[str, Any] = {}
    for _ in range(draw(st.integers(1, 4))):
        segment = draw(names)
        parameter_name = draw(names)
        path = (
            "/"
            + segment.replace("/", "_").replace("{", "(").replace("}", ")")
            + "/{"
            + parameter_name.replace("}", "")
            + "}"
        )
        item = paths.setdefault(path, {})
        method = draw(st.sampled_from(["get", "post", "put", "patch", "delete"]))
        operation: dict[str, Any] = {
            "responses": {},
            "parameters": [
                {"name": parameter_name.replace("}", ""), "in": "path", "required": True, "schema": {"type": "string"}}
            ],
        }
        if draw(st.booleans()):
            operation["operationId"] = draw(names)
        if draw(st.booleans()):
            operation["tags"] = [draw(names)]
        for text_field in ("summary", "description"):
            if draw(st.booleans()):
                operation[text_field] = draw(prose)
        for _ in range(draw(st.integers(0, 3))):
            operation["parameters"].append(
                {"name": draw(names), "in": draw(st.sampled_from(["query", "header", "cookie"])), "required": draw(st.booleans()),
                 "schema": _with_refs(draw, draw(schemas), targets), "description": draw(prose)}
            )  # fmt: skip
        if method != "get" and draw(st.booleans()):
            body = (
                {"$ref": draw(st.sampled_from(targets))}
                if targets and draw(st.booleans())
                else _with_refs(draw, draw(schemas), targets)
            )
            operation["requestBody"] = {
                "content": {draw(st.sampled_from(_MEDIA[:4])): {"schema": body}},
                "required": draw(st.booleans()),
            }
        for status in draw(
            st.lists(
                st.sampled_from(["200", "201", "202", "204", "default", "404"]), min_size=1, max_size=3, unique=True
            )
        ):
            response: dict[str, Any] = {"description": draw(prose) or "response"}
            if status != "204" and draw(st.booleans()):
                body = (
                    {"$ref": draw(st.sampled_from(targets))}
                    if targets and draw(st.booleans())
                    else _with_refs(draw, draw(schemas), targets)
                )
                response["content"] = {draw(st.sampled_from(_MEDIA)): {"schema": body}}
            operation["responses"][status] = response
        item[method] = operation
    document = {
        "openapi": version,
        "info": {"title": draw(prose) or "T", "version": draw(prose) or "1", "description": draw(prose)},
        "paths": paths,
        "components": {"schemas": components},
    }
    if draw(st.booleans()):
        document["servers"] = [{"url": "https://example.com/" + draw(_TEXT), "description": draw(prose)}]
    return json.dumps(_for_version(_without_broken_refs(document), version), ensure_ascii=draw(st.booleans()), indent=1)


def _without_broken_refs(document: dict[str, Any]) -> dict[str, Any]:
    """A reference whose target another reference replaced points at nothing: it becomes a string schema."""
    from generator.pointer import iter_refs, resolve_pointer

    for where, ref in list(iter_refs(document)):
        try:
            resolve_pointer(document, ref)
        except KeyError:
            holder = resolve_pointer(document, where.rsplit("/", 1)[0])
            del holder["$ref"]
            holder["type"] = "string"
    return document


def _for_version(node: Any, version: str) -> Any:
    """3.0 says ``nullable: true``, 3.1 says ``type: [T, "null"]``."""
    if isinstance(node, list):
        return [_for_version(item, version) for item in node]
    if not isinstance(node, dict):
        return node
    result = {
        key: _for_version(value, version) if key not in ("enum", "const", "default", "example") else value
        for key, value in node.items()
    }
    kind = result.get("type")
    if version.startswith("3.1") and isinstance(kind, str) and result.get("nullable") is True:
        del result["nullable"]
        result["type"] = [kind, "null"]
    if version.startswith("3.0") and isinstance(kind, list):
        others = [item for item in kind if item != "null"]
        result["type"] = others[0] if others else "string"
        if "null" in kind:
            result["nullable"] = True
    return result


class Outcome:
    generated = 0
    refused = 0
    reasons: ClassVar[dict[str, int]] = {}  # what refusals said, without their location; shared


def check_document(text: str, mypy_cache: Path) -> None:
    """The contract for one document (see the module docstring); raises AssertionError when it is broken.

    With ``CLIENTGEN_FUZZ_FAILURES`` set, a failing document is also saved in that folder."""
    try:
        _check(text, mypy_cache)
    except Exception:
        folder = os.environ.get("CLIENTGEN_FUZZ_FAILURES")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / f"failure-{abs(hash(text)) % 10**12}.json").write_text(text, encoding="utf-8")
        raise


def _check(text: str, mypy_cache: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="clientgen-fuzz-"))
    try:
        spec = work / "spec.json"
        spec.write_text(text, encoding="utf-8")
        # One name for every document (each in a folder of its own): its runtime modules are then the same
        # modules to mypy from one document to the next, checked once, and only what the document made is new.
        package = "fuzzed"
        config = client_config(name=package, spec=spec, package=package, output=work / package, validation="lenient")
        try:
            result = generate(config, parse_document(text, str(spec)))
        except ClientgenError as error:
            line = str(error)
            assert "\n" not in line and line.isprintable(), repr(line)
            assert "please report" not in line, line
            assert error.location is not None and error.location.file == str(spec), line
            assert error.location.line is not None or error.location.pointer is not None, line
            Outcome.refused += 1
            reason = " ".join(error.message.split()[:8])
            Outcome.reasons[reason] = Outcome.reasons.get(reason, 0) + 1
            return
        write_tree(config.output, result.files)
        for path in sorted((work / package).rglob("*.py")):
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        api = (work / package / "api.txt").read_text(encoding="utf-8")
        assert all(line.isprintable() for line in api.split("\n")), api
        _import_with_warnings_as_errors(work, package)
        _mypy_strict(work, package, mypy_cache)
        Outcome.generated += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _import_with_warnings_as_errors(root: Path, package: str) -> None:
    import pkgutil

    sys.path.insert(0, str(root))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, package + "."):
                importlib.import_module(info.name)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name == package or name.startswith(package + ".")]:
            del sys.modules[name]


def _mypy_strict(root: Path, package: str, cache: Path) -> None:
    from mypy import api

    stdout, stderr, status = api.run(
        ["--strict", "--python-version", "3.10", "--cache-dir", str(cache), "--no-sqlite-cache", str(root / package)]
    )
    assert status == 0, stdout + stderr
