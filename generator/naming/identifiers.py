"""Safe Python identifiers from any spec text, for the role each one plays in the generated package.

One function, ``identifier``, turns a spec value (a tag, a parameter or
property name, an operationId, an enum value; YAML may have parsed it as a
boolean or a number) into a name that is valid, readable and harmless where it
goes:

* non-ASCII letters are transliterated (``anyascii``: ``Ŝtraße`` → ``Strasse``)
  and anything else that cannot be in a name is dropped;
* the case is the role's (``PascalCase`` classes, ``UPPER_SNAKE`` enum
  members, ``snake_case`` for the rest); an empty result gets the role's
  placeholder and a leading digit a letter in front;
* a keyword or soft keyword (``True``/``False``/``None`` in any spelling end
  up as one), a builtin where it would shadow one the generated code uses,
  and a name the generated package already gives that role (the client's
  ``request``, ``close``, ``api_key``...) get the role's suffix;
* names equal after all this are told apart with ``_2``, ``_3``... in the
  order they were asked for (``taken``).
"""

from __future__ import annotations

import builtins
import json
import keyword
import re
import sys
from collections.abc import Collection
from typing import Literal

from generator.naming.case import pascal, snake, upper_snake

Role = Literal["module", "class", "attribute", "method", "parameter", "enum_member"]

#: What the client classes (``SyncAPIClient``, ``AsyncAPIClient`` and the generated subclasses) own:
#: a resource attribute of that name would overwrite it.
CLIENT_ATTRIBUTES = frozenset(
    {
        "api_key", "base_url", "environment", "timeout", "max_retries", "default_headers", "default_query",
        "http_client", "is_closed", "close", "request", "stream_events", "with_options", "with_raw_response",
        "copy", "aclose", "closed", "config", "with_streaming_response", "request_page", "total_timeout",
        "paginate",
    }
)  # fmt: skip
#: What resource classes own besides their methods.
RESOURCE_ATTRIBUTES = frozenset(
    {
        "with_raw_response",
        "with_streaming_response",
        "with_options",
        "close",
        "request",
        "request_page",
        "paginate",
        "stream_events",
        "client",
    }
)
#: Names a method's own code uses: its fixed arguments, and the builtins its body calls.
METHOD_LOCALS = frozenset(
    {"self", "extra_headers", "extra_query", "extra_body", "timeout", "idempotency_key", "str", "isinstance"}
)
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
#: Builtins the client classes' own annotations use: a resource attribute of that name would hide them.
_ANNOTATION_BUILTINS = frozenset(
    {"bool", "bytes", "dict", "float", "int", "list", "object", "set", "str", "tuple", "type", "frozenset"}
)

_RESERVED: dict[Role, frozenset[str]] = {
    "module": frozenset({"init", "models", "types", "client", "typed_client"}),
    "class": _BUILTINS,
    "attribute": CLIENT_ATTRIBUTES | _ANNOTATION_BUILTINS,
    # The method signatures' fixed part says ``Mapping[str, str]``, ``float``, ``object``: a method of that
    # name would hide the builtin from every signature after it in the class.
    "method": RESOURCE_ATTRIBUTES | {"str", "float", "object", "bool", "int", "bytes"},
    "parameter": METHOD_LOCALS,
    "enum_member": frozenset(),
}
_PLACEHOLDER: dict[Role, str] = {
    "module": "default",
    "class": "Model",
    "attribute": "default",
    "method": "call",
    "parameter": "value",
    "enum_member": "EMPTY",
}


def reserved(role: Role) -> frozenset[str]:
    """The names ``role`` may not take where the generated package puts it (``base_identifier`` adds a suffix)."""
    return _RESERVED[role]


def spec_text(value: object) -> str:
    """The text a scalar stands for: YAML's ``True`` reads ``true``, ``1e3`` (a number) reads ``1000.0``."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    return str(value)


def is_unsafe(name: str) -> bool:
    """A name that Python reads as something else: a keyword or soft keyword."""
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


def base_identifier(value: object, role: Role) -> str:
    """The role's spelling of ``value``, valid and safe, before any collision is resolved."""
    text = spec_text(value)
    if role == "class":
        name = pascal(text)
    elif role == "enum_member":
        name = upper_snake(text)
    else:
        name = snake(text, placeholder=_PLACEHOLDER[role])
    if name == "":
        name = _PLACEHOLDER[role]
    if is_unsafe(name) or name in _RESERVED[role]:
        name += "Model" if role == "class" else "_"
    return name


