"""The order model definitions are written in, and how a schema set too large for one module is split.

Order makes every cycle import: enums first (field defaults name their
members), then classes, whose annotations are lazy, then aliases, which are
evaluated at once, after every class and after the aliases they use. Aliases
that are recursive among themselves come before the classes, each written as
one string in which the other aliases of its cycle are spelled out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.modeldefs import AliasModel, EnumModel, ModelDef, ObjectModel, TaggedUnion
from generator.typemodel import Model, Type, substitute, walk


def references(definition: ModelDef) -> set[str]:
    """The models a definition names."""
    types: list[Type] = []
    if isinstance(definition, ObjectModel):
        types = [field.type for field in definition.fields]
    elif isinstance(definition, AliasModel):
        types = [definition.type]
    elif isinstance(definition, TaggedUnion):
        types = [Model(model) for _, model in definition.variants]
    return {node.name for value in types for node in walk(value) if isinstance(node, Model)}


def ordered(definitions: Sequence[ModelDef]) -> tuple[list[ModelDef], frozenset[str]]:
    """The definitions in an order that imports, and the aliases that are recursive among aliases.

    Enums first; then recursive aliases, written as one string (lazy) in which
    the other aliases of their cycle are spelled out, so each refers only to
    itself; then classes; then the other aliases, each after those it uses.
    """
    enums = [d for d in definitions if isinstance(d, EnumModel)]
    classes = [d for d in definitions if isinstance(d, ObjectModel)]
    aliases = {d.name: d for d in definitions if isinstance(d, (AliasModel, TaggedUnion))}
    uses = {name: sorted(references(definition) & aliases.keys()) for name, definition in aliases.items()}
    recursive = frozenset(name for name in aliases if name in _reachable(name, uses))
    placed: list[ModelDef] = []
    done: set[str] = set(recursive)

    def visit(name: str) -> None:
        if name in done:
            return
        done.add(name)
        for used in uses[name]:
            visit(used)
        placed.append(aliases[name])

    for name in aliases:
        visit(name)
    cyclic: list[ModelDef] = []
    for name in aliases:
        if name in recursive:
            cyclic.append(_self_contained(aliases[name], aliases, recursive - {d.name for d in cyclic}))
    return [*enums, *cyclic, *classes, *placed], recursive


def _reachable(start: str, uses: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    pending = list(uses[start])
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(uses[name])
    return seen


def _self_contained(definition: ModelDef, aliases: Mapping[str, ModelDef], recursive: frozenset[str]) -> ModelDef:
    """A recursive alias with the recursive aliases not written yet spelled out: it refers to itself and earlier ones only."""
    assert isinstance(definition, AliasModel)  # a tagged union refers to classes only

    def expand(value: Type, stack: frozenset[str]) -> Type:
        if isinstance(value, Model) and value.name in recursive and value.name not in stack:
            target = aliases[value.name]
            if isinstance(target, AliasModel):
                return expand(target.type, stack | {value.name})
        return substitute(value, lambda child: expand(child, stack))

    return AliasModel(definition.name, definition.description, expand(definition.type, frozenset({definition.name})))


def weight(definition: ModelDef) -> int:
    """About how many code-flow nodes pyright makes of a definition."""
    if isinstance(definition, ObjectModel):
        return 4 + 2 * len(definition.fields)
    if isinstance(definition, EnumModel):
        return 2 + 2 * len(definition.members)
    return 3


def split(ordered: Sequence[ModelDef], budget: int) -> list[list[ModelDef]]:
    """The definitions in consecutive parts of at most ``budget`` weight; enums never share a part with the rest.

    Enums are the only definitions other modules need while they run (a field's
    default is an enum member): in parts of their own, which import nothing,
    they are always complete when imported.
    """
    if sum(weight(definition) for definition in ordered) <= budget:
        return [list(ordered)]
    parts: list[list[ModelDef]] = []
    size = budget
    for index, definition in enumerate(ordered):
        cost = weight(definition)
        first_after_enums = (
            index > 0 and isinstance(ordered[index - 1], EnumModel) and not isinstance(definition, EnumModel)
        )
        if size + cost > budget or first_after_enums:
            parts.append([])
            size = 0
        parts[-1].append(definition)
        size += cost
    return parts
