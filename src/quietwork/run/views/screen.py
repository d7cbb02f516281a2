"""Laying out one screen of the practice view: wrapped, centred, and fitted to its size.

A screen is built as ranked lines; when the terminal is too short, the lowest ranks go
first: spacing, then the practice clock, then the prompt's extra lines, then the rest,
and the stop keys last of all; what was dropped comes back where the room it left
allows. Text wraps at word boundaries (rich), and on a wide terminal everything sits in
a centred column.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from quietwork.records import record
from quietwork.text import clean

Part = tuple[str, str]  # text, rich style
ScreenLine = tuple[Part, ...]

# What goes first when rows run out (lowest first); among equal ranks, the last line.
SPACE, CLOCK, EXTRA, MORE, CORE, KEEP, KEYS = range(7)
# Between a prompt's extra lines and the core: on a tiny first screen the anchors go
# first (whole), then where you are.
ANCHOR, WHERE = MORE + 0.5, MORE + 0.6
# The first screen's safety note (whole) outlasts the title, the scale and the empty
# answer line: only the question itself and the stop keys stay longer (docs/contract.md:
# the safety note is on the first screen).
SAFETY, QUESTION = KEEP + 0.05, KEEP + 0.1
ANCHORS_GROUP = -2  # the anchors and their label: all of them or none
ANCHOR_INDENT = 2
COLUMN = 72  # the widest the text column gets, centred on a wider terminal
NARROW = 40  # below this many columns the text takes all but the last column


@record(eq=False, repr=False)
class Row:
    """One line of a screen before fitting: its parts and how long it may stay."""

    parts: ScreenLine
    rank: float
    group: int = 0  # rows of one group (the anchors, a menu choice) stay or go together
    needs: int = 0  # a group this row is shown only with (a label with what it labels)


def blank() -> Row:
    """A spacing line (the first thing to go)."""
    return Row((), SPACE)


class Layout:
    """Wraps and places text for one terminal size (a rich console measures and wraps)."""

    def __init__(self, console: Console, width: int, height: int) -> None:
        self.console = console
        self.width, self.height = width, height
        # A margin on each side, except in a narrow terminal, where a cell more is a line
        # less of a wrapped note (the last column stays free: writing there wraps).
        self.column = max(1, min(COLUMN, width - (2 if width >= NARROW else 1)))
        self.left = max(0, (width - self.column) // 2)
        self._wrapped: dict[tuple[str, int], list[str]] = {}

    def wrap(self, text: str, width: int | None = None) -> list[str]:
        """Text wrapped at word boundaries to the column (or `width`)."""
        width = max(1, self.column if width is None else width)
        key = (text, width)
        if key not in self._wrapped:
            lines = Text(clean(text)).wrap(self.console, width)
            self._wrapped[key] = [line.plain.rstrip() for line in lines] or [""]
        return self._wrapped[key]

    def centred(self, text: str, style: str = "", rank: float = CORE) -> list[Row]:
        """Text wrapped and each line centred in the column; the first line ranks `rank`."""
        rows = []
        for k, line in enumerate(self.wrap(text)):
            pad = self.left + max(0, (self.column - cell_len(line)) // 2)
            rows.append(Row(((" " * pad, ""), (line, style)), rank if k == 0 else min(rank, MORE)))
        return rows

    def aligned(
        self, text: str, style: str = "", rank: float = CORE, *, indent: int = 0,
        rest: float | None = None, group: int = 0, prefix: str = "",
    ) -> list[Row]:
        """Text wrapped and left-aligned in the column; lines after the first rank `rest`.

        `prefix` (a menu's marker) starts the first line; the others are indented under it.
        """
        rows = []
        inset = indent + cell_len(prefix)
        for k, line in enumerate(self.wrap(text, self.column - inset)):
            lead = " " * (self.left + indent) + (prefix if k == 0 else " " * cell_len(prefix))
            parts: ScreenLine = ((lead, ""), (line, style))
            rows.append(Row(parts, rank if k == 0 or rest is None else rest, group))
        return rows

    def anchors(self, label: str, lines: Sequence[str]) -> list[Row]:
        """The person's anchors under `label`: all of them or none, never a partial scale.

        Each is whole (wrapped) while they take at most a third of the screen; else each
        takes one line, shortened at a word end with "…", so that a short screen can still
        show all three.
        """
        room = max(1, self.column - ANCHOR_INDENT)
        pieces = [self.wrap(line, room) for line in lines]
        if 1 + sum(map(len, pieces)) > max(self.height // 3, 1 + len(lines)):
            pieces = [[_shortened(clean(line, single_line=True), room)] for line in lines]
        lead = " " * (self.left + ANCHOR_INDENT)
        # The label goes first when rows run out, and never stays without the anchors.
        rows = [Row(row.parts, EXTRA, needs=ANCHORS_GROUP)
                for row in self.aligned(label, "dim", EXTRA)]
        rows += [Row(((lead, ""), (piece, "")), ANCHOR, ANCHORS_GROUP)
                 for anchor in pieces for piece in anchor]
        return rows

    def heading(self, title: str, where: str, clock: str = "") -> list[Row]:
        """The title on the left, where you are (and the practice clock) on the right."""
        title = clean(title, single_line=True)
        right = f"{where} · {clock}" if clock else where
        gap = self.column - cell_len(title) - cell_len(right)
        if gap >= 3:
            return [Row(((" " * self.left, ""), (title, "bold"), (" " * gap, ""),
                         (right, "dim")), KEEP)]
        rows = self.aligned(title, "bold", KEEP, rest=MORE)
        rows += self.aligned(where, "dim", WHERE)
        if clock:
            rows += self.aligned(clock, "dim", CLOCK)
        return rows

    def keys(self, choices: Sequence[str]) -> Row:
        """The footer: the first of `choices` that fits (the last is the shortest)."""
        fits = [c for c in choices if cell_len(c) <= self.column] or [choices[-1]]
        text = fits[0]
        pad = self.left + max(0, (self.column - cell_len(text)) // 2)
        return Row(((" " * pad, ""), (text, "dim")), KEYS)

    def fit(self, top: Sequence[Row], body: Sequence[Row], footer: Row) -> list[ScreenLine]:
        """The rows that fit: heading at the top, keys on the last row, body centred between."""
        rows = [*top, *body, footer]
        kept = list(range(len(rows)))
        while len(kept) > self.height:
            lowest = min(rows[i].rank for i in kept)
            if lowest >= KEYS:
                kept = kept[-self.height:]
                break
            drop = max(i for i in kept if rows[i].rank == lowest)
            group = rows[drop].group
            kept = [i for i in kept if i != drop and not (group and rows[i].group == group)]
            kept = self._needed(rows, kept)
        kept = self._needed(rows, self._refilled(rows, kept))
        kept.sort()
        shown_top = [rows[i].parts for i in kept if i < len(top)]
        shown_body = [rows[i].parts for i in kept if len(top) <= i < len(rows) - 1]
        shown_footer = [rows[i].parts for i in kept if i == len(rows) - 1]
        free = self.height - len(shown_top) - len(shown_body) - len(shown_footer)
        above = free // 2 if shown_top else 0
        lines = [*shown_top, *[()] * above, *shown_body]
        if shown_footer:
            lines += [()] * (self.height - len(lines) - 1) + shown_footer
        return lines

    @staticmethod
    def _needed(rows: Sequence[Row], kept: list[int]) -> list[int]:
        """`kept` without the rows whose `needs` group is not kept."""
        groups = {rows[i].group for i in kept}
        return [i for i in kept if not rows[i].needs or rows[i].needs in groups]

    def _refilled(self, rows: Sequence[Row], kept: list[int]) -> list[int]:
        """`kept`, with dropped rows (or whole groups) back, highest rank first, while they fit.

        A large group (the safety note) that had to go leaves room that the lines
        dropped before it (the title, the scale) can use.
        """
        kept = list(kept)
        dropped = sorted((i for i in range(len(rows)) if i not in kept),
                         key=lambda i: (-rows[i].rank, i))
        for i in dropped:
            if i in kept:
                continue
            group = rows[i].group
            back = [j for j in dropped if j == i or (group and rows[j].group == group)]
            if rows[i].needs and rows[i].needs not in {rows[j].group for j in kept}:
                continue
            if len(kept) + len(back) <= self.height:
                kept += back
        return kept


def _shortened(text: str, room: int) -> str:
    """`text` in `room` cells: whole, or cut at the end of a word and ended with "…"."""
    if cell_len(text) <= room:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        cut = " ".join(words).rstrip(",;:.-—–")
        if cell_len(cut) + 1 <= room:
            return cut + "…"
    cut = text  # one word longer than the room: cut inside it
    while cut and cell_len(cut) + 1 > room:
        cut = cut[:-1]
    return cut + "…"
