"""A practice run for real: terminal or plain wiring, the log, and what follows a stop.

The runner (session.py) is pure; this module plugs it into the terminal, the prompts
and the store, and makes sure that however a run ends, the session is recorded
(`interrupted` for Ctrl-C, signals, EOF, a closed pipe or a crash) and the terminal is
restored before anything else is written.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from quietwork import output
from quietwork.clock import SystemClock
from quietwork.run.ports import Keys, Prompter, StopRequested, View
from quietwork.run.runner import Options, Outcome, run_practice
from quietwork.run.views.cues import Bell, CuedView, Voice
from quietwork.vocabulary import RecordedPhase

if TYPE_CHECKING:
    from quietwork.catalog import Catalog, Summary
    from quietwork.practice import Practice
    from quietwork.run.prompts import TerminalPrompter
    from quietwork.store import Store

SETTLE_ID = "settle"
SETTLE_QUESTION = "Settle for a minute?"
FINISHED = "That's the end of the practice."
SETTLED = "That was a minute of settling. Take your time."


@dataclass(frozen=True)
class Wiring:
    """How this run talks to the person."""

    terminal: bool  # the animated view and cbreak keys; else plain lines
    bell: bool = False
    voice: Voice | None = None


class StoreRecorder:
    """Writes each answer to the log the moment it is given (implements seams.Recorder)."""

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


@contextlib.contextmanager
def wired(wiring: Wiring) -> Iterator[tuple[Keys, View]]:
    """Keys and a view for one run; the terminal is restored on every way out."""
    _collect_from_now_on()
    bell = Bell() if wiring.bell else None
    if wiring.terminal:
        from quietwork.run.keys import TerminalKeys
        from quietwork.run.views.live import LiveView

        with TerminalKeys() as keys, LiveView() as live:
            view = CuedView(live, bell=bell, voice=wiring.voice)
            try:
                yield keys, view
            finally:
                view.close()
        return
    from quietwork.run.views.plain import PlainView

    if _stdin_is_tty():
        from quietwork.run.keys import TerminalKeys

        # A person at a terminal: keys act at once and are not echoed (cbreak) during the
        # timed steps, as in the terminal view; each question gets line mode back.
        with TerminalKeys() as tty_keys:
            view = CuedView(PlainView(keys=True, release=tty_keys.restore), bell=bell,
                            voice=wiring.voice)
            try:
                yield tty_keys, view
            finally:
                view.close()
        return
    from quietwork.run.keys import NoKeys

    # From a pipe, every line is a check-in answer: there are no keys to read.
    view = CuedView(PlainView(), bell=bell, voice=wiring.voice)
    try:
        yield NoKeys(), view
    finally:
        view.close()


def _collect_from_now_on() -> None:
    """Turn the garbage collector back on (main turns it off for start-up).

    What was loaded so far lives until exit: frozen, the collector never scans it again.
    """
    import gc

    gc.freeze()
    gc.enable()


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def run_logged(
    store: Store,
    practice_id: str,
    practice: Practice,
    *,
    source: str,
    options: Options,
    wiring: Wiring,
    prompter: Prompter,
) -> Outcome:
    """Run one practice as one logged session; any way out but an Outcome is `interrupted`."""
    session_id = store.start_session(practice_id, source=source)
    try:
        with wired(wiring) as (keys, view):
            outcome = run_practice(
                practice,
                clock=SystemClock(),
                keys=keys,
                view=view,
                prompter=prompter,
                recorder=StoreRecorder(store, session_id),
                options=options,
            )
    except BaseException:
        # Keep what was answered; the exception itself is the caller's to report.
        with contextlib.suppress(Exception):
            store.finish_session(session_id, "interrupted")
        raise
    store.finish_session(session_id, outcome.status, outcome.stop_reason)
    return outcome


def follow_up(
    outcome: Outcome,
    *,
    store: Store,
    catalog: Catalog,
    options: Options,
    wiring: Wiring,
    prompter: Prompter,
    support: str,
) -> None:
    """What the person sees after a run: the change, or the stop screen and `settle`.

    A completed practice ends with "That's the end of the practice." and the change
    ("Distress 6 → 3"). An after rating at or above stop-at gets the same care as one
    during the practice, and nothing before it: the stop screen (opening "Stopping
    here.") comes first and alone, without the end line or the numbers (they are in
    `quietwork log`), then the offer to settle. A settle that runs to its end closes
    with one short line.
    """
    from quietwork.run.views.stop import completed_line, stop_screen

    if outcome.suggest:
        output.echo(
            f"Okay. You could try 'quietwork practice {outcome.suggest}' instead:"
            " it keeps your eyes open and your attention on the room."
        )
        return
    if outcome.status == "completed" and (outcome.after is None or outcome.after < options.stop_at):
        output.echo(FINISHED)
        if outcome.before is not None and outcome.after is not None:
            output.echo(completed_line(outcome.before, outcome.after))
        return
    stop_screen(support, plain=not wiring.terminal)
    try:
        settle = prompter.confirm(SETTLE_QUESTION, default=False)
    except (EOFError, StopRequested):  # s or Esc declines too
        settle = False
    if not settle:
        return
    practice, source = load_settle(catalog)
    settled = run_logged(
        store,
        SETTLE_ID,
        practice,
        source=source,
        options=replace(options, checkins=False, minutes=None),
        wiring=wiring,
        prompter=prompter,
    )
    if settled.status == "completed":
        output.echo(SETTLED)


def load_settle(catalog: Catalog) -> tuple[Practice, str]:
    """The settle practice: the person's own version when it loads, else the built-in."""
    from quietwork import paths
    from quietwork.errors import PracticeFileError
    from quietwork.loader import load_practice

    entry = catalog.entries.get(SETTLE_ID)
    if entry is not None:
        try:
            return load_practice(entry.path), entry.origin
        except PracticeFileError as exc:
            output.warn(f"{exc.message}; using the built-in settle")
    return load_practice(paths.builtin_practices_dir() / "settle.yaml"), "built-in"


