"""How sessions are counted: one definition of a session's ratings, and what `stats` counts.

Pure: no SQL, no printing. `windows` and `queries` feed it rows; `verdicts` words its
results for `stats` and `report`. Every session counts. Its change runs from its before
rating to the last rating it got after that: the after rating, or the mid rating that
stopped it (a stop at 9 from a 4 is +5). A session without both is counted, but not rated.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

MIN_RATED = 3  # plain-words verdicts and suggestions need at least this many rated sessions
RATING_STOPS = ("overwhelm", "rising")  # stopped by a rating, not by choice


class Ratings(NamedTuple):
    """A session's first before rating and the last rating it got after that."""

    before: int | None
    last: int | None
    last_phase: str | None  # "after" or "mid": where the last rating came from

    @property
    def change(self) -> int | None:
        """last - before, when the session has both."""
        if self.before is None or self.last is None:
            return None
        return self.last - self.before

    @property
    def final(self) -> int | None:
        """The last rating of any phase: what a session stopped at."""
        return self.before if self.last is None else self.last


def ratings(checkins: Iterable[tuple[str, int | None]]) -> Ratings:
    """A session's ratings from its check-ins as (phase, distress), in the order given.

    The one place this is decided: the store's reads, `log`, `stats`, `report` and
    `import` all come here. Give the check-ins in time order.
    """
    before: int | None = None
    last: int | None = None
    last_phase: str | None = None
    for phase, distress in checkins:
        if distress is None:
            continue
        if phase == "before":
            if before is None:
                before = distress
        elif phase in ("mid", "after"):
            last, last_phase = distress, phase
    return Ratings(before, last, last_phase)


def entry_ratings(entry: Mapping[str, Any]) -> Ratings:
    """The ratings of a `log --json` session entry (its check-ins are in time order)."""
    return ratings((c.get("phase", ""), c.get("distress")) for c in entry.get("checkins", ()))


class Session(NamedTuple):
    """What counting needs of one session."""

    practice: str
    status: str
    stop_reason: str | None
    ratings: Ratings
    after_stop: bool = False  # the settle after a stop: `ratings` begin at the last before it


def did_not_start(status: str, stop_reason: str | None, ratings: Ratings) -> bool:
    """Its before rating, at or above the stop-at, stopped it: the practice never began."""
    return (status == "stopped" and stop_reason == "overwhelm"
            and ratings.before is not None and ratings.last is None)


@dataclass
class Tally:
    """Counts for one practice (or one day)."""

    sessions: int = 0
    completed: int = 0
    stopped: int = 0
    interrupted: int = 0
    stopped_by_choice: int = 0
    stopped_by_rating: int = 0
    stop_ratings: list[int] = field(default_factory=list)
    rising_stop_ratings: list[int] = field(default_factory=list)
    before_stop_ratings: list[int] = field(default_factory=list)
    after_stop: int = 0  # settles after a stop, rated from the last rating before them
    befores: list[int] = field(default_factory=list)
    lasts: list[int] = field(default_factory=list)
    # The sessions with one rating or none, but for the stops at a rating (named with them)
    before_only: list[int] = field(default_factory=list)
    last_only: list[int] = field(default_factory=list)
    no_ratings: int = 0

    def add(self, session: Session) -> None:
        """Count one session."""
        self.sessions += 1
        by_rating = session.status == "stopped" and session.stop_reason in RATING_STOPS
        if session.status == "completed":
            self.completed += 1
        elif session.status == "interrupted":
            self.interrupted += 1
        elif session.status == "stopped":
            self.stopped += 1
            if session.stop_reason == "user":
                self.stopped_by_choice += 1
            elif by_rating:
                self.stopped_by_rating += 1
                if session.ratings.final is not None:
                    self.stop_ratings.append(session.ratings.final)
                    if session.stop_reason == "rising":
                        self.rising_stop_ratings.append(session.ratings.final)
                    elif did_not_start(session.status, session.stop_reason, session.ratings):
                        self.before_stop_ratings.append(session.ratings.final)
        before, last = session.ratings.before, session.ratings.last
        if before is not None and last is not None:
            self.after_stop += session.after_stop
            self.befores.append(before)
            self.lasts.append(last)
        elif by_rating:
            pass  # in stop_ratings, or a stop "by a rating" without one
        elif before is not None:
            self.before_only.append(before)
        elif last is not None:
            self.last_only.append(last)
        else:
            self.no_ratings += 1

    def changes(self) -> list[int]:
        """last - before of each rated session."""
        return [last - before for before, last in zip(self.befores, self.lasts, strict=True)]


def mean(values: Sequence[float]) -> float | None:
    """The mean to two decimals; None for no values."""
    return round(sum(values) / len(values), 2) if values else None


