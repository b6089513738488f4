"""Operation names: the resource (possibly nested) and method name of every ``METHOD /path``.

Automatic names read like a hand-written SDK: the method drops the words of
its resource (``pets.create_pet`` → ``pets.create``), endpoints without a
usable operationId get conventional verbs (``list``, ``get``, ``create``,
``update``, ``delete`` or the action the path ends with), and a
sub-collection with several endpoints becomes a nested resource
(``/customers/{id}/cards`` → ``customers.cards``). The configuration's
``operations:`` map renames or moves any method; its stale and colliding
entries are errors naming the entry.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.errors import ClientgenError, Location
from generator.naming.case import snake
from generator.naming.identifiers import CLIENT_ATTRIBUTES, RESOURCE_ATTRIBUTES, Role, base_identifier, reserved
from generator.rules import did_you_mean

if TYPE_CHECKING:
    from generator.ir import Api, Operation

_VERSION_SEGMENT = re.compile(r"^(v\d+[a-z0-9]*|api|rest)$", re.IGNORECASE)
_TAG_PREFIXES = ("subpackage_",)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
#: Attributes of every resource class and client: no method or nested resource may take them.
RESERVED_MEMBERS = RESOURCE_ATTRIBUTES | {"with_streaming_response"}
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
#: Words a method name starts with when it says what it does (``update`` in ``update_commit_comment``).
_VERBS = frozenset(
    [
        "accept",
        "add",
        "approve",
        "archive",
        "cancel",
        "capture",
        "check",
        "close",
        "confirm",
        "copy",
        "create",
        "decline",
        "delete",
        "disable",
        "download",
        "enable",
        "export",
        "finalize",
        "fork",
        "get",
        "import",
        "list",
        "lock",
        "mark",
        "merge",
        "move",
        "open",
        "pay",
        "post",
        "put",
        "redeliver",
        "refund",
        "reject",
        "remove",
        "rename",
        "replace",
        "rerun",
        "reset",
        "restore",
        "retrieve",
        "revoke",
        "search",
        "send",
        "set",
        "start",
        "stop",
        "sync",
        "transfer",
        "unarchive",
        "unlock",
        "update",
        "upload",
        "verify",
        "void",
    ]
)
_PREPOSITIONS = frozenset({"at", "by", "for", "from", "in", "into", "of", "on", "to", "with"})
#: A sub-collection becomes a nested resource when it has at least this many endpoints.
_NEST_MIN_OPERATIONS = 2


@dataclass(frozen=True)
class OperationName:
    resource: str  # dotted attribute path from the client: ``invocations`` or ``customers.cards``
    method: str  # method on the resource: ``wait``
    stem: str = ""  # the name inline models of this operation are named after (stable across naming rules)

    @property
    def resource_path(self) -> tuple[str, ...]:
        return tuple(self.resource.split("."))

    @property
    def dotted(self) -> str:
        return f"{self.resource}.{self.method}"


@dataclass(frozen=True)
class OperationsMap:
    """The configuration's ``operations:`` map: operationId or ``METHOD /path`` → ``resource.method``."""

    entries: Mapping[str, str] = field(default_factory=dict)
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False)  # where each entry is written

    def locate(self, key: str) -> Location | None:
        return self.locations.get(key)


def _segments(operation: Operation) -> list[str]:
    return [
        segment for segment in operation.path.strip("/").split("/") if segment and not _VERSION_SEGMENT.match(segment)
    ]


def _is_parameter(segment: str) -> bool:
    return segment.startswith("{")


def _tag_path(operation: Operation) -> tuple[str, ...] | None:
    if not operation.tags:
        return None
    tag = operation.tags[0]
    for prefix in _TAG_PREFIXES:
        tag = tag.replace(prefix, "")
    # Fern nests sub-packages: ``subpackage_dubbing.subpackage_dubbing/jobs`` → dubbing/jobs.
    tag = tag.rsplit(".", 1)[-1]
    parts = tuple(base_identifier(part, "attribute") for part in tag.split("/") if part.strip())
    return parts[:2] or (base_identifier(tag, "attribute"),)


