"""The conformance harness: every operation of a document, every client variant, judged by openapi-core.

For one document (:class:`Subject`) :func:`run_subject` generates the package (or
uses the committed one), draws each operation's arguments from the spec's own
schemas (:mod:`support.sampler`: a required-only pass and an all-fields pass),
calls the method on each client variant against a loopback server that captures
the request and serves back a success response drawn from the response schema,
then hands the captured requests to openapi-core (:mod:`support.oracle`). Each
call becomes an :class:`Outcome`; :class:`SubjectResult` counts them.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import importlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol
from urllib.parse import urlsplit

from generator.cache import open_cache
from generator.config import ClientConfig, client_config, load_project
from generator.contract import is_event_stream, is_json_media, response_kind
from generator.ir import Operation
from generator.pipeline import analyse, generate
from generator.view.package import build_view
from generator.view.shapes import PackageView
from generator.write import write_tree
from support.calls import VARIANTS, ArgumentError, MethodRecord, Variant, WireValues, arguments_for, method_records
from support.examples import example_faults
from support.fidelity import Fidelity, measure
from support.hints import type_hint_failures
from support.oracle import Captured, Judgement, PendingJudgement, judge
from support.paths import CORPUS, GENERATED, ROOT
from support.sampler import Sampler, Unsatisfiable
from support.server import RecordedRequest, ScriptedServer

PASSES = ("required", "full")
#: Documents clientgen refuses on purpose (not OpenAPI 3, or broken): not conformance subjects.
REFUSED = frozenset({"invalid-missing-description", "invalid-property-missing-reference", "docker-swagger2"})
#: Documents that fail strict validation for small reasons, generated leniently (as ``nox -s corpus`` does).
LENIENT = frozenset({"openai", "cloudflare", "smallestai"})
CALL_TIMEOUT = 10.0


@dataclass(frozen=True)
class Subject:
    name: str
    spec: Path  # a readable file (a corpus document is decompressed first)
    config: ClientConfig | None = None  # the repository's own clients: their committed package and settings
    lenient: bool = False


def repository_subjects() -> list[Subject]:
    """bctrl and shop, as spec/clientgen.yaml configures them."""
    project = load_project(ROOT / "spec" / "clientgen.yaml")
    return [Subject(config.name, config.spec, config) for config in project.clients]


def corpus_stem(path: Path) -> str:
    return re.sub(r"\.(json|ya?ml)$", "", path.name.removesuffix(".gz"))


def corpus_subjects(folder: Path, work: Path, names: Iterable[str] = ()) -> list[Subject]:
    """The corpus documents clientgen accepts, decompressed into ``work``."""
    wanted = set(names)
    subjects = []
    for path in sorted(folder.glob("*.gz")):
        stem = corpus_stem(path)
        if stem in REFUSED or (wanted and stem not in wanted):
            continue
        target = work / path.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(path.read_bytes()))
        subjects.append(Subject(stem, target, lenient=stem in LENIENT))
    return subjects


# -- outcomes ----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One call: a method, a pass, a variant."""

    subject: str
    method: str  # ``customers.cards.create``
    key: str  # ``POST /v1/customers/{customer}/cards``
    run: str  # "required" or "full"
    variant: Variant
    request: str = ""  # valid | invalid | not-sent | argument-refused | no-input | oracle-error
    request_message: str = ""
    response: str = ""  # parsed | refused | no-input | not-called
    response_message: str = ""
    captured: Captured | None = None
    arguments: str = ""  # the call as written, for reproducers
    oracle_note: str = ""  # a valid verdict reached past a known oracle limit (``multipart-text-cast``)
    exchange: int = -1  # the request's index in the backend's record
    sent_as_sampled: bool | None = None  # a JSON body equal to the validator-checked instance (None: no JSON body)


@dataclass
class SubjectResult:
    name: str
    operations: int = 0  # the methods called
    operations_in_document: int = 0  # of how many (more when sampled)
    outcomes: list[Outcome] = field(default_factory=list)
    problem: str = ""  # the document could not be run at all
    seconds: float = 0.0
    skipped_operations: list[str] = field(default_factory=list)  # webhooks and the like: no method
    fidelity: Fidelity | None = None
    hints_checked: int = 0  # public classes, methods and functions given to typing.get_type_hints
    hints_failures: list[tuple[str, str]] = field(default_factory=list)
    examples_checked: int = 0  # the spec's own examples, against their schemas
    example_faults: list[tuple[str, str]] = field(default_factory=list)  # (JSON pointer, the validator's message)

    def count(self, variant: Variant, attribute: str, value: str) -> int:
        return sum(1 for item in self.outcomes if item.variant == variant and getattr(item, attribute) == value)

    def total(self, variant: Variant) -> int:
        return sum(1 for item in self.outcomes if item.variant == variant)


