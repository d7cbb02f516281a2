"""Choosing a practice at a terminal: which way it leans, then what suits that."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from quietwork import output
from quietwork.errors import UsageError
from quietwork.vocabulary import STATE_LABELS

if TYPE_CHECKING:
    from quietwork.catalog import Catalog, Summary
    from quietwork.run.ports import Prompter

GROUNDING_TAGS = {"grounding", "orienting"}


def choose_practice(catalog: Catalog, prompter: Prompter) -> tuple[str, str | None]:
    """At a terminal: which way it leans, then what suits that; (practice id, state).

    s, Esc or Ctrl-D at either menu raise StopRequested or EOFError: nothing started.
    """
    found, broken = catalog.summaries()
    for exc in broken:
        output.warn(f"skipped {exc.message}")
    if not found:
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
