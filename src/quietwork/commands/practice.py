"""The `practice` command: run a practice, paced, with check-ins, logged."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated

import typer

from quietwork import output
from quietwork.commands.options import complete_practice_id
from quietwork.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from quietwork.config import Settings
    from quietwork.run.views.cues import Voice

MAX_MINUTES = 120
INTERRUPTED = "Interrupted. Your answers so far are saved."
INPUT_ENDED = (
    "input ended before the question was answered; the session is saved as interrupted."
)


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
            help="Pace multiplier: 2 runs twice as fast, 0.5 half as fast "
            "(default 1; also QUIETWORK_SPEED and config speed).",
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
            "--stop-at", metavar="N", min=1, max=10, show_default=False,
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
    bell: Annotated[
        bool | None,
        typer.Option(
            "--bell/--no-bell", show_default=False,
            help="Ring the terminal bell once as an inhale starts, twice as an exhale starts "
            "(also config bell).",
        ),
    ] = None,
    voice: Annotated[
        bool | None,
        typer.Option(
            "--voice/--no-voice", show_default=False,
            help="Speak prompts and phase words through espeak-ng, espeak or say, when one "
            "is installed (also config voice).",
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
) -> None:
    """Run a practice: timed prompts, paced breathing, check-ins; stop any time with s or Esc.

    Keys while it runs: s or Esc stops, p or space pauses and goes on, Ctrl-C quits.
    A distress rating at or above --stop-at stops the practice and offers a gentle
    minute of settling. Every answer is saved the moment you give it.

    \b
    Examples:
      quietwork practice ground
      quietwork practice exhale --minutes 5
      quietwork practice box --plain --bell
      printf '5\\n3\\n' | quietwork practice exhale --speed 20
    """
    from quietwork.config import load_settings, parse_speed

    if minutes is not None and not (0 < minutes <= MAX_MINUTES and math.isfinite(minutes)):
        raise UsageError(
            f"--minutes: {minutes:g} is out of range; give minutes above 0 and at most "
            f"{MAX_MINUTES}"
        )
    settings = load_settings(env_speed=True).with_flags(
        speed=parse_speed(speed, "--speed") if speed is not None else None,
        stop_at=stop_at,
        bell=bell,
        voice=voice,
        plain=True if plain else None,
    )
    # Signals and a closed pipe are the CLI boundary's (cli.run), as for every command.
    try:
        _practice(practice_id, settings, checkins=not no_checkin, minutes=minutes)
    except EOFError:
        # Not Ctrl-C (130 is the person's own interrupt): a runtime error, exit 1.
        output.error(INPUT_ENDED)
        raise typer.Exit(ExitCode.ERROR) from None


def _practice(
    practice_id: str | None, settings: Settings, *, checkins: bool, minutes: float | None
) -> None:
    from quietwork import paths
    from quietwork.catalog import discover
    from quietwork.run import session as flow
    from quietwork.run.prompts import make_prompter, terminal_available
    from quietwork.run.runner import Options
    from quietwork.run.timeline import breath_counts
    from quietwork.store import Store
    from quietwork.support import support_text

    catalog = discover(settings.practice_dirs)
    for problem in catalog.problems:
        output.warn(problem)
    terminal = not settings.plain and terminal_available()
    if practice_id is None:
        if not terminal:
            raise UsageError(
                f"give a practice id (known: {', '.join(catalog.ids())})",
                "For example: quietwork practice ground",
            )
        from quietwork.run.ports import StopRequested
        from quietwork.run.prompts import TerminalPrompter

        try:
            practice_id, state = flow.choose_practice(catalog, TerminalPrompter())
        except (StopRequested, EOFError):
            output.echo("Okay. Nothing started; come back whenever you like.")
            return
    else:
        state = None
    entry = catalog.find(practice_id)
    practice = catalog.load(practice_id)
    if minutes is not None and not breath_counts(practice):
        output.warn(f"{practice_id} has no breathing steps; --minutes changes nothing")
    wiring = flow.Wiring(terminal=terminal, bell=settings.bell, voice=_voice(settings.voice))
    prompter = make_prompter(interactive=terminal)
    with Store.open(paths.db_path()) as store:
        options = Options(
            speed=settings.speed,
            stop_at=settings.stop_at,
            checkins=checkins,
            minutes=minutes,
            anchors=store.anchors(),
            state=state,
            high_before_stops=entry.id != flow.SETTLE_ID,
        )
        try:
            outcome = flow.run_logged(
                store, entry.id, practice, source=entry.origin, options=options,
                wiring=wiring, prompter=prompter,
            )
            flow.follow_up(
                outcome, store=store, catalog=catalog, options=options, wiring=wiring,
                prompter=prompter, support=support_text(settings),
            )
        except KeyboardInterrupt:
            # The terminal is restored by now (run_logged's way out).
            _say_interrupted()
            raise


def _say_interrupted() -> None:
    """After Ctrl-C: one line on stderr, on a line of its own.

    A Ctrl-C at a question typed as a line leaves the terminal's "^C" on the cursor's
    line, so at a terminal the message starts on a fresh one.
    """
    import contextlib
    import sys

    # Nothing may replace the KeyboardInterrupt on its way out (a closed stderr).
    with contextlib.suppress(AttributeError, OSError, ValueError):
        if sys.stderr.isatty():
            output.note("")
        output.note(INTERRUPTED)


def _voice(wanted: bool) -> Voice | None:
    """The text-to-speech program, or a one-line notice that there is none."""
    if not wanted:
        return None
    from quietwork.run.views.cues import VOICES, find_voice

    found = find_voice()
    if found is None:
        output.note(
            f"--voice: no text-to-speech program found ({', '.join(VOICES)}); "
            "going on without a voice."
        )
    return found


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("practice")(practice)
