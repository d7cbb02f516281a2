"""The one pty harness: the real CLI on a pseudo-terminal of a given size, read through pyte.

`Terminal` runs `quietwork ARGS` by bash on a pty (between two `stty -a` snapshots, so
a test can check the terminal is left as it was) and feeds everything it writes to a
pyte screen, so a test asserts what a person would see, not the byte stream. pyte
ignores the alternate screen (`?1049h` / `?1049l`); `Screen` handles that switch itself,
as a real terminal does: the normal screen is kept aside while the practice is on the
alternate one, and shown again, unchanged, when it leaves.

`spawn` is the same start without the screen, for tests that read the byte stream
with pexpect's own `expect`.

`tmux=True` keeps the normal screen's scrollback as tmux does (`Screen.scrollback`):
the lines scrolled off the top, and, as tmux's `scroll-on-clear` (on by default), the
whole screen when a program clears it from the top-left corner down.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

ENTER_ALT, LEAVE_ALT = "\x1b[?1049h", "\x1b[?1049l"
_SWITCH = re.compile(r"\x1b\[\?1049[hl]")
CTRL_C = "\x03"
BASH = shutil.which("bash") or "/bin/bash"  # found on this PATH: a test's own may lack it
FOLLOW_UPS = ("Which way does it lean?", "Where do you notice it in your body?",
              "Did you notice any of these?", "A note, if you like:")


def spawn(
    command: str, *, cwd: Path | None = None, env: dict[str, str] | None = None,
    timeout: float = 15, interactive: bool = False,
) -> pexpect.spawn:
    """`command` in bash on a 30x100 pty, `$QW` running this quietwork, read as a byte stream.

    `env` adds to (or replaces in) this process's environment, PATH too; `interactive`
    starts `bash -i` (job control on, the prompt `PROMPT$ `) and `command` is not used.
    Everything the program writes is kept in `child.logfile_read` (a StringIO).
    """
    full_env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color",
                "PS1": "PROMPT$ ", "QW": f"{sys.executable} -m quietwork", **(env or {})}
    full_env.pop("COLUMNS", None)
    args = ["--norc", "--noprofile", *(["-i"] if interactive else ["-c", command])]
    child = pexpect.spawn(BASH, args, env=full_env, encoding="utf-8", timeout=timeout,
                          dimensions=(30, 100), cwd=cwd)
    child.delaybeforesend = None
    child.logfile_read = io.StringIO()
    return child


class _Kept(pyte.Screen):
    """A pyte screen that keeps its scrollback as tmux does (`scroll-on-clear` on)."""

    def __init__(self, columns: int, lines: int) -> None:
        super().__init__(columns, lines)
        self.scrolled: list[str] = []

    def _row(self, y: int) -> str:
        return "".join(self.buffer[y][x].data for x in range(self.columns)).rstrip()

    def index(self) -> None:
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        if self.cursor.y == bottom and top == 0:
            self.scrolled.append(self._row(0))
        super().index()

    def erase_in_display(self, how: int = 0, *args: object, **kwargs: object) -> None:
        if how == 2 or (how == 0 and (self.cursor.x, self.cursor.y) == (0, 0)):
            rows = [self._row(y) for y in range(self.lines)]
            while rows and not rows[-1]:
                rows.pop()
            self.scrolled += rows
        super().erase_in_display(how, *args, **kwargs)


class Screen:
    """What a terminal of `rows` × `cols` shows, the alternate screen included."""

    def __init__(self, rows: int, cols: int, *, tmux: bool = False) -> None:
        self.rows, self.cols = rows, cols
        self.normal = self._new(tmux=tmux)
        self.alternate: tuple[pyte.Screen, pyte.Stream] | None = None
        self._held = ""  # the end of a chunk that may be the start of a switch

    def _new(self, *, tmux: bool = False) -> tuple[pyte.Screen, pyte.Stream]:
        screen = (_Kept if tmux else pyte.Screen)(self.cols, self.rows)
        return screen, pyte.Stream(screen)

    def scrollback(self) -> list[str]:
        """The normal screen's lines scrolled (or, with `tmux`, copied) off it, then the
        rows it shows now: what a person scrolling back up would read."""
        screen = self.normal[0]
        shown = [line.rstrip() for line in screen.display]
        return [*getattr(screen, "scrolled", ()), *shown]

    def resize(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        for screen, _ in filter(None, (self.normal, self.alternate)):
            screen.resize(rows, cols)

    @property
    def on_alternate(self) -> bool:
        return self.alternate is not None

    def feed(self, text: str) -> None:
        text = self._held + text
        cut = text.rfind("\x1b")
        tail = text[cut:] if cut != -1 else ""
        if tail and len(tail) < len(ENTER_ALT) and (
            ENTER_ALT.startswith(tail) or LEAVE_ALT.startswith(tail)
        ):
            # Perhaps the start of a switch: wait for the rest of it.
            text, self._held = text[:cut], tail
        else:
            self._held = ""
        at = 0
        for switch in _SWITCH.finditer(text):
            self._stream().feed(text[at:switch.start()])
            at = switch.end()
            if switch.group() == ENTER_ALT:
                self.alternate = self._new()
            else:
                self.alternate = None
        self._stream().feed(text[at:])

    def _stream(self) -> pyte.Stream:
        return (self.alternate or self.normal)[1]

    def lines(self) -> list[str]:
        """The rows shown now, trailing spaces removed."""
        screen = (self.alternate or self.normal)[0]
        return [line.rstrip() for line in screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())


class _Log(io.StringIO):
    """pexpect's read log: kept whole (for `finish`) and fed to the screen as it comes."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.screen = screen

    def write(self, text: str) -> int:
        self.screen.feed(text)
        return super().write(text)


