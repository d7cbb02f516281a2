"""The `practice` command: run a practice, paced, with check-ins, logged."""

# No `from __future__ import annotations` here: typer reads a command's annotations
# about nine times while it builds the command, and string annotations are compiled
# and evaluated each time (about 2.5 ms of a practice's start-up, against 0.6 ms to
# build them once at import).

from typing import Annotated

import typer

from quietwork.begin import MAX_MINUTES
from quietwork.commands.options import WholeNumber, complete_practice_id
from quietwork.config import MAX_SPEED, MIN_SPEED


def practice(
    practice_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="A practice id, as `quietwork list` shows. Left out on a terminal: choose.",
            autocompletion=complete_practice_id,
            show_default=False,
        ),
    ] = None,
    *,
    speed: Annotated[
        str | None,
        typer.Option(
            "--speed", metavar="X", show_default=False,
            help="Pace multiplier: 2 runs twice as fast, 0.5 half as fast; from "
            f"{MIN_SPEED:g} to {MAX_SPEED:g} (default 1; also QUIETWORK_SPEED and config speed).",
        ),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="No colour, no animation: one line per prompt and per breathing phase "
            "(screen readers, pipes). Also when there is no terminal or TERM=dumb.",
        ),
    ] = False,
    stop_at: Annotated[
        int | None,
        typer.Option(
            "--stop-at", metavar="N", click_type=WholeNumber(1, 10), show_default=False,
            help="A distress rating of N or more stops the practice (default 8; also config "
            "stop_at).",
        ),
    ] = None,
    no_checkin: Annotated[
        bool,
        typer.Option(
            "--no-checkin",
            help="Skip the before and after check-ins (check-in steps still ask).",
        ),
    ] = False,
    full_checkin: Annotated[
        bool,
        typer.Option(
            "--full-checkin",
            help="At each check-in, also ask which way it leans, where in the body, what "
            'you noticed, and a note (also config checkin = "full").',
        ),
    ] = False,
    bell: Annotated[
        bool | None,
        typer.Option(
            "--bell/--no-bell", show_default=False,
            help="Ring the terminal bell once as an inhale starts, twice as an exhale starts "
            "(also config bell).",
        ),
    ] = None,
    sound: Annotated[
        bool | None,
        typer.Option(
            "--sound/--no-sound", show_default=False,
            help="Soft tones as each breathing phase starts: rising for the inhale, falling "
            "for the exhale, low for a hold; m mutes and unmutes (also config sound).",
        ),
    ] = None,
    voice: Annotated[
        bool | None,
        typer.Option(
            "--voice/--no-voice", show_default=False,
            help="Speak every question, the prompts and phase words, the stop text and the "
            "ending through espeak-ng or espeak (say on macOS, Windows' own speech on "
            "Windows), when one is there (also config voice).",
        ),
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option(
            "--minutes", metavar="M", show_default=False,
            help=f"Make the breathing steps about M minutes in total, in whole breaths, "
            f"at speed 1 (above 0, at most {MAX_MINUTES}).",
        ),
    ] = None,
    no_log: Annotated[
        bool,
        typer.Option(
            "--no-log",
            help="Write nothing to the log: no session, no check-ins, nor the settle "
            "after a stop (a missing log is not created). Nor is it read: no anchors, "
            "no suggestions from it.",
        ),
    ] = False,
) -> None:
    """Run a practice: paced prompts and check-ins; s or Esc stops it.

    Keys while it runs: s, q or Esc stops, p or space pauses and goes on, m mutes the
    tones of --sound, Ctrl-C quits.
    A distress rating at or above --stop-at stops the practice and offers a gentle
    minute of settling. Every answer is saved the moment you give it (not with
    --no-log).

    \b
    Examples:
      quietwork practice ground
      quietwork practice exhale --minutes 5
      quietwork practice box --plain --bell
      printf '5\\n3\\n' | quietwork practice exhale --speed 20
      quietwork practice ground --no-log
    """
    from quietwork.begin import practice as begin

    begin(practice_id, speed=speed, plain=plain, stop_at=stop_at, no_checkin=no_checkin,
          full_checkin=full_checkin, bell=bell, sound=sound, voice=voice, minutes=minutes,
          no_log=no_log)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("practice")(practice)
