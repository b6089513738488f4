"""Rules for plain data (a YAML or JSON value): each checks a value, says what it expects, and writes its JSON Schema.

The configuration's settings, the pagination settings and the extensions
clientgen reads are all declared with these rules, so that one declaration
gives the check (a message and the JSON pointer below the value where it
failed), the README's wording of the type and the JSON Schema editors use.
A rule's ``check`` returns the value it accepted, normalised (a path given as
``a.b`` becomes ``("a", "b")``), or raises ``Invalid``. Unknown keys are
errors with a did-you-mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.pointer import pointer_escape
from generator.text import NOT_ONE_LINE

JSONSchema = dict[str, Any]


class Invalid(Exception):
    """A value a rule refuses: ``message``, and ``at``, the JSON pointer below the checked value where it failed."""

    def __init__(self, message: str, at: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.at = at

    def below(self, token: str | int) -> Invalid:
        """The same problem, seen from the value one level up (``token`` leads to where it was)."""
        return Invalid(self.message, f"/{pointer_escape(str(token))}{self.at}")


def shown(value: object) -> str:
    """A value as a message shows it: text quoted, and what YAML made of an unquoted word said plainly."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    return "a mapping" if isinstance(value, Mapping) else "a list" if isinstance(value, list) else type(value).__name__


