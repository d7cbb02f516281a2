"""Keys during timed steps on a Windows console: msvcrt, the same keys as on POSIX.

The console hands over key presses one at a time (`msvcrt.kbhit` / `getwch`), unechoed
and without Enter, so there is no terminal mode to enter or restore. msvcrt cannot wait
for a key with a timeout, so the reader sleeps in steps of at most STEP and never past
the deadline it was given: pacing stays on the runner's deadlines, a key acts within
STEP, and the CPU stays idle in between (docs/reliability.md). There is no SIGWINCH on
Windows: the console size is looked at every step and a change wakes the reader with
"resize", as SIGWINCH does on POSIX (so a resize while paused is drawn too).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from quietwork.run.keys import key_action

STEP = 0.02  # seconds between looks at the keyboard: 50 a second, a key acts within 20 ms
PREFIXES = ("\x00", "\xe0")  # an arrow or function key: its code comes next
ESC = "\x1b"
CTRL_C = "\x03"


class Console(Protocol):
    """What the reader needs of msvcrt."""

    def kbhit(self) -> bool:
        """Whether a key press is waiting."""
        ...

    def getwch(self) -> str:
        """The next key press, as a character."""
        ...


def _console_size() -> tuple[int, int] | None:
    try:
        size = os.get_terminal_size(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return (size.columns, size.lines)


class ConsoleKeys:
    """Key reading on a Windows console (implements run.ports.Keys); a context manager.

    `restore` and `on_suspend` exist for the wiring's sake: the console has no mode to
    give back, and Windows has no Ctrl-Z stop.
    """

    def __init__(
        self,
        console: Console | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        size: Callable[[], tuple[int, int] | None] = _console_size,
    ) -> None:
        if console is None:
            import importlib

            console = importlib.import_module("msvcrt")
        self._console: Console = console
        self._clock = clock
        self._sleep = sleep
        self._size = size
        self._last_size = size()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.restore()

    def restore(self) -> None:
        """Nothing to give back: the console's line mode was never left."""

    def on_suspend(self, hook: Callable[[], None]) -> None:
        """Windows never stops a console process (no SIGTSTP): the hook is not needed."""

    def read(self, timeout: float) -> str | None:
        """Wait up to `timeout` s; "stop", "pause", "resize" or None."""
        deadline = self._clock() + max(0.0, timeout)
        while True:
            key = self._key()
            if key is not None:
                return key
            size = self._size()
            if size != self._last_size:
                self._last_size = size
                return "resize"
            left = deadline - self._clock()
            if left <= 0:
                return None
            self._sleep(min(STEP, left))

    def _key(self) -> str | None:
        """The first waiting key that means something; the rest stays for the next read."""
        while self._console.kbhit():
            char = self._console.getwch()
            if char in PREFIXES:  # an arrow or F-key: skip its code, it is not Esc
                self._console.getwch()
                continue
            if char == ESC:  # the console sends no escape sequences: Esc is the key
                return "stop"
            if char == CTRL_C:  # only when the console passes it as a key
                raise KeyboardInterrupt
            action = key_action(char)
            if action is not None:
                return action
        return None


def enable_vt_output() -> bool:
    """Turn on escape-sequence output on the Windows console; whether it is on.

    The live view writes escape sequences; the classic console shows them as text
    unless ENABLE_VIRTUAL_TERMINAL_PROCESSING is set (Windows Terminal has it on).
    """
    if sys.platform != "win32":
        return True
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.GetStdHandle(-11)  # STD_OUTPUT_HANDLE
    mode = ctypes.c_uint32()
    if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
        return False
    return bool(kernel32.SetConsoleMode(handle, mode.value | 0x0004))
