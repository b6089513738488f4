"""The sets of optional arguments a method must be given one of: a body whose union's members each require
some of its optional fields (``anyOf: [{required: [reviewers]}, {required: [team_reviewers]}]``, a ``oneOf``
of members that each require their own field). The methods get one ``typing.overload`` per set and a check
that refuses a call giving none before anything is sent; this module works out the sets, the docstring's
sentence and the check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.arguments import Member
from generator.typemodel import literal_source
from generator.view.shapes import GuardView


def required_sets(
    group: Sequence[Member], optional: Mapping[str, str], declared: set[str]
) -> tuple[tuple[str, ...], ...]:
    """The sets of optional arguments (by name) of which a call must give one, for one union of the body:
    each member's required properties (``Member.needs``: read-only ones left out) that are optional arguments. Empty when some member needs none of
    them (the required arguments satisfy it) or when no member can be satisfied by arguments alone (a
    member requires a property nothing declares: only ``extra_body`` can carry it). A set that contains
    another is left out: giving the smaller one is enough."""
    sets: list[tuple[str, ...]] = []
    for member in group:
        if any(prop not in declared for prop in member.needs):
            continue  # no argument carries it: this member cannot be chosen through arguments
        names = tuple(dict.fromkeys(optional[prop] for prop in member.needs if prop in optional))
        if not names:
            return ()
        if names not in sets:
            sets.append(names)
    return tuple(names for names in sets if not any(set(other) < set(names) for other in sets))


def needs_words(sets: tuple[tuple[str, ...], ...]) -> str:
    """The docstring's sentence on one union of the body that needs some optional arguments."""
    choices = "; ".join(" and ".join(f"``{name}``" for name in names) for names in sets)
    if len(sets) == 1:
        return f"Give {choices} (the request body requires it, though the signature cannot say so)."
    return f"Give at least one of: {choices} (the request body requires one of these)."


def guard(method: str, sets: tuple[tuple[str, ...], ...]) -> GuardView:
    """The check that a call gives one of ``sets`` before anything is sent: none given is a request the API
    refuses, whatever the server, so the method refuses it first, naming the choices."""
    missing = [" or ".join(f"{name} is NOT_GIVEN" for name in names) for names in sets]
    condition = " and ".join(f"({words})" if len(sets) > 1 and " or " in words else words for words in missing)
    choices = " or ".join(
        f"({' and '.join(names)})" if len(names) > 1 and len(sets) > 1 else " and ".join(names) for names in sets
    )
    which = "one of these" if len(sets) > 1 else ("them" if len(sets[0]) > 1 else "it")
    message = f"{method}() needs {choices}: the request body requires {which}. Nothing was sent."
    return GuardView(condition, literal_source(message))
