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
