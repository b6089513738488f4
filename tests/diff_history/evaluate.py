"""Precision and recall of ``clientgen diff`` on real spec histories, against hand-judged verdicts.

Each folder holds consecutive versions of one public spec (``SOURCE.json``
says where they come from) and ``verdicts.json``: for every consecutive pair,
each finding the diff reported, judged by hand once (``correct`` or
``wrong``), and the changes it should have reported but did not
(``missed``). A finding is identified by rule and location. A finding that
has no verdict yet is reported as unjudged: judge it and add it.

Run ``python tests/diff_history/evaluate.py`` (or ``nox -s diff-eval``) for the table; it exits 1 when
a history has an unjudged finding, a wrong breaking finding, or precision or
recall (overall or breaking) under 99 %. The suite scores only each history's
last pairs (``tests/gen/diff/test_history.py``): every pair is this session's.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from generator.config import client_config
from generator.diff.compare import compare_analyses
from generator.diff.finding import Finding
from generator.diff.rules import RULES, Level
from generator.load import parse_document
from generator.naming.rename_map import RenameMap
from generator.pipeline import Analysis, analyse


@dataclass
class Score:
    spec: str
    pairs: int = 0
    reported: int = 0
    correct: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)
    breaking: int = 0
    breaking_correct: int = 0
    breaking_missed: int = 0
    seconds: float = 0.0  # analysing both sides (each version once) and comparing, over all pairs

    @property
    def precision(self) -> float:
        return self.correct / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        found = self.correct + len(self.missed)
        return self.correct / found if found else 1.0

    @property
    def breaking_precision(self) -> float:
        return self.breaking_correct / self.breaking if self.breaking else 1.0

    @property
    def breaking_recall(self) -> float:
        found = self.breaking_correct + self.breaking_missed
        return self.breaking_correct / found if found else 1.0


def histories() -> list[Path]:
    return sorted(path for path in HERE.iterdir() if (path / "verdicts.json").is_file())


@cache
def _analysis(path: Path) -> Analysis:
    config = client_config(name="api", spec=Path(path.name), package="api", output=Path("api"), validation="lenient")
    text = gzip.decompress(path.read_bytes()).decode()
    return analyse(config, parse_document(text, path.name.removesuffix(".gz")), RenameMap({}))


def findings_of(history: Path, old: str, new: str) -> list[Finding]:
    return compare_analyses(_analysis(history / f"{old}.json.gz"), _analysis(history / f"{new}.json.gz"))


def key(rule: str, location: str) -> str:
    return f"{rule} @ {location}"


def score(history: Path, last: int | None = None) -> Score:
    """Every judged pair of ``history`` (or its ``last`` ones: the suite's sample) compared and scored."""
    verdicts = json.loads((history / "verdicts.json").read_text())
    result = Score(history.name)
    for pair in verdicts["pairs"][-last if last else 0 :]:
        result.pairs += 1
        judged = {key(item["rule"], item["location"]): item["verdict"] for item in pair["findings"]}
        started = time.perf_counter()
        findings = findings_of(history, pair["old"], pair["new"])
        result.seconds += time.perf_counter() - started
        for finding in findings:
            name = key(finding.rule, finding.location)
            result.reported += 1
            verdict = judged.get(name)
            if verdict is None:
                result.unjudged.append(f"{pair['old']}→{pair['new']}: {name}")
            elif verdict == "correct":
                result.correct += 1
            else:
                result.wrong.append(f"{pair['old']}→{pair['new']}: {name}")
            if finding.level == Level.BREAKING:
                result.breaking += 1
                result.breaking_correct += verdict == "correct"
        result.missed.extend(
            f"{pair['old']}→{pair['new']}: {key(item['rule'], item['location'])}" for item in pair.get("missed", [])
        )
        result.breaking_missed += sum(
            RULES[item["rule"]].level == Level.BREAKING for item in pair.get("missed", []) if item["rule"] in RULES
        )
    return result


def table(scores: list[Score]) -> str:
    total = Score("total")
    for item in scores:
        total.pairs += item.pairs
        total.reported += item.reported
        total.correct += item.correct
        total.wrong += item.wrong
        total.missed += item.missed
        total.unjudged += item.unjudged
        total.breaking += item.breaking
        total.breaking_correct += item.breaking_correct
        total.breaking_missed += item.breaking_missed
        total.seconds += item.seconds
    lines = [
        "| spec | pairs | findings | correct | wrong | missed | unjudged | precision | recall "
        "| breaking (correct/reported, missed) | breaking precision | breaking recall | s per pair |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for item in [*scores, total]:
        per_pair = item.seconds / item.pairs if item.pairs else 0.0
        lines.append(
            f"| {item.spec} | {item.pairs} | {item.reported} | {item.correct} | {len(item.wrong)} | {len(item.missed)} "
            f"| {len(item.unjudged)} | {item.precision:.1%} | {item.recall:.1%} "
            f"| {item.breaking_correct}/{item.breaking}, {item.breaking_missed} "
            f"| {item.breaking_precision:.1%} | {item.breaking_recall:.1%} | {per_pair:.2f} |"
        )
    return "\n".join(lines)


def failures(item: Score) -> list[str]:
    """What makes a history fail: unjudged findings, a wrong breaking finding, precision or recall under 99 %."""
    found = [f"{len(item.unjudged)} finding(s) without a verdict"] if item.unjudged else []
    if item.breaking_correct != item.breaking:
        found.append(f"{item.breaking - item.breaking_correct} wrong breaking finding(s)")
    for label, value in (
        ("precision", item.precision),
        ("recall", item.recall),
        ("breaking recall", item.breaking_recall),
    ):
        if value < 0.99:
            found.append(f"{label} {value:.1%} < 99%")
    return found


def main() -> int:
    scores = [score(history) for history in histories()]
    print(table(scores))
    for item in scores:
        for label, entries in (("wrong", item.wrong), ("missed", item.missed), ("unjudged", item.unjudged)):
            for entry in entries:
                print(f"{item.spec}: {label}: {entry}")
    failed = [f"{item.spec}: {problem}" for item in scores for problem in failures(item)]
    for line in failed:
        print(f"FAILED {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
