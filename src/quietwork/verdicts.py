"""What `stats` and `report` say of each practice in plain words, from its `stats --json` row.

Pure: no SQL, no printing. `tally` counts; this words what it counted, for the person
reading `stats` or, in the report, for the clinician reading about the person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from quietwork.tally import FROM_STOP, MIN_RATED, rated_sessions
from quietwork.text import listed

_TIMES = {1: "once", 2: "twice", 3: "three times", 4: "four times", 5: "five times",
          6: "six times", 7: "seven times", 8: "eight times", 9: "nine times",
          10: "ten times"}


def times(count: int) -> str:
    """once, twice, three times … ten times, 11 times: in words where a rating is beside it."""
    return _TIMES.get(count, f"{count} times")


class Voice(NamedTuple):
    """Who the plain words speak of: the person reading `stats`, or, in the report a
    clinician reads, the person whose log it is."""

    whom: str
    threshold: str  # the rating that stops a practice, as the reader knows it


YOU = Voice("you", "your stop-at")
PERSON = Voice("the person", "the rating set to stop a practice")


def verdict(row: Mapping[str, Any], voice: Voice = YOU) -> str:
    """What most rated sessions of a practice did, in plain words, without the practice id.

    Only with at least MIN_RATED rated sessions; a majority, not a mean one outlier drags.
    """
    rated = row["rated"]
    if not rated:
        return unrated(row)
    sessions = rated_sessions(rated, row.get("sessions"))
    if rated < MIN_RATED:
        return f"{sessions} so far — too few to say what it does for {voice.whom} yet"
    down, stayed, up = row["came_down"], row["stayed"], row["went_up"]
    of = f"of {sessions}"
    if down * 2 > rated:
        return f"came down in {down} {of}"
    if up * 2 > rated:
        return f"went up in {up} {of} — other practices may suit {voice.whom} better"
    if stayed * 2 > rated:
        return f"stayed the same in {stayed} {of}"
    return f"mixed: came down in {down}, stayed the same in {stayed}, went up in {up} {of}"


def unrated(row: Mapping[str, Any]) -> str:
    """A practice none of whose sessions has both a before and a later rating: how many
    there were, and the one rating each got, if any.

    "2 sessions, none with both ratings: came in at 6 and 7" (a before rating and nothing
    after it), "ended at 3" (a later rating without a before one), "1 had no rating". The
    stops at a rating are left to `stops`, which names them with what the rating did.
    """
    sessions = row.get("sessions") or 0
    befores = list(row.get("before_only_ratings") or [])
    lasts = list(row.get("last_only_ratings") or [])
    none = row.get("no_ratings") or 0
    if none and none == sessions:
        return "1 session, without a rating" if sessions == 1 else \
            f"{sessions} sessions, none with a rating"
    said = []
    if befores:
        said.append(f"came in at {_ratings(befores)}")
    if lasts:
        said.append(f"ended at {_ratings(lasts)}")
    if none:
        said.append(f"{none} had no rating")
    head = "1 session, without both ratings" if sessions == 1 else \
        f"{sessions} sessions, none with both ratings"
    return head + (f": {listed(said)}" if said else "")


def _ratings(values: list[int]) -> str:
    """`6 and 7`; `6 twice and 7 once` when some rating came more than once."""
    distinct = sorted(set(values))
    if len(distinct) == len(values):
        return listed([str(value) for value in distinct])
    return listed([f"{value} {times(values.count(value))}" for value in distinct])


def stops(row: Mapping[str, Any], voice: Voice = YOU) -> str | None:
    """The stops at a rating, each with what the rating did; None without.

    "came in at 9 twice, at or above your stop-at, and did not start" (a before rating at
    or above the threshold: the practice never began), "stopped once when it reached 9, at
    or above your stop-at" (`overwhelm` during it), "stopped twice when it rose to 6 and 7"
    (`rising`: up since the start, and the person stopped).
    """
    count = row.get("stopped_by_rating") or 0
    if not count:
        return None
    rising = list(row.get("rising_stop_ratings") or [])
    before = list(row.get("before_stop_ratings") or [])
    reached = list(row.get("stop_ratings") or [])
    for rating in [*rising, *before]:
        reached.remove(rating)
    said = []
    if before:
        came = listed([f"{rating} {times(before.count(rating))}"
                     for rating in sorted(set(before))])
        said.append(f"came in at {came}, at or above {voice.threshold}, and did not start")
    parts = []
    if reached:
        at = listed([str(rating) for rating in reached])
        parts.append(f"{times(len(reached))} when it reached {at}, at or above "
                     f"{voice.threshold}")
    if rising:
        parts.append(f"{times(len(rising))} when it rose to {listed([str(r) for r in rising])}")
    if unrated := count - len(reached) - len(rising) - len(before):
        parts.append(f"{times(unrated)} by a rating")
    if parts:
        said.append("stopped " + ", and ".join(parts))
    return "; ".join(said)


def summary_line(row: Mapping[str, Any], voice: Voice = YOU) -> str:
    """`ground: came down in 2 of 3 rated sessions (4 in all); stopped once when it rose to 6.`"""
    parts = [verdict(row, voice)]
    if after := row.get("after_stop"):
        parts.append(f"{after} {'was' if after == 1 else 'were'} after a stop, {FROM_STOP}")
    stopped = stops(row, voice)
    if stopped:
        parts.append(stopped)
    return f"{row['practice']}: " + "; ".join(parts) + "."
