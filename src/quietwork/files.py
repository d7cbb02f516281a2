"""Reading a small regular file, and nothing else: never a FIFO, a device or a folder.

A FIFO where config.toml or support.md belongs hung every command (opening it waits for
a writer); /dev/zero read until memory ran out. Every file quietwork reads whole goes
through `read_regular`.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_utf8(exc: UnicodeDecodeError) -> tuple[str, str]:
    """Where a byte that is not UTF-8 is (`line:column`, from 1) and what it is (`byte 0xe9`)."""
    data, at = exc.object, exc.start
    line = data.count(b"\n", 0, at) + 1
    column = at - (data.rfind(b"\n", 0, at) + 1) + 1
    return f"{line}:{column}", f"byte 0x{data[at]:02x}"


class Unreadable(Exception):
    """Why a file was not read, as a phrase: "no such file", "it is a folder", ..."""

    def __init__(self, reason: str, *, missing: bool = False, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing  # nothing there at all (a dangling link is not missing)
        self.size = size  # set when the file is too large


def read_regular(path: Path, limit: int, *, cut: bool = False) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; Unreadable otherwise.

    With `cut`, a larger file is not refused: at most `limit` + 1 bytes are returned, so
    the caller can tell there was more. Never blocks: see `open_regular`.
    """
    with open_regular(path, limit, cut=cut) as file:
        try:
            size = os.fstat(file.fileno()).st_size
            # Read what stat promised (+1 to see growth), then the rest up to the limit:
            # never ask for `limit` bytes at once (an import's limit is a gigabyte).
            data = _read_upto(file, min(limit, size) + 1)
            if len(data) > size and len(data) <= limit:
                data += _read_upto(file, limit + 1 - len(data))
        except OSError as exc:
            raise Unreadable(exc.strerror or str(exc)) from None
    if len(data) > limit and not cut:
        raise Unreadable(f"it is over {limit:,} bytes", size=len(data))
    return data


def open_regular(path: Path, limit: int, *, cut: bool = False) -> io.FileIO:
    """A regular file of at most `limit` bytes, opened for reading; Unreadable otherwise.

    Never blocks: the file is looked at before it is opened, opened with O_NONBLOCK (a
    FIFO swapped in between cannot wait for a writer), and looked at again through the
    open descriptor. With `cut`, its size is not checked.
    """
    try:
        _check(os.stat(path), path, limit, cut)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise Unreadable("a link to nothing") from None
        raise Unreadable("no such file", missing=True) from None
    except ValueError:  # a NUL byte in the name
        raise Unreadable("not a usable file name") from None
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    file = io.FileIO(fd, "rb", closefd=True)
    try:
        _check(os.fstat(fd), path, limit, cut)
    except OSError as exc:
        file.close()
        raise Unreadable(exc.strerror or str(exc)) from None
    except Unreadable:
        file.close()
        raise
    return file


def _check(info: os.stat_result, path: Path, limit: int, cut: bool) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "")
        if kind == "a folder":
            raise Unreadable("it is a folder")
        raise Unreadable(f"it is not a regular file ({kind})" if kind else
                         "it is not a regular file")
    if info.st_size > limit and not cut:
        raise Unreadable(f"the file is {info.st_size:,} bytes", size=info.st_size)


def _read_upto(file: io.FileIO, count: int) -> bytes:
    """Up to `count` bytes, fewer only at the end of the file."""
    chunks: list[bytes] = []
    while count > 0:
        chunk = file.read(min(count, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)
