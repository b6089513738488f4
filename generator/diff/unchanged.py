"""Which models read the same on both sides of ``clientgen diff``, so that comparing them can be skipped.

A model is unchanged when it keeps its name (a component matched to itself,
a hoisted model with a definition), its normalised schema and its model
definition are equal on both sides, it is a component on both sides or
on neither, and every model it names (a ``$ref``, a parent or an owner of an
inherited field, a discriminator's target) is unchanged too. Everything the
schema comparison reads of a model is then the same on both sides, so it can
find nothing; a typical pull request changes a few models of hundreds, and
the comparison of the rest was most of a diff's time.

A model that names a changed one, however far away, is compared as before:
the skip is an optimisation, never a judgement. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Set
from typing import Any

from generator.markers import OWNERS, PARENTS
from generator.modeldefs import ModelDef
from generator.pointer import ref_name


def named_models(schema: Any) -> Iterator[str]:
    """Every model a normalised schema names, at any depth (with repeats)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    yield ref_name(value)
                elif key == PARENTS and isinstance(value, list):
                    yield from (item for item in value if isinstance(item, str))
                elif key == OWNERS and isinstance(value, dict):
                    yield from (item for item in value.values() if isinstance(item, str))
                elif key == "mapping" and isinstance(value, dict):
                    yield from (ref_name(item) for item in value.values() if isinstance(item, str))
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))


def unchanged_models(
    old_schemas: Mapping[str, Any],
    new_schemas: Mapping[str, Any],
    old_definitions: Mapping[str, ModelDef],
    new_definitions: Mapping[str, ModelDef],
    old_components: Set[str],
    new_components: Set[str],
    matching: Mapping[str, str],
    references: Mapping[str, Iterable[str]] | None = None,
) -> frozenset[str]:
    """The names of the models that read the same on both sides, with every model they name.

    ``references``: the models each schema of either side names (``named_models``), when known already: a
    schema equal on both sides names the same models on both.
    """
    changed: set[str] = set()
    named_by: dict[str, set[str]] = {}  # model → the models whose schemas name it
    for name, schema in old_schemas.items():
        same = (
            # A component is the same model when it is matched to its own name; a hoisted one has no match (it is
            # compared where it is used) and is seen through its definition.
            (matching.get(name) == name if name in old_components else name in old_definitions)
            and name in new_schemas
            and schema == new_schemas[name]
            and old_definitions.get(name) == new_definitions.get(name)
            and (name in old_components) == (name in new_components)
        )
        if not same:
            changed.add(name)
            continue
        named = references.get(name, ()) if references is not None else named_models(schema)
        for target in named:  # the same on both sides: the schemas are equal
            named_by.setdefault(target, set()).add(name)
            if target not in old_schemas or target not in new_schemas:
                changed.add(target)  # a name with no schema on one side: never the same
    pending = list(changed)
    while pending:
        for name in named_by.get(pending.pop(), ()):
            if name not in changed:
                changed.add(name)
                pending.append(name)
    return frozenset(old_schemas) - changed
