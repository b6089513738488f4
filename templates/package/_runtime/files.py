"""Uploads: the ``FileContent`` type, each of its forms made into one file to send
(``Upload``: file name, content, content type, headers), the file objects among a
request's uploads, and rewinding them (or refusing) when the body must be sent again.

A file object that cannot be rewound (a pipe, a socket) is sent chunked, read as it
goes: a read that fails cuts the request off before its body ends, so the server
never receives a whole request with a truncated or empty file.
"""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TypeAlias, cast

import httpx2 as httpx  # clientgen: http-module

from .errors import RequestArgumentError, UploadNotRetryableError, UploadReadError

#: The content of a file: its bytes or a binary file object.
FileBytes: TypeAlias = bytes | IO[bytes]
#: A file to upload: its bytes, a binary file object, a path (sent under its file
#: name, with a content type guessed from it), or a tuple
#: ``(filename, content[, content_type[, headers]])``.
FileContent: TypeAlias = (
    bytes
    | IO[bytes]
    | os.PathLike[str]
    | tuple[str | None, FileBytes]
    | tuple[str | None, FileBytes, str | None]
    | tuple[str | None, FileBytes, str | None, Mapping[str, str]]
)

_OCTET_STREAM = "application/octet-stream"
_FORMS = "bytes, a binary file object, a path, or (filename, content[, content_type[, headers]])"


class PathFile(io.RawIOBase):
    """A file on disk, opened when first read and closed at its end: a path upload that is sent
    again (a retry, a redirect) reopens it."""

    def __init__(self, path: str, size: int) -> None:
        super().__init__()
        self.path = path
        self.name = os.path.basename(path)
        self.size = size
        self._file: IO[bytes] | None = None

    def _open(self) -> IO[bytes]:
        if self._file is None:
            # Closed at the end of the file, by close(), or when collected.
            self._file = open(self.path, "rb")  # noqa: SIM115
        return self._file

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if self._file is None and offset == 0 and whence == os.SEEK_SET:
            return 0
        if self._file is None and offset == 0 and whence == os.SEEK_END:
            return self.size
        return self._open().seek(offset, whence)

    def tell(self) -> int:
        return 0 if self._file is None else self._file.tell()

    def read(self, size: int | None = -1) -> bytes:
        data = self._open().read(-1 if size is None else size)
        if not data or size is None or size < 0:
            self._release()
        return data

    def _release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def close(self) -> None:
        self._release()
        super().close()


class StreamedFile(io.RawIOBase):
    """A file object that cannot be rewound, read as the request is sent.

    It shows no ``fileno`` or ``seek``: the HTTP library would take a pipe's
    size (0) for its length and announce it. A read that fails, returns
    nothing from a non-blocking file (None) or returns text raises
    ``UploadReadError`` instead of ending the file there.
    """

    def __init__(self, file: IO[bytes], name: str) -> None:
        super().__init__()
        self.file = file
        self.field = name
        self.sent = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        try:
            # Typed as bytes, but a non-blocking file answers None and a text file str.
            data = cast(object, self.file.read(-1 if size is None else size))
        except (OSError, ValueError) as exc:
            raise self._failed(f"reading it failed ({type(exc).__name__})") from exc
        if data is None:
            raise self._failed("it is non-blocking and had no data ready")
        if not isinstance(data, (bytes, bytearray)):
            raise self._failed(f"its read() returned {type(data).__name__}, not bytes")
        self.sent += len(data)
        return bytes(data)

    def _failed(self, why: str) -> UploadReadError:
        return UploadReadError(
            f"{self.field}: the file to upload could not be read after {self.sent} "
            f"bytes: {why}. The request was cut off before its body ended."
        )


@dataclass(frozen=True)
class Upload:
    """One file to send, whatever form the caller gave it in."""

    filename: str | None
    content: bytes | IO[bytes]
    content_type: str
    headers: Mapping[str, str] = field(default_factory=lambda: {})

    def as_part(self) -> tuple[str | None, bytes | IO[bytes], str, Mapping[str, str]]:
        """The part as the HTTP library's ``files=`` takes it."""
        return (self.filename, self.content, self.content_type, dict(self.headers))

    def length(self) -> int | None:
        """The content's length, where it can be told without reading it."""
        content = self.content
        if isinstance(content, bytes):
            return len(content)
        if isinstance(content, PathFile):
            return content.size
        if isinstance(content, StreamedFile) or not rewindable(content):
            return None  # a pipe or a socket: sent chunked
        try:
            start = content.tell()
            end = content.seek(0, os.SEEK_END)
            content.seek(start)
        except (AttributeError, OSError, ValueError):
            return None
        return max(end - start, 0)


def _is_content(value: object) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview)) or callable(
        getattr(value, "read", None)
    )


def is_upload(value: object) -> bool:
    """Whether ``value`` is one of ``FileContent``'s forms (a string is text, never a file)."""
    if _is_content(value) or isinstance(value, os.PathLike):
        return True
    if isinstance(value, tuple):
        parts = cast("tuple[object, ...]", value)
        return (
            2 <= len(parts) <= 4
            and (parts[0] is None or isinstance(parts[0], str))
            and _is_content(parts[1])
        )
    return False


