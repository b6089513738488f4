"""``nox -s fuzz``: run the document property for a while with fresh seeds; print how many documents were tried.

Usage: python tests/fuzz_run.py [SECONDS]  (default 600). Exits 1 with the
shrunk failing document on the first failure.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis import HealthCheck, Phase, given, seed, settings
from support.fuzzdocs import Outcome, check_document, documents


def main() -> int:
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 600.0
    cache = Path(tempfile.mkdtemp(prefix="clientgen-fuzz-mypy-"))
    started = time.monotonic()
    rounds = 0
    while time.monotonic() - started < budget:
        rounds += 1

        @seed(int(time.time() * 1000) ^ rounds)
        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
            report_multiple_bugs=False,
        )
        @given(text=documents())
        def prop(text: str) -> None:
            check_document(text, cache)

        try:
            prop()
        except Exception:
            print(f"FAILED after {Outcome.generated + Outcome.refused} documents", flush=True)
            raise
        print(
            f"{time.monotonic() - started:6.0f}s: {Outcome.generated} generated, {Outcome.refused} refused", flush=True
        )
    for reason, count in sorted(Outcome.reasons.items(), key=lambda item: -item[1]):
        print(f"  refused {count}x: {reason}")
    total = Outcome.generated + Outcome.refused
    print(
        f"fuzz: {total} documents in {time.monotonic() - started:.0f}s: {Outcome.generated} generated and checked, {Outcome.refused} refused with one located line; no failure"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