def did_you_mean(word: str, known: Collection[str]) -> str:
    """`` (did you mean 'style'?)`` when ``word`` is close to one of ``known``, else ``''``."""
    import difflib  # only on the way to an error: a no-op run does not pay for it

    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Rule:
    """What a value must be."""

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def schema(self) -> JSONSchema:
        raise NotImplementedError

    def describe(self) -> str:
        """The expected value in a few words, for messages and the README (``text``, ``list of text``)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Rule):
    """A string (never a number or boolean YAML made of an unquoted word), on one line; optionally a pattern."""

    pattern: str | None = None
    what: str = "text"
    allow_empty: bool = False
    extra: Callable[[str], str | None] | None = None  # a further check: the reason it fails, or None

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            hint = "; quote it" if isinstance(value, (bool, int, float)) or value is None else ""
            raise Invalid(f"must be {self.what}, not {shown(value)}{hint}")
        if not value and not self.allow_empty:
            raise Invalid(f"must be {self.what}, not empty")
        if NOT_ONE_LINE.search(value):
            raise Invalid(f"must be {self.what} on one line, without control characters: {value!r}")
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise Invalid(f"{shown(value)} is not {self.what}")
        if self.extra is not None:
            reason = self.extra(value)
            if reason is not None:
                raise Invalid(reason)
        return value

    def schema(self) -> JSONSchema:
        result: JSONSchema = {"type": "string"}
        if not self.allow_empty:
            result["minLength"] = 1
        if self.pattern is not None:
            result["pattern"] = f"^(?:{self.pattern})$"
        return result

    def describe(self) -> str:
        return self.what


@dataclass(frozen=True)
class Choice(Rule):
    """One of a few words."""

    values: tuple[str, ...]

    def check(self, value: Any) -> str:
        if value not in self.values or not isinstance(value, str):
            raise Invalid(
                f"must be one of {', '.join(map(repr, self.values))}, not {shown(value)}"
                + (did_you_mean(value, self.values) if isinstance(value, str) else "")
            )
        return value

    def schema(self) -> JSONSchema:
        return {"enum": list(self.values)}

    def describe(self) -> str:
        return " or ".join(f"`{value}`" for value in self.values)


@dataclass(frozen=True)
class Const(Rule):
    """Exactly this value (``false`` in ``pagination:``: no paging for this operation)."""

    expected: bool

    def check(self, value: Any) -> bool:
        if value is not self.expected:
            raise Invalid(f"must be {str(self.expected).lower()}, not {shown(value)}")
        return bool(value)

    def schema(self) -> JSONSchema:
        return {"const": self.expected}

    def describe(self) -> str:
        return f"`{str(self.expected).lower()}`"


@dataclass(frozen=True)
class ListOf(Rule):
    """A list, each item by ``item``; ``unique`` refuses an item given twice."""

    item: Rule
    unique: bool = False
    min_items: int = 0
    what: str = ""  # "list of names"; default "list of <the item's description>"

    def check(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise Invalid(f"must be a {self.describe()}, not {shown(value)}")
        if len(value) < self.min_items:
            raise Invalid(f"must list at least {self.min_items} {self.item.describe()}")
        result = []
        for index, item in enumerate(value):
            try:
                checked = self.item.check(item)
            except Invalid as error:
                raise error.below(index) from None
            if self.unique and checked in result:
                raise Invalid(f"{shown(item)} is listed twice", f"/{index}")
            result.append(checked)
        return tuple(result)

    def schema(self) -> JSONSchema:
        result: JSONSchema = {"type": "array", "items": self.item.schema()}
        if self.unique:
            result["uniqueItems"] = True
        if self.min_items:
            result["minItems"] = self.min_items
        return result

    def describe(self) -> str:
        return self.what or f"list of {self.item.describe()}"


@dataclass(frozen=True)
class MapOf(Rule):
    """A mapping from text keys (checked by ``key``) to values (checked by ``value``), in the order given."""

    key: Rule
    value: Rule

    def check(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise Invalid(f"must be a mapping of {self.key.describe()} to {self.value.describe()}, not {shown(value)}")
        result: dict[str, Any] = {}
        for key, item in value.items():
            try:
                checked_key = self.key.check(key)
            except Invalid as error:
                raise Invalid(f"key {error.message}", f"/{pointer_escape(str(key))}") from None
            try:
                result[checked_key] = self.value.check(item)
            except Invalid as error:
                raise error.below(str(key)) from None
        return result

    def schema(self) -> JSONSchema:
        result: JSONSchema = {"type": "object", "additionalProperties": self.value.schema()}
        key = self.key.schema()
        if set(key) - {"type"}:
            result["propertyNames"] = key
        return result

    def describe(self) -> str:
        return f"mapping of {self.key.describe()} to {self.value.describe()}"


@dataclass(frozen=True)
class Fields(Rule):
    """A mapping with known keys: ``required`` and ``optional`` ones, each by its rule; any other key is an error."""

    required: Mapping[str, Rule] = field(default_factory=dict)
    optional: Mapping[str, Rule] = field(default_factory=dict)
    what: str = "mapping"
    #: A check of the whole (keys that need each other); raises Invalid. Runs after every field passed.
    together: Callable[[Mapping[str, Any]], None] | None = None

    def check(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise Invalid(f"must be a {self.what} ({', '.join(self.known)}), not {shown(value)}")
        unknown = [key for key in value if key not in self.known]
        if unknown:
            key = unknown[0]
            raise Invalid(
                f"unknown key {shown(key)}{did_you_mean(str(key), self.known)} (known: {', '.join(self.known)})",
                f"/{pointer_escape(str(key))}",
            )
        missing = [key for key in self.required if key not in value]
        if missing:
            raise Invalid(f"missing {missing[0]!r} ({self.required[missing[0]].describe()})")
        result: dict[str, Any] = {}
        for key, item in value.items():
            try:
                result[key] = self.known[key].check(item)
            except Invalid as error:
                raise error.below(key) from None
        if self.together is not None:
            self.together(result)
        return result

    @property
    def known(self) -> dict[str, Rule]:
        return {**self.required, **self.optional}

    def schema(self) -> JSONSchema:
        result: JSONSchema = {
            "type": "object",
            "properties": {key: rule.schema() for key, rule in self.known.items()},
            "additionalProperties": False,
        }
        if self.required:
            result["required"] = list(self.required)
        return result

    def describe(self) -> str:
        return self.what


@dataclass(frozen=True)
class AnyOf(Rule):
    """The first of ``rules`` that accepts the value; the message of the one that fits its kind best otherwise."""

    rules: tuple[Rule, ...]
    what: str = ""

    def check(self, value: Any) -> Any:
        errors: list[Invalid] = []
        for rule in self.rules:
            try:
                return rule.check(value)
            except Invalid as error:
                errors.append(error)
        # A mapping refused by the rule for mappings says more than "must be false".
        for rule, refusal in zip(self.rules, errors, strict=True):
            if isinstance(value, Mapping) and isinstance(rule, (Fields, MapOf)):
                raise refusal
            if isinstance(value, list) and isinstance(rule, ListOf):
                raise refusal
        raise Invalid(f"must be {self.describe()}, not {shown(value)}")

    def schema(self) -> JSONSchema:
        return {"anyOf": [rule.schema() for rule in self.rules]}

    def describe(self) -> str:
        return self.what or " or ".join(rule.describe() for rule in self.rules)


def check_at(rule: Rule, value: Any, pointer: str) -> Any:
    """``rule.check(value)`` with the failure's pointer made absolute (``pointer`` is where ``value`` is)."""
    try:
        return rule.check(value)
    except Invalid as error:
        raise Invalid(error.message, pointer + error.at) from None
