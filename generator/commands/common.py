"""What several commands share: how a path is shown, the progress display, a client's moved output."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator import console
from generator.config import ClientConfig
from generator.manifest import MANIFEST
from generator.progress import Progress


def progress_for(config: ClientConfig, count: int) -> Progress:
    progress = Progress.for_terminal(console.verbosity())
    progress.prefix = f"{config.name}: " if count > 1 else ""
    return progress


def is_spec_file(target: str) -> bool:
    """A spec rather than a client's name: a document's suffix, a path (client names have no '/'), or a file
    of any kind (a FIFO or device is then refused as one, not taken for a client's name)."""
    path = Path(target)
    return (
        path.suffix.lower() in (".yaml", ".yml", ".json")
        or "/" in target
        or "\\" in target
        or (path.exists() and not path.is_dir())
    )


def moved_output(config: ClientConfig, root: Path | None) -> Path | None:
    """The earlier output of a configured client whose ``output`` changed (see relocate)."""
    if root is None or (config.output / MANIFEST).is_file():
        return None
    from generator.relocate import previous_output

    return previous_output(config, root)


def customised_note(paths: Sequence[str]) -> str:
    return f"; customised: {', '.join(paths)}" if paths else ""


def shown_path(path: Path, root: Path) -> str:
    """A path as the user should read it: relative to the project when inside it."""
    absolute = path.resolve()
    base = root.resolve()
    return absolute.relative_to(base).as_posix() if absolute.is_relative_to(base) else str(path)