def _media_types(listed: str | None) -> list[str]:
    return [item.strip() for item in (listed or "").split(",") if item.strip()]


def _matches(media_type: str, pattern: str) -> bool:
    kind = media_type.split(";")[0].strip().lower()
    wanted = pattern.split(";")[0].strip().lower()
    if wanted in ("*/*", "*"):
        return True
    if wanted.endswith("/*"):
        return kind.startswith(wanted[:-1])
    return kind == wanted


def _content_type(given: str | None, filename: str | None, listed: str | None) -> str:
    """The caller's content type; else the document's, where it names one type (a guess from the file
    name picks among several, or fills a wildcard); else the guess; else ``application/octet-stream``.
    """
    if given:
        return given
    guessed = mimetypes.guess_type(filename)[0] if filename else None
    declared = _media_types(listed)
    if guessed is not None and (
        not declared or any(_matches(guessed, item) for item in declared)
    ):
        return guessed
    concrete = [item for item in declared if "*" not in item]
    return concrete[0] if concrete else (guessed or _OCTET_STREAM)


def _content(value: object, name: str) -> bytes | IO[bytes]:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(cast("bytes", value))
    mode = getattr(value, "mode", None)
    if isinstance(value, io.TextIOBase) or (isinstance(mode, str) and "b" not in mode):
        raise RequestArgumentError(
            f"{name}: a file to upload must be opened in binary mode ('rb'), not text mode."
        )
    file = cast("IO[bytes]", value)
    if rewindable(file):
        return file
    return cast("IO[bytes]", StreamedFile(file, name))


def _from_path(path: os.PathLike[str], name: str) -> PathFile:
    location = os.fspath(path)
    try:
        size = os.stat(location).st_size
    except OSError as exc:
        raise RequestArgumentError(
            f"{name}: cannot read the file to upload {location!r}: {exc.strerror}."
        ) from exc
    if not os.path.isfile(location):
        raise RequestArgumentError(f"{name}: {location!r} is not a file.")
    return PathFile(location, size)


def upload(value: object, name: str, listed: str | None = None) -> Upload:
    """``value``, any form of ``FileContent``, as one file to send under field ``name``; ``listed``:
    the media types the document allows (an Encoding Object's ``contentType``, a body's media type).
    """
    if isinstance(value, tuple):
        parts = cast("tuple[object, ...]", value)
        if not 2 <= len(parts) <= 4:
            raise RequestArgumentError(
                f"{name}: a file tuple is (filename, content[, content_type[, headers]])."
            )
        filename, content = parts[0], parts[1]
        given = parts[2] if len(parts) > 2 else None
        headers: object = parts[3] if len(parts) > 3 else None
        if not (filename is None or isinstance(filename, str)) or not (
            given is None or isinstance(given, str)
        ):
            raise RequestArgumentError(
                f"{name}: a file tuple's filename and content type are strings or None."
            )
        if headers is not None and not isinstance(headers, Mapping):
            raise RequestArgumentError(
                f"{name}: a file tuple's headers are a mapping of strings."
            )
        if isinstance(content, os.PathLike):
            path = _from_path(cast("os.PathLike[str]", content), name)
            data: bytes | IO[bytes] = cast("IO[bytes]", path)
        elif _is_content(content):
            data = _content(content, name)
        else:
            raise RequestArgumentError(
                f"{name}: expected {_FORMS}; the tuple holds {type(content).__name__}."
            )
        text_headers = cast("Mapping[str, str]", headers or {})
        return Upload(
            filename, data, _content_type(given, filename, listed), dict(text_headers)
        )
    if isinstance(value, os.PathLike):
        file = _from_path(cast("os.PathLike[str]", value), name)
        return Upload(
            file.name, cast("IO[bytes]", file), _content_type(None, file.name, listed)
        )
    if _is_content(value):
        data = _content(value, name)
        file_name = getattr(value, "name", None)
        filename = (
            os.path.basename(file_name)
            if isinstance(file_name, str) and file_name
            else name
        )
        return Upload(filename, data, _content_type(None, filename, listed))
    raise RequestArgumentError(
        f"{name}: expected {_FORMS}, not {type(value).__name__}."
    )


_CHUNK = 64 * 1024


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """A raw body's file, read in chunks as it is sent."""
    while chunk := file.read(_CHUNK):
        yield chunk


async def async_file_chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    """The same for the async client (the file is read as the HTTP library reads multipart files)."""
    while chunk := file.read(_CHUNK):
        yield chunk


def file_objects(
    files: Mapping[str, object] | None, content: object = None
) -> list[object]:
    """The file objects among upload values and a raw body (bytes and paths need no rewinding)."""
    found: list[object] = []
    values: list[object] = list((files or {}).values())
    values.append(content)
    while values:
        value = values.pop(0)
        if isinstance(value, list):
            values[:0] = cast("list[object]", value)
            continue
        candidate: object = value
        if isinstance(value, tuple):
            parts = cast("Sequence[object]", value)
            candidate = parts[1] if len(parts) > 1 else None
        if callable(getattr(candidate, "read", None)) and not isinstance(
            candidate, PathFile
        ):
            found.append(candidate)
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
        "Pass bytes, a path or a seekable file to make it retryable.",
        request,
    )
    error.__cause__ = cause
    return error
