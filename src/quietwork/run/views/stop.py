"""The two stop screens (by choice; at the threshold), and the line after a completed practice.

On a terminal the screen at the threshold is fitted to the terminal's height (`fitted`):
a person in distress reads it from the top, "Stopping here." and the calm lines, down to
the settle offer, without scrolling back. What does not fit is cut in this order: the
blank lines, the note that quietwork is not therapy, the calm lines after the first, and
only then the end of their plan (a pointer says where the whole plan is), so the people
they wrote down stay longest. The emergency and crisis lines are never cut. Without a
terminal (plain mode, a pipe) everything is written, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from quietwork import output
from quietwork.support import NO_PLAN, Support
from quietwork.text import clean

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.text import Text

OPENING = "Stopping here."
SETTLING = (
    "It is okay to stop. Noticing that it is enough is part of the practice.",
    "Feel your feet on the floor, and whatever is holding you up.",
    "Let your eyes look slowly around the room, and rest on something you like.",
    "You can come back later, or another day — whenever it suits you.",
)
NOT_THERAPY = "quietwork is not therapy or medical care."
# Under the part of a plan that fits on the screen at the threshold.
WHOLE_PLAN = "Your whole plan: quietwork support"
# A stop by choice: short and kind, no crisis screen.
GENTLE = "It is okay to stop. You can come back to it whenever you like."
SUPPORT_POINTER = "Your support plan is there whenever you want it: quietwork support"
# The same line when the person has no plan (nor a support message) of their own yet.
WRITE_POINTER = "You can write a support plan for times like this: quietwork support --edit"
SUGGESTION = (
    "You could try 'quietwork practice {practice}' instead: it keeps your eyes open and "
    "your attention on the room."
)


def gentle_stop(
    support: Support = NO_PLAN, *, suggest: str | None = None, plain: bool | None = None
) -> None:
    """After a stop by choice: "Stopping here.", that it is okay, where support is.

    `support`: without words of the person's own (a plan or a message), the last line
    says how to write a plan instead of pointing to one that is not there.
    `suggest`: a practice that may suit better (after declining one that may not).
    """
    if plain is None:
        plain = not output.color_allowed()
    pointer = SUPPORT_POINTER if support.own else WRITE_POINTER
    lines = [OPENING, GENTLE]
    if suggest:
        lines.append(SUGGESTION.format(practice=suggest))
    lines.append(pointer)
    if plain:
        for line in lines:
            output.say(line)
        return
    from rich.text import Text

    from quietwork.display.common import console as make_console

    console = make_console()
    console.print(Text(OPENING, style="bold"))
    for line in lines[1:-1]:
        console.print(Text(output.drawn(line)))
    console.print(Text(pointer, style="dim"))


def gentle_words(suggest: str | None = None, support: Support = NO_PLAN) -> str:
    """What is said aloud (--voice) of the stop by choice."""
    words = [OPENING, GENTLE]
    if suggest:
        words.append(f"You could try the {suggest} practice instead.")
    words.append("Your support plan is there whenever you want it." if support.own
                 else "You can write a support plan for times like this.")
    return " ".join(words)


def support_lines(support: Support, *, plain: bool | None = None, lead: str = "") -> None:
    """The support text alone (the plan, or the default lines), as on the stop screen.

    `lead`: a line before it. On a terminal the two are fitted to its height as the
    stop screen is (`fitted`), with two lines left for the shell's prompt after them.
    """
    if plain is None:
        plain = not output.color_allowed()
    if plain:
        from quietwork.display.plan import support_plan_lines

        for line in [lead, *support_plan_lines(support)] if lead else support_plan_lines(support):
            output.say(line)
        return
    from rich.text import Text

    from quietwork.display.common import console as make_console

    console = make_console()
    # Two rows for what comes after it: a shell's prompt is often two lines.
    room = console.height - 2 if console.is_terminal else None
    opening = Text(output.drawn(lead)) if lead else None
    for piece in fitted(console, support, room, opening=opening, calm=(), note=False):
        console.print(piece)


def stop_screen(support: Support, *, plain: bool | None = None, then: str | None = None) -> None:
    """Show the calm screen after a stop; `plain` None decides from stdout and NO_COLOR.

    Its first line is always exactly "Stopping here." (people and tests rely on it).
    On a terminal it is fitted to the height (`fitted`), leaving room for `then`, the
    question asked after it (the settle offer), or else for one line (the shell's prompt).
    """
    if plain is None:
        plain = not output.color_allowed()
    if plain:
        from quietwork.display.plan import support_plan_lines

        lines = [OPENING, "", *SETTLING, "", *support_plan_lines(support), "", NOT_THERAPY]
        for line in lines:
            output.say(line)
        return
    from quietwork.display.common import console as make_console

    console = make_console()
    height = console.height if console.is_terminal else None
    room = None if height is None else height - (question_rows(then, console.width) if then else 1)
    for piece in fitted(console, support, room):
        console.print(piece)


def question_rows(question: str, width: int) -> int:
    """The rows a yes/no question with its hint takes, laid out as the prompter does."""
    from quietwork.run.fitting import lay_out
    from quietwork.run.prompts import confirm_keys

    message, hint = lay_out(question, confirm_keys(default=True), width)
    return message.count("\n") + 1 + (hint or "").count("\n")


def fitted(
    console: Console, support: Support, room: int | None, *, opening: Text | None = None,
    calm: Sequence[str] = SETTLING, note: bool = True,
) -> list[RenderableType]:
    """The screen at the threshold, in at most `room` rows of `console` (None: all of it).

    The opening ("Stopping here."), the `calm` lines, the person's plan, the emergency and
    crisis lines, the note that quietwork is not therapy; blank lines between. Too tall:
    the blank lines go first, then the note, then the calm lines after the first, and
    only then the end of the plan (cut between items, `plan_cuts`, WHOLE_PLAN under what
    is shown): the person's own words are the last to go, its first items longest.
    The rows are given out in the reverse order: the first calm line, as much of the plan
    as fits, the other calm lines, the note, then a blank line in each row still free.
    The opening, the crisis lines (and WHOLE_PLAN, when the plan is cut) always stay,
    whatever the height.
    """
    from rich.text import Text

    from quietwork.display.plan import plan_cuts, plan_markdown

    first = opening if opening is not None else Text(OPENING, style="bold")
    settling: list[RenderableType] = [Text(output.drawn(line)) for line in calm]
    own = output.drawn(clean(support.own).strip())
    crisis: list[RenderableType] = [Text(output.drawn(support.crisis))]
    whole: list[RenderableType] = [plan_markdown(own)] if own else []
    notes: list[RenderableType] = [Text(NOT_THERAPY, style="dim")] if note else []

    def rows(pieces: Sequence[RenderableType]) -> int:
        return sum(len(console.render_lines(piece, console.options, pad=False))
                   for piece in pieces)

    def screen(calm_shown: list[RenderableType], plan: list[RenderableType],
               notes: list[RenderableType], gaps: Sequence[int] = range(4)) -> list[RenderableType]:
        """The sections in order; `gaps`: before which of the sections after the
        opening (0 calm, 1 plan, 2 crisis, 3 note) a blank line may stand."""
        pieces: list[RenderableType] = [first]
        for gap, section in enumerate((calm_shown, plan, crisis, notes)):
            if section:
                pieces += [Text(), *section] if gap in gaps else section
        return pieces

    full = screen(settling, whole, notes)
    if room is None or rows(full) <= room:
        return full
    # Short of rows, the plan is drawn without the blank lines rich's Markdown puts around
    # its headings (older rich puts more): those rows go to the person's own words.
    whole = [_Compact(piece) for piece in whole]
    pointer: list[RenderableType] = [Text(WHOLE_PLAN, style="dim")] if own else []
    free = room - rows([first, *crisis, *pointer])
    shown_calm: list[RenderableType] = []
    if settling and rows(settling[:1]) <= free:
        shown_calm, free = settling[:1], free - rows(settling[:1])
    plan = pointer
    if own and rows(whole) - rows(pointer) <= free:
        plan, free = whole, free - rows(whole) + rows(pointer)
    elif own:  # the longest beginning of the plan that fits above the pointer
        lines = own.split("\n")
        for cut in plan_cuts(own):
            shown = _Compact(plan_markdown("\n".join(lines[:cut]).strip()))
            if rows([shown]) > free:
                break
            plan = [shown, *pointer]
        free -= rows(plan) - rows(pointer)
    if shown_calm:
        for line in settling[1:]:
            if rows([line]) > free:
                break
            shown_calm, free = [*shown_calm, line], free - rows([line])
    shown_notes: list[RenderableType] = []
    if notes and rows(notes) <= free:
        shown_notes, free = notes, free - rows(notes)
    # a blank line above the crisis lines first, then under the opening, above the plan,
    # above the note: each where there is a section to set apart, while a row is free
    present = [bool(shown_calm), bool(plan), bool(crisis), bool(shown_notes)]
    gaps = [gap for gap in (2, 0, 1, 3) if present[gap]][:max(free, 0)]
    return screen(shown_calm, plan, shown_notes, gaps)


class _Compact:
    """A renderable drawn without its blank lines."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for line in console.render_lines(self.inner, options, pad=False):
            if "".join(segment.text for segment in line).strip():
                yield from line
                yield Segment.line()


def completed_line(before: int, after: int) -> str:
    """The before and after ratings of a completed practice: "Distress 6 → 3"."""
    return f"Distress {before} → {after}"
