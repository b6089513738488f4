"""One short string that a JSON Schema ``pattern`` matches, for the schema sampler.

The pattern is parsed with Python's own regular-expression parser and walked: the
first alternative of every branch, the fewest repetitions allowed, the first
character of every class. JSON Schema patterns are not anchored, so the match
alone satisfies them. A pattern Python cannot parse (an ECMA-only construct)
raises :class:`ValueError`; so does one this walk cannot satisfy (a look-around,
a back-reference): the caller then checks the result with a validator anyway.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python >= 3.11
    from re import _constants as constants  # type: ignore[attr-defined,unused-ignore]
    from re import _parser as parser  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as constants  # type: ignore[no-redef,unused-ignore]
    import sre_parse as parser  # type: ignore[no-redef,unused-ignore]

#: A printable stand-in for each category escape (\d, \w, \s and their negations).
_CATEGORIES = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}
#: Extra repetitions beyond the minimum, so that ``x*`` still yields something readable when asked to.
_MAX_REPEAT_SHOWN = 1


def sample_pattern(pattern: str, *, prefer_longer: bool = False) -> str:
    """A string ``re.search(pattern, s)`` finds; ``prefer_longer``: one more repetition where a pattern allows it."""
    try:
        parsed = parser.parse(pattern)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} is not a Python regular expression: {exc}") from exc
    text = _walk(list(parsed), prefer_longer)
    if re.search(pattern, text) is None:
        raise ValueError(f"no sample found for pattern {pattern!r}")
    return text


def _walk(items: list[tuple[Any, Any]], longer: bool) -> str:
    out: list[str] = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(value))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(value) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_class(value))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = value
            count = low
            if longer and (high == constants.MAXREPEAT or high > low):
                count = low + _MAX_REPEAT_SHOWN
            out.append(_walk(list(body), longer) * count)
        elif name == "SUBPATTERN":
            out.append(_walk(list(value[-1]), longer))
        elif name == "ATOMIC_GROUP":
            out.append(_walk(list(value), longer))
        elif name == "BRANCH":
            out.append(_walk(list(value[1][0]), longer))
        elif name == "AT":
            continue
        elif name == "CATEGORY":
            out.append(_CATEGORIES.get(str(value), "a"))
        else:  # look-arounds, back-references, conditionals: not walked
            raise ValueError(f"unsupported regular-expression construct {name}")
    return "".join(out)


def _class(items: list[tuple[Any, Any]]) -> str:
    """The first character a character class admits (a negated class: a printable one outside it)."""
    negated = bool(items) and str(items[0][0]) == "NEGATE"
    members = items[1:] if negated else items
    candidates = "a0Az_-x9 .~" if negated else ""
    if not negated:
        for op, value in members:
            name = str(op)
            if name == "LITERAL":
                return chr(value)
            if name == "RANGE":
                return chr(value[0])
            if name == "CATEGORY":
                return _CATEGORIES.get(str(value), "a")
        return "a"
    for candidate in candidates:
        if not any(_in_member(candidate, op, value) for op, value in members):
            return candidate
    return "~"


def _in_member(char: str, op: Any, value: Any) -> bool:
    name = str(op)
    if name == "LITERAL":
        return char == chr(value)
    if name == "RANGE":
        return bool(value[0] <= ord(char) <= value[1])
    if name == "CATEGORY":
        pattern = {
            "CATEGORY_DIGIT": r"\d",
            "CATEGORY_NOT_DIGIT": r"\D",
            "CATEGORY_WORD": r"\w",
            "CATEGORY_NOT_WORD": r"\W",
            "CATEGORY_SPACE": r"\s",
            "CATEGORY_NOT_SPACE": r"\S",
        }.get(str(value))
        return pattern is not None and re.fullmatch(pattern, char) is not None
    return False
