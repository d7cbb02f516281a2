"""Your own words and support: anchors, support."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import typer

from quietwork import output, paths
from quietwork.commands.options import JsonFlag, utf8_text
from quietwork.errors import UsageError
from quietwork.text import clean

LEVELS = (0, 5, 10)
MAX_ANCHOR = 200
_LEVEL_WORDS = {0: "calm", 5: "in the middle", 10: "overwhelmed"}


def _anchor_text(text: str, flag: str) -> str:
    words = clean(text, single_line=True)
    if len(words) > MAX_ANCHOR:
        raise UsageError(f"{flag}: please keep it to {MAX_ANCHOR} characters ({len(words)} given)")
    return words


def anchors(
    *,
    set0: Annotated[
        str | None,
        typer.Option("--set0", metavar="TEXT", help="What 0 (calm) feels like to you.",
                     show_default=False, callback=utf8_text),
    ] = None,
    set5: Annotated[
        str | None,
        typer.Option("--set5", metavar="TEXT", help="What 5 feels like to you.",
                     show_default=False, callback=utf8_text),
    ] = None,
    set10: Annotated[
        str | None,
        typer.Option("--set10", metavar="TEXT", help="What 10 (overwhelmed) feels like to you.",
                     show_default=False, callback=utf8_text),
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Forget all your words (before any --setN).")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Your own words for what 0, 5 and 10 feel like.

    Check-ins show them beside the 0-10 scale. On a terminal with no options,
    asks for each (Enter keeps what is there). An empty text (--set5 "")
    forgets that one.

    \b
    Examples:
      quietwork anchors
      quietwork anchors --set0 "shoulders loose, slow breath" --set10 "can't think"
      quietwork anchors --clear
    """
    given = {
        level: _anchor_text(text, f"--set{level}")
        for level, text in zip(LEVELS, (set0, set5, set10), strict=True)
        if text is not None
    }
    from quietwork.run.terminal import terminal_available
    from quietwork.store import Store

    with Store.open(paths.db_path()) as store:
        saved = store.anchors()
        asking = not (given or clear or json_) and terminal_available()
        if asking:
            given = _ask_anchors(saved)
        wanted = {} if clear else dict(saved)
        wanted.update(given)
        wanted = {level: text for level, text in sorted(wanted.items()) if text}
        if wanted != saved:
            store.set_anchors(wanted)
    if json_:
        output.print_json({str(level): wanted.get(level) for level in LEVELS})
        return
    from quietwork.display.personal import anchors_view

    anchors_view(wanted, changed=wanted != saved, asked=asking)


def _ask_anchors(saved: Mapping[int, str]) -> dict[int, str]:
    """Ask for each level's words; Enter keeps, "-" forgets. Nothing is saved on Ctrl-C."""
    from quietwork.config import load_settings
    from quietwork.run.terminal import make_prompter

    prompter = make_prompter(interactive=not load_settings().plain)
    output.say("Describe, in your own words, what these levels feel like in your body.")
    output.say("Each one is optional; only go as far as feels okay. Enter skips.")
    answers: dict[int, str] = {}
    try:
        for level in LEVELS:
            current = clean(saved.get(level, ""), single_line=True)
            hint = f"(Enter keeps: {current}; - forgets it)" if current else "(Enter skips)"
            answer = prompter.ask_text(
                f"What does {level} ({_LEVEL_WORDS[level]}) feel like?",
                hint=hint, max_length=MAX_ANCHOR,
            )
            if answer == "-":
                answers[level] = ""
            elif answer:
                answers[level] = answer
    except KeyboardInterrupt:
        output.note("Nothing changed.")
        raise
    except EOFError:
        output.note("Nothing changed.")
        raise
    return answers


def support(
    *,
    edit: Annotated[
        bool,
        typer.Option("--edit", help="Write your plan, part by part, in your own words."),
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Show your support plan, or how to write one.

    Your plan is a Markdown file (see `quietwork paths`) with the people, places and
    numbers you choose. `--edit` walks you through one in the six parts of the
    Stanley-Brown Safety Plan, each skippable (without a terminal, one answer per line
    from standard input). quietwork shows it here and when a practice stops; it never
    dials anyone.
    """
    from quietwork.support import find_support

    if edit:
        from quietwork.run.terminal import make_prompter
        from quietwork.salvage import load_settings_leniently
        from quietwork.support import edit_plan

        if not edit_plan(make_prompter(interactive=not load_settings_leniently().plain)):
            return
    found = find_support()
    path = paths.support_path()
    if json_:
        output.print_json({
            "source": found.source, "path": str(path), "exists": found.source == "file",
            "text": found.text,
        })
        return
    from quietwork.display.personal import support_view

    support_view(found, path)


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command("anchors")(anchors)
    app.command("support")(support)
