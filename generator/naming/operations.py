"""Operation names: the resource (possibly nested) and method name of every ``METHOD /path``.

Names the API's authors chose come first: the configuration's ``operations:``
map, then Fern's and Speakeasy's extensions (``naming.extensions``). Otherwise
names read like a hand-written SDK: the method is the operationId's words
without what the framework added (``naming.operation_ids``: FastAPI's path and
method, a module prefix, a version) and without the words of its resource
(``pets.create_pet`` → ``pets.create``); endpoints without a usable
operationId, and methods that would only repeat their resource
(``embeddings.embeddings``), get conventional verbs (``list``, ``get``,
``create``, ``update``, ``delete`` or the action the path ends with); a
sub-collection with several endpoints becomes a nested resource
(``/customers/{id}/cards`` → ``customers.cards``), as does a tag written as a
path (``beta.conversations``). An untagged endpoint alone under a path word it
is named after (Ollama's ``POST /api/chat``, operationId ``chat``) is a method
of the client itself: ``client.chat(...)``, not ``client.chat.chat(...)``. The
configuration's stale and colliding entries are errors naming the entry.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.errors import ClientgenError, Location
from generator.naming.case import snake
from generator.naming.extensions import AuthorNames, Locate, author_names
from generator.naming.identifiers import CLIENT_ATTRIBUTES, RESOURCE_ATTRIBUTES, Role, base_identifier, reserved
from generator.naming.method_words import drop_resource_words, forms
from generator.naming.operation_ids import id_words
from generator.rules import did_you_mean

if TYPE_CHECKING:
    from generator.ir import Api, Operation

_VERSION_SEGMENT = re.compile(r"^(v\d+[a-z0-9]*|api|rest)$", re.IGNORECASE)
_TAG_PREFIXES = ("subpackage_",)
#: A tag written as a path (``beta.conversations``, Fern's ``subpackage_a.subpackage_a/b``): parts without spaces.
_TAG_PATH = re.compile(r"^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)+$")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
#: Attributes of every resource class and client: no method or nested resource may take them.
RESERVED_MEMBERS = RESOURCE_ATTRIBUTES | {"with_streaming_response"}
#: What a method of the client itself must not be called: the client's own attributes.
RESERVED_ON_CLIENT = RESERVED_MEMBERS | CLIENT_ATTRIBUTES
_CONVENTIONAL = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}
#: Fields a list response carries besides its array: paging and counts.
_LIST_METADATA = frozenset(
    {
        "has_more",
        "object",
        "url",
        "meta",
        "pagination",
        "links",
        "next",
        "next_cursor",
        "next_page_token",
        "cursor",
        "total",
        "total_count",
        "count",
        "page",
        "per_page",
    }
)
#: Words that name what a GET does, not what it returns: the method is the word itself.
_READ_ACTIONS = frozenset({"search", "count", "export", "query", "lookup"})
#: A sub-collection becomes a nested resource when it has at least this many endpoints.
_NEST_MIN_OPERATIONS = 2


@dataclass(frozen=True)
class OperationName:
    resource: str  # dotted attribute path from the client: ``invocations``, ``customers.cards``; "" for the client
    method: str  # method on the resource: ``wait``
    stem: str = ""  # the name inline models of this operation are named after (stable across naming rules)

    @property
    def resource_path(self) -> tuple[str, ...]:
        return tuple(self.resource.split(".")) if self.resource else ()

    @property
    def dotted(self) -> str:
        """``invocations.wait``; a method of the client itself is just its name (``chat``)."""
        return f"{self.resource}.{self.method}" if self.resource else self.method


@dataclass(frozen=True)
class OperationsMap:
    """The configuration's ``operations:`` map: operationId or ``METHOD /path`` → ``resource.method``."""

    entries: Mapping[str, str] = field(default_factory=dict)
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False)  # where each entry is written

    def locate(self, key: str) -> Location | None:
        return self.locations.get(key)


def _path(operation: Operation) -> str:
    """The path without a ``#fragment`` (Speakeasy tells operations on one path apart with one)."""
    return operation.path.split("#", 1)[0]


def _segments(operation: Operation) -> list[str]:
    return [
        segment for segment in _path(operation).strip("/").split("/") if segment and not _VERSION_SEGMENT.match(segment)
    ]


def _is_parameter(segment: str) -> bool:
    return segment.startswith("{")