GROUNDING_TAGS = {"grounding", "orienting"}


def choose_practice(catalog: Catalog, prompter: TerminalPrompter) -> tuple[str, str | None]:
    """At a terminal: which way it leans, then what suits that; (practice id, state).

    s, Esc or Ctrl-D at either menu raise StopRequested or EOFError: nothing started.
    """
    from quietwork.vocabulary import STATE_LABELS

    found, broken = catalog.summaries()
    for exc in broken:
        output.warn(f"skipped {exc.message}")
    if not found:
        from quietwork.errors import UsageError

        raise UsageError("no practices to choose from", "See 'quietwork paths'.")
    leans = [(label, value) for value, label in STATE_LABELS.items()] + [("not sure", "")]
    lean = prompter.select("Which way does it lean right now?", leans) or None
    suits, others = suggest(found, lean)

    def option(item: Summary, note: str = "") -> tuple[str, str]:
        return f"{item.entry.id} — {item.title} ({item.minutes:g} min){note}", item.entry.id

    options = [option(item) for item in suits]
    if others:
        options.append(("…all the other practices", ""))
    title = "These may suit how you are now:" if lean else "Which practice?"
    chosen = prompter.select(title, options)
    if not chosen:
        chosen = prompter.select("Which practice?", [
            option(item, "  (may not suit right now)" if lean in item.avoid_when else "")
            for item in others
        ])
    return chosen, lean


def suggest(
    found: Sequence[Summary], lean: str | None
) -> tuple[list[Summary], list[Summary]]:
    """(what suits the lean, grounding first for shut down; everything else) by id."""
    if lean is None:
        return sorted(found, key=lambda s: s.entry.id), []
    fits = [s for s in found if lean in s.suits and lean not in s.avoid_when]
    rest = [s for s in found if s not in fits]
    if lean == "shut_down":
        fits.sort(key=lambda s: (not GROUNDING_TAGS & set(s.tags), s.entry.id))
    else:
        fits.sort(key=lambda s: s.entry.id)
    return fits, sorted(rest, key=lambda s: s.entry.id)
