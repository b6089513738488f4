"""Case conversion for every name clientgen writes: ``pascal`` for classes, ``snake`` for the rest.

Both only spell: making the result safe for its role (keywords, reserved
names, collisions) is ``naming.identifiers``' job.
"""

from __future__ import annotations

import keyword
import re
from functools import lru_cache

from generator.naming.autoname import join, words

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# Both are asked about the same few thousand names over and over while a package is named and rendered.
@lru_cache(maxsize=1 << 16)
def pascal(text: str) -> str:
    """``timed-out waiting`` → ``TimedOutWaiting``; never empty, never starting with a digit."""
    return join(words(text))


@lru_cache(maxsize=1 << 16)
def snake(text: str, placeholder: str = "value") -> str:
    """``timedOutWaiting`` → ``timed_out_waiting``; always a valid, non-keyword identifier."""
    result = "_".join(word.lower() for word in words(text))
    if not result:
        result = placeholder
    if result[0].isdigit():
        result = "n" + result
    if keyword.iskeyword(result) or keyword.issoftkeyword(result):
        result += "_"
    return result


def upper_snake(text: str) -> str:
    """``in-progress`` → ``IN_PROGRESS``; a leading digit gets a ``V``."""
    result = "_".join(word.upper() for word in words(text))
    if not result:
        return "EMPTY"
    return "V" + result if result[0].isdigit() else result
