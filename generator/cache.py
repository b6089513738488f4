"""The content-addressed cache: results of the expensive stages, keyed by the hash of what made them.

What is kept (each under its own namespace): validation verdicts (keyed by the
document and the validator's version), formatted source per module and per
top-level block (keyed by the unformatted source and the formatters'
versions), and which manifest a set of inputs produced (for the no-op check).

The cache lives in the user cache directory (``platformdirs``), or in
``CLIENTGEN_CACHE_DIR``; ``--no-cache`` turns it off. It never changes the
output: a hit returns bytes that a miss would have computed.

Each entry is one file named by its key. It starts with a header line naming
the namespace, the key and the sha256 of the payload, so a truncated,
corrupted or foreign file is detected and ignored, never trusted. An entry is
written to a temporary file in the same directory and renamed into place, so
a concurrent run sees either the whole entry or none. The cache is best effort:
a directory it cannot write is the same as no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "CLIENTGEN_CACHE_DIR"
_MAGIC = b"clientgen-cache 1"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL
_WRITES = itertools.count()


def key(*parts: str | bytes) -> str:
    """The sha256 of the parts, each length-prefixed so that no two sequences collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(str(len(data)).encode() + b":")
        digest.update(data)  # not concatenated: a spec can be megabytes
    return digest.hexdigest()


def default_root() -> Path:
    """``CLIENTGEN_CACHE_DIR``, else the platform's user cache directory."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured)
    import platformdirs  # only when no directory is configured: it is the one slow import here

    return Path(platformdirs.user_cache_dir("clientgen", appauthor=False))


@dataclass(frozen=True)
class Cache:
    """A cache rooted at ``root``; ``root=None`` is no cache at all (every lookup misses)."""

    root: Path | None

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def _folder(self, namespace: str, entry: str) -> str:
        # Joined as text: a run looks up and writes thousands of entries, and Path joins cost more than the reads.
        assert self.root is not None
        # Sixteen folders per namespace: a cold run makes each one (a directory costs about a millisecond), and
        # a few thousand entries per folder are nothing to a file system.
        return f"{os.fspath(self.root)}{os.sep}v1{os.sep}{namespace}{os.sep}{entry[:1]}"

    def get(self, namespace: str, entry: str) -> bytes | None:
        """The payload stored under ``entry``, or None when absent, unreadable or not intact."""
        if self.root is None:
            return None
        try:
            with open(f"{self._folder(namespace, entry)}{os.sep}{entry}", "rb") as file:
                data = file.read()
        except OSError:
            return None
        header, newline, payload = data.partition(b"\n")
        expected = b" ".join((_MAGIC, namespace.encode(), entry.encode(), hashlib.sha256(payload).hexdigest().encode()))
        if not newline or header != expected:
            return None
        return payload

    def put(self, namespace: str, entry: str, payload: bytes) -> None:
        """Store ``payload`` under ``entry``, atomically; failures are ignored (the cache is an optimisation)."""
        if self.root is None:
            return
        folder = self._folder(namespace, entry)
        header = b" ".join((_MAGIC, namespace.encode(), entry.encode(), hashlib.sha256(payload).hexdigest().encode()))
        # A name no other writer uses (process id, a counter): made without mkstemp's random names and retries.
        temporary = f"{folder}{os.sep}.{entry[:16]}-{os.getpid()}-{next(_WRITES)}"
        try:
            try:
                handle = os.open(temporary, _CREATE, 0o600)
            except FileNotFoundError:  # the entry's directory is new: made on the first write into it
                os.makedirs(folder, exist_ok=True)
                handle = os.open(temporary, _CREATE, 0o600)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(header + b"\n" + payload)
                os.replace(temporary, f"{folder}{os.sep}{entry}")
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return

    def get_text(self, namespace: str, entry: str) -> str | None:
        payload = self.get(namespace, entry)
        if payload is None:
            return None
        try:
            return payload.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None

    def put_text(self, namespace: str, entry: str, text: str) -> None:
        # surrogatepass: source text can hold what spec text held; the bytes only need to round-trip.
        self.put(namespace, entry, text.encode("utf-8", "surrogatepass"))


NO_CACHE = Cache(None)


def open_cache(enabled: bool = True) -> Cache:
    """The user's cache, or no cache when disabled."""
    return Cache(default_root()) if enabled else NO_CACHE