def _without_prefix(tag: str) -> str:
    for prefix in _TAG_PREFIXES:
        tag = tag.removeprefix(prefix)
    return tag


def _tag_path(operation: Operation) -> tuple[str, ...] | None:
    """The first tag as a resource path: ``pets``; ``beta.conversations`` nests, as does Fern's
    ``subpackage_dubbing.subpackage_dubbing/jobs`` (dubbing, jobs); a tag with spaces is one name
    (``SSL/TLS Mode Recommendation`` → ``ssl_tls_mode_recommendation``)."""
    if not operation.tags:
        return None
    tag = operation.tags[0].strip()
    if not _TAG_PATH.match(tag):
        return (base_identifier(_without_prefix(tag), "attribute"),)
    parts: list[str] = []
    for raw in re.split(r"[./]", tag):
        part = base_identifier(_without_prefix(raw), "attribute")
        if not parts or parts[-1] != part:  # Fern repeats the parent: subpackage_a.subpackage_a/b
            parts.append(part)
    return tuple(parts)


def _group_path(operation: Operation, authors: AuthorNames) -> tuple[str, ...] | None:
    """The resource path the API's authors gave: an SDK extension, else the first tag."""
    return authors.group if authors.group is not None else _tag_path(operation)


def resource_of(operation: Operation, authors: AuthorNames | None = None) -> str:
    """The top-level resource: the authors' group or the first tag, else the first word of the path."""
    tagged = _group_path(operation, authors or AuthorNames(None, None))
    if tagged:
        return tagged[0]
    for segment in _segments(operation):
        if not _is_parameter(segment):
            return base_identifier(segment, "attribute")
    return "default"


def _path_like(operation_id: str, operation: Operation) -> bool:
    """Stripe's ``GetCustomersCustomerCardsId``: an operationId that only spells method and path."""
    spelled = snake(operation_id)
    all_segments = [segment.strip("{}") for segment in _path(operation).strip("/").split("/") if segment]
    kept = [segment.strip("{}") for segment in _segments(operation)]
    candidates = set()
    for segments in (all_segments, kept):
        words = snake("_".join(segments)) if segments else ""
        candidates.add(snake(f"{operation.method.lower()}_{words}"))
    return spelled in candidates


@dataclass(frozen=True)
class _Placement:
    """Where an operation sits before its method is named: its resource path and the path's words after it."""

    resource: tuple[str, ...]
    rest: tuple[str, ...]  # path segments after the innermost resource's word (parameters in braces)
    tagged: bool = False  # the resource comes from the authors (a tag or an SDK extension), not from the path
    authored: int = 0  # how many of its words the authors gave (the rest come from the path)


def _anchor(segments: list[str], resource: str) -> int | None:
    for index, segment in enumerate(segments):
        if not _is_parameter(segment) and base_identifier(segment, "attribute") == resource:
            return index
    return None


def _sub_collection(operation: Operation, resource: str) -> tuple[str, int] | None:
    """The word after the resource's own word, or after one of its parameters: ``cards`` in ``/customers/{id}/cards``."""
    segments = _segments(operation)
    anchor = _anchor(segments, resource)
    if anchor is None:
        return None
    # /terminal/readers (a namespace's collection), /customers/{id}/cards, /repos/{owner}/{repo}/branches
    index = anchor + 1
    while index < len(segments) and _is_parameter(segments[index]):
        index += 1
    if index >= len(segments):
        return None
    return base_identifier(segments[index], "attribute"), index


