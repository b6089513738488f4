"""The lazy layout of a large schema set: modules of models that belong together, each loaded on first use.

Importing a module of a thousand pydantic classes costs about half a second of
CPU (openrouter: 1,300 definitions in 0.4 s), paid by whoever first touches any
model. From ``LAZY_FROM`` definitions on, the definitions are cut into strongly
connected groups (a model alone, or models whose references form a cycle), a
group naming nothing else and named by one group only joins that group (a
model's own enums), and consecutive groups in dependency order share a module
up to ``PACK`` weight, under ``_models/`` (and ``_types/`` for the TypedDicts).
Each module imports the modules it refers to at its top: they form no cycle,
so every module imports complete. ``models.py`` and ``types.py`` then define
nothing: they name every definition for type checkers (imports under
``TYPE_CHECKING``) and import a name's module when the name is first asked for
(a module ``__getattr__``), after the modules it imports, deepest first, so
that a long chain of models never nests imports (each nesting costs Python
seven frames of its thousand). The first use of a model loads its module and
those it refers to, not the whole set.

Below ``LAZY_FROM`` definitions, one module reads better and costs little (a
hundred definitions import in about 30 ms).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.modeldefs import ModelDef
from generator.models.order import references, weight
from generator.naming.case import snake

#: From this many definitions on, the models and TypedDicts are written in the lazy layout.
LAZY_FROM = 100
#: The weight (``order.weight``: about 4 per class and 2 per field) of groups one module of the lazy layout holds:
#: a module per group would make a thousand files, each paying an import and a run of isort and black.
PACK = 200


@dataclass(frozen=True)
class Group:
    """Definitions that refer to each other (or one alone), and the module they are written in."""

    module: str  # under ``_models/`` and ``_types/``, without ``.py``
    definitions: tuple[ModelDef, ...]  # in the order of the whole set


def groups(ordered: Sequence[ModelDef], pack: int = 0) -> list[Group]:
    """The strongly connected groups of ``ordered``, each after the groups it refers to.

    Tarjan's algorithm, iterative (a chain of a thousand models is no reason to
    run out of stack); a group keeps the definitions' order, and is named after
    its first definition (``snake_case``, with a number when two names spell the
    same). A group that names none and is named by one group only joins that
    group's module (``_satellites``): a model's own enums sit beside it.

    Consecutive groups then share a module up to ``pack`` weight (``order.weight``;
    0: a module per group): in Tarjan's order a model's own groups come just
    before it, so a module holds models that belong together, and every module
    still imports only modules before it.
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
    packs: list[list[str]] = []
    size = pack
    for number, members in enumerate(found):  # Tarjan's order: a group after every group it reaches
        if number in guests:
            continue
        held = [*members, *hosted.get(number, ())]
        cost = sum(weight(by_name[name]) for name in held)
        if size + cost > pack:
            packs.append([])
            size = 0
        packs[-1].extend(held)
        size += cost
    for held in packs:
        held.sort(key=position_of.__getitem__)
        module = base = snake(held[0])
        count = 1
        while module.lower() in taken:  # case-insensitive file systems
            count += 1
            module = f"{base}_{count}"
        taken.add(module.lower())
        result.append(Group(module, tuple(by_name[name] for name in held)))
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
    """The first words of a module's docstring: ``Pydantic model Pet``, ``TypedDicts Node, Leaf and 3 more``..."""
    names = [definition.name for definition in group.definitions]
    if len(names) == 1:
        return f"{what} {names[0]}"
    if len(names) <= 3:
        return f"{what}s {', '.join(names[:-1])} and {names[-1]}"
    return f"{what}s {', '.join(names[:2])} and {len(names) - 2} more"


def imported_modules(found: Sequence[Group], home: Mapping[str, str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each module that imports others, and those it imports (sorted), in the order of the modules' names."""
    needs: list[tuple[str, tuple[str, ...]]] = []
    for group in found:
        named = {name for definition in group.definitions for name in references(definition)}
        modules = sorted({home[name] for name in named if name in home} - {group.module})
        if modules:
            needs.append((group.module, tuple(modules)))
    return tuple(sorted(needs))
