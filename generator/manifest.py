"""Stage 10, manifest: what a generated package was made from, and the hash of each file.

``_manifest.json`` records the generator version and the sha256 of the spec,
the rename map, the client configuration, the templates and of every file
clientgen wrote (``files``), so that ``clientgen check`` can tell a stale
package from a hand edit. A package with hand edits that clientgen keeps also
has (see ``customise``)::

    "customisations": {
      "resources/pets.py": {                       # a customised file, relative to the output
        "base": "<sha256 of the file as generated>",
        "patch": "_customisations/resources/pets.py.patch",  # from the generated file to yours
        "lines": {"added": 4, "removed": 0},
        "names": {"added": ["Pets.first"], "changed": [], "removed": []},  # public names; null if unparsable
        "conflict": true                           # only until its conflict markers are resolved
      }
    },
    "ignored": ["resources/legacy.py"]             # generated paths the user owns (``ignore_files``)

Both keys are left out when empty, so a package without hand edits has the
manifest it always had.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from generator import __version__

MANIFEST = "_manifest.json"
GENERATOR = f"clientgen {__version__}"
CUSTOMISATIONS = "_customisations"  # the recorded patches' folder, in the output


def ignore_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be an ``ignore_files`` entry, or None: it must stay inside the output, and leave
    clientgen its records (the manifest and the recorded patches)."""
    parts = pattern.replace("\\", "/").split("/")
    if pattern.startswith("/") or ".." in parts:
        return f"{pattern!r} must be a path inside the output, relative to it"
    if fnmatch.fnmatchcase(MANIFEST, pattern) or parts[0] == CUSTOMISATIONS:
        return f"{pattern!r} would take {MANIFEST} or {CUSTOMISATIONS}/ from clientgen: they record what it generated"
    return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(
    files: Mapping[str, bytes],
    inputs: Mapping[str, Any],
    customisations: Mapping[str, Any] | None = None,
    ignored: list[str] | None = None,
) -> bytes:
    document: dict[str, Any] = {
        "generator": GENERATOR,
        "inputs": dict(inputs),
        "files": {path: sha256(files[path]) for path in sorted(files)},
    }
    if customisations:
        document["customisations"] = dict(customisations)
    if ignored:
        document["ignored"] = sorted(ignored)
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def recorded_hashes(manifest: bytes) -> dict[str, str]:
    """The file hashes a manifest records; empty if it is unreadable."""
    try:
        document = json.loads(manifest)
    except (ValueError, UnicodeDecodeError):
        return {}
    files = document.get("files") if isinstance(document, dict) else None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def recorded_generator(manifest: bytes) -> str | None:
    """Which clientgen made a package (``clientgen X.Y.Z``), or None if the manifest does not say."""
    try:
        document = json.loads(manifest)
    except (ValueError, UnicodeDecodeError):
        return None
    made_by = document.get("generator") if isinstance(document, dict) else None
    return made_by if isinstance(made_by, str) else None


def recorded_inputs(manifest: bytes) -> dict[str, Any]:
    """What a package was generated from (spec and rename map paths relative to it, settings)."""
    try:
        document = json.loads(manifest)
    except (ValueError, UnicodeDecodeError):
        return {}
    inputs = document.get("inputs") if isinstance(document, dict) else None
    return inputs if isinstance(inputs, dict) else {}


def _document(manifest: bytes) -> dict[str, Any]:
    try:
        document = json.loads(manifest)
    except (ValueError, UnicodeDecodeError):
        return {}
    return document if isinstance(document, dict) else {}


def recorded_customisations(manifest: bytes) -> dict[str, dict[str, Any]]:
    """The customised files a manifest records (path → record, see above); malformed records are left out."""
    records = _document(manifest).get("customisations")
    if not isinstance(records, dict):
        return {}
    return {
        str(path): record
        for path, record in records.items()
        if isinstance(record, dict) and isinstance(record.get("base"), str) and isinstance(record.get("patch"), str)
    }


def recorded_ignored(manifest: bytes) -> list[str]:
    """The generated paths a manifest says the user owns."""
    ignored = _document(manifest).get("ignored")
    return [str(path) for path in ignored] if isinstance(ignored, list) else []
