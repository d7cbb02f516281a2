"""The console and safe text every rich view uses, and the words shared by the views.

rich is imported by the functions that need it, so that the rich-free renderers (the
report) can use the words without paying for it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from quietwork.text import clean

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


@functools.cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """A closed pipe (`| head`) is the CLI's: a quiet exit 0 (rich's own is exit 1)."""
            self.quiet = True
            raise BrokenPipeError

    return _Console


def console() -> Console:
    """A console on stdout that never interprets markup, emoji or highlighting in our data."""
    return _console_class()(highlight=False, emoji=False, markup=False, soft_wrap=False)


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
