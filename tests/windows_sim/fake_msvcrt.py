"""A fake `msvcrt` for the simulated Windows (tests only; sitecustomize installs it).

Keys come from a file.

QW_SIM_KEYS names a file; what the test appends to it is what the person types, read
one character at a time. On Windows an arrow key comes as two characters ("\\xe0" and
a code), a function key as "\\x00" and a code: a test writes them the same way.
QW_SIM_CALLS, when set, names a file that gets one line per kbhit() call (to count the
reader's wake-ups).

`locking` locks as Windows' does for what quietwork asks of it (one byte, without waiting,
released when the process ends), with flock underneath: sitecustomize imports this module
before fcntl is hidden.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time

LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

_consumed = 0


def _unread() -> str:
    path = os.environ.get("QW_SIM_KEYS", "")
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()[_consumed:]
    except FileNotFoundError:
        return ""


def kbhit() -> bool:
    """Whether a key is waiting."""
    calls = os.environ.get("QW_SIM_CALLS", "")
    if calls:
        with open(calls, "a", encoding="utf-8") as file:
            file.write(f"{time.monotonic()}\n")
    return bool(_unread())


def getwch() -> str:
    """The next key as a character; waits for one, as the real one does."""
    global _consumed
    while True:
        unread = _unread()
        if unread:
            _consumed += 1
            return unread[0]
        time.sleep(0.01)


def getch() -> bytes:
    """The next key as a byte."""
    return getwch().encode("latin-1", "replace")


def locking(fd: int, mode: int, nbytes: int) -> None:
    """Lock or unlock `nbytes` from the file position; a held lock is EACCES, as on Windows."""
    if mode == LK_UNLCK:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if mode in (LK_NBLCK, LK_NBRLCK) else 0))
    except BlockingIOError:
        raise OSError(errno.EACCES, "Permission denied") from None