def resource_of(operation: Operation) -> str:
    """The top-level resource: the first tag, else the first word of the path."""
    tagged = _tag_path(operation)
    if tagged:
        return tagged[0]
    for segment in _segments(operation):
        if not _is_parameter(segment):
            return base_identifier(segment, "attribute")
    return "default"


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 1:
        return word[:-1]
    return word


def _forms(resource: str) -> list[list[str]]:
    """The word sequences a method name may repeat its resource with: plural and singular."""
    words = resource.split("_")
    singular = [*words[:-1], _singular(words[-1])]
    return [words] if singular == words else [words, singular]


def _verb_words(tokens: list[str]) -> int:
    """How many leading words say what the method does: ``create_or_update_secret`` has three."""
    count = 0
    while count < len(tokens):
        joins = tokens[count] in ("or", "and") and 0 < count < len(tokens) - 1 and tokens[count + 1] in _VERBS
        if tokens[count] not in _VERBS and not joins:
            break
        count += 1
    return count


def _without_noun(tokens: list[str], form: list[str], qualifiers: bool) -> list[str] | None:
    """``tokens`` without the resource noun ``form`` where a reader expects it (first, after the verb, or last);
    with ``qualifiers`` a last noun also takes the words between it and the verb. None when it is not there."""
    size = len(form)
    for start in range(len(tokens) - size + 1):
        last = start + size == len(tokens)
        if tokens[start : start + size] == form and len(tokens) > size and (start in (0, 1) or last):
            verbs = _verb_words(tokens)
            # ``list_jobs_for_workflow_run`` on ``runs``: a preposition means those words are not the noun's qualifiers.
            if qualifiers and last and 0 < verbs < start and not _PREPOSITIONS.intersection(tokens[verbs:start]):
                return tokens[:verbs]
            return tokens[:start] + tokens[start + size :]
    return None


def _drop_resource_words(method: str, resources: list[str]) -> tuple[str, str]:
    """The method name without its resource's words, shortest first, then with the noun's qualifiers kept.

    ``create_pet`` on ``pets`` → ``create``; ``issues_list_comments`` on ``issues.comments`` → ``list``;
    ``update_commit_comment`` on ``comments`` → ``update`` (the words between the verb and the noun
    qualify the noun the resource already names), or ``update_commit`` when ``update`` is taken.
    """
    variants = []
    for qualifiers in (True, False):
        tokens = method.split("_")
        for resource in resources:
            for form in _forms(resource):
                shorter = _without_noun(tokens, form, qualifiers)
                if shorter is not None:
                    tokens = shorter
                    break
        variants.append("_".join(tokens))
    return variants[0], variants[1]


def _path_like(operation_id: str, operation: Operation) -> bool:
    """Stripe's ``GetCustomersCustomerCardsId``: an operationId that only spells method and path."""
    spelled = snake(operation_id)
    all_segments = [segment.strip("{}") for segment in operation.path.strip("/").split("/") if segment]
    kept = [segment.strip("{}") for segment in _segments(operation)]
    candidates = set()
    for segments in (all_segments, kept):
        words = snake("_".join(segments)) if segments else ""
        candidates.add(snake(f"{operation.method.lower()}_{words}"))
    return spelled in candidates


def _without_fastapi_suffix(method: str, operation: Operation) -> str:
    """FastAPI's default ids end with the path and method: ``generate_asset_public_generations_post``."""
    path_words = snake("_".join(segment.strip("{}") for segment in operation.path.strip("/").split("/") if segment))
    suffix = f"_{path_words}_{operation.method.lower()}"
    return method[: -len(suffix)] if method.endswith(suffix) and len(method) > len(suffix) else method


@dataclass(frozen=True)
class _Placement:
    """Where an operation sits before its method is named: its resource path and the path's words after it."""

    resource: tuple[str, ...]
    rest: tuple[str, ...]  # path segments after the innermost resource's word (parameters in braces)


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


