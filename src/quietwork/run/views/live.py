"""The terminal view of a running practice: a few lines on the alternate screen.

Each frame is laid out as lines of (text, style) parts; only the lines that differ
from what is on the screen are rendered (through rich, cached) and rewritten in place,
so a breathing bar costs one short line per cell it moves, not a repaint.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import sys
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from quietwork.run.timeline import PHASE_WORDS, Frame
from quietwork.text import clean

ENTER = "\x1b[?1049h\x1b[?25l\x1b[2J"  # alternate screen, cursor hidden, cleared
LEAVE = "\x1b[?25h\x1b[?1049l"
CLEAR = "\x1b[2J"
ERASE_LINE = "\x1b[K"
FOOTER = "s/Esc stop · p/space pause · Ctrl-C quit"
PAUSED = "Paused. Press p or space to go on."
BREATHE_TEXT = "Breathe with the bar. Roughly is fine."
BAR_MAX = 40
PROMPT_LINES = 4
PHASE_STYLE = {"inhale": "bold cyan", "exhale": "bold green", "hold": "bold", "hold_out": "bold"}

Part = tuple[str, str]  # text, rich style
ScreenLine = tuple[Part, ...]


def seconds_left(seconds: float) -> int:
    """A countdown in whole seconds, rounded up (4.0 → 4, 3.2 → 4, 0.1 → 1)."""
    return max(0, math.ceil(seconds - 1e-9))


def clock_time(seconds: float) -> str:
    """Whole seconds left, rounded up, as m:ss."""
    minutes, rest = divmod(seconds_left(seconds), 60)
    return f"{minutes}:{rest:02d}"


class LiveView:
    """The animated view (implements run.ports.View). Close it (or use `with`) to restore."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out or sys.stdout
        self._console = Console(
            file=io.StringIO(), force_terminal=True, highlight=False, markup=False,
            emoji=False, width=80,
        )
        encoding = (getattr(self._out, "encoding", "") or "").lower().replace("-", "")
        self._full, self._empty = ("█", "░") if encoding == "utf8" else ("#", "-")
        self._active = False
        self._size = (0, 0)
        self._drawn: list[ScreenLine] = []
        self._cache: dict[tuple[ScreenLine, int], str] = {}
        self._wrapped: dict[tuple[str, int], list[str]] = {}
        self.keys_note = ""  # one more key for the footer ("m mute"), shown when it fits

    def __enter__(self) -> LiveView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.end()

    def _terminal_size(self) -> tuple[int, int]:
        try:
            size = os.get_terminal_size(self._out.fileno())
        except (OSError, ValueError, AttributeError):
            return (80, 24)
        return (max(size.columns, 20), max(size.lines, 5))

    def bar_cells(self) -> int:
        """The bar's width in cells at the current terminal width."""
        width = self._size[0] or self._terminal_size()[0]
        return max(0, min(BAR_MAX, width - 4))

    def show(self, frame: Frame) -> None:
        """Draw the lines of this frame that differ from what is on the screen."""
        out: list[str] = []
        size = self._terminal_size()
        if not self._active:
            out.append(ENTER)
            self._active = True
            self._drawn = []
            self._size = size
            self._console.width = size[0]
        elif size != self._size:
            self._size = size
            self._console.width = size[0]
            out.append(CLEAR)
            self._drawn = []
        width, height = size
        lines = self.layout(frame, width, height)
        for row, line in enumerate(lines):
            before = self._drawn[row] if row < len(self._drawn) else None
            if before != line:
                out.append(self._redraw(row, before, line, width))
        for row in range(len(lines), len(self._drawn)):
            out.append(f"\x1b[{row + 1};1H{ERASE_LINE}")
        self._drawn = lines
        if out:
            self._out.write("".join(out))
            self._out.flush()

    def suspend(self) -> None:
        """Back to the normal screen, cursor shown, for a question."""
        self.end()

    def end(self) -> None:
        """Leave the alternate screen and show the cursor (a closed terminal is ignored)."""
        if not self._active:
            return
        self._active = False
        self._size = (0, 0)
        with contextlib.suppress(OSError, ValueError):
            self._out.write(LEAVE)
            self._out.flush()

    def layout(self, frame: Frame, width: int, height: int = 1000) -> list[ScreenLine]:
        """The frame as at most `height` screen lines of (text, style) parts."""
        title = clean(frame.title, single_line=True)
        step = f"step {frame.step} of {frame.steps}"
        gap = max(2, width - 4 - cell_len(title) - len(step))
        heading: ScreenLine = ((" " + title, "bold"), (" " * gap + step, "dim"))
        text = frame.text or (BREATHE_TEXT if frame.kind == "breathe" else "")
        prompt: list[ScreenLine] = [((" " + row, ""),) for row in self._wrap(text, width - 2)]
        status, bar = self._status(frame), self._bar(frame, width)
        times = f" step {clock_time(frame.step_left)} left · practice "
        times += f"{clock_time(frame.practice_left)} left"
        clock: ScreenLine = ((times, "dim"),)
        paused: ScreenLine = ((" " + PAUSED, "bold yellow"),) if frame.paused else ()
        keys = FOOTER
        if self.keys_note and cell_len(f" {FOOTER} · {self.keys_note}") < width:
            keys = f"{FOOTER} · {self.keys_note}"
        footer: ScreenLine = ((" " + keys, "dim"),)
        lines = [(), heading, (), *prompt, (), status, bar, (), clock, (), paused, (), footer]
        if len(lines) <= height:
            return lines
        # A short terminal: give up spacing, then the clock, then prompt lines and the
        # heading; the phase, the bar, the pause note and the keys stay to the last.
        for packed in (
            [heading, *prompt, status, bar, clock, paused, footer],
            [heading, *prompt, status, bar, paused, footer],
            [heading, *prompt[:1], status, bar, paused, footer],
            [*prompt[:1], status, bar, paused, footer],
            [status, bar, paused, footer],
        ):
            lines = [line for line in packed if line]
            if len(lines) <= height:
                return lines
        return lines[-height:]

    def _status(self, frame: Frame) -> ScreenLine:
        count = f"{frame.count[0]} of {frame.count[1]}" if frame.count else ""
        if frame.kind == "breathe" and frame.phase is not None:
            word = f" {PHASE_WORDS[frame.phase]}  {seconds_left(frame.left)}"
            return ((word, PHASE_STYLE[frame.phase]), (f"   breath {count}", "dim"))
        if frame.kind == "track" and frame.area is not None:
            return ((" " + clean(frame.area, single_line=True), "bold"), (f"   {count}", "dim"))
        left = f"{seconds_left(frame.left)} s"
        return ((f" {count}   " if count else " ", "bold"), (left, "dim"))

    def _bar(self, frame: Frame, width: int) -> ScreenLine:
        if frame.bar is None:
            return ()
        cells = max(0, min(BAR_MAX, width - 4))
        filled = min(cells, int(frame.bar * cells + 1e-6))
        return ((" " + self._full * filled, "cyan"), (self._empty * (cells - filled), "dim"))

    def _wrap(self, text: str, width: int) -> list[str]:
        key = (text, width)
        if key not in self._wrapped:
            rows = [line.plain for line in Text(clean(text)).wrap(self._console, max(10, width))]
            if len(rows) > PROMPT_LINES:
                rows = [*rows[: PROMPT_LINES - 1], rows[PROMPT_LINES - 1].rstrip() + " …"]
            self._wrapped[key] = rows
        return self._wrapped[key]

    def _redraw(self, row: int, before: ScreenLine | None, line: ScreenLine, width: int) -> str:
        """Rewrite one screen line, or only the cells of it that changed."""
        home = f"\x1b[{row + 1};1H"
        if before is None:
            return home + self._render(line, width) + ERASE_LINE
        old, new = _cells(before), _cells(line)
        start = 0
        while start < min(len(old), len(new)) and old[start] == new[start]:
            start += 1
        end_old, end_new = len(old), len(new)
        while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
            end_old, end_new = end_old - 1, end_new - 1
        fits = _width(new) < width and _width(old) < width
        if not fits:
            return home + self._render(line, width) + ERASE_LINE
        col = _width(new[:start]) + 1
        if _width(old[start:end_old]) == _width(new[start:end_new]):
            # The same width changed in place (a bar cell, a digit): write only that.
            return f"\x1b[{row + 1};{col}H" + self._render(_parts(new[start:end_new]), width)
        return f"\x1b[{row + 1};{col}H" + self._render(_parts(new[start:]), width) + ERASE_LINE

    def _render(self, line: ScreenLine, width: int) -> str:
        key = (line, width)
        rendered = self._cache.get(key)
        if rendered is None:
            text = Text(no_wrap=True, overflow="ellipsis")
            for part, style in line:
                text.append(part, style or None)
            with self._console.capture() as capture:
                self._console.print(text, end="", crop=True)
            rendered = capture.get()
            if len(self._cache) > 2000:  # long practices: keep memory flat
                self._cache.clear()
            self._cache[key] = rendered
        return rendered


def _cells(line: ScreenLine) -> list[tuple[str, str]]:
    """A line as (character, style) pairs."""
    return [(char, style) for text, style in line for char in text]


def _parts(cells: list[tuple[str, str]]) -> ScreenLine:
    """(character, style) pairs back into parts, one per run of a style."""
    parts: list[Part] = []
    for char, style in cells:
        if parts and parts[-1][1] == style:
            parts[-1] = (parts[-1][0] + char, style)
        else:
            parts.append((char, style))
    return tuple(parts)


def _width(cells: list[tuple[str, str]]) -> int:
    """How many terminal cells the characters take."""
    return sum(cell_len(char) for char, _ in cells)
