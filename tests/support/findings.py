"""What the conformance outcomes mean: the table per document and variant, and the failures grouped by cause.

A failure's cause is its message with the values taken out (so that one bug met
on a hundred operations is one line). :data:`KNOWN_CAUSES` names the causes that
are not clientgen's: the spec's own faults and the oracle's limits, each with
the rule that recognises it; everything else is counted against clientgen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from support.calls import VARIANTS, Variant
from support.conformance import Outcome, SubjectResult

VARIANT_TITLES = {"sync": "sync", "async": "async", "typed": "typed", "async_typed": "async typed"}


@dataclass(frozen=True)
class KnownCause:
    pattern: str  # searched in the failure's message
    owner: str  # "spec" or "oracle"
    explanation: str


#: Failures that are not clientgen's, recognised by their message. Each is reported, never hidden.
KNOWN_CAUSES: tuple[KnownCause, ...] = (
    KnownCause(
        r"\('deepObject', '[^']+'\) <- ValueError: not available",
        "oracle",
        "openapi-core 0.23.1 reads deepObject only where the schema's type is exactly object: a deepObject "
        "parameter or form field that is an array (OAS defines deepObject for objects only) or has no type "
        "(anyOf) fails every request to its operation, sent or not (stripe's `expand`); `nox -s prism` judges "
        "such requests instead",
    ),
    KnownCause(
        r"schema error at /\w*: b'[^']*' is not (?:of type 'string'|valid under any of the given schemas)",
        "oracle",
        "openapi-core 0.23.1 reads a raw or multipart value as bytes where the schema gives no type it can "
        "decode by (`type: string` without `format: binary`, or an anyOf/oneOf), then validates the bytes as if "
        "they were JSON text; the value on the wire is the sampled text",
    ),
    KnownCause(
        r"ServerNotFound: Server not found for \S+ <- StopIteration",
        "oracle",
        "openapi-core 0.23.1 matches a path template against the whole URL: a path that starts with a "
        "variable (linode's /{apiVersion}/...) swallows the host, and no server is found; such requests "
        "cannot be judged",
    ),
    KnownCause(
        r"Invalid (?:path|query|header|cookie) parameter: \S+ <- .*Tried to write read-only property",
        "oracle",
        "openapi-core 0.23.1 validates a parameter in the request (write) dialect, so a parameter whose schema "
        "is readOnly is refused whatever its value (cloudflare's and github's identifiers reuse the read-only "
        "schema of a resource's id); OAS 3.0 gives readOnly a meaning for properties of bodies only",
    ),
    KnownCause(
        r"reference '#/components/schemas/[^']+' could not be resolved",
        "spec",
        "a discriminator without a mapping over inline oneOf branches: implicit mapping needs named "
        "schemas, so openapi-schema-validator looks the value up as #/components/schemas/<value> and fails",
    ),
)


_SAME_BODY = KnownCause(
    "",
    "oracle",
    "the JSON body on the wire decodes to exactly the instance openapi-schema-validator 0.9.0 accepted for this "
    "schema; openapi-core (with openapi-schema-validator 0.8.1) refuses it: the two validators disagree, the "
    "client sent what the spec allows",
)
_ABSENT = KnownCause(
    "",
    "oracle",
    "openapi-core judged a query parameter the request did not carry (it validates the schema's default, as "
    "text, against an untyped enum)",
)


_EMPTY_FORM = KnownCause(
    "",
    "oracle",
    "openapi-core 0.23.1 reads an empty application/x-www-form-urlencoded body (a required form none of whose "
    "optional fields was given: the encoding of an object with no members, sent with its Content-Type) as no "
    "body at all (MissingRequiredRequestBody)",
)


def _judged_what_was_not_sent(outcome: Outcome, message: str) -> KnownCause | None:
    """A refusal that cannot be the client's: of the exact validated body, of a parameter never sent, or of
    an empty form as a missing body."""
    if "RequestBody" in message and outcome.sent_as_sampled:
        return _SAME_BODY
    captured = outcome.captured
    if "MissingRequiredRequestBody" in message and captured is not None and not captured.body:
        types = [value for key, value in captured.headers if key.lower() == "content-type"]
        if types and types[0].lower().startswith("application/x-www-form-urlencoded"):
            return _EMPTY_FORM
    found = re.search(r"Invalid query parameter: (\S+)", message)
    if found and outcome.captured is not None:
        query = outcome.captured.target.partition("?")[2]
        names = {pair.split("=", 1)[0] for pair in query.split("&") if pair}
        if found.group(1) not in names:
            return _ABSENT
    return None


@dataclass
class Group:
    side: str  # "request" or "response"
    status: str  # the outcome's status (invalid, not-sent, refused, …)
    signature: str
    owner: str  # "clientgen", "spec", "oracle"
    explanation: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def example(self) -> Outcome:
        return self.outcomes[0]

    def variants(self) -> list[str]:
        return [variant for variant in VARIANTS if any(item.variant == variant for item in self.outcomes)]

    def subjects(self) -> list[str]:
        return sorted({item.subject for item in self.outcomes})

    def methods(self) -> int:
        return len({(item.subject, item.method) for item in self.outcomes})


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_ADDRESS = re.compile(r"0x[0-9a-f]+")


_LIST = re.compile(r"\[(?:'…'|N|, )*\]")


def signature(message: str) -> str:
    """The message with its values taken out: quoted text, numbers, addresses, lists of them."""
    text = _ADDRESS.sub("0x…", message)
    text = _QUOTED.sub("'…'", text)
    text = _NUMBER.sub("N", text)
    text = _LIST.sub("[…]", text)
    text = re.sub(r"is not one of \[[^\]]*(?:\]|$)", "is not one of […]", text)  # an enum cut short
    return " ".join(text.split())[:400]


def _focus(message: str) -> str:
    """The informative part of an openapi-core message: its schema errors, else its last cause."""
    parts = message.split(" <- ")
    schema_errors = [part for part in parts if part.startswith("schema error at")]
    if schema_errors:
        return " | ".join(schema_errors)
    return parts[-1] if len(parts) > 1 and parts[-1].strip(": ") else parts[0]


def failures(results: Sequence[SubjectResult]) -> list[Group]:
    """Every failed request and refused response, grouped by cause, the largest groups first."""
    groups: dict[tuple[str, str, str], Group] = {}
    for result in results:
        for outcome in result.outcomes:
            if outcome.request in ("invalid", "not-sent", "argument-refused", "oracle-error"):
                _add(groups, "request", outcome.request, outcome.request_message, outcome)
            if outcome.response == "refused":
                _add(groups, "response", outcome.response, outcome.response_message, outcome)
    return sorted(groups.values(), key=lambda group: (group.owner != "clientgen", -len(group.outcomes)))


def _add(groups: dict[tuple[str, str, str], Group], side: str, status: str, message: str, outcome: Outcome) -> None:
    focused = _focus(message) if status in ("invalid", "oracle-error") else message
    known = next((item for item in KNOWN_CAUSES if re.search(item.pattern, message)), None)
    if known is None and status == "invalid":
        known = _judged_what_was_not_sent(outcome, message)
    key = (side, status, (known.pattern or known.explanation) if known else signature(focused))
    group = groups.get(key)
    if group is None:
        owner, explanation = "clientgen", ""
        if status == "oracle-error":
            owner, explanation = "oracle", "openapi-core itself failed on the request (no verdict)"
        if known is not None:
            owner, explanation = known.owner, known.explanation
        group = groups[key] = Group(side, status, key[2], owner, explanation)
    group.outcomes.append(outcome)


# -- rendering -----------------------------------------------------------------------------------------


def _ratio(good: int, total: int) -> str:
    if total == 0:
        return "-"
    if good == total:
        return f"{total}/{total}"
    return f"{good}/{total} ({100 * good / total:.1f} %)"


def table(results: Sequence[SubjectResult], variants: Sequence[Variant] = VARIANTS) -> str:
    """Markdown: per document, its operations and calls per variant, then per variant
    ``requests valid · responses parsed`` (of the calls that had input), and what was not tested."""
    headers = ["document", "operations", "calls per variant"]
    headers += [f"{VARIANT_TITLES[variant]}: requests valid · responses parsed" for variant in variants]
    headers += ["no input", "oracle errors", "get_type_hints failures", "spec examples refused", "seconds"]
    with_fidelity = any(result.fidelity is not None for result in results)
    if with_fidelity:
        headers += [
            "schemas",
            "instances",
            "models accept: clientgen · datamodel-code-generator",
            "schemas all accepted: clientgen · datamodel-code-generator",
        ]
    rows = []
    for result in results:
        if result.problem:
            rows.append([result.name, "-", "-", *(["-"] * len(variants)), "-", "-", "-", "-", f"{result.seconds:.0f}"])
            if with_fidelity:
                rows[-1] += ["-", "-", "-", "-"]
            continue
        operations = str(result.operations)
        if result.operations_in_document > result.operations:
            operations += f" of {result.operations_in_document} (sampled)"
        row = [result.name, operations, str(result.total(variants[0]) if variants else 0)]
        for variant in variants:
            outcomes = [item for item in result.outcomes if item.variant == variant]
            # An oracle error counts against the column: the request was not shown valid (and is listed).
            judged = [item for item in outcomes if item.request != "no-input"]
            served = [item for item in outcomes if item.response in ("parsed", "refused")]
            requests = _ratio(sum(1 for item in judged if item.request == "valid"), len(judged))
            responses = _ratio(sum(1 for item in served if item.response == "parsed"), len(served))
            row.append(f"{requests} · {responses}")
        first = [item for item in result.outcomes if item.variant == variants[0]]
        row.append(str(sum(1 for item in first if item.request == "no-input" or item.response == "no-input")))
        row.append(str(sum(1 for item in result.outcomes if item.request == "oracle-error")))
        row.append(f"{len(result.hints_failures)}/{result.hints_checked}")
        row.append(f"{len(result.example_faults)}/{result.examples_checked}")
        row.append(f"{result.seconds:.0f}")
        if with_fidelity:
            row += _fidelity_cells(result)
        rows.append(row)
    widths = [max(len(headers[index]), *(len(row[index]) for row in rows)) for index in range(len(headers))]
    lines = ["| " + " | ".join(cell.ljust(widths[index]) for index, cell in enumerate(headers)) + " |"]
    lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    lines += ["| " + " | ".join(cell.ljust(widths[index]) for index, cell in enumerate(row)) + " |" for row in rows]
    return "\n".join(lines)


def _fidelity_cells(result: SubjectResult) -> list[str]:
    found = result.fidelity
    if found is None:
        return ["-", "-", "-", "-"]
    ours = _ratio(found.clientgen_accepted, found.clientgen_checked)
    measured = found.schemas - found.without_instance
    our_schemas = _ratio(measured - len({key for key, _ in found.clientgen_failures}), measured)
    if found.dmcg_problem:
        theirs = their_schemas = "failed (see notes)"
    else:
        theirs = _ratio(found.dmcg_accepted, found.dmcg_checked)
        mapped = measured - found.dmcg_unmapped
        their_schemas = _ratio(mapped - len({key for key, _ in found.dmcg_failures}), mapped)
        if found.dmcg_unmapped:
            theirs += f", {found.dmcg_unmapped} schemas unmatched"
    return [str(found.schemas), str(found.instances), f"{ours} · {theirs}", f"{our_schemas} · {their_schemas}"]


def example_notes(results: Sequence[SubjectResult], limit: int = 5) -> list[str]:
    """The spec's examples that its own schemas refuse: the first few per document, with the validator's words."""
    lines = []
    for result in results:
        for pointer, message in result.example_faults[:limit]:
            lines.append(f"- {result.name} {pointer}: {message[:240]}")
        if len(result.example_faults) > limit:
            lines.append(f"- {result.name}: … and {len(result.example_faults) - limit} more (see the JSON report)")
    return lines


def hint_notes(results: Sequence[SubjectResult], limit: int = 6) -> list[str]:
    """typing.get_type_hints failures grouped by error, with the documents and one callable each."""
    causes: dict[str, list[tuple[str, str]]] = {}
    for result in results:
        for qualified, message in result.hints_failures:
            causes.setdefault(signature(message), []).append((result.name, qualified))
    lines = []
    for cause, hits in sorted(causes.items(), key=lambda item: -len(item[1]))[:limit]:
        documents = sorted({name for name, _ in hits})
        lines.append(f"- {len(hits)} callables ({', '.join(documents)}): {cause}; e.g. {hits[0][1]}")
    return lines


def fidelity_notes(results: Sequence[SubjectResult], limit: int = 5) -> list[str]:
    """Per document: why datamodel-code-generator could not be measured, and the first refusals of each side."""
    lines = []
    for result in results:
        found = result.fidelity
        if found is None:
            continue
        if found.without_instance:
            lines.append(f"- {result.name}: {found.without_instance} schemas without a valid instance (not measured)")
        if found.dmcg_problem:
            lines.append(f"- {result.name}: datamodel-code-generator: {found.dmcg_problem}")
        for side, failures_found in (
            ("clientgen", found.clientgen_failures),
            ("datamodel-code-generator", found.dmcg_failures),
        ):
            causes: dict[str, list[str]] = {}
            for key, message in failures_found:
                causes.setdefault(signature(message.split(" | instance:")[0]), []).append(key)
            for cause, keys in sorted(causes.items(), key=lambda item: -len(item[1]))[:limit]:
                lines.append(
                    f"- {result.name}: {side} refuses {len(keys)} instances ({', '.join(sorted(set(keys))[:3])}…): {cause}"
                )
    return lines


def report_groups(groups: Sequence[Group], limit: int = 40) -> str:
    lines = []
    for number, group in enumerate(groups[:limit], 1):
        example = group.example
        owner = {"clientgen": "clientgen", "spec": "the spec", "oracle": "the oracle"}[group.owner]
        lines.append(
            f"{number}. [{owner}] {group.side} {group.status}: {len(group.outcomes)} calls, {group.methods()} methods, "
            f"variants {', '.join(group.variants())}; documents {', '.join(group.subjects())}"
        )
        if group.explanation:
            lines.append(f"   why: {group.explanation}")
        lines.append(f"   cause: {group.signature}")
        lines.append(
            f"   e.g. {example.subject} {example.key} ({example.run} pass, {example.variant}): {example.arguments[:300]}"
        )
        if example.captured is not None:
            captured = example.captured
            lines.append(f"   sent: {captured.method} {captured.target[:300]}")
            body = captured.body[:300].decode("utf-8", "replace") if captured.body else ""
            if body:
                lines.append(f"   body: {body!r}")
        message = example.request_message if group.side == "request" else example.response_message
        lines.append(f"   said: {message[:600]}")
    if len(groups) > limit:
        lines.append(f"... and {len(groups) - limit} more groups (see the JSON report)")
    return "\n".join(lines)


#: What a valid verdict reached past (``Outcome.oracle_note``) means, for the notes under the table.
NOTES = {
    "spec-inline-discriminator": (
        "the spec's fault: a discriminator without a mapping over inline oneOf/anyOf branches (OAS: implicit "
        "mapping uses schema names; inline schemas are not considered); openapi-core fails on it, so the request "
        "was judged again with those discriminators removed, and passed"
    ),
    "multipart-text-cast": (
        "the oracle's limit: openapi-core validates multipart text parts without casting them, so a number, "
        "integer or boolean field sent as its text (RFC 7578, OAS default text/plain) is refused; counted valid "
        "because every error was such a part and the text is that type's own spelling"
    ),
}


def notes(results: Sequence[SubjectResult]) -> list[str]:
    """One line per workaround a valid verdict needed: how many calls, where, and the original message."""
    lines = []
    for note, meaning in NOTES.items():
        hits = [item for result in results for item in result.outcomes if item.oracle_note == note]
        if not hits:
            continue
        documents = sorted({item.subject for item in hits})
        methods = len({(item.subject, item.method) for item in hits})
        lines.append(f"- {len(hits)} calls ({methods} methods; {', '.join(documents)}): {meaning}.")
        lines.append(f"  e.g. {hits[0].subject} {hits[0].key}: {hits[0].request_message[-300:]}")
    return lines


def no_input(results: Sequence[SubjectResult]) -> list[tuple[str, str, str]]:
    """Operations the sampler found no valid input for: (document, method, the validator's reason)."""
    seen: dict[tuple[str, str], str] = {}
    for result in results:
        for outcome in result.outcomes:
            if outcome.request == "no-input" or outcome.response == "no-input":
                message = outcome.request_message if outcome.request == "no-input" else outcome.response_message
                seen.setdefault((outcome.subject, f"{outcome.method} ({outcome.run})"), message)
    return [(subject, method, message) for (subject, method), message in seen.items()]
