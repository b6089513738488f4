"""Stage 6, models: pydantic v2 models (``models.py``) and TypedDicts (``types.py``) from the model definitions.

Both modules are rendered from the same definitions and type model, so a field
has the same type in both (formats aside: TypedDicts hold raw JSON). Order
makes every cycle import: enums first (field defaults name their members),
then classes, whose annotations are lazy, then aliases, which are evaluated at
once, after every class and after the aliases they use. Classes that refer to
a name defined after them are rebuilt at the end (``model_rebuild``).

A schema set too large for one module (pyright gives up on a module past a
fixed size) is written in parts, ``_models_1.py``... and ``_types_1.py``...,
that ``models.py`` and ``types.py`` re-export: enums in parts of their own,
and each part importing the other parts' names after its own definitions, so
that any cycle between parts imports.

Forward compatible, in the pydantic models: enums derive from the runtime's
``OpenEnum``/``OpenIntEnum`` (an unknown value parses), and a tagged union
gets a callable discriminator with a fallback member, so a variant the client
does not know yet is kept as a dict instead of failing the whole response.
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.modeldefs import (
    MISSING,
    AliasModel,
    EnumModel,
    Field,
    ModelDef,
    ObjectModel,
    TaggedUnion,
    needs_python_regex,
)
from generator.text import string_literal
from generator.typemodel import (
    ANY,
    NONE,
    Annotated,
    DictOf,
    Flavour,
    Import,
    Literal,
    Model,
    NotRequired,
    Primitive,
    Type,
    literal_source,
    members,
    render,
    substitute,
    union,
    walk,
)
from generator.view.annotate import BUILTIN_TYPES
from generator.view.docstrings import docstring_text

#: Names a field can hide from the annotations of its class.
_SHADOWABLE = BUILTIN_TYPES | {"UUID", "datetime", "date", "time"}


@dataclass(frozen=True)
class ModelSources:
    pydantic: str  # models.py
    typed_dicts: str  # types.py
    #: (module name, body) of each part, when the models are too many for one module (see ``split``).
    parts: tuple[tuple[str, str], ...] = ()


#: The most statements (weighed by ``_weight``) one model module holds. pyright stops analysing a module whose
#: code-flow graph passes a fixed size (about 30,000 nodes: two per field with a default, one per bare field),
#: and then types every name in it as unknown; a larger schema set is written in several modules.
PART_BUDGET = 12_000


def generate_models(definitions: Sequence[ModelDef], budget: int | None = None) -> ModelSources:
    if not definitions:
        return ModelSources("", "")
    ordered, recursive = _ordered(definitions)
    parts = split(ordered, PART_BUDGET if budget is None else budget)
    if len(parts) == 1:
        return ModelSources(
            _Module(ordered, "python", recursive).pydantic(), _Module(ordered, "json", recursive).typed_dicts()
        )
    home = {definition.name: index for index, part in enumerate(parts) for definition in part}
    enum_parts = frozenset(index for index, part in enumerate(parts) if all(isinstance(d, EnumModel) for d in part))
    sources: list[tuple[str, str]] = []
    rebuild: list[str] = []
    for index, part in enumerate(parts):
        pydantic = _Module(part, "python", recursive, _Parts(index, home, enum_parts, "_models"))
        sources.append((f"_models_{index + 1}", pydantic.pydantic()))
        rebuild.extend(pydantic.rebuild)
        sources.append(
            (
                f"_types_{index + 1}",
                _Module(part, "json", recursive, _Parts(index, home, enum_parts, "_types")).typed_dicts(),
            )
        )
    return ModelSources(_entry(parts, "_models", rebuild), _entry(parts, "_types", []), tuple(sources))


def _weight(definition: ModelDef) -> int:
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
    if sum(_weight(definition) for definition in ordered) <= budget:
        return [list(ordered)]
    parts: list[list[ModelDef]] = []
    size = budget
    for index, definition in enumerate(ordered):
        weight = _weight(definition)
        first_after_enums = (
            index > 0 and isinstance(ordered[index - 1], EnumModel) and not isinstance(definition, EnumModel)
        )
        if size + weight > budget or first_after_enums:
            parts.append([])
            size = 0
        parts[-1].append(definition)
        size += weight
    return parts


@dataclass(frozen=True)
class _Parts:
    """Where the definitions of a split module live: this part's index, each name's part, the enum-only parts."""

    index: int
    home: Mapping[str, int]
    enum_parts: frozenset[int]
    prefix: str  # "_models" or "_types"


def _entry(parts: Sequence[Sequence[ModelDef]], prefix: str, rebuild: Sequence[str]) -> str:
    """The public module of split models: every name re-exported from its part, then the classes completed."""
    lines = ["from __future__ import annotations", ""]
    for index, part in enumerate(parts):
        names = ", ".join(f"{d.name} as {d.name}" for d in part)
        lines.append(f"from .{prefix}_{index + 1} import ({names})")
    footer = [f"{name}.model_rebuild()" for name in rebuild]
    return "\n".join(lines) + ("\n\n" + "\n".join(footer) if footer else "") + "\n"


def _references(definition: ModelDef) -> set[str]:
    types: list[Type] = []
    if isinstance(definition, ObjectModel):
        types = [field.type for field in definition.fields]
    elif isinstance(definition, AliasModel):
        types = [definition.type]
    elif isinstance(definition, TaggedUnion):
        types = [Model(model) for _, model in definition.variants]
    return {node.name for value in types for node in walk(value) if isinstance(node, Model)}


def _ordered(definitions: Sequence[ModelDef]) -> tuple[list[ModelDef], frozenset[str]]:
    """The definitions in an order that imports, and the aliases that are recursive among aliases.

    Enums first; then recursive aliases, written as one string (lazy) in which
    the other aliases of their cycle are spelled out, so each refers only to
    itself; then classes; then the other aliases, each after those it uses.
    """
    enums = [d for d in definitions if isinstance(d, EnumModel)]
    classes = [d for d in definitions if isinstance(d, ObjectModel)]
    aliases = {d.name: d for d in definitions if isinstance(d, (AliasModel, TaggedUnion))}
    uses = {name: sorted(_references(definition) & aliases.keys()) for name, definition in aliases.items()}
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


def _docstring(text: str, indent: str = "") -> list[str]:
    if not text:
        return []
    body = docstring_text(text)
    if not body:
        return []
    lines = body.splitlines()
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *(f"{indent}{line}" if line else "" for line in lines[1:]), f'{indent}"""']


