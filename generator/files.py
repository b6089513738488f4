"""Reading the files a user names (spec, rename map, configuration): regular files only, and bounded.

A FIFO would block the read forever, a device such as ``/dev/zero`` would be read until memory runs
out: both are refused with a located error before a byte is read. The file is opened without blocking
(a FIFO with no writer opens at once) and judged by what was opened, not by its name, so a path swapped
between the check and the read cannot slip one in. A regular file is read up to ``MAX_BYTES``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import ClientgenError, Location

#: The largest file clientgen reads: 16 times the largest public spec we know (Stripe's, 4 MB as JSON).
MAX_BYTES = 64 * 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; a one-line ``ClientgenError`` otherwise."""
    display = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ClientgenError("no such file", Location(display)) from None
    except IsADirectoryError:
        raise ClientgenError("is a directory, not a file", Location(display)) from None
    except OSError as exc:
        raise ClientgenError(f"cannot read: {exc.strerror or exc}", Location(display)) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise ClientgenError(f"is {_kind(mode)}, not a regular file: clientgen reads files only", Location(display))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(descriptor, 1 << 20):
            size += len(chunk)
            if size > limit:
                raise ClientgenError(
                    f"larger than {limit // (1024 * 1024)} MB, the most clientgen reads", Location(display)
                )
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ClientgenError(f"cannot read: {exc.strerror or exc}", Location(display)) from None
    finally:
        os.close(descriptor)


def read_text(path: str | Path, limit: int = MAX_BYTES) -> str:
    """A regular file's UTF-8 text, line ends as ``\\n`` (see ``read_bytes``); ``not UTF-8 text`` otherwise."""
    data = read_bytes(path, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClientgenError(f"not UTF-8 text ({exc.reason})", Location(str(path))) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as Path.read_text reads it (universal newlines)
