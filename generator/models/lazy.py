"""The lazy layout of a large schema set: one module per model, or per group of models that refer to each other.

Importing a module of a thousand pydantic classes costs about a second, paid by
whoever first touches any model. From ``LAZY_FROM`` definitions on, each
strongly connected group of definitions (a model alone, or models whose
references form a cycle) gets a module of its own under ``_models/`` (and
``_types/`` for the TypedDicts), which imports the groups it refers to at its
top: groups form no cycle, so every module imports complete. ``models.py`` and
``types.py`` then define nothing: they name every definition for type checkers
(imports under ``TYPE_CHECKING``) and import a group's module when one of its
names is first asked for (a module ``__getattr__``), after the modules it
imports, deepest first, so that a long chain of models never nests imports
(each nesting costs Python seven frames of its thousand). The first use of a
model loads that model and what it refers to, nothing else.

Below ``LAZY_FROM`` definitions, one module reads better and costs little (a
hundred classes import in about 50 ms).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.modeldefs import ModelDef
from generator.models.order import references
from generator.naming.case import snake

#: From this many definitions on, the models and TypedDicts are written in the lazy layout.
LAZY_FROM = 100


@dataclass(frozen=True)
class Group:
    """Definitions that refer to each other (or one alone), and the module they are written in."""

    module: str  # under ``_models/`` and ``_types/``, without ``.py``
    definitions: tuple[ModelDef, ...]  # in the order of the whole set


def groups(ordered: Sequence[ModelDef]) -> list[Group]:
    """The strongly connected groups of ``ordered``, each after the groups it refers to.

    Tarjan's algorithm, iterative (a chain of a thousand models is no reason to
    run out of stack); a group keeps the definitions' order, and is named after
    its first definition (``snake_case``, with a number when two names spell the
    same). A group that names none and is named by one group only joins that
    group's module (``_satellites``): a model's own enums sit beside it.
    """
    names = [definition.name for definition in ordered]
    known = set(names)
    edges = {definition.name: sorted(references(definition) & known) for definition in ordered}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in names:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            while position < len(targets) and targets[position] in index:
                target = targets[position]
                if target in on_stack:
                    low[node] = min(low[node], index[target])
                position += 1
            if position < len(targets):
                work.append((node, position + 1))
                work.append((targets[position], 0))
                continue
            if low[node] == index[node]:
                members: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                found.append(members)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    position_of = {name: number for number, name in enumerate(names)}
    by_name = {definition.name: definition for definition in ordered}
    taken: set[str] = set()
    result: list[Group] = []
    guests = _satellites(found, edges)
    hosted: dict[int, list[str]] = {}
    for guest, host in sorted(guests.items()):
        hosted.setdefault(host, []).extend(found[guest])
    for number, members in enumerate(found):  # Tarjan's order: a group after every group it reaches
        if number in guests:
            continue
        members.sort(key=position_of.__getitem__)
        module = base = snake(members[0])
        count = 1
        while module.lower() in taken:  # case-insensitive file systems
            count += 1
            module = f"{base}_{count}"
        taken.add(module.lower())
        held = [*members, *hosted.get(number, ())]
        result.append(Group(module, tuple(by_name[name] for name in sorted(held, key=position_of.__getitem__))))
    return result


def _satellites(found: Sequence[Sequence[str]], edges: Mapping[str, Sequence[str]]) -> dict[int, int]:
    """The groups that name no other and are named by one group only (an enum or a small class of one model): each
    is written in that group's module (guest → host). A guest names nothing, so no cycle between modules appears;
    it is loaded with its host, which needs it anyway."""
    group_of = {name: number for number, members in enumerate(found) for name in members}
    named: list[set[int]] = [set() for _ in found]
    for number, members in enumerate(found):
        named[number] = {group_of[target] for name in members for target in edges[name]} - {number}
    named_by: dict[int, set[int]] = {}
    for number, targets in enumerate(named):
        for target in targets:
            named_by.setdefault(target, set()).add(number)
    return {
        number: next(iter(named_by[number]))
        for number in range(len(found))
        if not named[number] and len(named_by.get(number, ())) == 1
    }


def homes(found: Sequence[Group]) -> Mapping[str, str]:
    """Each definition's module."""
    return {definition.name: group.module for group in found for definition in group.definitions}


def describe(group: Group, what: str) -> str:
    """The first words of a group module's docstring: ``Pydantic model Pet``, ``TypedDicts Node and Leaf``..."""
    names = [definition.name for definition in group.definitions]
    if len(names) == 1:
        return f"{what} {names[0]}"
    if len(names) <= 3:
        return f"{what}s {', '.join(names[:-1])} and {names[-1]}, which refer to each other,"
    return f"{what}s {', '.join(names[:2])} and {len(names) - 2} more, which refer to each other,"


def imported_modules(found: Sequence[Group], home: Mapping[str, str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each module that imports others, and those it imports (sorted), in the order of the modules' names."""
    needs: list[tuple[str, tuple[str, ...]]] = []
    for group in found:
        named = {name for definition in group.definitions for name in references(definition)}
        modules = sorted({home[name] for name in named if name in home} - {group.module})
        if modules:
            needs.append((group.module, tuple(modules)))
    return tuple(sorted(needs))
