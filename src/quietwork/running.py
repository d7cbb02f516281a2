"""Which practices still run: each running practice holds an advisory lock on its own file.

The file is `<session id>.lock` in a `running` folder beside the log. The OS releases the
lock when the process ends, however it ends (SIGKILL, a crash, a stopped container), so
another quietwork that can take it knows the practice is gone — whatever the host name
says, or the pid seen inside a PID namespace. Where there is no `fcntl` (Windows), or the
file system refuses locks, no lock is held and the caller falls back to the pid check.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import ModuleType

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
            self._path.unlink()
        os.close(self._fd)
        self._fd = None


def hold(log_folder: Path, session_id: str) -> Held | None:
    """Take the lock for a practice that starts now; None where locks are not to be had."""
    fcntl = _fcntl()
    if fcntl is None:
        return None
    folder = log_folder / FOLDER
    path = folder / f"{session_id}.lock"
    try:
        from quietwork import paths

        paths.make_private_dirs(folder)
        fd = os.open(path, _FLAGS | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # e.g. a network file system without locks
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
    fcntl = _fcntl()
    if fcntl is None:
        return None
    try:
        # Read-only is enough for a lock, and works in a read-only folder.
        fd = os.open(log_folder / FOLDER / f"{session_id}.lock", _FLAGS & ~os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # held: the practice runs
    except OSError:
        return None
    finally:
        os.close(fd)  # closing lets a lock taken here go again
    return True


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


def _fcntl() -> ModuleType | None:
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    return fcntl