# -- the document's own view ---------------------------------------------------------------------------


def _loaded(subject: Subject, work: Path) -> tuple[ModuleType, PackageView, dict[str, Operation], Any, dict[str, str]]:
    """The package to call, the generator's view of it, its operations by key, the raw document, model names."""
    if subject.config is not None:
        config = subject.config
        analysis = analyse(config)
        view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)
        if str(GENERATED) not in sys.path:
            sys.path.insert(0, str(GENERATED))
        package = importlib.import_module(config.package)
    else:
        name = "conformance_" + re.sub(r"[^a-z0-9]+", "_", subject.name.lower()).strip("_")
        config = client_config(
            name=name,
            spec=subject.spec,
            package=name,
            output=work / name,
            validation="lenient" if subject.lenient else "strict",
        )
        # The cache (the user's, or CLIENTGEN_CACHE_DIR) makes a second run skip validation and formatting.
        generated = generate(config, cache=open_cache())
        write_tree(config.output, generated.files)
        analysis, view = generated.analysis, generated.view
        if str(work) not in sys.path:
            sys.path.insert(0, str(work))
        package = importlib.import_module(name)
    operations = {operation.key: operation for operation in analysis.api.operations}
    return package, view, operations, analysis.document.data, dict(analysis.model_names.by_key)


def _origin_and_base_path(document: Any) -> tuple[str, str]:
    """The first server's origin and path (variables at their defaults); a relative URL keeps a stand-in origin."""
    servers = document.get("servers") or [{"url": "/"}]
    server: dict[str, Any] = servers[0] if isinstance(servers[0], dict) else {"url": "/"}
    url = str(server.get("url", "/"))
    for name, variable in (server.get("variables") or {}).items():
        if isinstance(variable, dict):
            url = url.replace("{" + name + "}", str(variable.get("default", "")))
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "http://localhost"
    return origin, parts.path.rstrip("/")


# -- wire values from the spec --------------------------------------------------------------------------


def _parameter_schema(sampler: Sampler, raw: Any) -> Any:
    parameter = sampler.resolve(raw)
    if isinstance(parameter.get("content"), dict) and parameter["content"]:
        media = next(iter(parameter["content"].values()))
        return media.get("schema", {}) if isinstance(media, dict) else {}
    return parameter.get("schema", {})


def wire_values(
    operation: Operation, sampler: Sampler, full: bool, hidden: set[tuple[str, str]], needs_body: bool = False
) -> WireValues:
    """Values for the operation's parameters and body, drawn from its raw schemas (``hidden``: sent by the auth).

    ``needs_body``: the method requires a body field even where the spec's body is optional.
    """
    found: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}, "cookie": {}}
    for parameter in operation.parameters:
        if (parameter.location, parameter.name) in hidden:
            continue
        if not (parameter.required or full):
            continue
        schema = _parameter_schema(sampler, sampler.at(parameter.pointer))
        try:
            found[parameter.location][parameter.name] = _parameter_value(sampler, schema, full)
        except Unsatisfiable as exc:
            if parameter.required or parameter.location == "path":
                raise Unsatisfiable(f"{parameter.location} parameter {parameter.name!r}: {exc}") from exc
    body: Any = None
    has_body = False
    if operation.body is not None and (operation.body.required or full or needs_body):
        media = sampler.resolve(sampler.at(operation.body.pointer))
        schema = media.get("schema", {}) if isinstance(media, dict) else {}
        try:
            body = sampler.sample(schema, full=full, context="request")
            has_body = True
        except Unsatisfiable as exc:
            raise Unsatisfiable(f"request body ({operation.body.media_type}): {exc}") from exc
    return WireValues(found["path"], found["query"], found["header"], found["cookie"], body, has_body)


def _parameter_value(sampler: Sampler, schema: Any, full: bool) -> Any:
    """A parameter's value, not empty where the schema allows another: an empty list, object or text has no
    serialization the reader can tell from an absent parameter (an exploded empty list is no pair at all)."""
    # "any": readOnly and writeOnly mean nothing for a parameter (cloudflare reuses read-only id schemas for them).
    value = sampler.sample(schema, full=full, context="any")
    for seed in (None, 1, 2, 3):
        if value not in ("", [], {}):
            break
        try:
            value = sampler.sample(schema, full=True, context="any", seed=seed)
        except Unsatisfiable:
            break
    return value


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    kind: str  # json, text, bytes, none, events


