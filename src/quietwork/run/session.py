"""The `practice` command below its flags: one logged run, and what follows it.

`practise` composes the run from the settings (the catalog, the chooser, the store,
the wiring); `run_logged` makes sure that however a run ends, the session is recorded
(`interrupted` for Ctrl-C, signals, EOF, a closed pipe or a crash) and the terminal is
restored before anything else is written; `follow_up` shows the change, or the stop
screen and the offer to settle (docs/contract.md, the stop flow). With --no-log there is
no store: the answers go to a NullRecorder and nothing is opened, read or written.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from quietwork import output
from quietwork.errors import UsageError
from quietwork.records import record
from quietwork.run.ports import Narrator, Prompter, Recorder, StopRequested
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
    from quietwork.support import Support

SETTLE_QUESTION = "Settle for a minute?"
SETTLED = "That was a minute of settling. Take your time."
SETTLE_STOPPED = "Stopping here. Take your time; you can come back to it whenever you like."
STILL_A_LOT = "It is still a lot right now. You don't have to do anything with it."
# True with answers given or none (--no-checkin): the session is in the log either way.
INTERRUPTED = "Interrupted. Everything so far is saved."
KEPT_ON_EOF = "the session is saved as interrupted"  # boundary.guarded adds it to its EOF message
NOT_SAVED = "not saved (--no-log)"  # how a run with --no-log ends, whichever way


@record(eq=False, repr=False)
class Setup:
    """What every logged run of one `practice` command shares (the settle after a stop too)."""

    store: Store | None  # None: --no-log, nothing is written
    catalog: Catalog
    options: RunOptions
    wiring: Wiring
    prompter: Prompter
    support: Support  # the person's own words and the crisis lines, for every stop
    narrator: Narrator  # says the stop text and the ending aloud (--voice), or nothing
    # The pace of the settle offered after a stop: normal, whatever --speed the practice
    # had; QUIETWORK_SPEED still applies (so tests can run it fast).
    settle_speed: float = 1.0


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


class NullRecorder:
    """Records nothing (--no-log; implements ports.Recorder): the answers go nowhere."""

    def checkin(
        self,
        phase: RecordedPhase,
        distress: int | None = None,
        *,
        area: str | None = None,
        noticed: Sequence[str] = (),
    ) -> str:
        """Take one answer and keep nothing; an id no store knows."""
        return ""

    def update(
        self,
        checkin_id: str,
        *,
        state: str | None = None,
        body: Sequence[str] | None = None,
        noticed: Sequence[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Take follow-up answers and keep nothing."""