def _placements(api: Api) -> dict[str, _Placement]:
    """Each operation's resource path: nested where the tag or the path calls for it."""
    sub_counts: dict[tuple[str, str], int] = {}
    for operation in api.operations:
        tagged = _tag_path(operation)
        if tagged and len(tagged) > 1:
            continue
        sub = _sub_collection(operation, resource_of(operation))
        if sub is not None:
            key = (resource_of(operation), sub[0])
            sub_counts[key] = sub_counts.get(key, 0) + 1
    result: dict[str, _Placement] = {}
    for operation in api.operations:
        segments = _segments(operation)
        tagged = _tag_path(operation)
        resource = resource_of(operation)
        if tagged and len(tagged) > 1:
            anchor = _anchor(segments, tagged[-1])
            rest = segments[anchor + 1 :] if anchor is not None else [s for s in segments if snake(s) not in tagged]
            result[operation.key] = _Placement(tagged, tuple(rest))
            continue
        sub = _sub_collection(operation, resource)
        if sub is not None and sub_counts[(resource, sub[0])] >= _NEST_MIN_OPERATIONS and sub[0] != resource:
            result[operation.key] = _Placement((resource, sub[0]), tuple(segments[sub[1] + 1 :]))
            continue
        anchor = _anchor(segments, resource)
        rest = segments[anchor + 1 :] if anchor is not None else segments
        result[operation.key] = _Placement((resource,), tuple(rest))
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
    if operation.method == "GET" and statics and statics[-1] in _READ_ACTIONS:
        return snake("_".join(statics))  # GET /customers/search → search
    if operation.method == "GET":
        verb = "list" if _returns_list(operation, schemas) and not ends_with_parameter else "get"
    elif operation.method == "POST" and ends_with_parameter:
        verb = "update"  # Stripe's POST /customers/{customer}
    elif operation.method == "POST" and statics and len(placement.rest) >= 2 and _is_parameter(placement.rest[-2]):
        return snake("_".join(statics))  # an action on an item: POST /charges/{charge}/capture → capture
    else:
        verb = _CONVENTIONAL.get(operation.method, operation.method.lower())
    return snake("_".join([verb, *statics]))


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

    ``resource.method`` or ``resource.sub.method``, each part a lowercase Python name; the resource is an
    attribute of the client, so it may not hide one the client has (``timeout``, ``api_key``...) or a type
    its annotations name (``str``, ``list``...); a sub-resource or method may not hide one of the resource's.
    """
    parts = target.split(".")
    if len(parts) < 2 or len(parts) > 3:
        return f"{target!r} must read 'resource.method' or 'resource.sub.method'"
    for index, part in enumerate(parts):
        if not _IDENTIFIER.match(part) or part.startswith("_"):
            return f"{part!r} is not a lowercase Python name (letters, digits, underscores; no leading underscore)"
        if keyword.iskeyword(part) or keyword.issoftkeyword(part) or part in ("true", "false", "none"):
            return f"{part!r} reads as a Python keyword or constant"
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
    """The method name clientgen gave before resources were trimmed: inline models keep their names."""
    if operation.operation_id:
        method = base_identifier(operation.operation_id, "method")
        prefix = placement.resource[0].rstrip("_") + "_"
        if method.startswith(prefix) and len(method) > len(prefix) and not method[len(prefix)].isdigit():
            method = base_identifier(method[len(prefix) :], "method")
        return method
    return ""


def _without_clashes(tiers: Mapping[str, list[str]], resource_of_key: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """One name per operation: endpoints of one resource that want one name all step to their next, longer name."""
    level = dict.fromkeys(tiers, 0)
    while True:
        holders: dict[tuple[tuple[str, ...], str], list[str]] = {}
        for key, names in tiers.items():
            holders.setdefault((resource_of_key[key], names[level[key]]), []).append(key)
        moved = False
        for keys in holders.values():
            for key in keys if len(keys) > 1 else ():
                if level[key] < len(tiers[key]) - 1:
                    level[key] += 1
                    moved = True
        if not moved:
            return {key: names[level[key]] for key, names in tiers.items()}


def name_operations(api: Api, overrides: OperationsMap | None = None) -> dict[str, OperationName]:
    """``METHOD /path`` → resource path and method name, unique per resource.

    An operationId names the method, minus the words of its resource; one that
    only spells the method and path (``GetCustomersCustomerCardsId``) is
    treated as absent. Without one an endpoint gets its conventional name, or,
    when two endpoints of a resource would share it, a name spelled from its
    method and path (``get_by_order_id``). Names from ``overrides`` win; an
    automatic name they take is an error naming the entry.
    """
    overrides = overrides or OperationsMap()
    placements = _placements(api)
    fixed = _overrides(api, overrides)
    tiers: dict[str, list[str]] = {}  # each operation's names, preferred first
    for operation in api.operations:
        if operation.key in fixed:
            continue
        placement = placements[operation.key]
        if operation.operation_id and not _path_like(operation.operation_id, operation):
            raw = _without_fastapi_suffix(snake(operation.operation_id), operation)
            shortest, trimmed = _drop_resource_words(raw, [resource.rstrip("_") for resource in placement.resource])
            names = [base_identifier(shortest, "method"), base_identifier(trimmed, "method")]
            tiers[operation.key] = [*names, _stem(operation, placement) or names[-1]]
        else:
            conventional = base_identifier(_conventional_method(operation, placement, api.schemas), "method")
            tiers[operation.key] = [
                conventional,
                conventional,
                base_identifier(_method_from_path(operation, placement), "method"),
            ]
    wanted = _without_clashes(tiers, {key: placements[key].resource for key in tiers})
    resources = {placement.resource for key, placement in placements.items() if key not in fixed} | {
        name.resource_path for name in fixed.values()
    }
    children: dict[tuple[str, ...], set[str]] = {}
    for path in resources:
        for depth in range(1, len(path)):
            children.setdefault(path[:depth], set()).add(path[depth])
    entry_of = {_resolve_key(entry, api).key: entry for entry in overrides.entries}  # type: ignore[union-attr]
    claims: dict[tuple[tuple[str, ...], str], str] = {}
    taken: dict[tuple[str, ...], set[str]] = {}
    for key, name in fixed.items():
        if name.method in children.get(name.resource_path, set()):
            raise ClientgenError(
                f"operations entry {entry_of[key]!r}: {name.dotted} is a nested resource",
                overrides.locate(entry_of[key]),
            )
        claims[(name.resource_path, name.method)] = entry_of[key]
        taken.setdefault(name.resource_path, set()).add(name.method)
    result: dict[str, OperationName] = {}
    for operation in api.operations:
        if operation.key in fixed:
            name = fixed[operation.key]
            result[operation.key] = OperationName(
                name.resource, name.method, _stem(operation, placements[operation.key]) or name.method
            )
    for operation in sorted(api.operations, key=lambda item: (item.path, item.method)):
        if operation.key in fixed:
            continue
        placement = placements[operation.key]
        method = wanted[operation.key]
        entry = claims.get((placement.resource, method))
        if entry is not None:
            raise ClientgenError(
                f"operations entry {entry!r}: {'.'.join(placement.resource)}.{method} is already the name of {operation.key}; rename that one too",
                overrides.locate(entry),
            )
        used = taken.setdefault(placement.resource, set())
        blocked = used | RESERVED_MEMBERS | children.get(placement.resource, set())
        candidate, number = method, 2
        while candidate in blocked:
            candidate = f"{method}_{number}"
            number += 1
        used.add(candidate)
        stem = _stem(operation, placement) if operation.operation_id else ""
        result[operation.key] = OperationName(".".join(placement.resource), candidate, stem or candidate)
    return result