def reply_for(operation: Operation, sampler: Sampler, full: bool) -> Reply:
    """A success response drawn from the documented response schema (:class:`Unsatisfiable` when none can be)."""
    success = operation.success
    if success is None:
        return Reply(200, {}, b"", "none")
    status = int(success.status) if success.status.isdigit() else 200
    media_type = success.media_type
    kind = response_kind(media_type)
    if media_type is None or kind == "none":
        return Reply(status, {}, b"", "none")
    concrete = (
        media_type if "*" not in media_type else "application/json" if kind == "json" else "application/octet-stream"
    )
    if kind == "text":
        return Reply(status, {"Content-Type": concrete}, b"some text", "text")
    if kind == "bytes":
        return Reply(status, {"Content-Type": concrete}, b"\x00\x01binary", "bytes")
    response = sampler.resolve(sampler.at(success.pointer))
    content = response.get("content", {}) if isinstance(response, dict) else {}
    media = content.get(media_type, {}) if isinstance(content, dict) else {}
    schema = media.get("schema", {}) if isinstance(media, dict) else {}
    instance = sampler.sample(schema, full=full, context="response")
    if is_event_stream(media_type):
        return _events(status, instance)
    header = concrete if is_json_media(concrete) else "application/json"
    return Reply(status, {"Content-Type": header}, json.dumps(instance).encode(), "json")


def _events(status: int, instance: Any) -> Reply:
    events = "".join(f"data: {json.dumps(instance)}\n\n" for _ in range(2))
    return Reply(status, {"Content-Type": "text/event-stream"}, events.encode(), "events")


def stream_reply_for(operation: Operation, sampler: Sampler, full: bool) -> Reply | None:
    """The stream a JSON-or-stream success offers beside its JSON (served to a call that asks for it);
    None when it offers none."""
    success = operation.success
    if success is None or success.stream_media_type is None:
        return None
    status = int(success.status) if success.status.isdigit() else 200
    response = sampler.resolve(sampler.at(success.pointer))
    content = response.get("content", {}) if isinstance(response, dict) else {}
    media = content.get(success.stream_media_type, {}) if isinstance(content, dict) else {}
    schema = media.get("schema", {}) if isinstance(media, dict) else {}
    instance = sampler.sample(schema, full=full, context="response")
    if is_event_stream(success.stream_media_type):
        return _events(status, instance)
    lines = "".join(json.dumps(instance) + "\n" for _ in range(2))
    return Reply(status, {"Content-Type": success.stream_media_type}, lines.encode(), "events")


# -- calling ------------------------------------------------------------------------------------------


