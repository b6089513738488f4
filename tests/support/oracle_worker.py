"""openapi-core's verdict on captured requests; runs in its own interpreter (see ``support/oracle.py``).

openapi-core pins openapi-spec-validator below the version clientgen pins, so it
lives in a virtual environment of its own and this script is all that runs there.
It reads JSON lines on standard input: first ``{"spec": FILE, "origin": URL}``,
then one captured request per line (``id``, ``method``, ``target``: the raw path
and query, ``headers``: ``[[name, value], …]``, ``body``: base64). It writes one
verdict per request: ``{"id", "verdict": "valid" | "invalid" | "oracle-error",
"kind", "message"}``. The request is read the way a WSGI server reads it
(werkzeug), as if it had been sent to ``origin`` (the spec's first server): the
loopback server only stood in for it.

Only the standard library, openapi-core and its own dependencies are imported.
"""

from __future__ import annotations

import base64
import copy
import json
import sys
import warnings
from typing import Any


def load(path: str) -> Any:
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        return json.loads(raw)
    except ValueError:
        import yaml

        return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def describe(exc: BaseException) -> str:
    """The exception, its causes and the schema errors they carry, on one line."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = f"{type(current).__name__}: {current}".strip()
        parts.append(text[:400])
        errors = getattr(current, "schema_errors", None) or ()
        for error in list(errors)[:3]:
            where = "/".join(str(item) for item in getattr(error, "absolute_path", ()))
            parts.append(f"schema error at /{where}: {str(getattr(error, 'message', error))[:300]}")
        current = current.__cause__ or current.__context__
    return " <- ".join(parts)


def _pointer(document: Any, ref: str) -> Any:
    node = document
    for token in ref.lstrip("#/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def nullable_parameter_types(document: Any) -> int:
    """Give openapi-core parameters it can read: ``type: [X, "null"]`` becomes ``type: X``; the number changed.

    openapi-core 0.23.1 raises TypeError (no verdict at all) on a parameter whose
    schema's ``type`` is a list, as OAS 3.1 allows. A parameter's value on the wire
    is text and cannot be JSON null, so dropping ``"null"`` from its type changes no
    verdict on any request; only parameter schemas are touched (a copy where the
    parameter's schema is a shared ``$ref``), never a body's.
    """
    changed = 0
    parameters: list[Any] = []
    for item in (document.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        parameters += item.get("parameters") or []
        for operation in item.values():
            if isinstance(operation, dict):
                parameters += operation.get("parameters") or []
    parameters += list(((document.get("components") or {}).get("parameters") or {}).values())
    for parameter in parameters:
        if not isinstance(parameter, dict) or "$ref" in parameter or not isinstance(parameter.get("schema"), dict):
            continue
        schema = parameter["schema"]
        if isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
            try:
                target = _pointer(document, schema["$ref"])
            except (KeyError, IndexError, TypeError):
                continue
            if isinstance(target, dict) and isinstance(target.get("type"), list):
                schema = parameter["schema"] = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        kinds = schema.get("type")
        if isinstance(kinds, list):
            rest = [kind for kind in kinds if kind != "null"]
            if len(rest) == 1:
                schema["type"] = rest[0]
                changed += 1
    return changed


def parameters_without_access_modes(document: Any) -> int:
    """Drop ``readOnly``/``writeOnly`` from parameter schemas (a copy where shared); the number changed.

    openapi-core 0.23.1 validates parameters in the request (write) dialect, so a
    parameter whose schema is readOnly (cloudflare's identifiers reuse the read-only
    schema of a resource's id) is refused whatever its value. OAS 3.0 gives the two
    keywords a meaning for properties of bodies only; without them the parameter's
    value is still judged by everything else its schema says. Bodies are untouched.
    """
    changed = 0
    for parameter in _parameters(document):
        if not isinstance(parameter, dict) or "$ref" in parameter or not isinstance(parameter.get("schema"), dict):
            continue
        stripped = _without_access_modes(document, parameter["schema"], 0)
        if stripped is not None:
            parameter["schema"] = stripped
            changed += 1
    return changed


def _without_access_modes(document: Any, schema: Any, depth: int) -> Any:
    """A copy of ``schema`` (references inlined) without readOnly/writeOnly at its top or in its allOf; None
    when it has none."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    if isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
        try:
            target = _pointer(document, schema["$ref"])
        except (KeyError, IndexError, TypeError):
            return None
        inner = _without_access_modes(document, target, depth + 1)
        if inner is None:
            return None
        return {
            **inner,
            **{key: value for key, value in schema.items() if key not in ("$ref", "readOnly", "writeOnly")},
        }
    found = any(key in schema for key in ("readOnly", "writeOnly"))
    copy_ = {key: value for key, value in schema.items() if key not in ("readOnly", "writeOnly")}
    if isinstance(schema.get("allOf"), list):
        members = [_without_access_modes(document, member, depth + 1) for member in schema["allOf"]]
        if any(member is not None for member in members):
            found = True
            copy_["allOf"] = [
                new if new is not None else old for new, old in zip(members, schema["allOf"], strict=True)
            ]
    return copy_ if found else None


def _parameters(document: Any) -> list[Any]:
    found: list[Any] = []
    for item in (document.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        found += item.get("parameters") or []
        for operation in item.values():
            if isinstance(operation, dict):
                found += operation.get("parameters") or []
    found += list(((document.get("components") or {}).get("parameters") or {}).values())
    return found


_UNRESOLVED_IMPLICIT = "could not be resolved"


def drop_inline_discriminators(node: Any) -> int:
    """Remove each discriminator without a mapping whose branches are inline schemas; the number removed.

    OAS 3.1 (and 3.0) says implicit mapping uses schema names and "inline schemas will
    not be considered": such a discriminator is the spec's fault, and openapi-core
    fails on it (it looks the value up as ``#/components/schemas/<value>``). The
    request is then judged a second time without those discriminators, and the
    fault is reported beside the verdict.
    """
    removed = 0
    if isinstance(node, dict):
        discriminator = node.get("discriminator")
        branches = node.get("oneOf") or node.get("anyOf") or []
        if (
            isinstance(discriminator, dict)
            and not discriminator.get("mapping")
            and any(isinstance(branch, dict) and "$ref" not in branch for branch in branches)
        ):
            del node["discriminator"]
            removed += 1
        for value in node.values():
            removed += drop_inline_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            removed += drop_inline_discriminators(value)
    return removed


def binary_aware_config(document: Any) -> dict[str, Any]:
    """For OAS 3.1: accept bytes where the schema is a raw binary string, as OAS 3.0 validation already does.

    openapi-core 0.23.1 validates a 3.1 multipart file part or octet-stream body (bytes
    once read) with JSON Schema's plain ``type: string`` and refuses it (openapi-core
    issue 854). This applies the rule of the upstream fix (openapi-schema-validator
    pull request 298): ``bytes`` satisfy ``type: string`` only where ``format: binary``
    or a non-text ``contentMediaType`` says the string is raw binary and no
    ``contentEncoding`` says it is text. Nothing else is broadened.
    """
    if not str(document.get("openapi", "")).startswith("3.1"):
        return {}
    from jsonschema import validators
    from openapi_core.validation.schemas import oas31_schema_validators_factory as stock
    from openapi_core.validation.schemas.factories import DialectSchemaValidatorsFactory

    def is_binary(schema: Any) -> bool:
        if not isinstance(schema, dict) or schema.get("contentEncoding"):
            return False
        media = schema.get("contentMediaType")
        return schema.get("format") == "binary" or (isinstance(media, str) and not media.startswith("text/"))

    class Factory(DialectSchemaValidatorsFactory):
        def _get_validator_class_for_dialect(self, dialect_id: str) -> Any:
            found = super()._get_validator_class_for_dialect(dialect_id)
            if found is None:
                return None
            original = found.VALIDATORS["type"]

            def type_keyword(validator: Any, types: Any, instance: Any, schema: Any) -> Any:
                if isinstance(instance, bytes) and is_binary(schema):
                    return
                yield from original(validator, types, instance, schema)

            return validators.extend(found, {"type": type_keyword})

    factory = Factory(stock.schema_validator_cls, stock.default_jsonschema_dialect_id, stock.format_checker)
    return {"schema_validators_factory": factory}


_TEXT_CASTS = {
    "integer": lambda text: str(int(text)) == text,
    "number": lambda text: float(text) == float(text),
    "boolean": lambda text: text in ("true", "false"),
}


def only_uncast_multipart_text(error: BaseException, content_type: str) -> bool:
    """Whether every schema error is a multipart text part openapi-core left uncast (``'1.5' is not of type 'number'``).

    openapi-core reads a multipart part without an ``encoding`` as text/plain and
    validates the text itself, so a number, integer or boolean field sent exactly as
    RFC 7578 and OpenAPI say (``1.5``, ``true``) is refused. Such a request counts as
    valid when the text is that type's own spelling and nothing else is wrong.
    """
    if not content_type.lower().startswith("multipart/"):
        return False
    found: list[Any] = []
    current: BaseException | None = error
    while current is not None:
        found.extend(getattr(current, "schema_errors", None) or ())
        current = current.__cause__
    if not found:
        return False
    for item in found:
        if getattr(item, "validator", None) != "type" or len(list(item.absolute_path)) != 1:
            return False
        expected, instance = item.validator_value, item.instance
        kinds = expected if isinstance(expected, list) else [expected]
        if not isinstance(instance, str):
            return False
        if not any(kind in _TEXT_CASTS and _casts(kind, instance) for kind in kinds):
            return False
    return True


def _casts(kind: str, text: str) -> bool:
    try:
        return bool(_TEXT_CASTS[kind](text))
    except ValueError:
        return False


#: The repaired style readers used while judging the current request (reported beside a valid verdict).
PATCHES_USED: set[str] = set()


def patch_style_readers() -> None:
    """Repair three of openapi-core 0.23.1's parameter-style readers, whose bugs refuse every correct request.

    - spaceDelimited splits the already decoded value on the three characters
      ``%20``, so ``ids=1%202`` (``1 2`` once decoded) is never split: split on the space.
    - label and matrix look the path value up under ``.name`` / ``;name`` (and
      ``name*``), keys the path finder never makes: look it up under the name. The
      matrix reader checks its ``;name=`` prefix; the label reader drops the first
      character without looking, so the dot is checked here.
    - form with explode for an object reads ``location[name]``, but the exploded
      object's properties are keys of their own (``x=1&y=2``): read those keys.
    - an object property of an ``application/x-www-form-urlencoded`` body without an
      Encoding Object is read as an exploded form object; OpenAPI 3.0.4 and 3.1.1
      (§ Encoding Object, "Example: URL Encoded Form with JSON Values") say that with
      none of ``style``, ``explode``, ``allowReserved`` the property is written by its
      default ``contentType``, ``application/json`` for an object: read it as JSON.

    Each rule is the OpenAPI/RFC 6570 one; a verdict that needed one says so.
    """
    from openapi_core.deserializing.media_types import deserializers as media_deserializers
    from openapi_core.deserializing.styles import factories, style_deserializers, util

    def space_delimited(explode: bool, name: str, schema_type: str, location: Any) -> Any:
        PATCHES_USED.add("spaceDelimited")
        return util.delimited_loads(explode, name, schema_type, location, delimiter=" ")

    class Aliased(dict):  # type: ignore[type-arg]
        def __init__(self, location: Any, name: str) -> None:
            super().__init__(location)
            self._name = name

        def __missing__(self, key: str) -> Any:
            if key.strip(".;*") == self._name and self._name in self:
                return self[self._name]
            raise KeyError(key)

    def prefixed(reader: Any, style: str) -> Any:
        def read(explode: bool, name: str, schema_type: str, location: Any) -> Any:
            PATCHES_USED.add(style)
            if style == "label" and not str(location.get(name, "")).startswith("."):
                # openapi-core drops the first character unseen: a value without the dot is not a label value.
                raise KeyError(name)
            return reader(explode, name, schema_type, Aliased(location, name))

        return read

    style_deserializers["spaceDelimited"] = space_delimited
    style_deserializers["label"] = prefixed(util.label_loads, "label")
    style_deserializers["matrix"] = prefixed(util.matrix_loads, "matrix")
    create = factories.StyleDeserializersFactory.create

    def create_with_object_form(self: Any, spec: Any, schema: Any, style: str, explode: bool, name: str) -> Any:
        made = create(self, spec, schema, style, explode, name)
        if style == "form" and explode and made.schema_type == "object" and "properties" in schema:
            names = list((schema / "properties").keys())

            def read(explode: bool, name: str, schema_type: str, location: Any) -> Any:
                PATCHES_USED.add("form-object")
                found = {key: location[key] for key in names if key in location}
                if not found:
                    raise KeyError(name)
                return found

            made.deserializer_callable = read
        return made

    factories.StyleDeserializersFactory.create = create_with_object_form  # type: ignore[method-assign]

    media = media_deserializers.MediaTypeDeserializer
    decode_property = media.decode_property

    def decode_object_as_json(self: Any, prop_name: str, prop_schema: Any, location: Any) -> Any:
        described = self.encoding is not None and prop_name in self.encoding
        if self.mimetype == "application/x-www-form-urlencoded" and not described:
            kind = (prop_schema / "type").read_str("") if "type" in prop_schema else ""
            if kind == "object" or (not kind and "properties" in prop_schema):
                PATCHES_USED.add("form-json-object")
                return self.decode_property_content_type(prop_name, prop_schema, location)
        return decode_property(self, prop_name, prop_schema, location)

    media.decode_property = decode_object_as_json  # type: ignore[method-assign]


def verdict(openapi: Any, lenient: Any, request: Any, content_type: str) -> dict[str, str]:
    """openapi-core's verdict, past the spec's inline discriminators and its own multipart text limit (both noted)."""
    PATCHES_USED.clear()
    errors = list(openapi.iter_request_errors(request()))
    note = ""
    if errors and lenient is not None and _UNRESOLVED_IMPLICIT in describe(errors[0]):
        note = describe(errors[0])
        errors = list(lenient.iter_request_errors(request()))
        if not errors:
            return {"verdict": "valid", "kind": "spec-inline-discriminator", "message": note}
    if errors and all(only_uncast_multipart_text(error, content_type) for error in errors):
        return {"verdict": "valid", "kind": "multipart-text-cast", "message": describe(errors[0])}
    if errors:
        return {"verdict": "invalid", "kind": type(errors[0]).__name__, "message": describe(errors[0])}
    if PATCHES_USED:
        return {"verdict": "valid", "kind": "oracle-style-repair", "message": ", ".join(sorted(PATCHES_USED))}
    return {"verdict": "valid", "kind": "", "message": ""}


def main() -> int:
    from openapi_core import Config, OpenAPI
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    warnings.simplefilter("ignore")
    patch_style_readers()
    header = json.loads(sys.stdin.readline())
    try:
        document = load(header["spec"])
        nullable_parameter_types(document)
        parameters_without_access_modes(document)
        config = Config(spec_validator_cls=None, **binary_aware_config(document))
        openapi = OpenAPI.from_dict(document, config=config)
        repaired = copy.deepcopy(document)
        lenient = OpenAPI.from_dict(repaired, config=config) if drop_inline_discriminators(repaired) else None
    except Exception as exc:  # the oracle cannot read this document at all
        message = describe(exc)
        for line in sys.stdin:
            item = json.loads(line)
            print(json.dumps({"id": item["id"], "verdict": "oracle-error", "kind": "load", "message": message}))
        return 0
    origin = header["origin"].rstrip("/")
    for line in sys.stdin:
        item = json.loads(line)
        path, _, query = item["target"].partition("?")
        builder = EnvironBuilder(
            method=item["method"],
            base_url=origin,
            path=path,
            query_string=query,
            # The Host header named the loopback server; the origin stands for the API's own host.
            headers=[(name, value) for name, value in item["headers"] if name.lower() != "host"],
            data=base64.b64decode(item["body"]),
        )
        content_type = next((value for name, value in item["headers"] if name.lower() == "content-type"), "")
        try:
            result = verdict(
                openapi,
                lenient,
                lambda builder=builder: WerkzeugOpenAPIRequest(Request(builder.get_environ())),
                content_type,
            )
        except Exception as exc:  # openapi-core itself failed on this request
            result = {"verdict": "oracle-error", "kind": type(exc).__name__, "message": describe(exc)}
        print(json.dumps({"id": item["id"], **result}), flush=False)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
