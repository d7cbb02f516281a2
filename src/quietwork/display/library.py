"""Tables and detail views of the practice library."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from quietwork.display.common import console, safe
from quietwork.text import clean

if TYPE_CHECKING:
    from quietwork.catalog import Entry
    from quietwork.practice import Practice


def practice_detail(entry: Entry, practice: Practice, total: str) -> None:
    """The `show` view."""
    out = console()
    out.print(Text(clean(practice.title), style="bold"), Text(f"  ({entry.id})", style="dim"))
    out.print(safe(practice.summary))
    out.print()
    if practice.safety:
        out.print(Text("Safety: ", style="bold") + safe(practice.safety))
    if practice.suits or practice.avoid_when:
        suits = ", ".join(s.replace("_", " ") for s in practice.suits) or "-"
        avoid = ", ".join(s.replace("_", " ") for s in practice.avoid_when) or "-"
        out.print(Text(f"Suits: {suits}   ·   not when: {avoid}"))
    if practice.tags:
        out.print(Text("Tags: ") + safe(", ".join(practice.tags)))
    out.print()
    table = Table(box=None, show_header=True, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right")
    table.add_column("step")
    table.add_column("time", justify="right", no_wrap=True)
    from quietwork.practice import fmt_duration

    for number, step in enumerate(practice.steps, start=1):
        seconds = step.duration()
        table.add_row(str(number), safe(step.describe()), fmt_duration(seconds) if seconds else "")
    out.print(table)
    out.print()
    out.print(Text(f"Total: about {total} (plus check-ins)"))
    for source in practice.sources:
        out.print(Text("Source: ") + safe(source))
    out.print(Text("File: ", style="dim") + safe(str(entry.path)))
