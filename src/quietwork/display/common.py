"""The console and safe text every rich view uses."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from quietwork.text import clean


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """A closed pipe (`| head`) is the CLI's: a quiet exit 0 (rich's own is exit 1)."""
        self.quiet = True
        raise BrokenPipeError


def console() -> Console:
    """A console on stdout that never interprets markup, emoji or highlighting in our data."""
    return _Console(highlight=False, emoji=False, markup=False, soft_wrap=False)


def safe(text: str) -> Text:
    """Text from a file or a person, shown literally (control characters removed)."""
    return Text(clean(text))
