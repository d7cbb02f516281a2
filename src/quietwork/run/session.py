"""The `practice` command below its flags: one logged run, and what follows it.

`practise` composes the run from the settings (the catalog, the chooser, the store,
the wiring); `run_logged` makes sure that however a run ends, the session is recorded
(`interrupted` for Ctrl-C, signals, EOF, a closed pipe or a crash) and the terminal is
restored before anything else is written; `follow_up` shows the change, or the stop
screen and the offer to settle (docs/contract.md, the stop flow).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from quietwork import output
from quietwork.errors import UsageError
from quietwork.run.ports import Narrator, Prompter, StopRequested
from quietwork.run.runner import Outcome, RunOptions, run_practice
from quietwork.run.terminal import (
    Wiring,
    make_prompter,
    terminal_available,
    wanted_sound,
    wanted_voice,
    wired,
)
from quietwork.vocabulary import RecordedPhase

if TYPE_CHECKING:
    from quietwork.catalog import Catalog
    from quietwork.config import Settings
    from quietwork.practice import Practice
    from quietwork.store import Store

SETTLE_QUESTION = "Settle for a minute?"
SETTLED = "That was a minute of settling. Take your time."
INTERRUPTED = "Interrupted. Your answers so far are saved."
KEPT_ON_EOF = "the session is saved as interrupted"  # cli.run adds it to its EOF message


@dataclass(frozen=True)
class Setup:
    """What every logged run of one `practice` command shares (the settle after a stop too)."""

    store: Store
    catalog: Catalog
    options: RunOptions
    wiring: Wiring
    prompter: Prompter
    support: str  # the stop screen's support line
    narrator: Narrator  # says the stop text and the ending aloud (--voice), or nothing


class StoreRecorder:
    """Writes each answer to the log the moment it is given (implements ports.Recorder)."""

    def __init__(self, store: Store, session_id: str) -> None:
        self._store = store
        self._session_id = session_id

    def checkin(
        self,
        phase: RecordedPhase,
        distress: int | None = None,
        *,
        area: str | None = None,
        noticed: Sequence[str] = (),
    ) -> str:
        """Record one answer; its check-in id."""
        return self._store.add_checkin(
            self._session_id, phase, distress=distress, area=area, noticed=noticed
        )

    def update(
        self,
        checkin_id: str,
        *,
        state: str | None = None,
        body: Sequence[str] | None = None,
        noticed: Sequence[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Add follow-up answers to a recorded check-in."""
        self._store.update_checkin(checkin_id, state=state, body=body, noticed=noticed, note=note)


def practise(
    practice_id: str | None, settings: Settings, *, checkins: bool, minutes: float | None
) -> None:
    """Run one practice (chosen at a terminal when no id is given), logged, then follow up."""
    from quietwork import paths
    from quietwork.catalog import SETTLE_ID, discover
    from quietwork.run.spoken import narrator, speaking, spoken
    from quietwork.run.timeline import breath_counts
    from quietwork.store import Store
    from quietwork.support import support_text

    catalog = discover(settings.practice_dirs)
    for problem in catalog.problems:
        output.warn(problem)
    terminal = not settings.plain and terminal_available()
    voice = wanted_voice(settings.voice)
    prompter = spoken(make_prompter(interactive=terminal), voice)
    if practice_id is None:
        if not terminal:
            raise UsageError(
                f"give a practice id (known: {', '.join(catalog.ids())})",
                "For example: quietwork practice ground",
            )
        from quietwork.run.choose import choose_practice

        try:
            practice_id, state = choose_practice(catalog, prompter)
        except (StopRequested, EOFError):
            output.echo("Okay. Nothing started; come back whenever you like.")
            return
    else:
        state = None
    entry = catalog.find(practice_id)
    practice = catalog.load(practice_id)
    if minutes is not None and not breath_counts(practice):
        output.warn(f"{practice_id} has no breathing steps; --minutes changes nothing")
    wiring = Wiring(terminal=terminal, bell=settings.bell, voice=voice,
                    sound=wanted_sound(settings.sound))
    with Store.open(paths.db_path()) as store, speaking(voice):
        options = RunOptions(
            speed=settings.speed,
            stop_at=settings.stop_at,
            checkins=checkins,
            minutes=minutes,
            anchors=store.anchors(),
            state=state,
            high_before_stops=entry.id != SETTLE_ID,
        )
        setup = Setup(store, catalog, options, wiring, prompter, support_text(settings),
                      narrator(voice))
        try:
            outcome = run_logged(setup, entry.id, practice, source=entry.origin)
            follow_up(setup, outcome)
        except KeyboardInterrupt:
            # The terminal is restored by now (run_logged's way out).
            _say_interrupted()
            raise


