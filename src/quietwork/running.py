"""Which practices still run: each running practice holds an advisory lock on its own file.

The file is `<session id>.lock` in a `running` folder beside the log. The OS releases the
lock when the process ends, however it ends (SIGKILL, a crash, a stopped container), so
another quietwork that can take it knows the practice is gone — whatever the host name
says, or the pid seen inside a PID namespace. The lock is `fcntl.flock` on POSIX and a
one-byte `msvcrt.locking` on Windows. Where the file system refuses locks, no lock is held
and the caller falls back to the pid check (POSIX only: Windows has no safe one in os).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

FOLDER = "running"
_FLAGS = os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


class Held:
    """The lock of one running practice; `release` when it is recorded as ended."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self._path = path

    def release(self) -> None:
        """Remove the file and let the lock go; safe to call twice."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self._path.unlink()  # first, where it can be (POSIX): no one takes a dead lock
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None
        with contextlib.suppress(OSError):
            self._path.unlink()  # Windows removes no file that is still open


def hold(log_folder: Path, session_id: str) -> Held | None:
    """Take the lock for a practice that starts now; None where locks are not to be had."""
    if _LOCKS is None:
        return None
    folder = log_folder / FOLDER
    path = folder / f"{session_id}.lock"
    try:
        from quietwork import paths

        paths.make_private_dirs(folder)
        fd = os.open(path, _FLAGS | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None
    if _take(fd) is not True:  # e.g. a network file system without locks
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return Held(fd, path)


def stale(log_folder: Path, session_id: str, pid: int | None, host: str | None,
          this_host: str) -> bool:
    """Whether a session recorded as running has no process any more.

    Its lock tells; a session without one (written by an older quietwork, or where
    locks are not to be had) is gone when it ran on this host under a pid that is not
    alive. An imported session (no pid or host) can never finish here.
    """
    if pid is None or host is None:
        return True
    verdict = _lock_gone(log_folder, session_id)
    if verdict is not None:
        return verdict
    return host == this_host and not _alive(pid)


def _lock_gone(log_folder: Path, session_id: str) -> bool | None:
    """Whether the practice's process is gone; None when it left no lock to tell by."""
    if _LOCKS is None:
        return None
    try:
        # Read-only is enough for a lock, and works in a read-only folder.
        fd = os.open(log_folder / FOLDER / f"{session_id}.lock", _FLAGS & ~os.O_RDWR)
    except OSError:
        return None
    try:
        taken = _take(fd)
        if taken:
            _unlock(fd)
    finally:
        os.close(fd)  # closing lets a lock taken here go again
    return taken  # taken: gone; not taken: held, it runs; None: no locks to tell by


def forget(log_folder: Path, session_id: str) -> None:
    """Remove the lock file of a practice recorded as gone."""
    with contextlib.suppress(OSError):
        (log_folder / FOLDER / f"{session_id}.lock").unlink()


def _alive(pid: int) -> bool:
    """Whether process `pid` exists on this host."""
    if pid <= 0 or sys.platform == "win32":  # os.kill would terminate it on Windows
        return pid > 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OverflowError:
        return False
    return True


def _which_locks() -> str | None:
    try:
        import fcntl  # noqa: F401
    except ImportError:
        pass
    else:
        return "fcntl"
    try:
        import msvcrt  # noqa: F401
    except ImportError:
        return None
    return "msvcrt"


_LOCKS = _which_locks()
# A byte range another process holds, as msvcrt.locking reports it.
_HELD_ERRNOS = {errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


def _take(fd: int) -> bool | None:
    """Try the lock without waiting: True if taken, False if another holds it, None if
    the file system gives no locks."""
    try:
        if _LOCKS == "fcntl":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except BlockingIOError:
        return False
    except OSError as exc:
        return False if _LOCKS == "msvcrt" and exc.errno in _HELD_ERRNOS else None
    return True


def _unlock(fd: int) -> None:
    """Let a lock taken here go before its file is closed (Windows asks for it)."""
    if _LOCKS != "msvcrt":
        return  # flock goes with the last close
    import msvcrt

    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
