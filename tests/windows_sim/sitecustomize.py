"""Make this Python look like Windows to quietwork, as far as Python allows (tests only).

On PYTHONPATH (tests/test_windows_simulated.py puts it there) this runs before quietwork:

- the `signal` module keeps only what Windows has (SIGINT, SIGTERM, SIGABRT, SIGFPE,
  SIGILL, SIGSEGV) and gains SIGBREAK (Ctrl-Break); the POSIX-only functions go too;
- termios, tty, fcntl, pty, resource, pwd and grp cannot be imported;
- `os` loses what Windows lacks (getuid, getpgrp, tcgetpgrp, killpg, fork, set_blocking
  in Python 3.11);
- `select.select` takes sockets only, as on Windows;
- `msvcrt` is the fake next to this file (fake_msvcrt.py): keys come from the file named
  by QW_SIM_KEYS. subprocess and getpass are imported first: they decide "Windows" by
  whether `import msvcrt` works, and must stay POSIX underneath.

sys.platform stays "linux": libraries that choose by it (prompt_toolkit's input,
subprocess, rich's legacy console) still take their POSIX paths, so questionary prompts
are not covered by this simulation.
"""

from __future__ import annotations

import getpass  # noqa: F401 - see the docstring: before msvcrt exists
import importlib.abc
import os
import select
import signal
import socket
import stat
import subprocess  # noqa: F401 - see the docstring: before msvcrt exists
import sys

import fake_msvcrt

WINDOWS_SIGNALS = {"SIGINT", "SIGTERM", "SIGABRT", "SIGFPE", "SIGILL", "SIGSEGV"}
POSIX_SIGNAL_FUNCTIONS = (
    "alarm", "pause", "setitimer", "getitimer", "siginterrupt", "pthread_kill",
    "pthread_sigmask", "sigpending", "sigwait", "sigwaitinfo", "sigtimedwait",
    "pidfd_send_signal", "ITIMER_PROF", "ITIMER_REAL", "ITIMER_VIRTUAL", "ItimerError",
    "SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK", "Sigmasks",
)
POSIX_MODULES = {"termios", "tty", "fcntl", "pty", "resource", "pwd", "grp"}
POSIX_OS = ("getuid", "geteuid", "getgid", "getegid", "getpgrp", "tcgetpgrp", "tcsetpgrp",
            "killpg", "fork", "setsid", "set_blocking", "get_blocking")

for _name in dir(signal):
    if _name.startswith("SIG") and not _name.startswith("SIG_") and _name not in WINDOWS_SIGNALS:
        delattr(signal, _name)
for _name in POSIX_SIGNAL_FUNCTIONS:
    if hasattr(signal, _name):
        delattr(signal, _name)
signal.SIGBREAK = 21  # type: ignore[attr-defined]  # its number on Windows
signal.CTRL_C_EVENT = 0  # type: ignore[attr-defined]
signal.CTRL_BREAK_EVENT = 1  # type: ignore[attr-defined]

for _name in POSIX_OS:
    if hasattr(os, _name):
        delattr(os, _name)


class _NoPosixModules(importlib.abc.MetaPathFinder):
    """Refuses the POSIX-only modules, as `import termios` fails on Windows."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname in POSIX_MODULES:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)


sys.meta_path.insert(0, _NoPosixModules())
for _name in POSIX_MODULES:
    sys.modules.pop(_name, None)

_select = select.select


def _sockets_only(rlist, wlist, xlist, timeout=None):  # type: ignore[no-untyped-def]
    """select() as on Windows: "only sockets are supported"."""
    for item in (*rlist, *wlist, *xlist):
        fd = item if isinstance(item, int) else item.fileno()
        if not isinstance(item, socket.socket) and not stat.S_ISSOCK(os.fstat(fd).st_mode):
            raise OSError(10038, "An operation was attempted on something that is not a socket")
    return _select(rlist, wlist, xlist, timeout)


select.select = _sockets_only

sys.modules["msvcrt"] = fake_msvcrt
