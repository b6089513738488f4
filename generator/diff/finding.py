"""One finding of ``clientgen diff``: a change, judged for the client's users, and where it reaches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.diff.rules import Level


@dataclass(frozen=True)
class Finding:
    """One change, judged for the client's users."""

    rule: str
    level: Level
    location: str  # readable: invocations.wait, Invocation.status, invocations.wait(id)
    message: str
    route: str = ""  # METHOD /path, when the finding is about an operation
    suggestion: str = ""  # e.g. the rename-map entry that keeps the old name
    added: tuple[str, ...] = ()  # enum values added, in full (JSON literals)
    removed: tuple[str, ...] = ()  # enum values removed
    facets: tuple[str, ...] = ()  # a field's or argument's change: the rule of each facet (type, null, required)
    use: str = ""  # a model's change: request, response, both or unused (from where the client uses it)
    reaches: tuple[str, ...] = ()  # a model's change: the methods that take or return it, then child classes (allOf)
    source: str = ""  # the spec pointer that explains the change, where one does (a shared parameter's component)

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "rule": self.rule,
            "level": self.level.label,
            "location": self.location,
            "message": self.message,
            "route": self.route,
            "suggestion": self.suggestion,
        }
        if self.added:
            result["added"] = list(self.added)
        if self.removed:
            result["removed"] = list(self.removed)
        if len(self.facets) > 1:
            result["facets"] = list(self.facets)
        if self.use:
            result["use"] = self.use
            result["reaches"] = list(self.reaches)
        if self.source:
            result["source"] = self.source
        return result
