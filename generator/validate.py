"""Stage 2, validate: check the document against the OpenAPI schema.

Strict by default: any error stops generation. In lenient mode each error is a
warning with its location and generation goes on; an ignore list silences
errors by JSON pointer prefix or by a fragment of their message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)

from generator.errors import ClientgenError, Location
from generator.load import Document
from generator.pointer import to_pointer

Policy = Literal["strict", "lenient"]


@dataclass(frozen=True)
class Problem:
    """One validation error, located."""

    message: str
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def find_problems(document: Document) -> list[Problem]:
    """Every validation error of the document, in document order."""
    version = document.openapi_version
    if version.startswith("3.0"):
        validator_class: type = OpenAPIV30SpecValidator
    elif version.startswith("3.1"):
        validator_class = OpenAPIV31SpecValidator
    else:
        validator_class = OpenAPIV32SpecValidator
    problems: list[Problem] = []
    for error in validator_class(dict(document.data)).iter_errors():
        error = _deepest(error)
        pointer = to_pointer(list(getattr(error, "absolute_path", []) or []))
        message = " ".join(str(getattr(error, "message", error)).split())
        if len(message) > 300:
            message = message[:297] + "..."
        problems.append(Problem(message, document.locate(pointer)))
    problems.sort(key=lambda problem: (problem.location.line or 0, problem.location.pointer or ""))
    return problems


def _deepest(error: Any) -> Any:
    """"Not valid under any of the given schemas" hides the real cause: find it."""
    while getattr(error, "context", None):
        candidates = sorted(
            error.context,
            key=lambda sub: (-len(sub.absolute_path), "$ref" in str(sub.message), str(sub.message)),
        )
        if len(candidates[0].absolute_path) <= len(error.absolute_path) and "$ref" in str(candidates[0].message):
            break
        error = candidates[0]
    return error


def is_ignored(problem: Problem, ignore: Sequence[str]) -> bool:
    pointer = problem.location.pointer or ""
    return any(pointer.startswith(rule) if rule.startswith("/") else rule in problem.message for rule in ignore)


def validate(document: Document, policy: Policy = "strict", ignore: Sequence[str] = ()) -> list[Problem]:
    """Raise on the first error in strict mode; return the warnings in lenient mode."""
    problems = [problem for problem in find_problems(document) if not is_ignored(problem, ignore)]
    if problems and policy == "strict":
        first = problems[0]
        more = f" (and {len(problems) - 1} more; --lenient generates anyway)" if len(problems) > 1 else " (--lenient generates anyway)"
        raise ClientgenError(f"invalid OpenAPI document: {first.message}{more}", first.location)
    return problems
