"""The ending of a completed practice: how long, the ratings and what changed, saved.

The same words on the terminal and in plain mode. What changed is said in neutral
words — down, the same, or up — in the same tone whichever way it went: no praise,
no blame.
"""

from __future__ import annotations

from quietwork import output
from quietwork.practice import fmt_duration
from quietwork.run.views.stop import completed_line

FINISHED = "That's the end of the practice."
CHANGE = {"down": "it came down.", "same": "it stayed the same.", "up": "it went up."}
KIND = "Take your time before you go on."
SAVED = "Saved. To look back: quietwork log · quietwork stats"
# After a rise that stayed under stop-at (at or above it is the stop screen): where to go
# next, offered, not urged.
STILL_UP = ("If it is still a lot: quietwork practice settle is a minute of settling, "
            "and your support plan is at quietwork support.")
STILL_UP_NO_PLAN = ("If it is still a lot: quietwork practice settle is a minute of settling, "
                    "and quietwork support --edit helps you write a support plan.")


def show_ending(lines: list[str], *, plain: bool) -> None:
    """Print the ending: plain lines, or on a terminal wrapped at word boundaries (rich).

    Either way the glyphs as the live view draws them (`output.drawn`): outside a
    Unicode encoding the "·" of SAVED is "-".
    """
    if plain:
        for line in lines:
            output.say(line)
        return
    from rich.text import Text

    from quietwork.display.common import console as make_console

    console = make_console()
    for line in lines:
        console.print(Text(output.drawn(line)))


def change_word(before: int, after: int) -> str:
    """How the rating moved, in neutral words."""
    key = "down" if after < before else "up" if after > before else "same"
    return CHANGE[key]


def ending_lines(
    took: float | None, before: int | None, after: int | None, *, saved: bool = True,
    own_plan: bool = True,
) -> list[str]:
    """The ending, line by line: the end and how long, the change, saved and where.

    A rating that went up gets one more line: settle and the support plan, offered (or,
    not `own_plan`, how to write one).

    Not `saved` (--no-log): the session says so itself, once.
    """
    lines = [f"{FINISHED} It took {fmt_duration(took)}." if took is not None else FINISHED]
    if before is not None and after is not None:
        lines.append(f"{completed_line(before, after)}: {change_word(before, after)} {KIND}")
        if after > before:
            lines.append(STILL_UP if own_plan else STILL_UP_NO_PLAN)
    if saved:
        lines.append(SAVED)
    return lines
