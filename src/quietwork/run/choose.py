"""Choosing a practice at a terminal: which way it leans, then what suits that.

What suits it comes first from the person's own log, once it says enough: the practices
that came down most often for them in that state (quietwork.tally.suggestions), each with
its reason; then the practices whose files say they suit it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from quietwork import output
from quietwork.errors import UsageError
from quietwork.vocabulary import STATE_LABELS

if TYPE_CHECKING:
    from quietwork.catalog import Catalog, Summary
    from quietwork.run.ports import Prompter
    from quietwork.tally import Suggestion

GROUNDING_TAGS = {"grounding", "orienting"}
# What the chooser reads of the log: the newest entries of the last 90 days, at most 300
# (three a day for three months). Each entry read costs tens of µs: a log of 20,000
# sessions adds well under 50 ms (benchmarks/run.py --only chooser); reading all of it
# would take about a second.
HISTORY_DAYS = 90
HISTORY_ENTRIES = 300
# s, Esc or Ctrl-D at the chooser: what happened, and where the practices are (two lines,
# each whole at 80 columns and less).
NOTHING_STARTED = ("Nothing started. Come back whenever you like.",
                   "`quietwork list` shows the practices.")

History = Callable[[], Iterable[Mapping[str, Any]]]  # `log --json` entries, newest first


def logged_history() -> list[dict[str, Any]]:
    """The part of the log the chooser reads: HISTORY_DAYS back, at most HISTORY_ENTRIES."""
    from quietwork import clock, paths
    from quietwork.errors import StoreError
    from quietwork.store import Store

    since = clock.now().date() - timedelta(days=HISTORY_DAYS)
    # Read only: choosing creates, migrates and writes nothing (s at the list starts nothing).
    try:
        with Store.open(paths.db_path(), read_only=True) as store:
            return store.entries(limit=HISTORY_ENTRIES, since=since)
    except StoreError:  # an unusable log never blocks a practice: the practice says why
        return []


def choose_practice(
    catalog: Catalog, prompter: Prompter, history: History | None = None
) -> tuple[str, str | None]:
    """At a terminal: which way it leans, then what suits that; (practice id, state).

    `history` gives the log's recent entries, read only once a state is chosen (None:
    nothing is read, the practices' own `suits` decide). s, Esc or Ctrl-D at either menu
    raise StopRequested or EOFError: nothing started.
    """
    found, broken = catalog.summaries()
    for exc in broken:
        output.warn(f"skipped {exc.message}")
    if not found:
        raise UsageError("no practices to choose from", "See 'quietwork paths'.")
    leans = [(label, value) for value, label in STATE_LABELS.items()] + [("not sure", "")]
    lean = prompter.select("Which way does it lean right now?", leans) or None
    mine = from_history(history(), found, lean) if history and lean else []
    suits, others = suggest(found, lean, mine)
    reasons = {s.practice: s.reason for s in mine}

    def option(item: Summary, note: str = "") -> tuple[str, str]:
        return f"{item.entry.id} — {item.title} ({item.minutes:g} min){note}", item.entry.id

    options = [
        option(item, f" · {reasons[item.entry.id]}" if item.entry.id in reasons else "")
        for item in suits
    ]
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


def from_history(
    entries: Iterable[Mapping[str, Any]], found: Sequence[Summary], lean: str
) -> list[Suggestion]:
    """What came down most often for this person in `lean`, among the practices found.

    Never a practice whose `avoid_when` lists the state, whatever the log says.
    """
    from quietwork.tally import suggestions

    avoid = {s.entry.id for s in found if lean in s.avoid_when}
    known = {s.entry.id for s in found}
    return [s for s in suggestions(entries, lean, avoid=avoid) if s.practice in known]


def suggest(
    found: Sequence[Summary], lean: str | None, mine: Sequence[Suggestion] = ()
) -> tuple[list[Summary], list[Summary]]:
    """(what suits the lean; everything else by id).

    What suits it: the person's own suggestions (`mine`, best first), then the practices
    that list the lean in `suits` and not in `avoid_when`, grounding first for shut down.
    """
    if lean is None:
        return sorted(found, key=lambda s: s.entry.id), []
    by_id = {s.entry.id: s for s in found}
    first = [by_id[s.practice] for s in mine
             if s.practice in by_id and lean not in by_id[s.practice].avoid_when]
    fits = [s for s in found if lean in s.suits and lean not in s.avoid_when and s not in first]
    rest = [s for s in found if s not in fits and s not in first]
    if lean == "shut_down":
        fits.sort(key=lambda s: (not GROUNDING_TAGS & set(s.tags), s.entry.id))
    else:
        fits.sort(key=lambda s: s.entry.id)
    return first + fits, sorted(rest, key=lambda s: s.entry.id)
