"""The statements the views lay out themselves are laid out as black lays them out (``generator/prelaid.py``).

The oracle is black: each form's one-line text, formatted by ``black.format_str`` at the depth the generator
writes it at, must come out as the lines ``prelaid`` gives (or ``prelaid`` leaves it on one line for black).
Names of every length from 1 to 130, and lengths that put the one-line text or its first line around 88
columns. ``vouches`` must recognise exactly those layouts: what it vouches for, black leaves as it is.
"""

from __future__ import annotations

import keyword

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.format import black_block
from generator.prelaid import LINE_LENGTH, assigned_call, definition, parser_constant, returned_call, vouches
from generator.view.resources import tojson

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"


@st.composite
def _name(draw: st.DrawFn, width: int = 0) -> str:
    """An identifier of any length from 1 to 130; with ``width``, often of a length that brings a line of
    ``width`` columns (before the name) to 86..90 columns."""
    near = width and draw(st.booleans())
    length = max(1, draw(st.integers(86, 90)) - width) if near else draw(st.integers(1, 130))
    rest = draw(st.text(_LETTERS, min_size=length - 1, max_size=length - 1))
    name = draw(st.sampled_from("abcXYZ_")) + rest
    assume(not keyword.iskeyword(name))  # ``as``, ``if``: the generator never names anything so
    return name


def _in_class(lines: tuple[str, ...], depth: int) -> str:
    """A module holding ``lines`` (indented ``depth`` steps) in a class, a method or both."""
    opening = ["class C:\n", "    def f(self):\n", "        if x:\n"][:depth]
    body = "".join(line + "\n" for line in lines)
    closing = " " * 4 * (depth + 1) + "pass\n" if lines[-1].endswith(":") else ""
    return "".join(opening) + body + closing


def _statement(lines: tuple[str, ...]) -> str:
    return "".join(line + "\n" for line in lines)


def _check(one_line: tuple[str, ...], laid: tuple[str, ...], depth: int) -> None:
    """Black lays out ``one_line`` as ``laid``, unless prelaid left it on one line for black; ``vouches``
    recognises ``laid`` then, and never the one-line text black would change."""
    left_to_black = len(laid) == 1 and len(laid[0]) > LINE_LENGTH
    formatted = black_block(_in_class(one_line, depth))
    if not left_to_black:
        assert formatted == _in_class(laid, depth)
    assert vouches(_statement(laid)) is not left_to_black
    assert vouches(_statement(one_line)) is (formatted == _in_class(one_line, depth))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_definition_is_laid_out_as_black_lays_it_out(data: st.DataObject) -> None:
    depth = data.draw(st.sampled_from([1, 2]), label="depth")  # 1: a class's member, as the generator writes
    indent = " " * 4 * depth
    name = data.draw(_name(len(indent) + len("def (self) -> resources.:") + 20), label="name")
    returns = "resources." + data.draw(_name(len(indent) + len(") -> resources.:")), label="returns")
    one_line = (f"{indent}def {name}(self) -> {returns}:",)
    _check(one_line, definition(indent, name, "self", returns), depth)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_returned_call_is_laid_out_as_black_lays_it_out(data: st.DataObject) -> None:
    depth = data.draw(st.sampled_from([2, 3]), label="depth")  # 2: a method's body, as the generator writes
    indent = " " * 4 * depth
    callee = "resources." + data.draw(_name(len(indent) + len("    resources.(")), label="callee")
    argument = data.draw(st.sampled_from(["self", "self._client", "self._client.", "self._resource."]))
    if argument.endswith("."):
        argument += data.draw(_name(len(indent) + 4 + len(argument)), label="attribute")
    one_line = (f"{indent}return {callee}({argument})",)
    _check(one_line, returned_call(indent, callee, argument), depth)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_parser_constant_is_laid_out_as_black_lays_it_out(data: st.DataObject) -> None:
    constant = "_" + data.draw(_name(len("_: Callable[[object], ] = model_parser(") + 20), label="constant")
    returns = data.draw(_name(len("    [object], ")), label="returns")
    expression = data.draw(st.sampled_from([f"model_parser({returns})", "not_none", "passthrough"]))
    one_line = (f"{constant}: Callable[[object], {returns}] = {expression}",)
    _check(one_line, parser_constant(constant, returns, expression), 0)


