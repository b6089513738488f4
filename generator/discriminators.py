"""Discriminator mappings: each tag must name a schema that exists, and, on a union, one of its members.

A mapping value is a schema's name (``Cat``) or a reference (``#/components/schemas/Cat``). One that
names nothing, or a schema the ``oneOf``/``anyOf`` beside it does not list, used to be dropped without a
word: the tag then fell back to the union's other members, or to none. Each is a validation problem
located at the mapping entry (an error, or a warning with ``--lenient``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.extensions import Holder, schema_nodes
from generator.pointer import SCHEMA_PREFIX, pointer_escape, resolve_pointer
from generator.references import is_schema_position, tokens
from generator.rules import did_you_mean, shown


def _target(value: str, schemas: Mapping[str, Any]) -> str | None:
    """The reference a mapping value stands for, or None when it names no schema of the document."""
    if value.startswith("#"):
        return value
    return SCHEMA_PREFIX + pointer_escape(value) if value in schemas else None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def problems(data: Mapping[str, Any], holders: list[Holder] | None = None) -> list[tuple[str, str]]:
    """``(message, JSON pointer)`` of each discriminator mapping entry that names no schema, or a non-member.

    ``holders``: ``extensions.holders(data)``, when the caller has walked the document already.
    """
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    schemas = schemas if isinstance(schemas, Mapping) else {}
    found: list[tuple[str, str]] = []
    nodes = (
        schema_nodes(data)
        if holders is None
        else ((pointer, node) for place, pointer, node in holders if place == "schema")
    )
    for pointer, node in nodes:
        discriminator = node.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, Mapping) else None
        if not isinstance(mapping, Mapping):
            continue
        union = [member for keyword in ("oneOf", "anyOf") for member in _as_list(node.get(keyword))]
        members = [
            member["$ref"] for member in union if isinstance(member, Mapping) and isinstance(member.get("$ref"), str)
        ]
        for tag, value in mapping.items():
            where = f"{pointer}/discriminator/mapping/{pointer_escape(str(tag))}"
            if not isinstance(value, str):
                found.append((f"discriminator mapping {str(tag)!r}: must name a schema, not {shown(value)}", where))
                continue
            target = _target(value, schemas)
            exists = target is not None
            if target is not None and target.startswith("#"):
                try:
                    exists = isinstance(resolve_pointer(data, target), Mapping) and is_schema_position(tokens(target))
                except KeyError:
                    exists = False
            if not exists:
                names = [str(name) for name in schemas]
                hint = did_you_mean(value.rsplit("/", 1)[-1], names)
                found.append(
                    (f"discriminator mapping {str(tag)!r}: {value!r} names no schema of this document{hint}", where)
                )
            elif members and target not in members:
                listed = ", ".join(member.rsplit("/", 1)[-1] for member in members)
                found.append(
                    (
                        f"discriminator mapping {str(tag)!r}: {value!r} is not one of the schemas the union lists ({listed})",
                        where,
                    )
                )
    return found
