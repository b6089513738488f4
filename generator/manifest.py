"""Stage 10, manifest: what a generated package was made from, and the hash of each file.

``_manifest.json`` records the generator version and the sha256 of the spec,
the rename map, the client configuration, the templates and of every generated
file, so that ``clientgen check`` can tell a stale package from a hand edit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from generator import __version__

MANIFEST = "_manifest.json"
GENERATOR = f"clientgen {__version__}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(files: Mapping[str, bytes], inputs: Mapping[str, Any]) -> bytes:
    document = {
        "generator": GENERATOR,
        "inputs": dict(inputs),
        "files": {path: sha256(files[path]) for path in sorted(files)},
    }
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
