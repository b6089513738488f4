"""The NOT_GIVEN sentinel (``_runtime/constants.py``).

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import copy
import pickle
from typing import Any


def test_not_given_sentinel(rt: Any) -> None:
    assert not rt.NOT_GIVEN and repr(rt.NOT_GIVEN) == "NOT_GIVEN" and rt.NotGiven() is rt.NOT_GIVEN


def test_not_given_stays_one_object_through_copies_and_pickles(rt: Any) -> None:
    assert copy.copy(rt.NOT_GIVEN) is rt.NOT_GIVEN and copy.deepcopy(rt.NOT_GIVEN) is rt.NOT_GIVEN
    assert pickle.loads(pickle.dumps(rt.NOT_GIVEN)) is rt.NOT_GIVEN
