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

Black's layouts that end with a trailing comma (a definition's parameters, a
route's arguments one a line) keptlines keeps by their shapes. The others
(``return X(\n    arg\n)``, ``Callable[\n    [object], M\n]``, a route's
arguments on one line of their own) black would join if the names were
short, so no shape vouches for them: ``vouches`` recognises a statement this
module laid out, from its text alone, for keptlines to keep.
"""

from __future__ import annotations

import re

LINE_LENGTH = 88
_STEP = "    "
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def definition(indent: str, name: str, parameter: str, returns: str) -> tuple[str, ...]:
    """``def name(parameter) -> returns:`` (one parameter, no default) as black lays it out at ``indent``.

    Too long for a line, black splits at the parameters (one a line, a trailing comma added), and when
    ``) -> returns:`` is still too long, it puts ``returns`` in parentheses on a line of its own.
    """
    line = f"{indent}def {name}({parameter}) -> {returns}:"
    if len(line) <= LINE_LENGTH or not line.isascii():  # black measures other characters by their width
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
    if len(line) <= LINE_LENGTH or not line.isascii():
        return (line,)
    if LINE_LENGTH - 3 <= len(indent) + len(_STEP) + len(callee) + 1 <= LINE_LENGTH:
        return (line,)
    return (f"{indent}return {callee}(", f"{indent}{_STEP}{argument}", f"{indent})")


def parser_constant(constant: str, returns: str, expression: str) -> tuple[str, ...]:
    """``constant: Callable[[object], returns] = expression`` at module level, as black lays it out, for a
    ``returns`` that is a plain name and an ``expression`` that is a plain name or ``model_parser(returns)``.

    Too long for a line, black splits at ``model_parser(``, else wraps the value in parentheses, else splits
    at ``Callable[`` (its two elements on one line, or one a line when they do not fit), the value's call split
    too when ``] = model_parser(returns)`` does not fit. Other annotations and values, and constants too long
    for ``constant: Callable[``, stay on one line for black.
    """
    line = f"{constant}: Callable[[object], {returns}] = {expression}"
    call = expression == f"model_parser({returns})"
    known = line.isascii() and _NAME.fullmatch(returns) and (call or _NAME.fullmatch(expression))
    if len(line) <= LINE_LENGTH or not known:
        return (line,)
    head = f"{constant}: Callable[[object], {returns}] ="
    if call and len(f"{head} model_parser(") <= LINE_LENGTH:
        return (f"{head} model_parser(", f"{_STEP}{returns}", ")")
    if len(f"{head} (") <= LINE_LENGTH and len(f"{_STEP}{expression}") <= LINE_LENGTH:
        return (f"{head} (", f"{_STEP}{expression}", ")")
    if len(f"{constant}: Callable[") > LINE_LENGTH:
        return (line,)
    elements = f"{_STEP}[object], {returns}"
    subscript = (elements,) if len(elements) <= LINE_LENGTH else (f"{_STEP}[object],", f"{_STEP}{returns},")
    tail = f"] = {expression}"
    value = (tail,) if len(tail) <= LINE_LENGTH else ("] = model_parser(", f"{_STEP}{returns}", ")")
    return (f"{constant}: Callable[", *subscript, *value)


def assigned_call(target: str, callee: str, arguments: tuple[str, ...], indent: str = "") -> tuple[str, ...]:
    """``target = callee(arguments...)`` at ``indent``, as black lays it out, for arguments black does not split
    themselves (strings, names, keywords of those, short tuples): one line, else the arguments on one line of
    their own (a single argument always), else one a line with a trailing comma. Where black would wrap the call
    in parentheses (``target = callee(`` too long, ``target = (`` not), or split an argument, it stays on one
    line for black.
    """
    joined = ", ".join(arguments)
    line = f"{indent}{target} = {callee}({joined})"
    if len(line) <= LINE_LENGTH or not line.isascii():
        return (line,)
    head = f"{indent}{target} = {callee}("
    if len(head) > LINE_LENGTH and len(f"{indent}{target} = (") <= LINE_LENGTH:
        return (line,)
    if len(arguments) == 1 or len(indent + _STEP + joined) <= LINE_LENGTH:
        return (head, indent + _STEP + joined, f"{indent})")
    exploded = tuple(f"{indent}{_STEP}{argument}," for argument in arguments)
    if any(len(each) > LINE_LENGTH and any(char in each for char in "([{") for each in exploded):
        return (line,)
    return (head, *exploded, f"{indent})")


_NAMED = r"[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*"  # ``resources.Pets``: a module's class
_HOLDER = r"self(?:\._client|\._resource)?(?:\.[A-Za-z_][A-Za-z0-9_]*)?"
_RETURNED = re.compile(rf"( *)return ({_NAMED})\(\s*({_HOLDER})\s*\)\n")
_DEFINITION = re.compile(rf"( *)def ([A-Za-z_][A-Za-z0-9_]*)\(\s*(self),?\s*\) -> \(?\s*({_NAMED})\s*\)?:\n")
#: A method of a resource's response wrappers: ``self.create = to_raw_response_wrapper(resource.create)``.
_WRAPPED = re.compile(
    r"( *)(self\.[A-Za-z_][A-Za-z0-9_]*) = ([A-Za-z_][A-Za-z0-9_]*)\(\s*(resource\.[A-Za-z_][A-Za-z0-9_]*)\s*\)\n"
)
_PARSER = re.compile(
    r"([A-Za-z_][A-Za-z0-9_]*): Callable\[\s*\[object\],\s*([A-Za-z_][A-Za-z0-9_]*),?\s*\] = "
    r"(?:\(\s*)?(?:model_parser\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)|([A-Za-z_][A-Za-z0-9_]*))(?:\s*\))?\n"
)

#: The arguments ``assigned_call`` lays out for a route: plain strings (no escapes, which black may rewrite), a
#: security requirement (a tuple of tuples of such strings, as ``requirement_literal`` writes it) and the flag.
_STRING = r'"[^"\\\n]*"'
_ALTERNATIVE = rf"\((?:{_STRING}(?:, {_STRING})+|{_STRING},)?\)"
_ROUTE_ARGUMENT = re.compile(
    rf"{_STRING}|security=\((?:{_ALTERNATIVE}(?:, {_ALTERNATIVE})+|{_ALTERNATIVE},)?\)|makes_idempotency_key=True"
)
_ROUTE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*) = Route\((.*)\)\n", re.DOTALL)


def _route_arguments(text: str) -> tuple[str, ...] | None:
    """The arguments of a route's call as written on one line, on one line of their own or one a line."""
    arguments: list[str] = []
    rest = text.strip()
    while rest:
        match = _ROUTE_ARGUMENT.match(rest)
        if match is None:
            return None
        arguments.append(match.group())
        rest = rest[match.end() :]
        if rest and not rest.startswith(","):
            return None
        rest = rest[1:].lstrip(" \n")
    return tuple(arguments)


def vouches(statement: str) -> bool:
    """Whether ``statement`` (with its indentation, each line ending with a newline) is one of this module's
    forms exactly as it lays it out: then black leaves it as it is. Left on one line for black: not vouched."""
    laid: tuple[str, ...] | None = None
    if not statement.isascii():
        return False
    if match := _RETURNED.fullmatch(statement):
        laid = returned_call(*match.groups())
    elif match := _DEFINITION.fullmatch(statement):
        laid = definition(*match.groups())
    elif match := _PARSER.fullmatch(statement):
        constant, returns, parsed, name = match.groups()
        laid = parser_constant(constant, returns, f"model_parser({parsed})" if parsed else name)
    elif (match := _ROUTE.fullmatch(statement)) and (arguments := _route_arguments(match.group(2))):
        laid = assigned_call(match.group(1), "Route", arguments)
    elif match := _WRAPPED.fullmatch(statement):
        indent, target, callee, argument = match.groups()
        laid = assigned_call(target, callee, (argument,), indent)
    if laid is None or (len(laid) == 1 and len(laid[0]) > LINE_LENGTH):
        return False
    return statement == "".join(line + "\n" for line in laid)