def _placements(api: Api, authors: Mapping[str, AuthorNames]) -> dict[str, _Placement]:
    """Each operation's resource path: nested where the authors, the tag or the path call for it."""
    sub_counts: dict[tuple[str, str], int] = {}
    for operation in api.operations:
        own = authors[operation.key]
        grouped = _group_path(operation, own)
        if grouped and len(grouped) > 1:
            continue
        resource = resource_of(operation, own)
        sub = _sub_collection(operation, resource)
        if sub is not None:
            key = (resource, sub[0])
            sub_counts[key] = sub_counts.get(key, 0) + 1
    result: dict[str, _Placement] = {}
    for operation in api.operations:
        own = authors[operation.key]
        segments = _segments(operation)
        grouped = _group_path(operation, own)
        resource = resource_of(operation, own)
        if grouped and len(grouped) > 1:
            anchor = _anchor(segments, grouped[-1])
            rest = segments[anchor + 1 :] if anchor is not None else [s for s in segments if snake(s) not in grouped]
            result[operation.key] = _Placement(grouped, tuple(rest), tagged=True, authored=len(grouped))
            continue
        authored = 1 if grouped else 0
        sub = _sub_collection(operation, resource)
        if sub is not None and sub_counts[(resource, sub[0])] >= _NEST_MIN_OPERATIONS and sub[0] != resource:
            nested = (resource, sub[0])
            result[operation.key] = _Placement(nested, tuple(segments[sub[1] + 1 :]), bool(grouped), authored)
            continue
        anchor = _anchor(segments, resource)
        rest = segments[anchor + 1 :] if anchor is not None else segments
        result[operation.key] = _Placement((resource,), tuple(rest), bool(grouped), authored)
    return result


def _returns_list(operation: Operation, schemas: Mapping[str, object]) -> bool:
    success = operation.success
    schema = success.schema if success is not None else None
    if isinstance(schema, dict) and "$ref" in schema:
        schema = schemas.get(str(schema["$ref"]).rsplit("/", 1)[-1], schema)
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "array":
        return True
    properties = schema.get("properties")
    if isinstance(properties, dict):
        arrays = [name for name, sub in properties.items() if isinstance(sub, dict) and sub.get("type") == "array"]
        others = {snake(name) for name in properties if name not in arrays}
        return len(arrays) == 1 and (arrays[0] in ("data", "items", "results") or others <= _LIST_METADATA)
    return False


def _conventional_method(operation: Operation, placement: _Placement, schemas: Mapping[str, object]) -> str:
    """What people call an endpoint without a usable operationId: ``list``, ``get``, ``create``, ``capture``..."""
    statics = [snake(segment) for segment in placement.rest if not _is_parameter(segment)]
    ends_with_parameter = bool(placement.rest) and _is_parameter(placement.rest[-1])
    if operation.method in ("GET", "POST") and statics and statics[-1] in _READ_ACTIONS and not ends_with_parameter:
        return snake("_".join(statics))  # GET /customers/search → search; POST /events/search (a query body) too
    if operation.method == "GET":
        verb = "list" if _returns_list(operation, schemas) and not ends_with_parameter else "get"
    elif operation.method == "POST" and ends_with_parameter:
        verb = "update"  # Stripe's POST /customers/{customer}
    elif operation.method == "POST" and statics and len(placement.rest) >= 2 and _is_parameter(placement.rest[-2]):
        return snake("_".join(statics))  # an action on an item: POST /charges/{charge}/capture → capture
    else:
        verb = _CONVENTIONAL.get(operation.method, operation.method.lower())
    return snake("_".join([verb, *statics]))


def _item(placement: _Placement) -> bool:
    """Whether the path ends with a parameter: the endpoint is about one item."""
    return bool(placement.rest) and _is_parameter(placement.rest[-1])


def _method_from_path(operation: Operation, placement: _Placement) -> str:
    parts = [operation.method.lower()]
    for segment in placement.rest:
        parts.append("by_" + snake(segment.strip("{}")) if _is_parameter(segment) else snake(segment))
    return snake("_".join(parts))


def _resolve_key(key: str, api: Api) -> Operation | None:
    for operation in api.operations:
        if operation.operation_id == key or operation.key == key:
            return operation
    method, _, path = key.partition(" ")
    for operation in api.operations:
        if operation.method == method.upper() and operation.path == path.strip():
            return operation
    return None