def run_logged(
    setup: Setup,
    practice_id: str,
    practice: Practice,
    *,
    source: str,
    options: RunOptions | None = None,
) -> Outcome:
    """Run one practice as one logged session; any way out but an Outcome is `interrupted`."""
    from quietwork.clock import SystemClock

    store = setup.store
    session_id = store.start_session(practice_id, source=source)
    clock = SystemClock()
    started = clock.monotonic()
    try:
        with wired(setup.wiring, setup.prompter, title=practice.title,
                   safety=practice.safety) as (keys, view, prompter):
            outcome = run_practice(
                practice,
                clock=clock,
                keys=keys,
                view=view,
                prompter=prompter,
                recorder=StoreRecorder(store, session_id),
                options=setup.options if options is None else options,
            )
    except BaseException as exc:
        # Keep what was answered; the exception itself is the caller's to report.
        with contextlib.suppress(Exception):
            store.finish_session(session_id, "interrupted")
        if isinstance(exc, EOFError):
            exc.add_note(KEPT_ON_EOF)
        raise
    store.finish_session(session_id, outcome.status, outcome.stop_reason)
    return replace(outcome, took=clock.monotonic() - started)


def follow_up(setup: Setup, outcome: Outcome) -> None:
    """What the person sees after a run: the change, or the stop screen and `settle`.

    A completed practice ends with "That's the end of the practice." and the change
    ("Distress 6 → 3"). An after rating at or above stop-at gets the same care as one
    during the practice, and nothing before it: the stop screen (opening "Stopping
    here.") comes first and alone, without the end line or the numbers (they are in
    `quietwork log`), then the offer to settle. A settle that runs to its end closes
    with one short line.
    """
    from quietwork.catalog import SETTLE_ID, load_settle
    from quietwork.run.spoken import stop_words
    from quietwork.run.views.ending import ending_lines, show_ending
    from quietwork.run.views.stop import stop_screen

    tell = setup.narrator.tell
    if outcome.suggest:
        output.echo(
            f"Okay. You could try 'quietwork practice {outcome.suggest}' instead:"
            " it keeps your eyes open and your attention on the room."
        )
        tell(f"Okay. You could try the {outcome.suggest} practice instead.")
        return
    options = setup.options
    if outcome.status == "completed" and (outcome.after is None or outcome.after < options.stop_at):
        lines = ending_lines(outcome.took, outcome.before, outcome.after)
        show_ending(lines, plain=not setup.wiring.terminal)
        for line in lines:
            tell(line)
        return
    stop_screen(setup.support, plain=not setup.wiring.terminal)
    tell(stop_words(setup.support))
    try:
        settle = setup.prompter.confirm(SETTLE_QUESTION, default=False)
    except (EOFError, StopRequested):  # s or Esc declines too
        settle = False
    if not settle:
        return
    practice, source = load_settle(setup.catalog)
    settled = run_logged(
        setup, SETTLE_ID, practice, source=source,
        options=replace(options, checkins=False, minutes=None),
    )
    if settled.status == "completed":
        output.echo(SETTLED)
        tell(SETTLED)


def _say_interrupted() -> None:
    """After Ctrl-C: one line on stderr, on a line of its own.

    A Ctrl-C at a question typed as a line leaves the terminal's "^C" on the cursor's
    line, so at a terminal the message starts on a fresh one.
    """
    # Nothing may replace the KeyboardInterrupt on its way out (a closed stderr).
    with contextlib.suppress(AttributeError, OSError, ValueError):
        if sys.stderr.isatty():
            output.note("")
        output.note(INTERRUPTED)
