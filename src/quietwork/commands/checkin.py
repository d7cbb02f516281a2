"""A check-in outside a practice: `checkin`.

With all its flags it is on a benchmarked fast path: nothing here imports rich,
questionary or pydantic unless a question is asked or a view is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from quietwork import output, paths
from quietwork.commands.options import WholeNumber, utf8_text
from quietwork.errors import UsageError
from quietwork.text import clean

if TYPE_CHECKING:
    from quietwork.config import Settings
    from quietwork.run.ports import Prompter
    from quietwork.store import Store


def parse_state(text: str) -> str:
    """activated, settled or shut_down from what the person typed ("shut down" too)."""
    from quietwork.vocabulary import STATE_LABELS

    key = "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    key = "shut_down" if key == "shutdown" else key
    if key not in STATE_LABELS:
        shown = clean(text, single_line=True)
        raise UsageError(
            f"--state: '{shown}' is not one of activated, settled, shut_down",
            "'shut down' works too; or leave --state out.",
        )
    return key


def parse_body(areas: Sequence[str]) -> tuple[str, ...]:
    """Body areas from repeated --body flags (commas also separate), cleaned, without repeats."""
    found = (clean(part, single_line=True).lower() for area in areas for part in area.split(","))
    return tuple(dict.fromkeys(area for area in found if area))


def logged_line(
    distress: int, state: str | None, body: Sequence[str], note: str | None, *,
    kept_aside: bool = False,
) -> str:
    """ "Logged: distress 4, activated, chest, jaw." ("Kept aside: …" outside the log)."""
    parts = [f"distress {distress}"]
    if state:
        parts.append(state.replace("_", " "))
    parts += body
    if note:
        parts.append("with a note")
    return f"{'Kept aside' if kept_aside else 'Logged'}: {', '.join(parts)}."


def checkin(
    *,
    distress: Annotated[
        int | None,
        typer.Option(
            "--distress", metavar="0-10", click_type=WholeNumber(0, 10, check_range=False),
            help="How intense it is: 0 = calm, 10 = overwhelmed.", show_default=False,
        ),
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state", metavar="STATE", callback=utf8_text,
            help="Which way it leans: activated, settled or shut_down.", show_default=False,
        ),
    ] = None,
    body: Annotated[
        list[str] | None,
        typer.Option(
            "--body", metavar="AREA", callback=utf8_text,
            help="Where you notice it (repeat, or separate with commas).", show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="TEXT", help="A note in your words.", show_default=False,
                     callback=utf8_text),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the logged entry as JSON.")] = False,
) -> None:
    """Log how it is right now, outside a practice.

    On a terminal, asks for what the flags leave out (Enter skips each extra
    question). s at the rating stops without logging; the rating is saved the moment
    it is given and each later answer as it comes, so s or Esc at a later question
    (or Ctrl-C) keeps what was answered. Without a terminal, --distress is required.

    \b
    Examples:
      quietwork checkin
      quietwork checkin --distress 4 --state activated --body chest --body jaw
      quietwork checkin --distress 2 --note "after the walk"
    """
    if distress is not None and not 0 <= distress <= 10:
        raise UsageError(f"--distress: {distress} is out of range; use a number from 0 to 10")
    lean = parse_state(state) if state is not None else None
    areas = parse_body(body) if body is not None else None
    words = clean(note).strip() if note is not None else None

    from quietwork.salvage import load_settings_leniently

    settings = load_settings_leniently()
    if settings.could_not_read("stop_at"):
        output.note(f"Ratings of {settings.stop_at} or more get the gentle words "
                    "(stop_at in your config could not be read as written).")
    # With every flag given there is nothing to ask: not even the prompts module is loaded.
    prompter = _prompter(settings) if None in (distress, lean, areas, words) else None
    if distress is None and prompter is not None:
        distress = _ask_distress(prompter)
        if distress is None:
            output.note("Okay; nothing logged.")
            return
    if distress is None:
        raise UsageError(
            "--distress is required without a terminal",
            "For example: quietwork checkin --distress 4 --state activated",
        )

    from quietwork.clock import now
    from quietwork.keeping import KeptAside
    from quietwork.store import Store

    # One moment for the entry and its echo, so `--json` shows what `log --json` will.
    moment = now()
    # keep_aside: an unusable log never refuses a check-in; it is kept beside the log, and
    # the person still sees it and the gentle words before the error (exit 1) says where.
    aside: KeptAside | None = None
    try:
        with Store.open(paths.db_path(), now=lambda: moment, keep_aside=True) as store:
            # The rating (with what the flags gave) first; each answer after it as it comes.
            checkin_id = store.add_checkin(
                None, "standalone", distress=distress, state=lean, body=areas or (),
                note=words or None,
            )
            # A high rating is not followed by more questions: straight to the gentle words.
            if prompter is not None and distress < settings.stop_at:
                lean, areas, words = _ask_follow_ups(
                    prompter, store, checkin_id, lean, areas, words)
    except KeptAside as error:
        aside = error
    areas = areas or ()
    words = words or None
    if json_:
        output.print_json({
            "kind": "checkin", "id": checkin_id, "at": moment.isoformat(timespec="seconds"),
            "distress": distress, "state": lean, "body": list(areas), "note": words,
        })
    elif aside is None or aside.kept is not None:  # nothing kept anywhere: no such line
        # Prose for the person: wrapped at words on a terminal (`echo` left it to the
        # terminal, which cut "throat" at a 40-column edge), as it is in a file or pipe.
        output.say(logged_line(distress, lean, areas, words, kept_aside=aside is not None))
    if distress >= settings.stop_at:
        _gently(settings, to_stderr=json_)
    if aside is not None:
        raise aside


def _prompter(settings: Settings) -> Prompter | None:
    """The prompter for the questions the flags left out; None without a terminal."""
    from quietwork.run.terminal import make_prompter, terminal_available

    if not terminal_available():
        return None
    return make_prompter(interactive=not settings.plain)


def _ask_distress(prompter: Prompter) -> int | None:
    """The 0-10 rating; None when the person stops or skips it. Nothing is logged yet.

    A check-in outside a practice is its rating: skipped, there is nothing to log.
    """
    from quietwork.run.plain_prompts import QUESTION
    from quietwork.run.ports import SKIPPED

    try:
        answer = prompter.distress(QUESTION, _anchors())
        return None if answer == SKIPPED else answer
    except (KeyboardInterrupt, EOFError):
        output.note("Nothing logged.")
        raise


def _ask_follow_ups(
    prompter: Prompter,
    store: Store,
    checkin_id: str,
    state: str | None,
    body: tuple[str, ...] | None,
    note: str | None,
) -> tuple[str | None, tuple[str, ...] | None, str | None]:
    """Ask what the flags left out, saving each answer at once; what is now logged.

    s or Esc ends the questions (what was answered stays); Ctrl-C and end of input end
    the command, with what was answered saved.
    """
    import functools

    from quietwork.run.checkin import FollowUps, ask_follow_ups
    from quietwork.run.ports import StopRequested

    answers = FollowUps(state=state, body=body, note=note)
    try:
        ask_follow_ups(prompter, functools.partial(store.update_checkin, checkin_id), answers,
                       ("state", "body", "note"))
    except StopRequested:
        pass
    except KeyboardInterrupt:
        output.note(f"Interrupted. Your {_where(store)}.")
        raise
    except EOFError:
        output.note(f"Input ended; your {_where(store)}.")
        raise
    return answers.state, answers.body, answers.note


def _where(store: Store) -> str:
    """Where the answers given so far are, true for every log ("answers so far are saved")."""
    if store.in_log:
        return "answers so far are saved"
    if store.kept_in is not None:
        return f"answers so far are kept in {store.kept_in}"
    return "answers so far are not saved"


def _anchors() -> dict[int, str]:
    """The person's anchors; none when the log cannot be read (the check-in still runs,
    and opening the log to write it says what is wrong)."""
    from quietwork.errors import StoreError
    from quietwork.store import Store

    try:
        with Store.open(paths.db_path(), read_only=True) as store:
            return store.anchors()
    except StoreError:
        return {}


def _gently(settings: Settings, *, to_stderr: bool) -> None:
    """After a high rating: no advice to push on, just a way to settle and the support text."""
    import sys

    from quietwork.support import find_support

    stream = sys.stderr if to_stderr else sys.stdout

    def say(line: str) -> None:  # wrapped at words on a terminal, and drawn
        output.say(line, stream)

    say("")
    say("That is a lot right now. You don't have to do anything with it.")
    # One sentence, wrapped at words to the terminal (the command whole), never broken here.
    say("If it helps: feel your feet on the floor, let your eyes move around the room, "
        "or settle for a minute with `quietwork practice settle`.")
    say("")
    from quietwork.display.plan import support_plan_lines

    for line in support_plan_lines(find_support(settings)):  # the plan is Markdown: rendered
        say(line)


def register(app: typer.Typer) -> None:
    """Add this command to the app."""
    app.command("checkin")(checkin)