def target_problem(target: str) -> str | None:
    """Why ``target`` (an ``operations:`` value) cannot name a method, or None.

    ``method`` (a method of the client itself), ``resource.method`` or ``resource.sub.method``, each part a
    lowercase Python name; a method of the client may not take a name the client has; the resource is an
    attribute of the client, so it may not hide one the client has (``timeout``, ``api_key``...) or a type
    its annotations name (``str``, ``list``...); a sub-resource or method may not hide one of the resource's.
    """
    parts = target.split(".")
    if len(parts) > 3:
        return f"{target!r} must read 'method', 'resource.method' or 'resource.sub.method'"
    for part in parts:
        if not _IDENTIFIER.match(part) or part.startswith("_"):
            return f"{part!r} is not a lowercase Python name (letters, digits, underscores; no leading underscore)"
        if keyword.iskeyword(part) or keyword.issoftkeyword(part) or part in ("true", "false", "none"):
            return f"{part!r} reads as a Python keyword or constant"
    if len(parts) == 1:
        # A method of the client itself: it may not hide what the client has or a type its signatures name.
        if parts[0] in RESERVED_ON_CLIENT:
            return f"the client already has {parts[0]!r}; choose another name or a resource"
        if parts[0] in reserved("method"):
            return f"{parts[0]!r} would hide a type the client's annotations use; choose another name"
        return None
    for index, part in enumerate(parts):
        role: Role = "attribute" if index == 0 else "method"
        if part in RESERVED_MEMBERS or part in reserved(role) or (index == 0 and part in CLIENT_ATTRIBUTES):
            what = "the client" if index == 0 else "every resource"
            return f"{part!r} would hide an attribute of {what} or a type its annotations use; choose another name"
    return None


def _parse_target(key: str, target: str, where: Location | None) -> tuple[str, str]:
    problem = target_problem(target)
    if problem is not None:
        raise ClientgenError(f"operations entry {key!r}: {problem}", where)
    parts = target.split(".")
    return ".".join(parts[:-1]), parts[-1]


def operation_hint(key: str, api: Api) -> str:
    """`` (did you mean 'listThings'?)`` when ``key`` is close to an operationId or ``METHOD /path``."""
    known = [name for operation in api.operations for name in (operation.operation_id, operation.key) if name]
    return did_you_mean(key, known)


def _overrides(api: Api, overrides: OperationsMap) -> dict[str, OperationName]:
    result: dict[str, OperationName] = {}
    claimed: dict[str, str] = {}
    for key in overrides.entries:
        where = overrides.locate(key)
        operation = _resolve_key(key, api)
        if operation is None:
            raise ClientgenError(
                f"stale operations entry {key!r}: no operation has that operationId or 'METHOD /path'"
                + operation_hint(key, api),
                where,
            )
        if operation.key in result:
            raise ClientgenError(
                f"operations entries {claimed[result[operation.key].dotted]!r} and {key!r} name the same operation ({operation.key})",
                where,
            )
        resource, method = _parse_target(key, overrides.entries[key], where)
        name = OperationName(resource, method)
        if name.dotted in claimed:
            raise ClientgenError(
                f"operations entry {key!r}: {name.dotted} is already the name of {claimed[name.dotted]!r}", where
            )
        claimed[name.dotted] = key
        result[operation.key] = name
    return result


def _stem(operation: Operation, placement: _Placement) -> str:
    """The name inline models of the operation are named after: its operationId's words (``naming.operation_ids``),
    without the resource's first word in front. It does not follow the method's naming rules, so that a change
    of those renames no model."""
    if operation.operation_id:
        method = base_identifier(
            "_".join(id_words(operation.operation_id, operation.method, _path(operation))), "method"
        )
        prefix = placement.resource[0].rstrip("_") + "_" if placement.resource else ""
        if prefix and method.startswith(prefix) and len(method) > len(prefix) and not method[len(prefix)].isdigit():
            method = base_identifier(method[len(prefix) :], "method")
        return method
    return ""


def _named_part(placement: _Placement) -> tuple[str, ...]:
    """The resource words a method should not repeat: the authors' group, or an untagged resource's path word.
    A sub-collection nested from the path is often an action (``/gists/{id}/star``): ``gists.star.star`` stays."""
    return placement.resource[: max(placement.authored, 1)]


def _repeats(name: str, resource: tuple[str, ...]) -> bool:
    """Whether a method name only repeats a word of its resource path: ``embeddings`` on ``embeddings``."""
    return any("_".join(form) == name for part in resource for form in forms(part.rstrip("_")))


def _without_clashes(
    tiers: Mapping[str, list[str]], resource_of_key: Mapping[str, tuple[str, ...]], conventions: Mapping[str, str]
) -> dict[str, int]:
    """Which of its names each operation takes. Endpoints of one resource that want one name step to their
    next, longer name, except the one whose conventional name it is (``get`` stays with ``GET /events/{id}``
    when ``POST /events/search`` wants it too); an operation with one name stays."""
    level = dict.fromkeys(tiers, 0)
    while True:
        holders: dict[tuple[tuple[str, ...], str], list[str]] = {}
        for key, names in tiers.items():
            holders.setdefault((resource_of_key[key], names[level[key]]), []).append(key)
        moved = False
        for (_, name), keys in holders.items():
            owners = [key for key in keys if conventions.get(key) == name]
            keeper = owners[0] if len(owners) == 1 else None
            for key in keys if len(keys) > 1 else ():
                if key == keeper:
                    continue
                if level[key] < len(tiers[key]) - 1:
                    level[key] += 1
                    moved = True
        if not moved:
            return level


