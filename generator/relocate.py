"""A client whose ``output`` changed: the tree it was generated into before, found and retired.

When a configured client's output holds no package yet, the project is searched
for one that an earlier generation of the same client made (a manifest recording
the same client name and spec) somewhere else. ``generate`` then builds the new
tree from that one (hand edits included) and removes from the old folder only
the files its manifest lists; ``check`` reports it. Hidden folders, virtual
environments and ``node_modules`` are not searched, nor the inside of a package.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.config import ClientConfig
from generator.manifest import MANIFEST, recorded_inputs

_SKIPPED = frozenset({"node_modules", "__pycache__", "site-packages"})


def _made_for(directory: Path, config: ClientConfig) -> bool:
    inputs = recorded_inputs((directory / MANIFEST).read_bytes())
    settings = inputs.get("config", {}).get("settings") if isinstance(inputs.get("config"), dict) else None
    spec = inputs.get("spec", {}).get("file") if isinstance(inputs.get("spec"), dict) else None
    if not isinstance(settings, dict) or not isinstance(spec, str) or settings.get("name") != config.name:
        return False
    return Path(os.path.normpath(directory / spec)).resolve() == config.spec.resolve()


def previous_output(config: ClientConfig, root: Path) -> Path | None:
    """Where an earlier generation of ``config`` lives under ``root``, if not in its output (None: nowhere else)."""
    target = config.output.resolve()
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".") and name not in _SKIPPED and not (here / name / "pyvenv.cfg").exists()
        )
        if MANIFEST not in files:
            continue
        subfolders[:] = []  # nothing is generated inside a generated package
        resolved = here.resolve()
        if resolved == target or resolved.is_relative_to(target) or target.is_relative_to(resolved):
            continue
        if _made_for(here, config):
            return here
    return None
