"""``nox -s fuzz``: run the document and configuration properties for a while with fresh seeds; print how many
documents and configurations were tried.

Usage: python tests/fuzz_run.py [SECONDS]  (default 600). Exits 1 with the
shrunk failing document or configuration on the first failure.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis import HealthCheck, Phase, given, seed, settings
from support.fuzzconfigs import ConfigOutcome, check_configuration, configurations
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

        @seed(int(time.time() * 1000) ^ rounds ^ 0x5EED)
        @settings(
            max_examples=20,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
            report_multiple_bugs=False,
        )
        @given(drawn=configurations())
        def config_prop(drawn: tuple[str, str]) -> None:
            check_configuration(*drawn, cache)

        for property_, what in ((prop, "documents"), (config_prop, "configurations")):
            try:
                property_()
            except Exception:
                tried = Outcome.generated + Outcome.refused + ConfigOutcome.generated + ConfigOutcome.refused
                print(f"FAILED on {what}, after {tried} documents and configurations", flush=True)
                raise
        print(
            f"{time.monotonic() - started:6.0f}s: documents {Outcome.generated} generated, {Outcome.refused} refused; "
            f"configurations {ConfigOutcome.generated} generated, {ConfigOutcome.refused} refused",
            flush=True,
        )
    for what, reasons in (("document", Outcome.reasons), ("configuration", ConfigOutcome.reasons)):
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1])[:30]:
            print(f"  {what} refused {count}x: {reason}")
    total = Outcome.generated + Outcome.refused
    configs = ConfigOutcome.generated + ConfigOutcome.refused
    print(
        f"fuzz: {total} documents and {configs} configurations in {time.monotonic() - started:.0f}s: "
        f"{Outcome.generated} documents and {ConfigOutcome.generated} configurations generated and checked, "
        f"{Outcome.refused} and {ConfigOutcome.refused} refused with one located line; no failure"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
