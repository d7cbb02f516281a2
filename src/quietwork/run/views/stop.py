"""The stop screen, and the line after a completed practice."""

from __future__ import annotations

import sys

from quietwork import output
from quietwork.text import clean

OPENING = "Stopping here."
SETTLING = (
    "It is okay to stop. Noticing that it is enough is part of the practice.",
    "Feel your feet on the floor, and whatever is holding you up.",
    "Let your eyes look slowly around the room, and rest on something you like.",
    "You can come back later, or another day — whenever it suits you.",
)
NOT_THERAPY = "quietwork is not therapy or medical care."


def stop_screen(support: str, *, plain: bool | None = None) -> None:
    """Show the calm screen after a stop; `plain` None decides from stdout and NO_COLOR.

    Its first line is always exactly "Stopping here." (people and tests rely on it).
    """
    support = clean(support).strip()
    if plain is None:
        plain = not output.color_allowed()
    if plain:
        lines = [OPENING, "", *SETTLING, ""]
        if support:
            lines += [support, ""]
        lines.append(NOT_THERAPY)
        for line in lines:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        return
    # rich only here: a plain stop (pipes, screen readers) never pays for importing it.
    from rich.text import Text

    from quietwork.display.common import console as make_console

    console = make_console()
    console.print(Text(OPENING, style="bold"))
    console.print()
    for line in SETTLING:
        console.print(Text(line))
    console.print()
    if support:
        console.print(Text(support))
        console.print()
    console.print(Text(NOT_THERAPY, style="dim"))


def completed_line(before: int, after: int) -> str:
    """The before and after ratings of a completed practice: "Distress 6 → 3"."""
    return f"Distress {before} → {after}"
