"""Black's layout of the few statements the generator writes most, worked out here so black need not run on them.

The views hand the templates these statements already laid out as black
lays them out (a line of 88 columns at most, or split where black splits
them): ``generator/keptlines.py`` then keeps them as they stand, element by
element, instead of sending each long one-line text to black. Each rule is
black's for one statement form at the indentation the generator writes it at
(``tests/gen/test_prelaid.py`` compares every form with ``black.format_str``
of its one-line text over names of every length). Where black's choice turns
on more than this module models, the statement stays on one line and black
lays it out as before: the bytes are black's either way.
"""

from __future__ import annotations

LINE_LENGTH = 88
_STEP = "    "


def definition(indent: str, name: str, parameter: str, returns: str) -> tuple[str, ...]:
    """``def name(parameter) -> returns:`` (one parameter, no default) as black lays it out at ``indent``.

    Too long for a line, black splits at the parameters (one a line, a trailing comma added), and when
    ``) -> returns:`` is still too long, it puts ``returns`` in parentheses on a line of its own.
    """
    line = f"{indent}def {name}({parameter}) -> {returns}:"
    if len(line) <= LINE_LENGTH:
        return (line,)
    head = (f"{indent}def {name}(", f"{indent}{_STEP}{parameter},")
    tail = f"{indent}) -> {returns}:"
    if len(tail) <= LINE_LENGTH:
        return (*head, tail)
    return (*head, f"{indent}) -> (", f"{indent}{_STEP}{returns}", f"{indent}):")


def returned_call(indent: str, callee: str, argument: str) -> tuple[str, ...]:
    """``return callee(argument)`` (a dotted callee, one plain or dotted argument) as black lays it out.

    Too long for a line, black splits at the call's parentheses, the argument on a line of its own however
    long either line is; except when ``callee(`` one step deeper would end within three columns of the
    limit, where black may wrap the whole call in parentheses: that statement stays on one line for black.
    """
    line = f"{indent}return {callee}({argument})"
    if len(line) <= LINE_LENGTH:
        return (line,)
    if LINE_LENGTH - 3 <= len(indent) + len(_STEP) + len(callee) + 1 <= LINE_LENGTH:
        return (line,)
    return (f"{indent}return {callee}(", f"{indent}{_STEP}{argument}", f"{indent})")