def practise(
    practice_id: str | None,
    settings: Settings,
    *,
    checkins: bool,
    minutes: float | None,
    log: bool = True,
    settle_speed: float = 1.0,
) -> None:
    """Run one practice (chosen at a terminal when no id is given), logged, then follow up.

    `log` False (--no-log): the log is neither read nor written, nor created when absent;
    the run, and the settle after a stop, end by saying so.
    """
    from quietwork import paths
    from quietwork.catalog import SETTLE_ID, discover, load_for_run
    from quietwork.run.spoken import narrator, speaking, spoken
    from quietwork.run.timeline import breath_counts
    from quietwork.store import Store
    from quietwork.support import find_support

    catalog = discover(settings.practice_dirs)
    for problem in catalog.problems:
        output.warn(problem)
    if settings.could_not_read("stop_at") and settings.origin("stop_at") != "command line":
        output.say(threshold_line(settings.stop_at))
    terminal = not settings.plain and terminal_available()
    voice = wanted_voice(settings.voice)
    prompter = spoken(make_prompter(interactive=terminal), voice)
    if practice_id is None:
        if not terminal:
            from quietwork.catalog import broken_note

            usable, broken = catalog.usable()
            raise UsageError(
                f"give a practice id (known: {', '.join(usable)})",
                "\n  ".join(["For example: quietwork practice ground", *broken_note(broken)]),
            )
        from quietwork.run.choose import NOTHING_STARTED, choose_practice, logged_history

        try:
            practice_id, state = choose_practice(
                catalog, prompter, logged_history if log else None
            )
        except (StopRequested, EOFError):
            from quietwork.run.views.ending import show_ending

            show_ending(list(NOTHING_STARTED), plain=False)  # wrapped at words, as an ending
            return
        except KeyboardInterrupt:  # nothing asked yet was logged: say so, not "saved"
            with contextlib.suppress(AttributeError, OSError, ValueError):
                output.note(f"Interrupted. {NOTHING_STARTED[0]}")
            raise
    else:
        state = None
    entry = catalog.find(practice_id)
    practice, source = load_for_run(catalog, entry.id)
    if minutes is not None and not breath_counts(practice):
        output.warn(f"{practice_id} has no breathing steps; --minutes changes nothing")
    wiring = Wiring(terminal=terminal, bell=settings.bell, voice=voice,
                    sound=wanted_sound(settings.sound))
    # keep_aside: an unusable log never blocks a practice; the run is kept beside it instead.
    opened = (Store.open(paths.db_path(), keep_aside=True, starting=True) if log
              else contextlib.nullcontext(None))
    with opened as store, speaking(voice):
        options = RunOptions(
            speed=settings.speed,
            stop_at=settings.stop_at,
            checkins=checkins,
            full_checkin=settings.checkin == "full",
            rising_from=settings.rising_from,
            minutes=minutes,
            anchors={} if store is None else store.anchors(),
            state=state,
            high_before_stops=entry.id != SETTLE_ID,
        )
        setup = Setup(store, catalog, options, wiring, prompter, find_support(settings),
                      narrator(voice), settle_speed)
        try:
            outcome = run_logged(setup, entry.id, practice, source=source)
            follow_up(setup, outcome, practice_id=entry.id)
        except KeyboardInterrupt:
            # The terminal is restored by now (run_logged's way out).
            _say_interrupted(store)
            raise
        if store is None:
            output.say(f"{NOT_SAVED.capitalize()}.")


def threshold_line(stop_at: int) -> str:
    """Said on screen when config stop_at could not be read: the threshold in force."""
    return (
        f"A rating of {stop_at} or more stops the practice "
        "(stop_at in your config could not be read as written)."
    )


def run_logged(
    setup: Setup,
    practice_id: str,
    practice: Practice,
    *,
    source: str,
    options: RunOptions | None = None,
) -> Outcome:
    """Run one practice as one logged session; any way out but an Outcome is `interrupted`.

    Without a store (--no-log) the answers go to a NullRecorder: no session, no check-in.
    """
    from quietwork.clock import SystemClock

    store = setup.store
    clock = SystemClock()
    started = clock.monotonic()
    recorder: Recorder = NullRecorder()
    if store is not None:
        session_id = store.start_session(practice_id, source=source)
        recorder = StoreRecorder(store, session_id)
    try:
        with wired(setup.wiring, setup.prompter, title=practice.title,
                   safety=practice.safety) as (keys, view, prompter):
            outcome = run_practice(
                practice,
                clock=clock,
                keys=keys,
                view=view,
                prompter=prompter,
                recorder=recorder,
                options=setup.options if options is None else options,
            )
    except BaseException as exc:
        # Keep what was answered; the exception itself is the caller's to report.
        if store is not None:
            with contextlib.suppress(Exception):
                store.finish_session(session_id, "interrupted")
        if isinstance(exc, EOFError):
            exc.add_note(where_kept(store))
        raise
    if store is not None:
        store.finish_session(session_id, outcome.status, outcome.stop_reason)
    return replace(outcome, took=clock.monotonic() - started)


