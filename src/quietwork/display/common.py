"""The console and safe text every rich view uses, and the words shared by the views.

rich is imported by the functions that need it, so that the rich-free renderers (the
report) can use the words without paying for it.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, cast

from quietwork.text import clean

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Spaces at the end of a line, before its closing style codes: rich leaves the space a
# line was wrapped at, and pads table titles and rows to the table's width.
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)(?=\n)")


class _Trimmed:
    """Standard output (whatever `sys.stdout` is at the moment) with no line ending in
    spaces. rich writes each print whole, so a line's end is in the same write; spaces
    at the very end of a write wait for the next one to say whether a line ends there.

    `utf8`: written as UTF-8 bytes whatever stdout's encoding (`output.exported`).
    """

    def __init__(self, *, utf8: bool = False) -> None:
        from quietwork import output

        self._held = ""
        self._utf8 = output.exported() if utf8 else None
        if utf8:
            self.encoding = "utf-8"  # what rich asks to choose its glyphs

    def write(self, text: str) -> int:
        text = self._held + text
        body = text.rstrip(" \t")
        self._held = text[len(body):]
        (self._utf8 or sys.stdout.write)(_TRAILING.sub(r"\1", body))
        return len(text)

    def flush(self) -> None:
        sys.stdout.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.stdout, name)  # isatty, fileno, encoding: rich asks them


@functools.cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """A closed pipe (`| head`) is the CLI's: a quiet exit 0 (rich's own is exit 1)."""
            self.quiet = True
            raise BrokenPipeError

    return _Console


def console(*, kept: bool = False) -> Console:
    """A console on stdout that never interprets markup, emoji or highlighting in our data.

    `kept`: what it shows may be kept (the log table), and is written as `output.exported`
    writes: to a file or a pipe, UTF-8 whatever the locale; on a terminal, in its encoding.
    """
    from quietwork import output

    trimmed = cast(IO[str], _Trimmed(utf8=kept and output.exports_utf8()))
    return _console_class()(file=trimmed, highlight=False, emoji=False, markup=False,
                            soft_wrap=False)


def paragraph(out: Console, text: str, style: str = "") -> None:
    """Prose wrapped at words to the console's width, a `command` in backticks kept whole."""
    from rich.text import Text

    from quietwork import output

    for line in output.wrap_words(clean(text), max(out.width - 1, 20)):
        out.print(Text(line, style=style), soft_wrap=True)


def safe(text: str) -> Text:
    """Text from a file or a person, shown literally (control characters removed)."""
    from rich.text import Text

    return Text(clean(text))


def counted(n: int, noun: str) -> str:
    """`1 session`, `2 sessions`, `0 check-ins`: a number with its noun."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def rated_of(row: Mapping[str, Any], *, always: bool = False) -> str:
    """`1 of 3`: how many of a day's sessions are rated (a before and a later rating),
    when not all of them are (`always`: whenever it had sessions); "" otherwise."""
    sessions = row.get("sessions") or 0
    rated = row.get("rated", sessions)
    return f"{rated} of {sessions}" if sessions and (always or rated != sessions) else ""


def leaning(state: str | None) -> str:
    """Which way a check-in leaned, as the log and the report show it: `shut down`; ''."""
    return (state or "").replace("_", " ")
