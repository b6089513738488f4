"""Readable class names for schema keys nobody named: recognise machine-made keys, keep their meaningful part.

``candidates(key)`` gives the names a key could take, best first, each a valid
class name of at most ``MAX_LENGTH`` characters; naming picks the first that is
free. Recognised shapes:

* Fern path-derived keys, ``<Path><Verb>(Responses|RequestBody)Content<Media>Schema<Rest>``
  and ``<Path><Verb>Parameters<Name>``: the path (without version segments)
  and the rest;
* ``<tag>_<operationId>_Response_<status>``: the operation and ``Response``;
* dotted keys such as twilio's ``api.v2010.account.call``: the last part;
* anything else (snake, kebab, descriptions with spaces): its words, without
  structural noise (``OneOf0``, ``components-schemas-``, ``_enum_``).

Names over the limit lose words from the middle: the first word (what the
thing belongs to) and the last words (what it is) carry the meaning.
"""

from __future__ import annotations

import builtins
import re
from functools import cache

MAX_LENGTH = 40

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")
_VERBS = "Get|Post|Put|Patch|Delete|Head|Options|Trace"
_FERN_CONTENT = re.compile(
    rf"^(?P<path>[A-Z0-9][A-Za-z0-9]*?)(?P<verb>{_VERBS})(?P<section>Responses|RequestBody)"
    r"Content[A-Za-z0-9]*?Schema(?P<rest>[A-Za-z0-9]*)$"
)
_FERN_PARAMETER = re.compile(
    rf"^(?P<path>[A-Z0-9][A-Za-z0-9]*?)(?P<verb>{_VERBS})Parameters(?P<rest>[A-Z][A-Za-z0-9]*)$"
)
_FERN_RESPONSE = re.compile(r"^(?P<prefix>.+?)_Response_(?P<status>\d{3}|\dXX|default)$")
_STRUCTURAL = re.compile(r"(?:OneOf|AnyOf|AllOf)\d+|DiscriminatorMapping")
_NOISE = re.compile(r"(?:components-)?schemas-|(?<=[a-z0-9])_enum_(?=[a-z])")
_FILLERS = frozenset({"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"})
_VERSION = re.compile(r"^v\d+([a-z]\w*)?$|^api$", re.IGNORECASE)

# Names a model must not take: they would shadow what generated modules import.
RESERVED = frozenset(name for name in dir(builtins) if name[:1].isupper()) | frozenset(
    {
        # typing, pydantic and the runtime names that models.py and types.py import
        "Annotated", "Any", "AnyUrl", "AwareDatetime", "BaseModel", "Callable", "ConfigDict", "Decimal",
        "Discriminator", "OpenEnum", "OpenIntEnum", "TypeAliasType",
        "Enum", "Field", "IPv4Address", "IPv6Address", "Json", "Literal", "Mapping", "NaiveDatetime",
        "NotRequired", "Optional", "RootModel", "SecretStr", "TypeAlias", "TypedDict", "UUID", "Union",
        # names the resource modules import from the runtime, and collections.abc's Sequence (arguments)
        "AsyncAPIClient", "AsyncEventStream", "EventStream", "FileContent", "NotGiven", "Route",
        "SyncAPIClient", "Timeout", "JSONLinesStream", "AsyncJSONLinesStream", "Sequence",
        # what models.py imports besides, unaliased (pydantic's Tag comes in as _Tag)
        "IntEnum", "StrEnum",
    }
)  # fmt: skip


def words(text: str) -> list[str]:
    """Split identifier-ish text into words: ``timedOutWaiting`` → timed, Out, Waiting.

    Non-ASCII letters are transliterated first (``Größe`` → Grosse); what has no
    ASCII spelling is dropped.
    """
    if not text.isascii():
        from anyascii import anyascii  # imported when first needed: most names are ASCII

        text = anyascii(text.encode("utf-8", "replace").decode("utf-8"))
    return _WORD.findall(text.replace("'", ""))


def join(parts: list[str]) -> str:
    """Words → PascalCase; never starts with a digit."""
    name = "".join(part[:1].upper() + part[1:] for part in parts)
    if not name:
        return "Model"
    return name if not name[0].isdigit() else "M" + name


