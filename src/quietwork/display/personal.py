"""Views of the person's own words: their anchors and their support plan."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rich.text import Text

from quietwork.display.common import console, paragraph
from quietwork.support import Support
from quietwork.text import clean

_LEVEL_WORDS = {0: "calm", 5: "in the middle", 10: "overwhelmed"}

EXAMPLE_PLAN = """\
## Things I can do on my own

- Feet on the floor. Look around the room and name five things I can see.

## People I can ask for help

- Text Sam (friend): 555-0100

## Professionals and services

- Call my therapist, Dr. Lee: 555-0199 (weekdays 9-5)
- A crisis line where I live: <its number>
- If I am in danger: my local emergency number"""


def anchors_view(anchors: Mapping[int, str], *, changed: bool, asked: bool) -> None:
    """The person's words for 0, 5 and 10, or how to add them."""
    out = console()
    if asked:
        out.print()
    if not anchors:
        out.print(Text("No words of your own yet for 0, 5 and 10." if not changed
                       else "Your words for 0, 5 and 10 are forgotten."))
        out.print(Text('Add them with: quietwork anchors --set0 "…" --set5 "…" --set10 "…"',
                       style="dim"))
        out.print(Text("(or run quietwork anchors at a terminal to be asked)", style="dim"))
        return
    out.print(Text("Saved. Check-ins show your words beside the scale:" if changed
                   else "Your words, shown beside the scale at each check-in:"))
    for level in (0, 5, 10):
        words = anchors.get(level)
        line = Text(f"  {level:>2} ", style="bold")
        line.append(f"{_LEVEL_WORDS[level]:<13} ", style="dim")
        line.append(clean(words, single_line=True) if words else "—")
        out.print(line)


def support_view(found: Support, path: Path) -> None:
    """The support plan, or the text shown instead and how to write a plan.

    The prose goes through `paragraph`: wrapped at words to the console's width, and a
    `command` in backticks is never split across lines.
    """
    from quietwork.display.plan import print_plan

    out = console()
    if found.source == "file":
        out.print(Text("Your support plan", style="bold"), Text(f"  ({path})", style="dim"))
        out.print()
        print_plan(out, found.text)
        out.print()
        paragraph(out, "quietwork shows this when a practice stops. It never dials anyone.\n"
                  "Change it with `quietwork support --edit`, or edit the file by hand.",
                  style="dim")
        return
    if found.source == "config":
        out.print(Text("Your support message (support_message in config.toml):", style="bold"))
    else:
        out.print(Text("What quietwork shows when a practice stops:", style="bold"))
    out.print()
    print_plan(out, found.text)
    out.print()
    paragraph(out, "You can write a support plan of your own: `quietwork support --edit` walks "
              "you through one, part by part. It is a Markdown file you can edit by hand,")
    out.print(Text(f"  {path}", style="bold"))
    paragraph(out, "with the people, numbers and small steps you choose. quietwork shows it "
              "here and when a practice stops; it never dials or sends anything.")
    out.print()
    out.print(Text("For example:"))
    paragraph(out, EXAMPLE_PLAN, style="dim")  # an item's wrapped lines under its words