class _Module:
    """One module being written: its definitions in order, the imports they collect."""

    def __init__(
        self, ordered: Sequence[ModelDef], flavour: Flavour, recursive: frozenset[str], parts: _Parts | None = None
    ) -> None:
        self.ordered = ordered
        self.flavour = flavour
        self.recursive = recursive
        self.parts = parts
        self.found: set[Import] = set()
        self.enums = {d.name: d for d in ordered if isinstance(d, EnumModel)}
        self.position = {d.name: index for index, d in enumerate(ordered)}
        self.rebuild: list[str] = []  # of a part: classes its entry module completes
        self.lazy: set[str] = set()  # of a part: aliases written as strings

    def _foreign(self) -> tuple[list[str], list[str]]:
        """A part's imports from the other parts: those it needs while it runs (enums), and the rest (at its end).

        Importing the rest last, after every definition, makes the parts' import
        cycles harmless: a part being imported has always defined its names.
        """
        if self.parts is None:
            return [], []
        used: dict[int, set[str]] = {}
        for definition in self.ordered:
            for name in _references(definition):
                home = self.parts.home.get(name)
                if home is not None and home != self.parts.index:
                    used.setdefault(home, set()).add(name)
        first: list[str] = []
        last: list[str] = []
        for home, names in sorted(used.items()):
            line = f"from .{self.parts.prefix}_{home + 1} import {', '.join(sorted(names))}"
            (first if home in self.parts.enum_parts else last).append(line)
        return first, last

    def type(self, value: Type, shadowed: frozenset[str] = frozenset()) -> str:
        return render(value, self.flavour, shadowed, self.found)

    # --- pydantic ---

    def pydantic(self) -> str:
        blocks: list[str] = []
        rebuild: list[str] = []
        runtime: set[str] = set()
        pydantic_names: set[str] = set()
        base_model = False
        defined: set[str] = set()
        for index, definition in enumerate(self.ordered):
            if isinstance(definition, EnumModel):
                base = "OpenEnum" if definition.base == "str" else "OpenIntEnum"
                runtime.add(base)
                lines = [f"class {definition.name}({base}):", *_docstring(definition.description, "    ")]
                if definition.description:
                    lines.append("")
                lines.extend(f"    {name} = {literal_source(value)}" for name, value in definition.members)
                blocks.append("\n".join(lines))
            elif isinstance(definition, ObjectModel):
                pydantic_names.add("ConfigDict")
                base_model = True
                blocks.append(self._pydantic_class(definition, pydantic_names))
                if self.parts is not None and not _references(definition) <= defined:
                    self.rebuild.append(definition.name)  # it names a class of another part, or a later one
                elif self.parts is None and any(
                    self.position.get(name, -1) >= index for name in _references(definition)
                ):
                    rebuild.append(definition.name)
            elif isinstance(definition, TaggedUnion):
                runtime.update({"UNKNOWN_VARIANT", "UnknownVariantDict", "variant_tag"})
                pydantic_names.update({"Discriminator", "Tag as _Tag"})  # a model may well be called Tag
                blocks.append(
                    self._alias_type(definition.name, self._tagged(definition), definition.description, defined)
                )
            else:
                blocks.append(self._alias_type(definition.name, definition.type, definition.description, defined))
            defined.add(definition.name)
        first, last = self._foreign()
        header = ["from __future__ import annotations", "", *self._import_lines(), *first]
        if pydantic_names:
            header.append(f"from pydantic import {', '.join(sorted(pydantic_names))}")
        if base_model:  # pydantic's BaseModel with to_dict() and to_json()
            header.append("from ._runtime.base_model import BaseModel")
        if any(isinstance(d, (AliasModel, TaggedUnion)) for d in self.ordered):
            header.append("from typing_extensions import TypeAliasType")
        if runtime:
            header.append(f"from ._runtime import {', '.join(sorted(runtime))}")
        footer = [*last, *(f"{name}.model_rebuild()" for name in rebuild)]
        return (
            "\n".join(header)
            + "\n\n\n"
            + "\n\n\n".join(blocks)
            + ("\n\n\n" + "\n".join(footer) if footer else "")
            + "\n"
        )

    def _pydantic_class(self, model: ObjectModel, pydantic_names: set[str]) -> str:
        shadowed = frozenset(field.attribute for field in model.fields) & _SHADOWABLE
        lines = [f"class {model.name}(BaseModel):", *_docstring(model.description, "    ")]
        if model.description:
            lines.append("")
        settings = ['extra="allow"', "populate_by_name=True"]
        if any(field.attribute.startswith("model_") for field in model.fields):
            settings.append("protected_namespaces=()")  # such fields shadow nothing (see modeldefs._attribute)
        if needs_python_regex(model):
            settings.append('regex_engine="python-re"')  # a pattern with a backreference or lookaround
        lines.append(f"    model_config = ConfigDict({', '.join(settings)})")
        lines.append("")
        for field in model.fields:
            value = (
                field.type
                if field.required or field.default is not MISSING and field.default is not None
                else union(field.type, NONE)
            )
            arguments: list[str] = []
            if field.attribute != field.wire_name:
                arguments.append(f"alias={literal_source(field.wire_name)}")
            arguments.extend(f"{name}={literal_source(constraint)}" for name, constraint in field.constraints)
            default, in_field = self._default(field)
            if in_field:
                arguments.insert(0, f"default={default}, validate_default=True")
                default = None
            if arguments:
                pydantic_names.add("Field")
                if in_field:
                    default = f"Field({', '.join(arguments)})"
                else:
                    value = Annotated(value, (f"Field({', '.join(arguments)})",))
            declaration = f"    {field.attribute}: {self.type(value, shadowed)}"
            if default is not None:
                declaration += f" = {default}"
            lines.append(declaration)
            lines.extend(_docstring(field.description, "    "))
        return "\n".join(lines)

    def _default(self, field: Field) -> tuple[str | None, bool]:
        """The default's source (``None``: required) and whether it must go through ``Field(default=...)``."""
        if field.required:
            return None, False
        if field.default is MISSING or field.default is None:
            return "None", False
        default = field.default
        for member in members(field.type):
            if isinstance(member, Model) and member.name in self.enums:
                for name, item in self.enums[member.name].members:
                    if item == default and type(item) is type(default):
                        return f"{member.name}.{name}", False
            if isinstance(member, Literal) and any(
                item == default and type(item) is type(default) for item in member.values
            ):
                return literal_source(default), False
            if isinstance(member, Primitive) and _scalar_fits(member, default) and render(member) == member.kind:
                return literal_source(default), False
        # A default the annotation does not admit as written (a UUID as text, a list): pydantic validates it.
        return literal_source(default), True

    def _tagged(self, union_model: TaggedUnion) -> Type:
        tags = ", ".join(literal_source(tag) for tag, _ in union_model.variants) + (
            "," if len(union_model.variants) == 1 else ""
        )
        attribute = self._attribute_of(union_model.variants[0][1], union_model.wire_name)
        variants = [Annotated(Model(model), (f"_Tag({literal_source(tag)})",)) for tag, model in union_model.variants]
        fallback = Annotated(DictOf(ANY), ("UnknownVariantDict()", "_Tag(UNKNOWN_VARIANT)"))
        discriminator = f"Discriminator(variant_tag({literal_source(union_model.wire_name)}, {literal_source(attribute)}, ({tags})))"
        return Annotated(union(*variants, fallback), (discriminator,))

    def _attribute_of(self, model: str, wire_name: str) -> str:
        for definition in self.ordered:
            if isinstance(definition, ObjectModel) and definition.name == model:
                for field in definition.fields:
                    if field.wire_name == wire_name:
                        return field.attribute
        return wire_name

    def _alias_type(self, name: str, value: Type, description: str, defined: set[str]) -> str:
        text = self.type(value)
        named = {node.name for node in walk(value) if isinstance(node, Model)}
        if name in named or (self.parts is not None and not named <= defined):
            # It names itself, or a name a part imports at its end: evaluated later, by pydantic and type checkers.
            text = string_literal(text)
        lines = [f"{name} = TypeAliasType({json.dumps(name)}, {text})", *_docstring(description)]
        return "\n".join(lines)

    # --- TypedDicts ---

    def typed_dicts(self) -> str:
        blocks: list[str] = []
        defined: set[str] = set()
        for definition in self.ordered:
            if isinstance(definition, EnumModel):
                value: Type = union(*(Literal((item,)) for _, item in definition.members))
                blocks.append(self._type_alias(definition.name, value, definition.description, defined))
            elif isinstance(definition, ObjectModel):
                blocks.append(self._typed_dict(definition))
            elif isinstance(definition, TaggedUnion):
                value = union(*(Model(model) for model in dict.fromkeys(model for _, model in definition.variants)))
                blocks.append(self._type_alias(definition.name, value, definition.description, defined))
            else:
                blocks.append(self._type_alias(definition.name, definition.type, definition.description, defined))
            if definition.name not in self.lazy:
                defined.add(definition.name)
        header = ["from __future__ import annotations", ""]
        not_required = Import("typing", "NotRequired") in self.found
        self.found.discard(Import("typing", "NotRequired"))
        if any(isinstance(d, ObjectModel) for d in self.ordered):
            self.found.add(Import("typing", "TypedDict"))
        if any(not isinstance(d, ObjectModel) for d in self.ordered):
            self.found.add(Import("typing", "TypeAlias"))
        if not_required:
            header.append("import sys")
        header.extend(self._import_lines())
        first, last = self._foreign()
        header.extend(first)
        if not_required:
            header.extend(
                [
                    "",
                    "if sys.version_info >= (3, 11):",
                    "    from typing import NotRequired",
                    "else:  # pragma: no cover",
                    "    from typing_extensions import NotRequired",
                ]
            )
        return (
            "\n".join(header) + "\n\n\n" + "\n\n\n".join(blocks) + ("\n\n\n" + "\n".join(last) if last else "") + "\n"
        )

    def _type_alias(self, name: str, value: Type, description: str, defined: set[str]) -> str:
        text = self.type(value)
        later = {node.name for node in walk(value) if isinstance(node, Model)} - defined - {name}
        if (
            name in {node.name for node in walk(value) if isinstance(node, Model)}
            or any(
                not isinstance(self.ordered[self.position[used]], ObjectModel)
                for used in later
                if used in self.position
            )
            or (self.parts is not None and bool(later))
        ):
            text = string_literal(text)  # evaluated at import otherwise: a cycle of aliases needs the quotes
            if self.parts is not None:
                self.lazy.add(name)  # a string: no later alias of the part may use it in an expression
        return "\n".join([f"{name}: TypeAlias = {text}", *_docstring(description)])

    def _typed_dict(self, model: ObjectModel) -> str:
        wire_names = [field.wire_name for field in model.fields]
        used = {node.name for field in model.fields for node in walk(field.type) if isinstance(node, Model)}
        # A key that is a keyword, not an identifier, or the name of a model it uses needs the functional form.
        functional = any(not name.isidentifier() or keyword.iskeyword(name) or name in used for name in wire_names)
        shadowed = frozenset(wire_names) & _SHADOWABLE
        if functional:
            entries = []
            for field in model.fields:
                value: Type = field.type if field.required else NotRequired(field.type)
                # The functional form evaluates its values at once: quoted, they may name later classes.
                entries.append(f"{literal_source(field.wire_name)}: {string_literal(self.type(value))}")
            lines = [
                f"{model.name} = TypedDict({json.dumps(model.name)}, {{{', '.join(entries)}}})",
                *_docstring(model.description),
            ]
            return "\n".join(lines)
        lines = [f"class {model.name}(TypedDict):", *_docstring(model.description, "    ")]
        if model.description:
            lines.append("")
        for field in model.fields:
            value = field.type if field.required else NotRequired(field.type)
            lines.append(f"    {field.wire_name}: {self.type(value, shadowed)}")
            lines.extend(_docstring(field.description, "    "))
        return "\n".join(lines)

    # --- shared ---

    def _import_lines(self) -> list[str]:
        by_module: dict[str, set[str]] = {}
        plain: set[str] = set()
        for item in self.found:
            if item.origin in ("models", "runtime"):
                continue
            if item.qualified:
                plain.add("import builtins" if item.origin == "builtins" else f"import {item.origin} as _{item.origin}")
            elif item.origin != "builtins":
                by_module.setdefault(item.origin, set()).add(item.name)
        lines = sorted(plain)
        lines.extend(f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(by_module.items()))
        return lines


def _scalar_fits(member: Primitive, value: object) -> bool:
    if member.kind == "bool":
        return isinstance(value, bool)
    if member.kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if member.kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if member.kind == "str":
        return isinstance(value, str)
    return False
