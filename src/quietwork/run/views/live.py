"""The terminal view of a running practice: one full screen from first question to last.

Each screen — a timed frame, or a question asked in the view (run/views/asking.py) — is
laid out as lines of (text, style) parts (run/views/screen.py); only the lines that
differ from what is on the screen are rendered (through rich, cached) and rewritten in
place, so the breathing guide costs one short line per step it moves, not a repaint.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from quietwork.output import drawn, unicode_output
from quietwork.run.timeline import PHASE_WORDS, Frame
from quietwork.run.views.screen import (
    CORE,
    EXTRA,
    KEEP,
    Layout,
    Part,
    Row,
    ScreenLine,
    blank,
)

ENTER = "\x1b[?1049h\x1b[?25l\x1b[2J"  # alternate screen, cursor hidden, cleared
LEAVE = "\x1b[?25h\x1b[?1049l"
CLEAR = "\x1b[2J"
ERASE_LINE = "\x1b[K"
FOOTER = "s/Esc stop · p/space pause · Ctrl-C quit"
# The footer as the width allows, fullest first; `s/Esc stop` is the last to go.
FOOTERS = (f"{FOOTER} · q also stops", FOOTER, "s/Esc stop · p/space pause",
           "s/Esc stop · p pause", "s/Esc stop")
PAUSED = "Paused. Press p or space to go on."
PAUSED_FOOTERS = ("p/space resume · s/Esc stop · Ctrl-C quit · q also stops",
                  "p/space resume · s/Esc stop · Ctrl-C quit", "p/space resume · s/Esc stop",
                  "p resume · s/Esc stop", "s/Esc stop")
BREATHE_TEXT = "Breathe with the guide. Roughly is fine."
TOP_UP_TEXT = "a little more air on top"
GUIDE_MAX = 40  # cells across at the fullest
TOP_UP_CELLS = 2  # on each side: the guide's room beyond a full breath, for the top-up
PHASE_STYLE = {"inhale": "bold cyan", "top_up": "bold magenta", "exhale": "bold green",
               "hold": "bold", "hold_out": "bold"}
Body = Callable[[Layout], list[Row]]
# In a very short terminal the title goes before the guide, the guide before the phase
# and its seconds, and those before the pause note; the keys stay to the last.
GUIDE_RANK = KEEP + 0.1


def seconds_left(seconds: float) -> int:
    """A countdown in whole seconds, rounded up (4.0 → 4, 3.2 → 4, 0.1 → 1)."""
    return max(0, math.ceil(seconds - 1e-9))


def clock_time(seconds: float) -> str:
    """Whole seconds left, rounded up, as m:ss."""
    minutes, rest = divmod(seconds_left(seconds), 60)
    return f"{minutes}:{rest:02d}"


class LiveView:
    """The full-screen view (implements run.ports.View); questions are drawn in it too.

    It enters the alternate screen at its first drawing and leaves it only at `close`
    (or the end of `with`): between the steps, check-ins stay in the same screen.
    """

    def __init__(self, out: TextIO | None = None, *, title: str = "") -> None:
        self._out = out or sys.stdout
        self._console = Console(
            file=io.StringIO(), force_terminal=True, highlight=False, markup=False,
            emoji=False, width=80,
        )
        # full, shimmer (a hold's gentle movement), track, a resting dot; outside a Unicode
        # encoding they are drawn as "#", "=", "-", "*" (output.FALLBACKS, see _paint).
        self._glyphs = ("█", "▓", "·", "•")
        self.title = title
        self.where = "before you begin"
        self.step = (0, 0)  # the last step shown (k, n); (0, 0) before the first
        self.ended = False
        # Outside UTF-8, texts are written as they can be ("…" as "...", output.drawn).
        self._unicode = unicode_output(self._out)
        self._active = False
        self._size = (0, 0)
        self._drawn: list[ScreenLine] = []
        self._cache: dict[tuple[ScreenLine, int], str] = {}
        self._flats: dict[ScreenLine, tuple[str, tuple[str, ...]]] = {}
        self._layouts: dict[tuple[int, int], Layout] = {}
        self.keys_note = ""  # one more key for the footer ("m mute"), shown when it fits
        # The practice's safety note, over the first step until a question has shown it
        # (with --no-checkin no question does: docs/contract.md, the first screen).
        self.safety = ""

    def __enter__(self) -> LiveView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def size(self) -> tuple[int, int]:
        """The terminal's columns and rows now."""
        try:
            size = os.get_terminal_size(self._out.fileno())
        except (OSError, ValueError, AttributeError):
            return (80, 24)
        return (max(size.columns, 20), max(size.lines, 5))

    def _layout(self, width: int, height: int) -> Layout:
        key = (width, height)
        # Every time, not only for a new layout: back at a size seen before (a resize there
        # and back), lines were rendered and cropped at the last new size's width.
        self._console.width = width
        if key not in self._layouts:
            if len(self._layouts) > 8:
                self._layouts.clear()
            self._layouts[key] = Layout(self._console, width, height)
        return self._layouts[key]

    def _as_written(self, line: ScreenLine) -> ScreenLine:
        """The line as this output can write it (its glyphs in ASCII outside Unicode)."""
        return tuple((drawn(text, self._out), style) for text, style in line)

    def bar_cells(self) -> int:
        """How many steps the guide grows by on an inhale at the current width."""
        width = self._size[0] or self.size()[0]
        return max(0, self._guide_half(self._layout(width, 24)) - TOP_UP_CELLS)

    def show(self, frame: Frame) -> None:
        """Draw the lines of this frame that differ from what is on the screen."""
        self.title = frame.title
        self.step = (frame.step, frame.steps)
        self.where = f"step {frame.step} of {frame.steps}"
        width, height = self._prepare()
        self._paint(self.layout(frame, width, height), width)

    def ask(self, body: Body, keys: Sequence[str], *, where: str | None = None) -> None:
        """Draw a question screen: the heading, `body` (built for the size), the keys."""
        width, height = self._prepare()
        layout = self._layout(width, height)
        top = [blank(), *layout.heading(self.title, where or self.where), blank()]
        self._paint(layout.fit(top, body(layout), layout.keys(keys)), width)

    def suspend(self) -> None:
        """Questions are asked in this same screen: nothing to make room for."""

    def end(self) -> None:
        """The timed part is over: what follows is the after check-in, still in the view."""
        self.ended = True
        self.where = "after the practice"

    def close(self) -> None:
        """Leave the alternate screen and show the cursor (a closed terminal is ignored)."""
        self.end()
        self.give_back()

    def give_back(self) -> None:
        """Ctrl-Z: the shell's normal screen, cursor shown; the next drawing comes back."""
        if not self._active:
            return
        self._active = False
        self._size = (0, 0)
        with contextlib.suppress(OSError, ValueError):
            self._out.write(LEAVE)
            self._out.flush()

    def _prepare(self) -> tuple[int, int]:
        """Enter the alternate screen, or clear it after a resize; the size to draw at."""
        size = self.size()
        if not self._active:
            self._out.write(ENTER)
            self._active = True
            self._drawn = []
            self._size = size
        elif size != self._size:
            self._size = size
            self._out.write(CLEAR)
            self._drawn = []
        return size

    def _paint(self, lines: list[ScreenLine], width: int) -> None:
        if not self._unicode:  # before comparing: the cells written are the ones measured
            lines = [self._as_written(line) for line in lines]
        changes: list[tuple[str, ScreenLine, str]] = []
        for row, line in enumerate(lines):
            before = self._drawn[row] if row < len(self._drawn) else None
            if before != line:
                changes.append(self._redraw(row, before, line, width))
        self._render_new([parts for _, parts, _ in changes], width)
        out = [move + self._cache[parts, width] + erase for move, parts, erase in changes]
        for row in range(len(lines), len(self._drawn)):
            out.append(f"\x1b[{row + 1};1H{ERASE_LINE}")
        self._drawn = lines
        if out:
            self._out.write("".join(out))
        self._out.flush()

    def layout(self, frame: Frame, width: int, height: int = 1000) -> list[ScreenLine]:
        """The frame as at most `height` screen lines of (text, style) parts."""
        layout = self._layout(width, height)
        where = f"step {frame.step} of {frame.steps}"
        top = [blank(), *layout.heading(frame.title, where,
                                        f"{clock_time(frame.practice_left)} left"), blank()]
        body: list[Row] = []
        if self.safety and frame.step == 1:  # whole, or not at all; the step's text outlasts it
            body += [*layout.aligned(self.safety, "yellow", CORE, rest=CORE, group=-1), blank()]
        count = f"{frame.count[0]} of {frame.count[1]}" if frame.count else ""
        if frame.kind == "breathe" and frame.phase is not None:
            body += layout.centred(BREATHE_TEXT, "dim", EXTRA)
            body += [blank(), self._guide(frame, layout), blank()]
            word = f"{PHASE_WORDS[frame.phase]}  {seconds_left(frame.left)}"
            body += self._status(layout, (word, PHASE_STYLE[frame.phase]),
                                 (f"   breath {count}", "dim"))
            if frame.phase == "top_up":
                body += layout.centred(TOP_UP_TEXT, "magenta", CORE)
        elif frame.kind == "lead_in":
            body += layout.centred(BREATHE_TEXT, "dim", EXTRA)
            body += [blank(), self._guide(frame, layout), blank()]
            body += self._status(layout, (f"{frame.text} {self._lead_in(frame)}", "bold"))
            if frame.count:
                body += layout.centred(f"then {frame.count[1]} breaths", "dim", EXTRA)
        else:
            if frame.kind == "track" and frame.area is not None:
                body += [*layout.centred(frame.area, "bold", KEEP), blank()]
            body += layout.centred(frame.text, "", KEEP)
            body.append(blank())
            left = f"{seconds_left(frame.left)} s"
            body += self._status(layout, (f"{count} · {left}" if count else left, "dim"))
        if frame.paused:
            # Never half a sentence: in a narrow column, "Paused." (the keys say the rest).
            note = PAUSED if cell_len(PAUSED) <= layout.column else PAUSED.split()[0]
            body += [blank(), *layout.centred(note, "bold yellow", KEEP + 0.3)]
        keys = layout.keys(self._footers(PAUSED_FOOTERS if frame.paused else FOOTERS))
        return layout.fit(top, body, keys)

    def _footers(self, choices: tuple[str, ...]) -> tuple[str, ...]:
        """The footer's choices, the fullest two with the extra key ("m mute") when there is one."""
        if not self.keys_note:
            return choices
        return (f"{choices[0]} · {self.keys_note}", f"{choices[1]} · {self.keys_note}", *choices)

    @staticmethod
    def _status(layout: Layout, *parts: Part) -> list[Row]:
        """One centred line of parts (wrapped as plain text if it does not fit)."""
        text = "".join(part for part, _ in parts)
        if cell_len(text) > layout.column:
            return layout.centred(text.strip(), parts[0][1], KEEP + 0.2)
        pad = layout.left + (layout.column - cell_len(text)) // 2
        return [Row(((" " * pad, ""), *parts), KEEP + 0.2)]

    @staticmethod
    def _lead_in(frame: Frame) -> str:
        """"3", then "3 2", then "3 2 1" as the lead-in runs out."""
        done = 3 - min(2, max(0, math.ceil(frame.left / frame.length * 3 - 1e-9) - 1))
        return " ".join(str(3 - k) for k in range(done))

    @staticmethod
    def _guide_half(layout: Layout) -> int:
        return max(1, min(GUIDE_MAX, layout.column) // 2)

    def _guide(self, frame: Frame, layout: Layout) -> Row:
        """A centred shape that widens on the inhale and narrows on the exhale."""
        full, shimmer, track, dot = self._glyphs
        half = self._guide_half(layout)
        room = max(0, half - TOP_UP_CELLS)
        done = 1.0 - frame.left / frame.length if frame.length > 0 else 1.0
        if frame.phase == "top_up":
            cells = room + min(TOP_UP_CELLS, round(done * TOP_UP_CELLS))
        else:
            cells = min(room, round((frame.bar or 0.0) * room))
        tick = seconds_left(frame.left) % 2
        style = PHASE_STYLE.get(frame.phase or "", "") .replace("bold ", "") or "cyan"
        pad = layout.left + (layout.column - 2 * half) // 2
        edge = track * (half - cells)
        if cells == 0:
            centre = (dot if frame.phase == "hold_out" and tick else track) * 2
            return Row(((" " * pad, ""), (edge[1:], "dim"), (centre, "dim"), (edge[1:], "dim")),
                       GUIDE_RANK)
        cap = shimmer if frame.phase == "hold" and tick else full
        inner = full * max(0, 2 * cells - 2)
        return Row(((" " * pad, ""), (edge, "dim"), (cap + inner + cap, style), (edge, "dim")),
                   GUIDE_RANK)

    def _redraw(
        self, row: int, before: ScreenLine | None, line: ScreenLine, width: int
    ) -> tuple[str, ScreenLine, str]:
        """How to rewrite one screen line, or only the cells of it that changed: where to
        move, the parts to write there, and whether to erase the rest of the line."""
        home = f"\x1b[{row + 1};1H"
        if before is None:
            return home, line, ERASE_LINE
        (old, old_styles), (new, new_styles) = self._flat(before), self._flat(line)
        start, both = 0, min(len(old), len(new))
        while start < both and old[start] == new[start] and old_styles[start] == new_styles[start]:
            start += 1
        end_old, end_new = len(old), len(new)
        while (end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]
               and old_styles[end_old - 1] == new_styles[end_new - 1]):
            end_old, end_new = end_old - 1, end_new - 1
        fits = _width(new) < width and _width(old) < width
        if not fits:
            return home, line, ERASE_LINE
        move = f"\x1b[{row + 1};{_width(new[:start]) + 1}H"
        if _width(old[start:end_old]) == _width(new[start:end_new]):
            # The same width changed in place (a bar cell, a digit): write only that.
            return move, _parts(new[start:end_new], new_styles[start:end_new]), ""
        return move, _parts(new[start:], new_styles[start:]), ERASE_LINE

    def _flat(self, line: ScreenLine) -> tuple[str, tuple[str, ...]]:
        """A line as its characters and each character's style (kept: lines come back)."""
        flat = self._flats.get(line)
        if flat is None:
            styles: list[str] = []
            for text, style in line:
                styles += [style] * len(text)
            flat = ("".join(text for text, _ in line), tuple(styles))
            if len(self._flats) > 2000:  # long practices: keep memory flat
                self._flats.clear()
            self._flats[line] = flat
        return flat

    def _render_new(self, lines: list[ScreenLine], width: int) -> None:
        """Render the lines not rendered yet (through rich, cached), all in one print.

        Each line is cropped on its own, as if printed alone; one print for the lot
        spares rich's per-print work on a screen with many new lines (the first).
        """
        new = list(dict.fromkeys(line for line in lines if (line, width) not in self._cache))
        if not new:
            return
        rendered = self._printed(new).split("\n")
        if len(rendered) != len(new):  # never expected: render them one by one
            rendered = [self._printed([line]) for line in new]
        if len(self._cache) + len(new) > 2000:  # long practices: keep memory flat
            self._cache.clear()
        for line, output in zip(new, rendered, strict=True):
            self._cache[line, width] = output

    def _printed(self, lines: list[ScreenLine]) -> str:
        """The lines through rich in one print, a newline between, each cropped alone."""
        text = Text(no_wrap=True, overflow="ellipsis" if self._unicode else "crop")
        for index, line in enumerate(lines):
            if index:
                text.append("\n")
            for part, style in line:
                text.append(part, style or None)
        with self._console.capture() as capture:
            self._console.print(text, end="", crop=True)
        return capture.get()


def _parts(chars: str, styles: Sequence[str]) -> ScreenLine:
    """Characters and their styles back into parts, one per run of a style."""
    parts: list[Part] = []
    start = 0
    for index in range(1, len(chars) + 1):
        if index == len(chars) or styles[index] != styles[start]:
            parts.append((chars[start:index], styles[start]))
            start = index
    return tuple(parts)


def _width(text: str) -> int:
    """How many terminal cells the characters take, each measured on its own.

    Without a zero-width joiner or variation selector among them, rich measures a string
    as the sum of its characters, in one call.
    """
    if "\u200d" in text or "\ufe0f" in text:
        return sum(cell_len(char) for char in text)
    return cell_len(text)
