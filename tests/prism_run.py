"""bctrl, shop and corpus documents against Stoplight Prism's mock server, a second oracle: ``nox -s prism``.

For each document, ``prism mock`` runs on 127.0.0.1 behind a recording proxy
(:mod:`support.prism`); every operation is called on the four client variants with
arguments drawn from the spec (the conformance harness's required-only and
all-fields passes). A request is accepted when Prism answers with a success and
reports no violation of severity Error; a response is parsed when the client
returns Prism's mocked success without raising. Prints the table and each
rejection or refusal grouped by cause; writes JSON (``--json``).

Usage: ``python tests/prism_run.py [NAME ...] [--corpus DIR] [--json FILE] [--max-operations N]``
(default documents: bctrl, shop and :data:`DEFAULT_CORPUS`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.conformance import CORPUS, Backend, SubjectResult, corpus_subjects, repository_subjects, run_subject
from support.findings import failures, report_groups, table
from support.prism import PrismBackend, prism_command

#: Real public APIs of the corpus that Prism reads: small to large, JSON and multipart, 3.0 and 3.1.
DEFAULT_CORPUS = ("petstore-expanded-3.0", "murf", "smallestai", "openrouter", "asana")


def _violation(item: dict[str, object]) -> str:
    location = item.get("location")
    where = ".".join(str(part) for part in location) if isinstance(location, list) else ""
    return f"{where}: {item.get('message')}"


def judge_with_prism(result: SubjectResult, backend: PrismBackend) -> None:
    """Each outcome's request verdict from Prism's answer to it."""
    for outcome in result.outcomes:
        if outcome.exchange < 0:
            continue
        exchange = backend.exchange(outcome.exchange)
        violations = exchange.violations
        if 200 <= exchange.status < 300 and not violations:
            outcome.request, outcome.request_message = "valid", ""
            continue
        outcome.request = "invalid"
        if violations:
            outcome.request_message = "; ".join(_violation(item) for item in violations[:5])
        else:
            outcome.request_message = f"HTTP {exchange.status}: {exchange.body[:400].decode('utf-8', 'replace')}"
        if not 200 <= exchange.status < 300:
            outcome.response, outcome.response_message = "not-served", f"Prism answered {exchange.status}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help="documents (bctrl, shop, corpus stems); default: bctrl, shop and five")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, default=Path("prism-report.json"))
    parser.add_argument(
        "--max-operations", type=int, metavar="N", help="per document, a deterministic sample of N operations"
    )
    args = parser.parse_args(argv)
    prism_command()
    names = list(args.names) or ["bctrl", "shop", *DEFAULT_CORPUS]
    started = time.perf_counter()
    results: list[SubjectResult] = []
    with tempfile.TemporaryDirectory(prefix="clientgen-prism-") as temporary:
        work = Path(temporary)
        subjects = [subject for subject in repository_subjects() if subject.name in names]
        corpus_names = [name for name in names if name not in ("bctrl", "shop")]
        if corpus_names and args.corpus.is_dir():
            subjects += corpus_subjects(args.corpus, work, corpus_names)
        elif corpus_names:
            print(f"no corpus at {args.corpus}: bctrl and shop only", file=sys.stderr)
        for subject in subjects:
            made: list[PrismBackend] = []

            def start(spec: str, base_path: str, made: list[PrismBackend] = made) -> Backend:
                backend = PrismBackend(spec, base_path)
                made.append(backend)
                return backend

            print(f"{subject.name}: prism mock ...", file=sys.stderr, flush=True)
            result, _ = run_subject(subject, work, backend=start, max_operations=args.max_operations)
            if made:
                judge_with_prism(result, made[0])
            print(
                f"{subject.name}: {len(result.outcomes)} calls in {result.seconds:.0f} s {result.problem}",
                file=sys.stderr,
            )
            results.append(result)
    seconds = time.perf_counter() - started
    print(table(results))
    print(f"\n{len(results)} documents, {sum(len(result.outcomes) for result in results)} calls in {seconds:.0f} s")
    groups = failures(results)
    if groups:
        print(report_groups(groups))
    args.json.write_text(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "table": table(results),
                "groups": [
                    {
                        "side": group.side,
                        "status": group.status,
                        "signature": group.signature,
                        "calls": len(group.outcomes),
                        "documents": group.subjects(),
                        "variants": group.variants(),
                    }
                    for group in groups
                ],
            },
            indent=1,
        )
        + "\n"
    )
    print(f"\nwritten: {args.json}")
    return 1 if groups or any(result.problem for result in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
