"""Keys during timed steps: cbreak on a POSIX terminal (the live view and plain mode), or none.

Every way out restores the terminal: the normal end and exceptions through `finally`,
Ctrl-C as KeyboardInterrupt, and SIGTERM / SIGHUP / SIGQUIT through quietwork.signals,
whose handlers raise into the same `finally` blocks (without one the terminal is left
without echo). Ctrl-Z gives the shell its terminal back while stopped (docs/reliability.md,
job control). The Windows console reader is run/winkeys.py; both map keys through
`key_action`.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, Literal, Self, TextIO

ESC = 0x1B
ESC_WAIT = 0.03  # what follows ESC this soon is an escape sequence (arrows), not the Esc key
_KEYS = {ord("s"): "stop", ord("S"): "stop", ord("q"): "stop", ord("Q"): "stop",
         ord("p"): "pause", ord("P"): "pause", ord(" "): "pause", ord("m"): "mute",
         ord("M"): "mute"}

BACKGROUND_POLL = 0.5  # in the background, how often to look whether we are back in front


def key_action(char: str) -> str | None:
    """What one typed character asks for ("stop", "pause"), or None."""
    return _KEYS.get(ord(char)) if len(char) == 1 else None


def decode(data: bytes) -> tuple[list[str], bool]:
    """Keys in a chunk of input: "stop", "pause", "mute"; and whether it ends in a lone ESC.

    Escape sequences (arrows: ESC [ A; F1: ESC O P; Alt+x: ESC x) are skipped whole.
    """
    keys: list[str] = []
    i = 0
    while i < len(data):
        byte = data[i]
        if byte != ESC:
            action = key_action(chr(byte))
            if action is not None:
                keys.append(action)
            i += 1
            continue
        if i + 1 == len(data):
            return keys, True
        nxt = data[i + 1]
        if nxt == ESC:  # Esc pressed twice quickly
            keys.append("stop")
            i += 1
        elif nxt == ord("["):  # CSI: parameters and intermediates, then one final byte
            i += 2
            while i < len(data) and 0x20 <= data[i] <= 0x3F:
                i += 1
            i += 1
        elif nxt == ord("O"):  # SS3: one more byte
            i += 3
        else:  # Alt + a key
            i += 2
    return keys, False


class TerminalKeys:
    """cbreak key reading on a terminal; use as a context manager (restores on exit).

    cbreak is entered at the first read, so questions asked before the timed part see
    the terminal as it was; `restore()` gives line mode back (for a question typed as a
    line) and the next read enters cbreak again. Ctrl-C keeps working (ISIG stays on).
    A resized terminal wakes the reader with "resize" so the view can redraw.

    Job control: Ctrl-Z during the timed part gives the terminal back as the shell
    expects it (line mode, echo; the hooks from `on_suspend` leave the alternate screen
    and show the cursor), then stops. Continued (`fg`), the reader waits until it is in
    front again, never reading the shell's typing from the background (`bg`), and returns
    "suspended": the runner pauses and the view draws again; the next read re-enters
    cbreak. A stop from outside (SIGSTOP) comes back the same way.
    """

    def __init__(self, stream: TextIO | None = None, *, esc_wait: float = ESC_WAIT) -> None:
        self._fd = (stream or sys.stdin).fileno()
        self._esc_wait = esc_wait
        self._saved: list[Any] | None = None
        self._pending: list[str] = []
        self._ahead = b""  # read after an answer (type_ahead): the next question's, or keys
        self._wake: tuple[int, int] | None = None
        self._handlers: dict[signal.Signals, Callable[[int, FrameType | None], None]] = {}
        self._old_handlers: dict[signal.Signals, object] = {}
        self._suspend_hooks: list[Callable[[], None]] = []
        self._stop_asked = False  # Ctrl-Z in the timed part: stop at the reader, not mid-frame
        self._continued = False

    def on_suspend(self, hook: Callable[[], None]) -> None:
        """Call `hook` before the process stops (Ctrl-Z): the view leaves the screen."""
        self._suspend_hooks.append(hook)

    def __enter__(self) -> Self:
        self._wake = os.pipe()
        os.set_blocking(self._wake[1], False)
        wake_w = self._wake[1]

        def wake() -> None:
            with contextlib.suppress(OSError):
                os.write(wake_w, b"r")

        def on_resize(signum: int, frame: FrameType | None) -> None:
            wake()

        def on_stop(signum: int, frame: FrameType | None) -> None:
            if self._saved is None:  # line mode already (a question typed as a line)
                self._stop_now()
                return
            self._stop_asked = True
            wake()

        def on_continue(signum: int, frame: FrameType | None) -> None:
            if self._saved is not None:
                self._continued = True
            wake()

        # Only where they exist: none of these is on Windows (run/winkeys.py there).
        for name, handler in (("SIGWINCH", on_resize), ("SIGTSTP", on_stop),
                              ("SIGCONT", on_continue)):
            if hasattr(signal, name):
                sig = getattr(signal, name)
                self._handlers[sig] = handler
                self._old_handlers[sig] = signal.signal(sig, handler)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.restore()
        finally:
            if self._wake is not None:
                for sig, old in self._old_handlers.items():
                    signal.signal(sig, old)  # type: ignore[arg-type]
                for fd in self._wake:
                    os.close(fd)
                self._wake = None

    def _cbreak(self) -> None:
        if self._saved is None:
            import termios
            import tty

            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd, termios.TCSANOW)
            winch = getattr(signal, "SIGWINCH", None)
            if self._wake is not None and winch in self._handlers:
                # A question in between (prompt_toolkit) resets SIGWINCH to the default
                # when it ends: take it back, or a resize while paused is never redrawn.
                signal.signal(winch, self._handlers[winch])

    def restore(self) -> None:
        """Put the terminal back as it was (a hung-up terminal is left alone)."""
        if self._saved is None:
            return
        import termios

        saved, self._saved = self._saved, None
        with contextlib.suppress(OSError, termios.error):
            termios.tcsetattr(self._fd, termios.TCSADRAIN, saved)

    def _in_front(self) -> bool:
        """Whether this process group owns the terminal (else reading it would steal input)."""
        try:
            return os.tcgetpgrp(self._fd) == os.getpgrp()
        except OSError:  # not a terminal any more: the read says so
            return True

    def _stop_now(self) -> None:
        """Stop as Ctrl-Z would without a handler; returns when continued."""
        tstp = signal.SIGTSTP
        handler = self._handlers.get(tstp)
        signal.signal(tstp, signal.SIG_DFL)
        try:
            os.kill(os.getpid(), tstp)
        finally:
            if handler is not None:
                signal.signal(tstp, handler)

    def _come_back(self) -> str:
        """Ctrl-Z or a stop from outside: leave, stop, wait to be in front; "suspended"."""
        stop, self._stop_asked = self._stop_asked, False
        if self._in_front():
            self.restore()  # line mode and echo for the shell
        else:
            self._saved = None  # tcsetattr from the background would stop us again
        for hook in self._suspend_hooks:
            hook()
        if stop:
            self._stop_now()
        while not self._in_front():
            if self._wake is None:
                break
            ready, _, _ = select.select([self._wake[0]], [], [], BACKGROUND_POLL)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(self._wake[0], 64)
        self._continued = False
        return "suspended"

    def read(self, timeout: float) -> str | None:
        """Wait up to `timeout` s in select(); "stop", "pause", "mute", "resize", "suspended"
        or None."""
        if self._ahead:  # a timed step came first: they are its keys, never a later answer
            keys, lone_esc = decode(self._ahead)
            self._ahead = b""
            self._pending += [key for key in keys if key != "mute"] + (["stop"] if lone_esc else [])
        if self._pending:
            return self._pending.pop(0)
        if self._stop_asked or self._continued or not self._in_front():
            return self._come_back()
        came = self._wait(timeout)
        if came == "woken":
            if self._stop_asked or self._continued:
                return self._come_back()
            return "resize"
        if came is None:
            return None
        if not self._in_front():  # put in the background while waiting: not our typing
            return self._come_back()
        keys, lone_esc = decode(self._typed())
        while lone_esc:
            more, _, _ = select.select([self._fd], [], [], self._esc_wait)
            if not more:
                keys.append("stop")  # a real Esc key: nothing followed it
                break
            rest, lone_esc = decode(b"\x1b" + os.read(self._fd, 64))
            keys += rest
        self._pending += keys
        return self._pending.pop(0) if self._pending else None


    def start(self) -> None:
        """Enter cbreak now, before the first screen: keys typed early are not echoed."""
        self._cbreak()

    def type_ahead(self, data: bytes) -> None:
        """Keys read after an answer (in the same read): a question straight after it gets
        them first (read_bytes); a timed read takes them as keys instead (s, q, Esc stop,
        p pauses; Enter, digits and the like are dropped), so nothing typed before a timed
        step answers a question after it. `m` was the question's (it mutes there)."""
        self._ahead += data

    def read_bytes(self, timeout: float) -> bytes | None:
        """Raw input for a question asked in the view; b"" after a resize, None if none came.

        Keys a question before this one left (type_ahead) come first.
        """
        self._pending.clear()  # keys from the timed part do not answer a question
        if self._ahead:
            ahead, self._ahead = self._ahead, b""
            return ahead
        came = self._wait(timeout)
        if came == "woken":
            return b""
        return None if came is None else self._typed()

    def _wait(self, timeout: float) -> Literal["woken", "typed"] | None:
        """In cbreak, up to `timeout` s for a key or a signal's wake-up (drained)."""
        self._cbreak()
        watch = [self._fd] + ([self._wake[0]] if self._wake else [])
        ready, _, _ = select.select(watch, [], [], max(0.0, timeout))
        if self._wake and self._wake[0] in ready:
            with contextlib.suppress(OSError):
                os.read(self._wake[0], 64)
            return "woken"
        return "typed" if self._fd in ready else None

    def _typed(self) -> bytes:
        """What was typed (up to 64 bytes); EOFError when the terminal is gone."""
        data = os.read(self._fd, 64)
        if not data:
            raise EOFError("the terminal closed")
        return data


class NoKeys:
    """No key input (stdin is a pipe, kept for check-in answers): just wait."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self._sleep = sleep

    def read(self, timeout: float) -> str | None:
        """Sleep for the timeout; no key ever comes."""
        if timeout > 0:
            self._sleep(timeout)
        return None
