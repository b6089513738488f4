"""``clientgen diff`` on real spec histories: every finding judged by hand once (``tests/diff_history/``).

Fails on any finding that has no verdict yet (judge it in ``verdicts.json``),
and when precision, recall or the share of correct breaking findings drops.
The suite scores each history's last ``SUITE_PAIRS`` pairs (analysing each
version costs validation, up to a second for an invalid one); ``nox -s
diff-eval`` scores every pair, prints the table and fails on the same terms.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from support.paths import TESTS

sys.path.insert(0, str(TESTS / "diff_history"))

import evaluate

#: Pairs per history the suite scores: the latest ones.
SUITE_PAIRS = 2

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("history", evaluate.histories(), ids=lambda path: path.name)
def test_real_history_findings_match_the_hand_judged_verdicts(history: Path) -> None:
    score = evaluate.score(history, last=SUITE_PAIRS)
    assert score.pairs == SUITE_PAIRS
    assert score.unjudged == [], "findings without a verdict (judge them in verdicts.json):\n" + "\n".join(
        score.unjudged
    )
    assert score.precision >= 0.99, "\n".join(score.wrong)
    assert score.recall >= 0.99, "\n".join(score.missed)
    assert score.breaking_correct == score.breaking, "\n".join(score.wrong)
    assert score.breaking_recall >= 0.99, "\n".join(score.missed)


def test_the_histories_hold_seven_apis_and_at_least_sixty_pairs() -> None:
    histories = evaluate.histories()
    pairs = sum(len(json.loads((history / "verdicts.json").read_text())["pairs"]) for history in histories)
    assert len(histories) >= 7 and pairs >= 60
