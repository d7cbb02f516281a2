"""The plain view: one flushed line per prompt and per breathing phase, no escape codes.

For screen readers, pipes, `tee`, TERM=dumb and --plain. No rich here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from quietwork import output
from quietwork.run.timeline import PHASE_WORDS, Frame
from quietwork.text import clean

if TYPE_CHECKING:
    from quietwork.run.ports import Prompter, Skipped

TOP_UP_TEXT = "a little more air on top"  # the live view's words too


def phase_seconds(seconds: float) -> str:
    """Seconds written as everywhere else in quietwork: 4 → "4 s", 4/3 → "1.33 s"."""
    return f"{round(seconds, 2):g} s"


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
        self._titled = False  # the title already said, by `intro`
        self._step = 0
        self._steps = 0
        self._ended = False
        self._paused = False

    def intro(self, safety: str | None, *, title: str = "") -> None:
        """The first lines of all, before any question: the practice's title, then its
        safety note, so that a note read aloud is known to belong to this practice."""
        title = clean(title, single_line=True)
        if title:
            self._titled = True
            self._say(title)
        safety = clean(safety or "", single_line=True)
        if safety:
            self._say(safety)

    def checkin_step(self) -> None:
        """Number the check-in step about to be asked, as every other step is numbered."""
        if self._step and not self._ended and self._step < self._steps:
            self._step += 1
            self._say(f"Step {self._step} of {self._steps}")

    def bar_cells(self) -> int:
        """No bar: no frames between onsets needed."""
        return 0

    def _say(self, line: str) -> None:
        output.say(line, sys.stdout if self._out is None else self._out)

    def show(self, frame: Frame) -> None:
        """Print the frame's new lines: title, step, the prompt or phase, pause and resume."""
        if not self._started:
            self._started = True
            if not self._titled:
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
            self._step, self._steps = frame.step, frame.steps
            self._say(f"Step {frame.step} of {frame.steps}")
            if frame.kind in ("breathe", "lead_in") and frame.count:
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
            line = f"{PHASE_WORDS[frame.phase]} {phase_seconds(frame.length)}"
            if frame.phase == "inhale" and frame.count:
                line += f" · breath {frame.count[0]} of {frame.count[1]}"
            if frame.phase == "top_up":
                line += f", {TOP_UP_TEXT}"
            return line
        if frame.kind == "lead_in":
            return f"{clean(frame.text, single_line=True)} 3 2 1"
        return clean(frame.text, single_line=True) + count

    def suspend(self) -> None:
        """Questions are plain lines too: only the terminal's line mode to give back."""
        if self._release is not None:
            self._release()

    def end(self) -> None:
        """The timed part is over: line mode back for the questions that follow."""
        self._ended = True
        if self._release is not None:
            self._release()


class NumberedPrompter:
    """A prompter whose ratings are announced as steps by the plain view (a Prompter).

    Every step is numbered in plain mode, check-ins included: before a rating during
    the steps the view says "Step k of n". Everything else goes to the prompter as is.
    """

    def __init__(self, prompter: Prompter, view: PlainView) -> None:
        self._prompter = prompter
        self._view = view

    def distress(self, question: str, anchors: Mapping[int, str]) -> int | Skipped | None:
        """Number the check-in step, then ask."""
        self._view.checkin_step()
        return self._prompter.distress(question, anchors)

    def state(self) -> str | None:
        """As the prompter asks it."""
        return self._prompter.state()

    def body(self) -> tuple[str, ...]:
        """As the prompter asks it."""
        return self._prompter.body()

    def noticed(self) -> tuple[str, ...]:
        """As the prompter asks it."""
        return self._prompter.noticed()

    def note(self) -> str | None:
        """As the prompter asks it."""
        return self._prompter.note()

    def choose(self, question: str, options: Sequence[str]) -> tuple[str, ...]:
        """As the prompter asks it."""
        return self._prompter.choose(question, options)

    def select(self, question: str, options: Sequence[tuple[str, str]]) -> str:
        """As the prompter asks it."""
        return self._prompter.select(question, options)

    def ask_text(self, question: str, *, hint: str = "", max_length: int = 500) -> str:
        """As the prompter asks it."""
        return self._prompter.ask_text(question, hint=hint, max_length=max_length)

    def confirm(self, question: str, *, default: bool) -> bool:
        """As the prompter asks it."""
        return self._prompter.confirm(question, default=default)
