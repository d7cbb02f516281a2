"""The two stop screens (by choice; at the threshold), and the line after a completed practice."""

from __future__ import annotations

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
# A stop by choice: short and kind, no crisis screen.
GENTLE = "It is okay to stop. You can come back to it whenever you like."
SUPPORT_POINTER = "Your support plan is there whenever you want it: quietwork support"
SUGGESTION = (
    "You could try 'quietwork practice {practice}' instead: it keeps your eyes open and "
    "your attention on the room."
)


def gentle_stop(*, suggest: str | None = None, plain: bool | None = None) -> None:
    """After a stop by choice: "Stopping here.", that it is okay, where support is.

    `suggest`: a practice that may suit better (after declining one that may not).
    """
    if plain is None:
        plain = not output.color_allowed()
    lines = [OPENING, GENTLE]
    if suggest:
        lines.append(SUGGESTION.format(practice=suggest))
    lines.append(SUPPORT_POINTER)
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
    console.print(Text(SUPPORT_POINTER, style="dim"))


def gentle_words(suggest: str | None = None) -> str:
    """What is said aloud (--voice) of the stop by choice."""
    words = [OPENING, GENTLE]
    if suggest:
        words.append(f"You could try the {suggest} practice instead.")
    words.append("Your support plan is there whenever you want it.")
    return " ".join(words)


def support_lines(support: str, *, plain: bool | None = None) -> None:
    """The support text alone (the plan, or the default lines), as on the stop screen."""
    support = clean(support).strip()
    if plain is None:
        plain = not output.color_allowed()
    if plain:
        from quietwork.display.plan import plan_lines

        for line in plan_lines(support):
            output.say(line)
        return
    from quietwork.display.common import console as make_console
    from quietwork.display.plan import plan_markdown

    make_console().print(plan_markdown(output.drawn(support)))


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
            from quietwork.display.plan import plan_lines

            lines += [*plan_lines(support), ""]
        lines.append(NOT_THERAPY)
        for line in lines:
            output.say(line)
        return
    from rich.text import Text

    from quietwork.display.common import console as make_console
    from quietwork.display.plan import plan_markdown

    console = make_console()
    console.print(Text(OPENING, style="bold"))
    console.print()
    for line in SETTLING:
        console.print(Text(output.drawn(line)))  # outside Unicode as the live view draws
    console.print()
    if support:
        console.print(plan_markdown(output.drawn(support)))  # the person's plan: Markdown, rendered
        console.print()
    console.print(Text(NOT_THERAPY, style="dim"))


def completed_line(before: int, after: int) -> str:
    """The before and after ratings of a completed practice: "Distress 6 → 3"."""
    return f"Distress {before} → {after}"