def _authors(api: Api, locate: Locate) -> dict[str, AuthorNames]:
    return {operation.key: author_names(operation, locate) for operation in api.operations}


def _client_methods(
    api: Api, placements: Mapping[str, _Placement], repeating: set[str], fixed: Mapping[str, OperationName]
) -> dict[str, str]:
    """Untagged endpoints alone under a path word they are named after (Ollama's ``POST /api/chat``,
    operationId ``chat``): ``client.chat(...)`` reads better than ``client.chat.chat(...)``. Operation key →
    method name on the client."""
    population: dict[tuple[str, ...], int] = {}
    for key, placement in placements.items():
        if key not in fixed:
            for depth in range(1, len(placement.resource) + 1):
                population[placement.resource[:depth]] = population.get(placement.resource[:depth], 0) + 1
    for name in fixed.values():
        for depth in range(1, len(name.resource_path) + 1):
            population[name.resource_path[:depth]] = population.get(name.resource_path[:depth], 0) + 1
    result: dict[str, str] = {}
    for operation in api.operations:
        placement = placements[operation.key]
        if operation.key in fixed or placement.tagged or len(placement.resource) != 1:
            continue
        if population[placement.resource] != 1 or operation.key not in repeating:
            continue
        method = base_identifier(placement.resource[0].rstrip("_"), "method")
        result[operation.key] = method + "_" if method in RESERVED_ON_CLIENT else method
    return result


