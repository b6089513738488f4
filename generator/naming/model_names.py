"""Model names: the rename map first, then automatic names, identical schemas merged.

Schemas given one name are structurally identical (they collapse into one
model); different schemas that would share a name are told apart
deterministically, by their own key, so unrelated changes never rename them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import ClientgenError
from generator.naming.autoname import MAX_LENGTH, RESERVED, candidates, is_exact, words
from generator.naming.rename_map import RenameMap, check_class_name
from generator.naming.structure import structural_classes


def auto_name(key: str) -> str:
    """A readable class name for a schema key nobody named (see ``generator.autoname``)."""
    return candidates(key)[0]


@dataclass(frozen=True)
class ModelNames:
    """The model name of every component schema, and which keys each name stands for."""

    by_key: Mapping[str, str]

    def keys_of(self, name: str) -> list[str]:
        return sorted(key for key, model in self.by_key.items() if model == name)

    @property
    def canonical_key(self) -> dict[str, str]:
        """Model name → the schema key whose content the model is built from."""
        result: dict[str, str] = {}
        for key in sorted(self.by_key):
            result.setdefault(self.by_key[key], key)
        return result


def name_models(schemas: Mapping[str, Any], renames: RenameMap, reserved: Iterable[str] = ()) -> ModelNames:
    """Give every schema a model name: the rename map first, then automatic names.

    A schema whose key already is a readable class name (or that the map
    names) keeps that name, and machine-named schemas identical to it join its
    model. Other identical schemas become one model when their names agree or
    share their meaningful words, or when they are objects with properties.
    Each remaining model takes the first free candidate of its best key (see
    ``generator.autoname``); when two distinct schemas want the same name, the
    one with the shorter key keeps it and the other takes its own next
    candidate, never one that is some other schema's first choice. Names
    depend only on the keys and shapes involved, so a change elsewhere in the
    spec renames nothing.
    """
    for key, target in renames.entries.items():
        if key not in schemas:
            raise ClientgenError(
                f"stale rename entry {key!r}: no schema with that name in components/schemas", renames.locate(key)
            )
        check_class_name(target, renames.locate(key))
    classes = structural_classes(schemas)
    taken = set(reserved) | RESERVED
    chosen: dict[str, str] = {}
    # Names from the map: several keys may share one only if their schemas are identical.
    owners: dict[str, str] = {}
    for key in sorted(renames.entries):
        target = renames.entries[key]
        first = owners.setdefault(target, key)
        if classes[first] != classes[key]:
            raise ClientgenError(
                f"rename collision: {first!r} and {key!r} both map to {target!r} but describe different data",
                renames.locate(key),
            )
        chosen[key] = target
    for key, target in sorted(renames.entries.items()):
        # Another schema keeps its own name unless the map renames it: taking that name would move it silently.
        moved = target != key and target in schemas and target not in renames.entries and is_exact(target)
        if moved and classes[target] != classes[key]:
            raise ClientgenError(
                f"rename entry {key!r}: {target!r} is the name of schema {target!r}, which would silently become "
                f"another class; rename {target!r} too, or choose another name",
                renames.locate(key),
            )
    taken.update(chosen.values())
    # Keys that already are good class names keep them.
    for key in sorted(schemas):
        if key not in chosen and key not in taken and is_exact(key):
            chosen[key] = key
            taken.add(key)
    members: dict[int, list[str]] = {}
    for key in sorted(schemas):
        members.setdefault(classes[key], []).append(key)
    units: list[_Unit] = []
    for cls in sorted(members, key=lambda item: members[item][0]):
        named = sorted(
            (key for key in members[cls] if key in chosen), key=lambda item: (item not in renames.entries, item)
        )
        rest = [key for key in members[cls] if key not in chosen]
        if not rest:
            continue
        substantial = _substantial(schemas[rest[0]])
        if named:
            anchor = chosen[named[0]]
            joining = [key for key in rest if substantial or _common_name([anchor, candidates(key)[0]]) is not None]
            for key in joining:
                chosen[key] = anchor
            rest = [key for key in rest if key not in joining]
        units.extend(_units(rest, substantial, is_object_with_properties(schemas[members[cls][0]])))
    # One model per unit: the first free candidate of its best key.
    wanted: dict[str, list[_Unit]] = {}
    for unit in units:
        wanted.setdefault(unit.options[0], []).append(unit)
    bases = set(wanted)
    for base in sorted(wanted):
        contenders = sorted(wanted[base], key=lambda unit: (min(len(key) for key in unit.keys), min(unit.keys)))
        for position, unit in enumerate(contenders):
            name = base if position == 0 and base not in taken else _disambiguate(unit.options, taken, bases)
            taken.add(name)
            for key in unit.keys:
                chosen[key] = name
    return ModelNames(chosen)


@dataclass(frozen=True)
class _Unit:
    """Schema keys that become one model, and the names it may take, best first."""

    keys: tuple[str, ...]
    options: tuple[str, ...]


def _units(keys: list[str], substantial: bool, has_properties: bool) -> list[_Unit]:
    """Split identical schemas into models: one model when their names agree or share their meaningful
    words, or when the data is an object with properties (one model, named after the best key)."""
    if not keys:
        return []
    by_base: dict[str, list[str]] = {}
    for key in keys:
        by_base.setdefault(candidates(key)[0], []).append(key)
    best = min(keys, key=lambda item: (len(candidates(item)[0]), item))
    if len(by_base) == 1:
        return [_Unit(tuple(keys), candidates(best))]
    common = _common_name(sorted(by_base), substantial)
    if common is not None or has_properties:
        options = ((common,) if common is not None and common not in RESERVED else ()) + candidates(best)
        return [_Unit(tuple(keys), tuple(dict.fromkeys(options)))]
    return [
        _Unit(tuple(group), candidates(min(group, key=lambda item: (len(item), item))))
        for _, group in sorted(by_base.items())
    ]


def _common_name(names: list[str], substantial: bool = False) -> str | None:
    """What several names of the same data share: one whole name, or two or more words at the end
    (or, for substantial data, at the start: ``AvailablePhoneNumber`` of its ``Local`` and ``Mobile`` kinds)."""
    split = [words(name) for name in names]
    for parts in split:
        if all(_ends_with(other, parts) for other in split):
            return "".join(parts)
    for reverse in (True, False) if substantial else (True,):
        common: list[str] = []
        for column in zip(*(reversed(parts) if reverse else parts for parts in split), strict=False):
            if len(set(column)) != 1:
                break
            common.append(column[0])
        if len(common) >= (2 if reverse else 3):
            name = "".join(reversed(common) if reverse else common)
            return name if name[:1].isalpha() else None  # a shared tail may start at a number: not a class name
    return None


def _ends_with(parts: list[str], suffix: list[str]) -> bool:
    return len(parts) >= len(suffix) and parts[len(parts) - len(suffix) :] == suffix


def is_object_with_properties(schema: Any) -> bool:
    return isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and bool(schema["properties"])


def _substantial(schema: Any) -> bool:
    """Data worth one model even under different names: properties, a real enum or a union."""
    if not isinstance(schema, dict):
        return False
    properties = schema.get("properties")
    enum = schema.get("enum")
    return (
        bool(properties)
        or (isinstance(enum, list) and len(enum) > 1)
        or any(isinstance(schema.get(key), list) for key in ("oneOf", "anyOf", "allOf"))
    )


def _disambiguate(options: tuple[str, ...], taken: set[str], bases: set[str]) -> str:
    """The next free candidate that is nobody's first choice; else the first one numbered."""
    for candidate in options[1:]:
        if candidate not in taken and candidate not in bases:
            return candidate
    base = options[0][: MAX_LENGTH - 2]
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"
