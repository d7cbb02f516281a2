"""Rows of cells as columns that fit a width, wrapped at words (no rich: `list` is a fast path).

Three ways, the first that fits: each row on one line; each cell wrapped at its words
within its column (the widest columns narrowed first, none below its longest word); or,
when even that is too wide, each row as a short record: its first cell on a line, then
each other cell on a line of its own, indented, with its header as a label. A word is
never cut: a word longer than the width (a long path) is the terminal's to fold.
"""

from __future__ import annotations

from collections.abc import Sequence

GAP = "  "


def lay_out(table: Sequence[Sequence[str]], width: int | None, *, headers: bool) -> list[str]:
    """The lines of `table` (its first row the headers when `headers`) within `width`."""
    if not table:
        return []
    count = len(table[0])
    widths = [max(len(row[i]) for row in table) for i in range(count)]
    if width is None or _total(widths) <= width:
        return [_line(row, widths) for row in table]
    shortest = [max(_longest_word(row[i]) for row in table) for i in range(count)]
    if _total(shortest) > width:
        return _records(table, width, headers=headers)
    while _total(widths) > width:
        widest = max(
            (i for i in range(count) if widths[i] > shortest[i]), key=lambda i: widths[i]
        )
        widths[widest] -= 1
    lines = []
    for row in table:
        pieces = [_wrap(cell, size) for cell, size in zip(row, widths, strict=True)]
        for depth in range(max(len(piece) for piece in pieces)):
            lines.append(_line([piece[depth] if depth < len(piece) else "" for piece in pieces],
                               widths))
    return lines


def _records(table: Sequence[Sequence[str]], width: int, *, headers: bool) -> list[str]:
    labels, rows = (table[0], table[1:]) if headers else ([""] * len(table[0]), table)
    import textwrap

    label_width = max((len(label) for label in labels[1:]), default=0)
    lines = []
    for row in rows:
        lines += _wrap(row[0], width)
        for label, cell in zip(labels[1:], row[1:], strict=True):
            if not cell:
                continue
            lead = f"  {label.ljust(label_width)}{GAP}" if label_width else "  "
            lines += textwrap.wrap(cell, width, initial_indent=lead,
                                   subsequent_indent=" " * len(lead),
                                   break_long_words=False, break_on_hyphens=False)
    return lines


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + len(GAP) * (len(widths) - 1)


def _longest_word(cell: str) -> int:
    return max((len(word) for word in cell.split()), default=0)


def _wrap(cell: str, width: int) -> list[str]:
    import textwrap  # only when a table is wider than the terminal

    return textwrap.wrap(cell, width, break_long_words=False, break_on_hyphens=False) or [""]


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return GAP.join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
