"""User-facing errors: one line, naming where the problem is."""

from __future__ import annotations

from dataclasses import dataclass

from generator.text import one_line


@dataclass(frozen=True)
class Location:
    """Where in which file something is: a path, an optional line and JSON pointer."""

    file: str
    line: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
        if self.pointer is not None:
            text += f" ({self.pointer or '/'})"
        return text


class ClientgenError(Exception):
    """A problem with the user's input; printed as one line, exit status 2."""

    exit_status = 2

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        # One line whatever the document says: its text may hold line breaks, NULs or lone surrogates.
        if self.location is None:
            return one_line(self.message)
        return one_line(f"{self.location}: {self.message}")
