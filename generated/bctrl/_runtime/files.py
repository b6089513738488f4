"""Uploads: the ``FileContent`` type, the file objects among a request's uploads, and
rewinding them (or refusing) when the body must be sent again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TypeAlias, cast

import httpx2 as httpx

from .errors import UploadNotRetryableError

#: A file to upload: its bytes or a binary file object, optionally with a
#: filename and a content type, as ``(filename, content[, content_type])``.
FileContent: TypeAlias = (
    "bytes | IO[bytes] | tuple[str, bytes | IO[bytes]] | tuple[str, bytes | IO[bytes], str]"
)


def file_objects(files: Mapping[str, object] | None) -> list[object]:
    """The file objects among upload values (bytes need no rewinding)."""
    found: list[object] = []
    for value in (files or {}).values():
        content: object = value
        if isinstance(value, tuple):
            parts = cast("tuple[object, ...]", value)
            content = parts[1] if len(parts) > 1 else None
        if hasattr(content, "read"):
            found.append(content)
    return found


def rewindable(file: object) -> bool:
    seekable = getattr(file, "seekable", None)
    try:
        return bool(seekable()) if callable(seekable) else hasattr(file, "seek")
    except (OSError, ValueError):
        return False


class NotRewindable(Exception):
    """Internal: the body cannot be sent again."""


def not_rewindable_error(
    request: httpx.Request, cause: BaseException | None
) -> UploadNotRetryableError:
    error = UploadNotRetryableError(
        "The request needed sending again (a retry or a 307/308 redirect), but its "
        "upload is a file object that cannot be rewound; it was sent only once. "
        "Pass bytes or a seekable file to make it retryable.",
        request,
    )
    error.__cause__ = cause
    return error
