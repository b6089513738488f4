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


def main() -> int:
    from openapi_core import Config, OpenAPI
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    warnings.simplefilter("ignore")
    header = json.loads(sys.stdin.readline())
    try:
        document = load(header["spec"])
        openapi = OpenAPI.from_dict(document, config=Config(spec_validator_cls=None, **binary_aware_config(document)))
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
        try:
            request = WerkzeugOpenAPIRequest(Request(builder.get_environ()))
            errors = list(openapi.iter_request_errors(request))
        except Exception as exc:  # openapi-core itself failed on this request
            result = {"verdict": "oracle-error", "kind": type(exc).__name__, "message": describe(exc)}
        else:
            content_type = next((value for name, value in item["headers"] if name.lower() == "content-type"), "")
            if errors and all(only_uncast_multipart_text(error, content_type) for error in errors):
                result = {"verdict": "valid", "kind": "multipart-text-cast", "message": describe(errors[0])}
            elif errors:
                result = {"verdict": "invalid", "kind": type(errors[0]).__name__, "message": describe(errors[0])}
            else:
                result = {"verdict": "valid", "kind": "", "message": ""}
        print(json.dumps({"id": item["id"], **result}), flush=False)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