def follow_up(setup: Setup, outcome: Outcome, *, practice_id: str = "") -> None:
    """What the person sees after a run: the change, or one of the two stops and `settle`.

    A completed practice ends with "That's the end of the practice." and the change
    ("Distress 6 → 3"). Every stop opens with "Stopping here." A stop by choice (the
    stop key, declining to go on or a practice that may not suit) gets a short, kind
    ending and one line on where support is. A stop at the threshold (a rating at or
    above stop-at, before, during or after; a rise the person chose not to go on with)
    gets the full stop screen: the calm lines, the support plan, emergency and crisis
    lines; an after rating comes first and alone, without the end line or the numbers
    (they are in `quietwork log`). Then `settle` is offered (defaulting to yes after a
    rating at or above stop-at), except after settle itself.
    """
    from quietwork.catalog import SETTLE_ID
    from quietwork.run.spoken import stop_words
    from quietwork.run.views.ending import ending_lines, show_ending
    from quietwork.run.views.stop import gentle_stop, gentle_words, stop_screen

    tell = setup.narrator.tell
    options = setup.options
    plain = not setup.wiring.terminal
    high = outcome.stop_reason == "overwhelm" or (
        outcome.status == "completed" and outcome.after is not None
    )
    if outcome.status == "completed" and (outcome.after is None or outcome.after < options.stop_at):
        lines = ending_lines(outcome.took, outcome.before, outcome.after,
                             saved=setup.store is not None and setup.store.in_log,
                             own_plan=bool(setup.support.own))
        show_ending(lines, plain=not setup.wiring.terminal)
        for line in lines:
            tell(line)
        return
    if high or outcome.stop_reason == "rising":
        stop_screen(setup.support, plain=plain,
                    then=SETTLE_QUESTION if practice_id != SETTLE_ID else None)
        tell(stop_words(setup.support))
    else:
        gentle_stop(setup.support, suggest=outcome.suggest, plain=plain)
        tell(gentle_words(outcome.suggest, setup.support))
    if practice_id == SETTLE_ID:
        return  # settle is what a stop offers: stopping it never offers it again
    offer_settle(setup, default=high)


def offer_settle(setup: Setup, *, default: bool) -> None:
    """"Settle for a minute?"; when yes, settle at normal pace, its closing rating, one line.

    With `default` (after a rating at or above stop-at) Enter starts it and any other
    answer declines; the end of input always declines: a script that runs out of lines
    never starts a minute of settling.
    """
    from quietwork.catalog import SETTLE_ID, load_settle

    try:
        settle = setup.prompter.confirm(SETTLE_QUESTION, default=default)
    except (EOFError, StopRequested):  # s or Esc declines too
        settle = False
    if not settle:
        return
    practice, source = load_settle(setup.catalog)
    settled = run_logged(
        setup, SETTLE_ID, practice, source=source, options=settle_options(setup),
    )
    if settled.after is not None and settled.after >= setup.options.stop_at:
        from quietwork.run.spoken import first_lines
        from quietwork.run.views.stop import support_lines

        support_lines(setup.support, plain=not setup.wiring.terminal, lead=STILL_A_LOT)
        setup.narrator.tell(" ".join([STILL_A_LOT, *first_lines(setup.support, 2)]))
        return
    closing = SETTLED if settled.status == "completed" else SETTLE_STOPPED
    output.say(closing)
    setup.narrator.tell(closing)


def settle_options(setup: Setup) -> RunOptions:
    """How the settle after a stop runs: normal pace, no check-in before, one rating after."""
    return replace(
        setup.options, speed=setup.settle_speed, checkins=False, minutes=None,
        full_checkin=False, closing_rating=True, state=None, high_before_stops=False,
    )


def where_kept(store: Store | None) -> str:
    """Where a run that ended early is, true for every log: in it, kept beside it, or not
    saved (--no-log, or an unusable log with no file writable beside it)."""
    if store is None:
        return NOT_SAVED
    if store.in_log:
        return KEPT_ON_EOF
    if store.kept_in is not None:
        return f"the session is kept in {store.kept_in} as interrupted"
    return "the session is not saved"


def _say_interrupted(store: Store | None) -> None:
    """After Ctrl-C: one line on stderr, on a line of its own, saying where the run is.

    A Ctrl-C at a question typed as a line leaves the terminal's "^C" on the cursor's
    line, so at a terminal the message starts on a fresh one.
    """
    # Nothing may replace the KeyboardInterrupt on its way out (a closed stderr).
    with contextlib.suppress(AttributeError, OSError, ValueError):
        if sys.stderr.isatty():
            output.note("")
        logged = store is not None and store.in_log
        where = where_kept(store)
        output.note(INTERRUPTED if logged else f"Interrupted. {where[0].upper()}{where[1:]}.")
