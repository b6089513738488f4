"""What a configuration setting is: one declaration, and everything that follows from it.

A ``Setting`` says what a value must be (a rule from ``rules``), its default
(or how it derives from other settings), what it means, whether it shapes the
generated output (then ``describe()`` and the manifest record it), and which
command-line option sets it. ``ClientConfig``'s fields are declared with
``setting(...)``; this module reads any mapping of raw values against those
declarations (``parse``), locating each error at its file, line and pointer,
and writes the JSON Schema, the README's table and ``init``'s lines from them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import ClientgenError, Location
from generator.pointer import pointer_escape
from generator.rules import Invalid, JSONSchema, Rule, did_you_mean

if TYPE_CHECKING:
    from generator.load import Document

#: Where a key below a setting is written, or a pointer ``below`` that key: ``locate("GetThings", "/param")``.
Locate = Callable[..., "Location | None"]


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Setting:
    """One setting, declared once."""

    name: str
    rule: Rule
    doc: str
    default: Any = None  # the value when not given (None: absent), unless ``derive`` computes it
    derive: Callable[[Mapping[str, Any]], Any] | None = None  # from the settings already read (package...)
    default_doc: str = ""  # how the README states a derived default
    required: bool = False
    shapes_output: bool = True  # recorded in the manifest: changing it regenerates the package
    path: bool = False  # a path, relative to the project root (or to the package, in a manifest)
    flag: str = ""  # the command-line option that sets it, named in its errors when it came from there
    #: The checked raw value → the typed value; ``locate`` places a key below the setting (an operations entry).
    build: Callable[[Any, Locate], Any] = lambda value, locate: value
    dump: Callable[[Any], Any] = _same  # the typed value → JSON, for the manifest and its hash
    undump: Callable[[Any], Any] = _same  # ``dump``'s JSON → the value a configuration file would hold
    typed: type | tuple[type, ...] = ()  # already-built values of these types are taken as they are

    def schema(self) -> JSONSchema:
        result: JSONSchema = {"description": self.doc}
        rule = self.rule.schema()
        if self.required:
            result.update(rule)
        else:
            # An empty value (``renames:`` with nothing after it) means the default.
            result["anyOf"] = [rule, {"type": "null"}]
            if self.default is not None and self.derive is None and self.dump(self.default) not in ((), {}, []):
                result["default"] = self.dump(self.default)
        return result

    def default_text(self) -> str:
        if self.required:
            return "required"
        if self.default_doc:
            return self.default_doc
        if self.default is None or self.dump(self.default) in ((), {}, []):
            return "none"
        return f"`{json.dumps(self.dump(self.default))}`"


_SETTING = "clientgen setting"


def setting(
    rule: Rule,
    doc: str,
    *,
    default: Any = None,
    factory: Callable[[], Any] | None = None,
    derive: Callable[[Mapping[str, Any]], Any] | None = None,
    default_doc: str = "",
    required: bool = False,
    shapes_output: bool = True,
    path: bool = False,
    flag: str = "",
    build: Callable[[Any, Locate], Any] | None = None,
    dump: Callable[[Any], Any] | None = None,
    undump: Callable[[Any], Any] | None = None,
    typed: type | tuple[type, ...] = (),
) -> Any:
    """A dataclass field that declares a setting (its name is the field's)."""
    declared = Setting(
        name="",
        rule=rule,
        doc=doc,
        default=factory() if factory is not None else default,
        derive=derive,
        default_doc=default_doc,
        required=required,
        shapes_output=shapes_output,
        path=path,
        flag=flag,
        build=build or (lambda value, locate: value),
        dump=dump or _same,
        undump=undump or _same,
        typed=typed,
    )
    metadata = {_SETTING: declared}
    if required:
        return field(metadata=metadata)
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def declared(cls: type) -> tuple[Setting, ...]:
    """The settings a dataclass declares with ``setting``, in declaration order."""
    result = []
    for item in fields(cls):
        found = item.metadata.get(_SETTING)
        if isinstance(found, Setting):
            result.append(Setting(**{**found.__dict__, "name": item.name}))
    return tuple(result)


@dataclass(frozen=True)
class Source:
    """Where raw settings come from, to locate an error: a file (a document and the settings' pointer in it),
    the command line (errors name the option), or code."""

    document: Document | None = None
    base: str = ""
    from_flags: bool = False
    file: str | None = None  # a file with no line index (errors name the file)
    recorded: bool = False  # a manifest's record: values as ``Setting.dump`` wrote them

    def locate(self, pointer: str) -> Location | None:
        if self.document is not None:
            return self.document.locate(self.base + pointer)
        return Location(self.file) if self.file is not None else None

    def label(self, item: Setting) -> str:
        return item.flag if self.from_flags and item.flag else item.name

    def error(self, item: Setting | None, message: str, pointer: str) -> ClientgenError:
        prefix = f"{self.label(item)}: " if item is not None else ""
        return ClientgenError(prefix + message, self.locate(pointer))


def parse(
    settings: tuple[Setting, ...],
    raw: Mapping[str, Any],
    source: Source,
    root: Path | None = None,
    given: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every setting's typed value: ``raw``'s (checked by its rule, then built), ``given``'s (already typed), or
    its default. Paths are joined to ``root`` when there is one. Raises a located ClientgenError."""
    given = dict(given or {})
    known = {item.name: item for item in settings}
    for key in raw:
        if key not in known:
            raise ClientgenError(
                f"unknown setting {key!r}{did_you_mean(str(key), known)} (known: {', '.join(known)})",
                source.locate(f"/{pointer_escape(str(key))}"),
            )
    values: dict[str, Any] = {}
    for item in settings:
        pointer = f"/{pointer_escape(item.name)}"
        if item.name in given:
            values[item.name] = given[item.name]
            continue
        value = raw.get(item.name)
        if value is None:
            continue
        if item.typed and isinstance(value, item.typed):
            values[item.name] = value
            continue
        if source.recorded:
            value = item.undump(value)
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        try:
            checked = item.rule.check(value)
        except Invalid as error:
            raise source.error(item, error.message, pointer + error.at) from None

        def locate(key: str, below: str = "", pointer: str = pointer) -> Location | None:
            return source.locate(f"{pointer}/{pointer_escape(key)}{below}")

        built = item.build(checked, locate)
        values[item.name] = root / built if item.path and root is not None else Path(built) if item.path else built
    for item in settings:  # every required setting first: a default may derive from one (name from package)
        if item.required and item.name not in values:
            if item.name in raw:  # ``package:`` with nothing after it, or ``null``
                raise source.error(item, f"is empty; give {item.rule.describe()}", f"/{pointer_escape(item.name)}")
            raise source.error(None, f"missing setting {source.label(item)!r} ({item.rule.describe()})", "")
    for item in settings:
        if item.name in values:
            continue
        values[item.name] = item.derive(values) if item.derive is not None else item.default
        if item.path and values[item.name] is not None:
            relative = Path(values[item.name])
            values[item.name] = root / relative if root is not None else relative
    return values


def recorded(settings: tuple[Setting, ...], values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings that shape the output, as JSON (absent ones left out): ``describe()``, the manifest's record."""
    return {
        item.name: item.dump(values[item.name])
        for item in settings
        if item.shapes_output and values.get(item.name) is not None
    }


def schema_properties(settings: tuple[Setting, ...]) -> JSONSchema:
    """A JSON Schema object for a mapping of these settings."""
    return {
        "type": "object",
        "properties": {item.name: item.schema() for item in settings},
        "required": [item.name for item in settings if item.required],
        "additionalProperties": False,
    }


def markdown_rows(settings: tuple[Setting, ...], prefix: str = "") -> list[str]:
    """One README table row per setting: name, value, default, meaning (and the option that sets it)."""
    rows = []
    for item in settings:
        meaning = item.doc + (f" Also `{item.flag}`." if item.flag else "")
        rows.append(f"| `{prefix}{item.name}` | {item.rule.describe()} | {item.default_text()} | {meaning} |")
    return rows