def name_operations(
    api: Api, overrides: OperationsMap | None = None, locate: Locate | None = None
) -> dict[str, OperationName]:
    """``METHOD /path`` → resource path and method name, unique per resource.

    Names from ``overrides`` win, then the authors' extensions (``locate``
    places their errors in the document). An operationId names the method,
    minus what its framework added and the words of its resource; one that
    only spells the method and path (``GetCustomersCustomerCardsId``) is
    treated as absent. Without one, or when the name would only repeat its
    resource, an endpoint gets its conventional name; when two endpoints of a
    resource would share a name, each takes its next: the name with the
    resource's qualifiers kept, the conventional one, one spelled from its
    method and path (``get_by_order_id``), and the operationId's own words.
    An automatic name an override takes is an error naming the entry.
    """
    overrides = overrides or OperationsMap()
    authors = _authors(api, locate or (lambda pointer: None))
    placements = _placements(api, authors)
    fixed = _overrides(api, overrides)
    tiers: dict[str, list[str]] = {}  # each operation's names, preferred first
    stems: dict[str, str] = {}
    conventions: dict[str, str] = {}
    repeating: set[str] = set()  # named only by their resource's word: ``chat`` under /api/chat
    for operation in api.operations:
        placement = placements[operation.key]
        stems[operation.key] = _stem(operation, placement)
        if operation.key in fixed:
            continue
        conventional = base_identifier(_conventional_method(operation, placement, api.schemas), "method")
        from_path = base_identifier(_method_from_path(operation, placement), "method")
        conventions[operation.key] = conventional
        chosen = authors[operation.key].method
        if chosen is not None:
            tiers[operation.key] = [chosen]
            if _repeats(chosen, placement.resource):
                repeating.add(operation.key)
        elif operation.operation_id and not _path_like(operation.operation_id, operation):
            raw = snake("_".join(id_words(operation.operation_id, operation.method, _path(operation))))
            shortest, trimmed = drop_resource_words(raw, [resource.rstrip("_") for resource in placement.resource])
            # ``get_batch_jobs`` on ``batch.jobs``: the verb and the resource's noun alone, answered with a list.
            lists = (
                trimmed == "get"
                and operation.method == "GET"
                and _returns_list(operation, api.schemas)
                and not _item(placement)
            )
            if _repeats(shortest, placement.resource):
                repeating.add(operation.key)
            named = _named_part(placement)
            names = [
                conventional
                if _repeats(name, named)
                else "list"
                if name == "get" and lists  # ``get_batch_jobs`` on ``batch.jobs`` answers with a list
                else base_identifier(name, "method")
                for name in (shortest, trimmed)
            ]
            tiers[operation.key] = [*names, stems[operation.key] or names[-1], conventional, from_path]
            versioned = snake("_".join(id_words(operation.operation_id, operation.method, _path(operation), True)))
            if versioned != raw:
                # ``post_generate_image_v3`` beside ``post_generate_image``: its version tells them apart, not a number.
                _, kept = drop_resource_words(versioned, [resource.rstrip("_") for resource in placement.resource])
                tiers[operation.key].append(base_identifier(kept, "method"))
        else:
            tiers[operation.key] = [conventional, conventional, from_path]
    on_client = _client_methods(api, placements, repeating, fixed)
    for key, method in on_client.items():
        placements[key] = _Placement((), placements[key].rest, tagged=False)
        tiers[key] = [method]
    _check_author_clashes(api, authors, placements, tiers, locate)
    levels = _without_clashes(tiers, {key: placements[key].resource for key in tiers}, conventions)
    resources = {placement.resource for key, placement in placements.items() if key not in fixed} | {
        name.resource_path for name in fixed.values()
    }
    children: dict[tuple[str, ...], set[str]] = {}
    for path in resources:
        for depth in range(len(path)):
            children.setdefault(path[:depth], set()).add(path[depth])
    entry_of = {_resolve_key(entry, api).key: entry for entry in overrides.entries}  # type: ignore[union-attr]
    claims: dict[tuple[tuple[str, ...], str], str] = {}
    taken: dict[tuple[str, ...], set[str]] = {}
    for key, name in fixed.items():
        if name.method in children.get(name.resource_path, set()):
            raise ClientgenError(
                f"operations entry {entry_of[key]!r}: {name.dotted} is a {'nested ' if name.resource else ''}resource",
                overrides.locate(entry_of[key]),
            )
        claims[(name.resource_path, name.method)] = entry_of[key]
        taken.setdefault(name.resource_path, set()).add(name.method)
    result: dict[str, OperationName] = {}
    for operation in api.operations:
        if operation.key in fixed:
            name = fixed[operation.key]
            result[operation.key] = OperationName(name.resource, name.method, stems[operation.key] or name.method)
    for operation in sorted(api.operations, key=lambda item: (item.path, item.method)):
        if operation.key in fixed:
            continue
        placement = placements[operation.key]
        names = tiers[operation.key][levels[operation.key] :]
        entry = claims.get((placement.resource, names[0]))
        if entry is not None:
            raise ClientgenError(
                f"operations entry {entry!r}: {OperationName('.'.join(placement.resource), names[0]).dotted} is already the name of {operation.key}; rename that one too",
                overrides.locate(entry),
            )
        used = taken.setdefault(placement.resource, set())
        blocked = (
            used
            | (RESERVED_ON_CLIENT if not placement.resource else RESERVED_MEMBERS)
            | children.get(placement.resource, set())
        )
        candidate = next((name for name in names if name not in blocked), None)
        number = 2
        while candidate is None or candidate in blocked:
            candidate = f"{names[0]}_{number}"
            number += 1
        used.add(candidate)
        stem = stems[operation.key] if operation.operation_id else ""
        result[operation.key] = OperationName(".".join(placement.resource), candidate, stem or candidate)
    return result


def _check_author_clashes(
    api: Api,
    authors: Mapping[str, AuthorNames],
    placements: Mapping[str, _Placement],
    tiers: Mapping[str, list[str]],
    locate: Locate | None,
) -> None:
    """Two operations whose authors gave them one name in one resource: an error at the second."""
    seen: dict[tuple[tuple[str, ...], str], str] = {}
    for operation in api.operations:
        own = authors[operation.key]
        if own.method is None or operation.key not in tiers:
            continue
        place = (placements[operation.key].resource, tiers[operation.key][0])
        first = seen.setdefault(place, operation.key)
        if first != operation.key:
            dotted = OperationName(".".join(place[0]), place[1]).dotted
            raise ClientgenError(
                f"{own.method_source} names {operation.key} {dotted}, already the name of {first}; "
                "rename one in the configuration's operations: map",
                locate(f"{operation.pointer}/{own.method_source}") if locate is not None else None,
            )