def identifier(value: object, role: Role, taken: Collection[str] = ()) -> str:
    """``base_identifier`` of ``value``, numbered until it is not in ``taken``."""
    base = base_identifier(value, role)
    name, number = base, 2
    while name in taken:
        name = f"{base}{number}" if role == "class" else f"{base}_{number}"
        number += 1
    return name


#: Runtime dependencies of generated packages (and what they import): a package of that name would hide them.
RUNTIME_DEPENDENCIES = frozenset(
    {
        "httpx", "httpx2", "httpcore", "h11", "h2", "anyio", "sniffio", "idna", "certifi",
        "pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection",
    }
)  # fmt: skip


def package_shadow(package: str) -> str | None:
    """Why ``package`` cannot name a generated package (it hides a module the package imports), or None."""
    top = package.split(".", 1)[0]
    if top in sys.stdlib_module_names:
        return f"{package!r} would shadow the standard library module {top!r}; choose another name"
    if top in RUNTIME_DEPENDENCIES:
        return f"{package!r} would shadow {top!r}, which generated clients import; choose another name"
    return None


#: The runtime's names that the package's ``__init__`` and client modules import, beside the client classes
#: (tests/gen/test_configurations_with_errors.py keeps this equal to the templates' imports): a client class
#: of one of these names would replace it.
RUNTIME_NAMES = frozenset(
    {
        "APIConnectionError", "APIDecodingError", "APIError", "APIProtocolError", "APIResponse",
        "APIResponseDecodeError", "APIResponseValidationError", "APIStatusError", "APITimeoutError",
        "AsyncAPIClient", "AuthenticationError", "BadRequestError", "ClientClosedError", "ConfigurationError",
        "ConflictError", "DEFAULT_MAX_DECOMPRESSED_BYTES", "DEFAULT_MAX_PAGES", "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT", "EventStreamError", "FileContent", "ForkedClientError", "InternalServerError",
        "MissingCredentialsError", "NOT_GIVEN", "NotFoundError", "NotGiven", "PaginationError",
        "PermissionDeniedError", "RateLimitError", "RedirectError", "RequestArgumentError",
        "ResponseTooLargeError", "StreamClosedError", "SyncAPIClient", "Timeout",
        "TooManyRedirectsError", "UnprocessableEntityError", "UploadNotRetryableError",
        "UploadReadError",
    }
)  # fmt: skip
_CLIENT_MODULE_NAMES = frozenset(
    {
        "Mapping", "Literal", "TYPE_CHECKING", "CONFIG", "API_VERSION", "annotations", "importlib", "import_module",
        "httpx", "httpx2",
    }
)  # fmt: skip
_READS_AS_CONSTANT = frozenset({"true", "false", "none"})


def python_name_problem(name: str, role: Literal["package", "class"]) -> str | None:
    """Why ``name`` cannot name the generated package or one of its client classes, or None.

    Not a keyword or soft keyword, nothing that reads as ``True``/``False``/``None`` in any case, no builtin;
    a package no module its code imports (standard library, dependencies); a class no name its modules use.
    """
    pattern = r"[a-z_][a-z0-9_]*" if role == "package" else r"[A-Za-z_][A-Za-z0-9_]*"
    if not re.fullmatch(pattern, name):
        kind = "lowercase letters, digits and underscores" if role == "package" else "letters, digits and underscores"
        return f"{name!r} is not a Python {role} name ({kind}, not starting with a digit)"
    if is_unsafe(name):
        return f"{name!r} is a Python keyword"
    if name.lower() in _READS_AS_CONSTANT:
        return f"{name!r} reads like Python's {name.capitalize()}; choose another name"
    if name in _BUILTINS:
        return f"{name!r} would shadow the builtin {name!r}; choose another name"
    if role == "package":
        return package_shadow(name)
    if name in RUNTIME_NAMES or name in _CLIENT_MODULE_NAMES:
        return f"{name!r} is a name the generated package already uses; choose another name"
    return None
