"""Every operation of every document, on every client variant, judged by openapi-core: ``nox -s conformance``.

Documents: bctrl and shop (the committed packages, as spec/clientgen.yaml
configures them) and each document of ``../shared/corpus`` that clientgen accepts
(generated here, leniently where ``nox -s corpus`` does). For each operation, a
required-only and an all-fields pass draw arguments from the spec's own schemas;
the sync, async, typed and async typed clients each call a loopback server that
captures the request and serves a success response drawn from the response
schema; openapi-core validates every captured request. Prints the table (per
document: operations, and per variant requests valid and responses parsed), the
failures grouped by cause with one reproducer each, and what could not be tested;
writes everything as JSON (``--json``, default ``conformance-report.json``).

Each package's public classes, methods and functions also go through
``typing.get_type_hints``, and (unless ``--no-fidelity``) every component schema's
valid instances through clientgen's models and datamodel-code-generator's.

Exit status 1 when any failure is clientgen's (the spec's own faults and the
oracle's limits are listed, not counted against it).

Usage: ``python tests/conformance_run.py [NAME ...] [--corpus DIR] [--no-repository] [--json FILE]
[--max-operations N]`` (``N``: a deterministic sample of each document's operations, for the largest).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.conformance import (
    CORPUS,
    PASSES,
    Outcome,
    PendingJudgement,
    SubjectResult,
    corpus_subjects,
    finish,
    repository_subjects,
    run_subject,
)
from support.fidelity import Fidelity
from support.findings import (
    example_notes,
    failures,
    fidelity_notes,
    hint_notes,
    no_input,
    notes,
    report_groups,
    table,
)
from support.oracle import Captured


def _jsonable(result: SubjectResult) -> dict[str, object]:
    data = asdict(result)
    for outcome in data["outcomes"]:
        captured = outcome.get("captured")
        if captured is not None:
            captured["body"] = base64.b64encode(captured["body"][:4096]).decode()
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help="only these documents (bctrl, shop, corpus stems such as petstore-3.0)"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--no-repository", action="store_true", help="leave out bctrl and shop")
    parser.add_argument("--json", type=Path, default=Path("conformance-report.json"))
    parser.add_argument(
        "--no-fidelity", action="store_true", help="skip the model fidelity measure (and datamodel-code-generator)"
    )
    parser.add_argument(
        "--fidelity-only", action="store_true", help="no calls: only model fidelity, type hints and the spec's examples"
    )
    parser.add_argument(
        "--max-operations",
        type=int,
        metavar="N",
        help="per document, call only N operations (a deterministic sample spread over the API; the table says of how many)",
    )
    parser.add_argument("--from-json", type=Path, help="render the table and causes of an earlier run's report")
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        return render([_restored(item) for item in saved["results"]], saved["seconds"], None)
    # Deep response schemas (cloudflare's) are walked recursively by the sampler and the validators.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="clientgen-conformance-") as temporary:
        work = Path(temporary)
        subjects = [] if args.no_repository else repository_subjects()
        if args.names:
            subjects = [subject for subject in subjects if subject.name in args.names]
        if args.corpus.is_dir():
            corpus_names = [name for name in args.names if name not in ("bctrl", "shop")]
            if corpus_names or not args.names:
                subjects += corpus_subjects(args.corpus, work, corpus_names)
        else:
            print(f"no corpus at {args.corpus}: bctrl and shop only", file=sys.stderr)
        running: list[tuple[SubjectResult, PendingJudgement | None]] = []
        for subject in subjects:
            print(f"{subject.name}: calling ...", file=sys.stderr, flush=True)
            passes = () if args.fidelity_only else PASSES
            result, pending = run_subject(
                subject, work, fidelity=not args.no_fidelity, passes=passes, max_operations=args.max_operations
            )
            print(
                f"{subject.name}: {result.operations} operations, {len(result.outcomes)} calls in {result.seconds:.0f} s"
                + (f"; {result.problem}" if result.problem else ""),
                file=sys.stderr,
                flush=True,
            )
            running.append((result, pending))
        results = [finish(result, pending) for result, pending in running]
    seconds = time.perf_counter() - started
    return render(results, seconds, args.json)


def _restored(data: dict[str, Any]) -> SubjectResult:
    """A SubjectResult back from the JSON report (captured bodies as far as they were kept)."""
    outcomes = []
    for item in data.pop("outcomes"):
        captured = item.pop("captured")
        outcome = Outcome(**item)
        if captured is not None:
            headers = tuple(tuple(pair) for pair in captured["headers"])
            body = base64.b64decode(captured["body"])
            outcome.captured = Captured(captured["method"], captured["target"], headers, body)
        outcomes.append(outcome)
    found = data.pop("fidelity")
    result = SubjectResult(**data)
    result.outcomes = outcomes
    result.fidelity = Fidelity(**found) if found else None
    result.hints_failures = [tuple(pair) for pair in result.hints_failures]  # type: ignore[misc]
    result.example_faults = [tuple(pair) for pair in result.example_faults]  # type: ignore[misc]
    return result


def render(results: list[SubjectResult], seconds: float, output: Path | None) -> int:
    """Print the table, the causes and the notes; write the JSON report to ``output``; the exit status."""
    groups = failures(results)
    ours = [group for group in groups if group.owner == "clientgen"]
    print(table(results))
    print(f"\n{len(results)} documents, {sum(len(result.outcomes) for result in results)} calls in {seconds:.0f} s")
    print(
        f"\nfailures: {sum(len(group.outcomes) for group in ours)} calls in {len(ours)} causes that are clientgen's; "
        f"{sum(len(group.outcomes) for group in groups) - sum(len(group.outcomes) for group in ours)} calls the spec's or the oracle's"
    )
    if groups:
        print(report_groups(groups))
    noted = notes(results)
    if noted:
        print("\nvalid past a known fault or limit (listed, not hidden):")
        print("\n".join(noted))
    faults = example_notes(results)
    if faults:
        print("\nthe spec's own faults: examples its schemas refuse (openapi-schema-validator's words):")
        print("\n".join(faults))
    hints = hint_notes(results)
    if hints:
        print("\ntyping.get_type_hints failures:")
        print("\n".join(hints))
    fidelity = fidelity_notes(results)
    if fidelity:
        print("\nmodel fidelity:")
        print("\n".join(fidelity))
    missing = no_input(results)
    if missing:
        print(f"\nno valid input found by the sampler (not tested): {len(missing)}")
        for document, method, message in missing[:30]:
            print(f"  {document} {method}: {message[:300]}")
    problems = [result for result in results if result.problem]
    for result in problems:
        print(f"\n{result.name}: {result.problem}")
    if output is None:
        return 1 if ours or problems or any(result.hints_failures for result in results) else 0
    output.write_text(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "results": [_jsonable(result) for result in results],
                "groups": [
                    {
                        "owner": group.owner,
                        "side": group.side,
                        "status": group.status,
                        "signature": group.signature,
                        "explanation": group.explanation,
                        "calls": len(group.outcomes),
                        "variants": group.variants(),
                        "documents": group.subjects(),
                    }
                    for group in groups
                ],
            },
            indent=1,
        )
        + "\n"
    )
    print(f"\nwritten: {output}")
    return 1 if ours or problems or any(result.hints_failures for result in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
