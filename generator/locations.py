"""Where clientgen's own files are: its templates, in a wheel or in a checkout."""

from __future__ import annotations

from pathlib import Path


def _templates() -> Path:
    """``generator/templates`` in an installed wheel; the repository's top-level ``templates/`` in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


TEMPLATES = _templates()
#: The runtime package copied into every generated package (generator/render.py).
RUNTIME = TEMPLATES / "package" / "_runtime"
