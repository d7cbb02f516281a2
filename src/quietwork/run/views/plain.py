"""The plain view: one flushed line per prompt and per breathing phase, no escape codes.

For screen readers, pipes, `tee`, TERM=dumb and --plain. No rich here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from quietwork.run.timeline import PHASE_WORDS, Frame
from quietwork.text import clean


def phase_seconds(seconds: float) -> str:
    """Seconds as a person reads them: 4 → "4s", 0.2 → "0.2s", 4/3 → "1.33s"."""
    return f"{round(seconds, 2):g}s"


KEYS_LINE = "Keys: s stop, p pause, Ctrl-C quit."
PAUSED_LINE = "Paused. Press p to go on."


class PlainView:
    """Plain lines (implements run.ports.View).

    With `keys` (stdin is a terminal whose keys act at once), the first lines name the
    keys, and `release` is called before each question and at the end: it gives the
    terminal back to line mode (echo, Enter) for answers typed as lines.
    """

    def __init__(
        self,
        out: TextIO | None = None,
        *,
        keys: bool = False,
        release: Callable[[], None] | None = None,
        keys_note: str = "",
    ) -> None:
        self._out = out
        self._keys = keys
        self._release = release
        self._keys_note = keys_note  # one more key for the keys line ("m mute")
        self._started = False
        self._step = 0
        self._paused = False

    def bar_cells(self) -> int:
        """No bar: no frames between onsets needed."""
        return 0

    def _say(self, line: str) -> None:
        out = sys.stdout if self._out is None else self._out
        out.write(line + "\n")
        out.flush()

    def show(self, frame: Frame) -> None:
        """Print the frame's new lines: title, step, the prompt or phase, pause and resume."""
        if not self._started:
            self._started = True
            self._say(clean(frame.title, single_line=True))
            if self._keys:
                extra = f", {self._keys_note}" if self._keys_note else ""
                self._say(KEYS_LINE.replace(", Ctrl-C", f"{extra}, Ctrl-C"))
        if frame.paused != self._paused:
            self._paused = frame.paused
            self._say(PAUSED_LINE if frame.paused else "Going on.")
        if not frame.onset:
            return
        if frame.step != self._step:
            self._step = frame.step
            self._say(f"Step {frame.step} of {frame.steps}")
            if frame.kind == "breathe" and frame.count:
                self._say(f"Breathe along, {frame.count[1]} breaths. Roughly is fine.")
        self._say(self.line(frame))

    def note(self, line: str) -> None:
        """A line of its own between frames (the sound muted, or on again)."""
        self._say(line)

    @staticmethod
    def line(frame: Frame) -> str:
        """The one line announcing a segment."""
        count = f" ({frame.count[0]} of {frame.count[1]})" if frame.count else ""
        if frame.kind == "breathe" and frame.phase is not None:
            return f"{PHASE_WORDS[frame.phase]} {phase_seconds(frame.length)}"
        return clean(frame.text, single_line=True) + count

    def suspend(self) -> None:
        """Questions are plain lines too: only the terminal's line mode to give back."""
        if self._release is not None:
            self._release()

    def end(self) -> None:
        """The timed part is over: line mode back for the questions that follow."""
        if self._release is not None:
            self._release()