class Clients:
    """One client per variant, all aimed at the loopback server."""

    def __init__(self, package: ModuleType, view: PackageView, base_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        credentials = {credential.argument: _credential(credential.kind) for credential in view.credentials}
        options = {"base_url": base_url, "max_retries": 0, "timeout": CALL_TIMEOUT, **credentials}
        if "api_key" not in options:
            options["api_key"] = "sk-test"
        names = {client.variant.name: client.names.main for client in view.clients}
        self.clients = {variant: getattr(package, names[variant])(**options) for variant in VARIANTS}

    def call(self, variant: Variant, record: MethodRecord, args: list[Any], kwargs: dict[str, Any]) -> Any:
        target = self.clients[variant]
        for attribute in record.resource.split("."):
            target = getattr(target, attribute)
        method = getattr(target, record.name)
        streams = record.streams_with(kwargs)
        if variant in ("async", "async_typed"):
            return self.loop.run_until_complete(_consume_async(method(*args, **kwargs), streams))
        result = method(*args, **kwargs)
        if streams:
            with result:
                return list(result)
        return result

    def close(self) -> None:
        for variant, client in self.clients.items():
            if variant in ("async", "async_typed"):
                self.loop.run_until_complete(client.close())
            else:
                client.close()
        self.loop.close()


async def _consume_async(awaitable: Any, streams: bool) -> Any:
    result = await awaitable
    if streams:
        async with result:
            return [item async for item in result]
    return result


def _credential(kind: str) -> str:
    return "user:secret" if kind == "basic" else "sk-test-credential"


def _captured(request: RecordedRequest) -> Captured:
    return Captured(request.method, request.raw_path, tuple(request.header_items), request.body)


def _hidden_parameters(view: PackageView) -> set[tuple[str, str]]:
    """Parameters the credentials send (an API key in a header, query or cookie): never method arguments."""
    locations = {"header": "header", "query": "query", "cookie": "cookie"}
    return {
        (locations[credential.kind], credential.name) for credential in view.credentials if credential.kind in locations
    }


def _describe_call(record: MethodRecord, args: list[Any], kwargs: dict[str, Any]) -> str:
    shown = [repr(value)[:200] for value in args] + [f"{name}={value!r}"[:200] for name, value in kwargs.items()]
    return f"client.{record.label}({', '.join(shown)})"


class Backend(Protocol):
    """Where the clients' requests go: the loopback capture server, or Prism behind a recording proxy."""

    url: str  # what the clients' base_url starts with

    def expect(self, reply: Reply) -> None:
        """The response to serve to the next request (a backend that answers by itself ignores it)."""

    def exchanges(self) -> int:
        """How many requests arrived so far."""

    def captured(self, index: int) -> Captured:
        """The ``index``-th request."""

    def settle(self) -> None:
        """After a call: forget a reply nobody took."""

    def close(self) -> None: ...


class LoopbackBackend:
    """The scripted loopback server: captures each request and serves the reply drawn from the spec."""

    def __init__(self, base_path: str) -> None:
        self.server = ScriptedServer()
        self.server.start()
        self.url = self.server.url + base_path

    def expect(self, reply: Reply) -> None:
        self.server.reply(reply.status, body=reply.body, headers=reply.headers)

    def exchanges(self) -> int:
        return len(self.server.requests)

    def captured(self, index: int) -> Captured:
        return _captured(self.server.requests[index])

    def settle(self) -> None:
        while self.server.pending:
            self.server._next_reply()

    def close(self) -> None:
        self.server.stop()


def sample(records: Sequence[MethodRecord], size: int) -> list[MethodRecord]:
    """``size`` of the methods, the same on every run and machine, spread over the whole API, in their order.

    Chosen by a hash of each operation's key (``GET /zones/{zone_id}``): no
    resource is favoured, and adding an operation to the document leaves the
    choice of the others as it was.
    """
    if size >= len(records):
        return list(records)
    chosen = set(
        sorted(range(len(records)), key=lambda index: hashlib.sha256(records[index].key.encode()).digest())[:size]
    )
    return [record for index, record in enumerate(records) if index in chosen]


def run_subject(
    subject: Subject,
    work: Path,
    *,
    variants: Sequence[Variant] = VARIANTS,
    passes: Sequence[str] = PASSES,
    only: Iterable[str] = (),
    backend: Callable[[str, str], Backend] | None = None,
    fidelity: bool = False,
    reference: bool = True,
    max_operations: int | None = None,
) -> tuple[SubjectResult, PendingJudgement | None]:
    """Call every method of ``subject``; the requests go to openapi-core in the background (see :func:`finish`).

    ``max_operations``: call only that many methods, a deterministic sample (:func:`sample`).

    ``backend(spec path, base path)``: where the calls go instead of the loopback capture
    server; the requests are then not sent to openapi-core (the backend judges them).
    ``fidelity``: also measure the models, beside datamodel-code-generator's unless not ``reference``
    (:mod:`support.fidelity`).
    """
    started = time.perf_counter()
    result = SubjectResult(subject.name)
    try:
        package, view, operations, document, model_names = _loaded(subject, work)
    except Exception as exc:
        result.problem = f"could not generate or import: {type(exc).__name__}: {str(exc)[:300]}"
        return result, None
    result.hints_checked, result.hints_failures = type_hint_failures(package)
    sampler = Sampler(document)
    result.examples_checked, result.example_faults = example_faults(document, sampler)
    origin, base_path = _origin_and_base_path(document)
    records = method_records(view, typed=False)
    typed_records = {(record.resource, record.name): record for record in method_records(view, typed=True)}
    wanted = set(only)
    if wanted:
        records = [record for record in records if record.key in wanted or record.label in wanted]
    result.operations_in_document = len(records)
    if max_operations is not None:
        records = sample(records, max_operations)
    result.operations = len(records)
    hidden = _hidden_parameters(view)
    try:
        target = backend(str(subject.spec), base_path) if backend is not None else LoopbackBackend(base_path)
    except Exception as exc:
        result.problem = f"backend did not start: {type(exc).__name__}: {str(exc)[:300]}"
        return result, None
    clients = Clients(package, view, target.url)
    captured: list[Captured] = []
    waiting: list[Outcome] = []
    try:
        for record in records:
            operation = operations[record.key]
            for run in passes:
                full = run == "full"
                try:
                    values = wire_values(operation, sampler, full, hidden, record.needs_body)
                    input_problem = ""
                except Unsatisfiable as exc:
                    values, input_problem = None, str(exc)
                try:
                    reply = reply_for(operation, sampler, full)
                    reply_problem = ""
                except Unsatisfiable as exc:
                    reply, reply_problem = Reply(200, {}, b"", "none"), f"response: {exc}"
                try:
                    stream_reply = stream_reply_for(operation, sampler, full)
                except Unsatisfiable as exc:
                    stream_reply, reply_problem = None, reply_problem or f"response stream: {exc}"
                for variant in variants:
                    outcome = Outcome(subject.name, record.label, record.key, run, variant)
                    result.outcomes.append(outcome)
                    if values is None:
                        outcome.request = outcome.response = "no-input"
                        outcome.request_message = outcome.response_message = input_problem
                        continue
                    this = record if variant in ("sync", "async") else typed_records[(record.resource, record.name)]
                    _one_call(
                        outcome, this, values, variant, package, clients, target, reply, reply_problem, stream_reply
                    )
                    if outcome.captured is not None:
                        captured.append(outcome.captured)
                        waiting.append(outcome)
    finally:
        clients.close()
        target.close()
    result.seconds = time.perf_counter() - started
    if fidelity:
        measured = time.perf_counter()
        models = importlib.import_module(f"{package.__name__}.models")
        result.fidelity = measure(document, model_names, models, subject.spec, work, package.__name__, dmcg=reference)
        result.fidelity.seconds = time.perf_counter() - measured
    if not captured or backend is not None:
        return result, None
    pending = judge(subject.spec, origin, captured)
    pending.payload = waiting
    return result, pending


def _one_call(
    outcome: Outcome,
    record: MethodRecord,
    values: WireValues,
    variant: Variant,
    package: ModuleType,
    clients: Clients,
    target: Backend,
    reply: Reply,
    reply_problem: str,
    stream_reply: Reply | None = None,
) -> None:
    try:
        args, kwargs = arguments_for(record, values, variant, package)
    except ArgumentError as exc:
        outcome.request, outcome.request_message = "argument-refused", str(exc)
        outcome.response = "not-called"
        return
    if stream_reply is not None and record.stream_argument is not None and record.streams_with(kwargs):
        reply = stream_reply  # the call asked for the stream its success offers beside the JSON
    outcome.arguments = _describe_call(record, args, kwargs)
    before = target.exchanges()
    target.expect(reply)
    error: BaseException | None = None
    try:
        clients.call(variant, record, args, kwargs)
    except Exception as exc:  # a raw exception is a finding too: its type is recorded
        error = exc
    sent = target.exchanges() - before
    target.settle()
    if not sent:
        outcome.request, outcome.request_message = "not-sent", _error_text(error)
        outcome.response = "not-called"
        return
    outcome.captured = target.captured(before)
    outcome.exchange = before
    outcome.sent_as_sampled = _sent_as_sampled(outcome.captured, values)
    if reply_problem:
        outcome.response, outcome.response_message = "no-input", reply_problem
    elif error is None:
        outcome.response = "parsed"
    else:
        outcome.response, outcome.response_message = "refused", _error_text(error)


def _sent_as_sampled(captured: Captured, values: WireValues) -> bool | None:
    """For a JSON body: whether its bytes decode to exactly the instance the sampler's validator accepted."""
    content_type = next((value for name, value in captured.headers if name.lower() == "content-type"), "")
    if not values.has_body or not is_json_media(content_type.split(";")[0].strip() or "x/y"):
        return None
    try:
        return bool(json.loads(captured.body) == values.body)
    except ValueError:
        return False


def _error_text(error: BaseException | None) -> str:
    if error is None:
        return "no request reached the server"
    text = f"{type(error).__module__.split('.')[0]}.{type(error).__name__}: {error}"
    cause = error.__cause__
    if cause is not None:
        text += f" (from {type(cause).__name__}: {cause})"
    return " ".join(text.split())[:600]


def finish(result: SubjectResult, pending: PendingJudgement | None) -> SubjectResult:
    """Fill in openapi-core's verdicts."""
    if pending is None:
        return result
    outcomes: list[Outcome] = pending.payload
    judgements: list[Judgement] = pending.result()
    for outcome, judgement in zip(outcomes, judgements, strict=True):
        outcome.request = judgement.verdict
        outcome.request_message = judgement.message if judgement.verdict != "valid" or judgement.kind else ""
        if judgement.verdict == "valid" and judgement.kind:
            outcome.request_message = judgement.message  # the fault or limit the verdict was reached past
        outcome.oracle_note = judgement.kind if judgement.verdict == "valid" else ""
    return result


__all__ = [
    "CORPUS",
    "Backend",
    "PendingJudgement",
    "Reply",
    "PASSES",
    "Outcome",
    "Subject",
    "SubjectResult",
    "corpus_subjects",
    "finish",
    "repository_subjects",
    "run_subject",
]