class Terminal:
    """`quietwork ARGS` run by bash on a pty, between two `stty -a` snapshots."""

    def __init__(
        self, tmp_path: Path, args: str, *, qw: str = "", rows: int = 30, cols: int = 100,
        env: dict[str, str] | None = None, timeout: float = 10, encoding: str = "utf-8",
        tmux: bool = False,
    ) -> None:
        self.tmp_path = tmp_path
        full_env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color",
                        QW=qw or f"{sys.executable} -m quietwork", **(env or {}))
        full_env.pop("COLUMNS", None)
        full_env.pop("LINES", None)
        full_env.pop("PYTHONDONTWRITEBYTECODE", None)
        command = f"stty -a > before; $QW {args}; echo EXIT=$?; stty -a > after"
        self.screen = Screen(rows, cols, tmux=tmux)
        self.child = pexpect.spawn("bash", ["--norc", "--noprofile", "-c", command],
                                   env=full_env, encoding=encoding, timeout=timeout,
                                   dimensions=(rows, cols), cwd=tmp_path)
        self.child.delaybeforesend = None
        self.child.logfile_read = _Log(self.screen)

    # The byte stream (pexpect)

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def rate(self, rating: str, then: str, *, shown: bool = False) -> None:
        """At a rating question: type it, skip each follow-up with Enter, until `then`."""
        if not shown:
            self.expect("0 = calm, 10 = overwhelmed")
        self.send(rating + "\r")
        while self.child.expect_exact([then, *FOLLOW_UPS]) != 0:
            self.send("\r")

    # The screen (pyte)

    def pump(self, timeout: float = 0.05) -> bool:
        """Read what has come (into the screen); False once the program has ended.

        What is read stays in pexpect's buffer too, so `finish` still finds the exit code.
        """
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
            self.child.buffer = self.child.buffer + data
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            return False
        return True

    def wait(
        self, shows: str | Callable[[list[str]], bool], *, timeout: float | None = None
    ) -> list[str]:
        """Read until the screen shows `shows` (text, or a test of its lines); the lines."""
        test = shows if callable(shows) else (lambda lines: shows in "\n".join(lines))
        until = time.monotonic() + (timeout or self.child.timeout)
        alive = True
        while True:
            lines = self.screen.lines()
            if test(lines):
                return lines
            if not alive or time.monotonic() > until:
                shown = "\n".join(lines)
                raise AssertionError(f"the screen never showed {shows!r}; it shows:\n{shown}")
            alive = self.pump()

    def resize(self, rows: int, cols: int) -> None:
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)

    # The process

    def quietwork_pid(self) -> int:
        pid = self.child.pid
        [child] = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return int(child)

    def interrupt(self, how: str) -> None:
        if how == "ctrl-c":
            self.send(CTRL_C)
        else:
            os.kill(self.quietwork_pid(), getattr(signal, how))

    def finish(self, *, traceback: bool = False) -> int:
        """The exit code; and the terminal is as it was, with the cursor shown."""
        self.child.expect(r"EXIT=(\d+)")
        code = int(self.child.match.group(1))
        self.child.expect(pexpect.EOF)
        screen = self.child.logfile_read.getvalue()
        before = (self.tmp_path / "before").read_text()
        assert before == (self.tmp_path / "after").read_text()
        assert "-icanon" not in before and "-echo " not in before
        assert screen.rfind("\x1b[?25h") >= screen.rfind("\x1b[?25l")
        assert ("Traceback" in screen) is traceback
        return code