def _tidy(parts: list[str]) -> list[str]:
    """Drop a word that repeats the one before it (``FiltersFilters``), and ``Items`` → ``Item``."""
    result: list[str] = []
    for part in parts:
        part = "Item" if part == "Items" and result else part
        if not result or result[-1].lower() != part.lower():
            result.append(part)
    return result


def shorten(parts: list[str], limit: int = MAX_LENGTH) -> str:
    """Join ``parts``, dropping words after the first until the name fits ``limit``."""
    parts = _tidy(parts)
    while len(join(parts)) > limit and len(parts) > 2:
        del parts[1]
        while len(parts) > 2 and parts[1].lower() in _FILLERS:
            del parts[1]
    name = join(parts)
    if len(name) > limit:
        name = join(parts[-1:]) if len(join(parts[-1:])) <= limit else name[:limit]
    return name


def tail(parts: list[str], limit: int = MAX_LENGTH) -> str:
    """Join ``parts``, dropping words from the front until the name fits: an alternative cut."""
    parts = _tidy(parts)
    while len(parts) > 1 and (len(join(parts)) > limit or parts[0].lower() in _FILLERS):
        del parts[0]
    return join(parts)[:limit]


def _singular(word: str) -> str:
    word = word.lower()
    return (
        word[:-3] + "y"
        if word.endswith("ies")
        else word[:-1]
        if word.endswith("s") and not word.endswith("ss")
        else word
    )


def _clean(text: str) -> list[str]:
    return words(_STRUCTURAL.sub("", text)) or words(text)


def _without_versions(parts: list[str]) -> list[str]:
    """``Waves V 1 Tts`` → ``Waves Tts``: version segments say nothing about the data."""
    result: list[str] = []
    for index, part in enumerate(parts):
        if part.isdigit() and result and result[-1] == "V":
            result.pop()
            continue
        if part.lower() == "api" and index == 0 and len(parts) > 1:
            continue
        result.append(part)
    return result or parts


def _raw_candidates(key: str) -> list[list[str]]:
    """Word lists a name may be made from, best first."""
    fern = _FERN_CONTENT.match(key) or _FERN_PARAMETER.match(key)
    if fern:
        path = _without_versions(words(fern.group("path")))
        rest = _clean(fern.group("rest"))
        section = fern.groupdict().get("section")
        kind = ["Request"] if section == "RequestBody" else ["Response"] if section == "Responses" else []
        if not rest:
            return [path + kind, path + [fern.group("verb")] + kind]
        full = [path + rest, path + kind + rest, path + [fern.group("verb")] + kind + rest]
        if any(_singular(word) == rest[0].lower() for word in path):
            # /v1/pets → ...SchemaPet, /v1/invocations/{id}/wait → ...SchemaInvocation:
            # the rest already names the thing the path is about.
            return [rest, *full]
        return full
    response = _FERN_RESPONSE.match(key)
    if response:
        segments = [segment for segment in re.split(r"[_.]", response.group("prefix")) if segment]
        operation = words(segments[-1]) if segments else []
        whole = [word for segment in segments for word in words(segment)]
        status = response.group("status")
        first = operation if len(operation) >= 2 else whole
        return [first + ["Response"], whole + ["Response"], whole + ["Response", status]]
    if "." in key.strip("."):
        parts = [part for part in key.split(".") if part and not _VERSION.match(part)]
        if parts:
            return [_clean(parts[-1]), *(_clean("_".join(parts[-count:])) for count in range(2, len(parts) + 1))]
    cleaned = _NOISE.sub("_", key)
    return [_clean(cleaned), _clean(key)]


@cache
def candidates(key: str) -> tuple[str, ...]:
    """Class names for ``key``, best first, all distinct, valid and at most ``MAX_LENGTH`` long."""
    result: list[str] = []
    for parts in _raw_candidates(key):
        for name in (shorten(list(parts)), tail(list(parts)), join(parts) if len(join(parts)) <= MAX_LENGTH else ""):
            if not name:
                continue
            if name in RESERVED:
                name = name + "Model"
            if name not in result:
                result.append(name)
    return tuple(result)


def is_exact(key: str) -> bool:
    """True when the key already is a readable class name: its own first candidate."""
    return candidates(key)[0] == key