_SECURITY = [
    "",
    'security=(("api_email", "api_key"),)',
    'security=(("a",), ("b", "c"))',
    "security=((),)",
    'security=(("api_email", "api_key", "api_token"),)',
]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_route_is_laid_out_as_black_lays_it_out(data: st.DataObject) -> None:
    constant = "_" + data.draw(_name(len("_ = Route(") + 10), label="constant")
    method = data.draw(st.sampled_from(['"GET"', '"POST"', '"DELETE"']))
    path = '"/' + data.draw(_name(len('    "GET", "/"')), label="path") + '"'
    security = data.draw(st.sampled_from(_SECURITY))
    flag = data.draw(st.sampled_from(["", "makes_idempotency_key=True"]))
    arguments = tuple(argument for argument in (method, path, security, flag) if argument)
    one_line = (f"{constant} = Route({', '.join(arguments)})",)
    _check(one_line, assigned_call(constant, "Route", arguments), 0)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_wrapped_method_is_laid_out_as_black_lays_it_out(data: st.DataObject) -> None:
    depth = data.draw(st.sampled_from([2, 3]), label="depth")  # 2: ``__init__``'s body, as the generator writes
    indent = " " * 4 * depth
    wrapper = data.draw(
        st.sampled_from(
            [
                "to_raw_response_wrapper",
                "async_to_raw_response_wrapper",
                "to_streamed_response_wrapper",
                "async_to_streamed_response_wrapper",
            ]
        )
    )
    name = data.draw(_name(len(indent) + len(f"self. = {wrapper}(")), label="name")
    one_line = (f"{indent}self.{name} = {wrapper}(resource.{name})",)
    _check(one_line, assigned_call(f"self.{name}", wrapper, (f"resource.{name}",), indent), depth)


def test_what_prelaid_does_not_know_is_not_vouched_for() -> None:
    laid = returned_call(" " * 8, "resources.Pets", "self._client")
    assert vouches(_statement(laid))
    assert not vouches(_statement(laid).replace("self._client", "self.a.b.c"))  # more dots: black may split at them
    route = assigned_call("_R" * 30, "Route", ('"GET"', '"/a\\"b"'))  # an escaped string black may rewrite
    assert not vouches(_statement(route))
    assert not vouches("x = Route(\n    f(a), g(b)\n)\n")


def test_names_other_than_ascii_are_left_to_black() -> None:
    """Black measures them by their width (a wide character takes two columns): prelaid, by their length."""
    wide = "名" * 30
    assert definition("    ", wide, "self", "resources.Pets" + "s" * 30) == (
        f"    def {wide}(self) -> resources.Pets{'s' * 30}:",
    )
    assert len(returned_call(" " * 8, f"resources.{wide}", "self._client." + "a" * 40)) == 1
    assert len(assigned_call("_R", "Route", ('"GET"', f'"/{wide}{"p" * 60}"'))) == 1
    assert not vouches(f"    def {wide}(self) -> resources.Pets:\n")


@pytest.mark.parametrize("text", ["/pets/{id}", "/a<b>&'c'", '/q"uote\\', "/é/名/\u2028", ""])
def test_route_strings_are_written_as_jinja_wrote_them(text: str) -> None:
    import jinja2

    assert tojson(text) == jinja2.Environment().from_string("{{ text | tojson }}").render(text=text)


def test_what_prelaid_lays_out_stands_aside_while_black_runs() -> None:
    """keptlines keeps a statement prelaid vouches for as it is: black sees a placeholder, and the module comes
    out as black makes it."""
    from generator.keptlines import format_keeping_lines

    long_name = "Api20100401AuthCallsCredentialListMappingWithStreamingResponse"
    laid = [
        definition("    ", "auth_calls_credential_list_mapping", "self", f"typed_resources.Async{long_name}"),
        returned_call(" " * 8, f"typed_resources.Async{long_name}", "self._client"),
        returned_call(" " * 8, f"resources.{long_name}Items", "self._client"),
    ]
    assert all(len(lines) > 1 for lines in laid)
    source = (
        "class Client:\n"
        "    @cached_property\n"
        f"{_statement(laid[0])}"
        f"{_statement(laid[1])}\n"
        "    @cached_property\n"
        "    def other(self) -> int:\n"
        f"{_statement(laid[2])}"
    )
    seen: list[str] = []

    def black(text: str) -> str:
        seen.append(text)
        return black_block(text)

    assert format_keeping_lines(source, black) == black_block(source)
    assert not any(long_name in text for text in seen)