def median(values: Sequence[float]) -> float | None:
    """The median; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def practice_row(practice: str, t: Tally) -> dict[str, Any]:
    """One practice as `stats --json` shows it (docs/using.md lists the fields)."""
    changes = t.changes()
    down = sum(change < 0 for change in changes)
    up = sum(change > 0 for change in changes)
    return {
        "practice": practice,
        "sessions": t.sessions,
        "completed": t.completed,
        "stopped": t.stopped,
        "interrupted": t.interrupted,
        "mean_before": mean(t.befores),
        "mean_after": mean(t.lasts),
        "mean_change": mean(changes),
        "rated": len(changes),
        "rose": up,
        "stopped_by_choice": t.stopped_by_choice,
        "stopped_by_rating": t.stopped_by_rating,
        "stop_ratings": sorted(t.stop_ratings),
        "rising_stop_ratings": sorted(t.rising_stop_ratings),
        "before_stop_ratings": sorted(t.before_stop_ratings),
        "after_stop": t.after_stop,
        "median_change": median(changes),
        "came_down": down,
        "stayed": len(changes) - down - up,
        "went_up": up,
        "before_only_ratings": sorted(t.before_only),
        "last_only_ratings": sorted(t.last_only),
        "no_ratings": t.no_ratings,
    }


def rank(row: Mapping[str, Any]) -> tuple[bool, float, float, str]:
    """Came down in the largest share of rated sessions first; unrated practices last."""
    rated = row["rated"]
    share = row["came_down"] / rated if rated else 0.0
    return (rated == 0, -share, row["median_change"] or 0.0, row["practice"])



def rated_sessions(rated: int, sessions: int | None = None) -> str:
    """`5 rated sessions (6 in all)`: what `stats`, `report` and the chooser count out of."""
    in_all = f" ({sessions} in all)" if sessions is not None and sessions != rated else ""
    return f"{rated} rated session{'' if rated == 1 else 's'}{in_all}"


_STATE_WORDS = {"activated": "activated", "settled": "settled", "shut_down": "shut down"}


class Suggestion(NamedTuple):
    """A practice to offer first, and why, in one line."""

    practice: str
    came_down: int
    rated: int
    reason: str


def suggestions(
    entries: Iterable[Mapping[str, Any]],
    state: str,
    *,
    avoid: Collection[str] = (),
) -> list[Suggestion]:
    """Practices that came down most often for this person in `state`, best first.

    `entries` are `log --json` entries; a session is in a state when its before check-in
    says so. The settle offered after a stop has no before rating: it counts in the state
    of the session it followed, from the rating that session ended on (see `in_state`). A
    practice is suggested once it has at least MIN_RATED rated sessions in that state and
    came down in most of them; those in `avoid` (the practices whose `avoid_when` lists the
    state) never are. An empty list: fall back to the usual order.
    """
    counts: dict[str, list[int]] = {}
    for practice, in_state_, change in in_state(entries):
        if in_state_ == state and change is not None and practice not in avoid:
            counts.setdefault(practice, []).append(change)
    found = []
    words = _STATE_WORDS.get(state, state)
    for practice, changes in counts.items():
        down = sum(change < 0 for change in changes)
        if len(changes) >= MIN_RATED and down * 2 > len(changes):
            reason = f"came down in {down} of {rated_sessions(len(changes))} when {words}"
            found.append(Suggestion(practice, down, len(changes), reason))
    return sorted(found, key=lambda s: (-s.came_down / s.rated, -s.came_down, s.practice))


SETTLE = "settle"  # catalog.SETTLE_ID; tally imports nothing of the catalog
SETTLE_GAP = timedelta(minutes=30)  # a settle this soon after a session ended followed it
FROM_STOP = "from the last rating before it to the rating at the end"  # its change, in words


class Timed(NamedTuple):
    """A session's practice, when it began and ended (ISO 8601, read only for a settle
    without a before rating: `stats` meets thousands of sessions), and its own ratings."""

    practice: str
    started: str | None
    ended: str | None
    ratings: Ratings


def after_stop(session: Timed, previous: Timed | None) -> Ratings | None:
    """The ratings `session` counts with when it is the settle offered after a stop; None
    when it is not.

    The one place this is decided (the chooser, `stats` and `report`): a settle without a
    before rating that began within SETTLE_GAP of the end of the session before it (a
    practice stopped mid-way, or one that ended at or above stop-at; a settle run by
    itself asks for a before rating). Its change runs from the last rating of that session
    to the settle's closing rating; without a closing rating it is not rated.
    """
    own = session.ratings
    if session.practice != SETTLE or own.before is not None or previous is None:
        return None
    started, ended = moment(session.started), moment(previous.ended)
    if not (started and ended and timedelta(0) <= started - ended <= SETTLE_GAP):
        return None
    came = previous.ratings.final if own.last is not None else None
    return Ratings(came, own.last, own.last_phase)


def in_state(
    entries: Iterable[Mapping[str, Any]],
) -> Iterator[tuple[str, str | None, int | None]]:
    """(practice, state, change) of each session entry, in any order given.

    The state is what its before check-in says; the settle offered after a stop (see
    `after_stop`) is in the state of the session it followed.
    """
    sessions = sorted(
        ((timed(e), e) for e in entries if e.get("kind") == "session"),
        key=lambda pair: moment(pair[0].started) or _NEVER,
    )
    previous: tuple[Timed, Mapping[str, Any]] | None = None
    for one, entry in sessions:
        linked = after_stop(one, None if previous is None else previous[0])
        if linked is None or previous is None:
            yield entry["practice"], _before_state(entry), one.ratings.change
        else:
            yield entry["practice"], _before_state(previous[1]), linked.change
        previous = one, entry


def timed(entry: Mapping[str, Any]) -> Timed:
    """A `log --json` session entry as `after_stop` reads it."""
    return Timed(entry.get("practice", ""), entry.get("started_at"), entry.get("ended_at"),
                 entry_ratings(entry))


_NEVER = datetime.min.replace(tzinfo=UTC)


def _before_state(entry: Mapping[str, Any]) -> str | None:
    before = next((c for c in entry.get("checkins", ()) if c.get("phase") == "before"), None)
    return None if before is None else before.get("state")


def moment(text: object) -> datetime | None:
    """An entry's ISO 8601 time (with its offset); None when missing or not one."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.astimezone()
