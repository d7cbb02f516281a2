"""What a window of days holds: the queries behind `stats`, `report` and `forget`.

No sqlite3 here: `store.Store` passes in a `queries.Select` that runs one query inside its
read transaction, so this module only says what to ask and how to shape the answer.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from quietwork import localtime, tally
from quietwork.queries import Select, words

UNTIL_EVER = "9"  # sorts after every UTC key: no upper bound


# Each session of the window with its ratings in time order (one row per rating, or one
# row of NULLs for a session without any); `tally` counts them.
_SESSION_RATINGS = """
SELECT s.id, s.practice, s.status, s.stop_reason, s.started_utc, s.ended_at, c.phase,
    c.distress
FROM sessions AS s
LEFT JOIN checkins AS c ON c.session_id = s.id AND c.distress IS NOT NULL
WHERE s.started_utc >= :since AND s.started_utc <= :until
ORDER BY s.started_utc, s.rowid, c.at_utc, c.rowid
"""

_CHECKIN_TIMES = """
SELECT at_utc, distress FROM checkins
WHERE session_id IS NULL AND at_utc >= :since AND at_utc <= :until
"""


def sessions(
    select: Select, *, since_key: str, until_key: str = UNTIL_EVER
) -> list[tuple[str, tally.Session]]:
    """The sessions started from one UTC key up to another, oldest first, as (key, session).

    The settle offered after a stop counts from the last rating of the session before it
    (`tally.after_stop`), so the window is read from SETTLE_GAP earlier: a settle just
    inside it may follow a stop just outside.
    """
    found: list[tuple[str, tally.Session]] = []
    previous: tally.Timed | None = None
    current: str | None = None
    rows: list[tuple[str, int | None]] = []
    head: Sequence[Any] = ()

    def flush() -> None:
        nonlocal previous
        _, practice, status, stop_reason, started_utc, ended_at = head
        timed = tally.Timed(practice, started_utc, ended_at, tally.ratings(rows))
        linked = tally.after_stop(timed, previous)
        if started_utc >= since_key:
            found.append((started_utc, tally.Session(
                practice, status, stop_reason, timed.ratings if linked is None else linked,
                after_stop=linked is not None)))
        previous = timed

    lookback = localtime.utc_key(datetime.fromisoformat(since_key) - tally.SETTLE_GAP)
    for session_id, *session, phase, distress in select(_SESSION_RATINGS, {
            "since": lookback, "until": until_key}):
        if session_id != current:
            if current is not None:
                flush()
            current, head, rows = session_id, (session_id, *session), []
        rows.append((phase, distress))
    if current is not None:
        flush()
    return found


class _Days:
    """Local dates of UTC keys, by bisecting the UTC keys of the window's local midnights."""

    def __init__(self, first_day: date, count: int) -> None:
        self.first_day = first_day
        self.bounds = [localtime.midnight_key(first_day + timedelta(days=i))
                       for i in range(count + 1)]

    def of(self, key: str) -> str:
        index = bisect.bisect_right(self.bounds, key) - 1
        if 0 <= index < len(self.bounds) - 1:
            return (self.first_day + timedelta(days=index)).isoformat()
        return localtime.local_day(key).isoformat()  # after today: a clock that ran ahead


def first_day(days: int, today: date) -> date:
    """The first local day of a window of `days` days that ends today."""
    return today - timedelta(days=max(min(days, today.toordinal()), 1) - 1)


def stats(
    select: Select, *, days: int, today: date, until: str = UNTIL_EVER
) -> dict[str, Any]:
    """The `stats --json` object over the last `days` local days, today included, up to
    `until` (a UTC key: now, so that nothing dated in the future counts)."""
    start = first_day(days, today)
    calendar = _Days(start, (today - start).days + 1)
    since = calendar.bounds[0]
    practices: defaultdict[str, tally.Tally] = defaultdict(tally.Tally)
    by_day: defaultdict[str, tally.Tally] = defaultdict(tally.Tally)
    for key, session in sessions(select, since_key=since, until_key=until):
        practices[session.practice].add(session)
        by_day[calendar.of(key)].add(session)
    checkins: defaultdict[str, list[int | None]] = defaultdict(list)
    for key, distress in select(_CHECKIN_TIMES, {"since": since, "until": until}):
        checkins[calendar.of(key)].append(distress)
    rated = [d for ds in checkins.values() for d in ds if d is not None]
    return {
        "days_span": days,
        "practices": sorted((tally.practice_row(p, t) for p, t in practices.items()),
                            key=tally.rank),
        "days": [_day_row(day, by_day[day], checkins.get(day, []))
                 for day in sorted(by_day.keys() | checkins.keys())],
        "checkins": {"count": sum(map(len, checkins.values())), "mean_distress": tally.mean(rated)},
    }


def _day_row(day: str, t: tally.Tally, checkins: Sequence[int | None]) -> dict[str, Any]:
    rated = [d for d in checkins if d is not None]
    return {
        "date": day,
        "mean_before": tally.mean(t.befores),
        "mean_after": tally.mean(t.lasts),
        "checkins": len(checkins),
        "mean_checkin": tally.mean(rated),
        "sessions": t.sessions,
        "rated": len(t.befores),
        "before_stop_ratings": sorted(t.before_stop_ratings),
        "after_stop": t.after_stop,
    }


_STANDALONE = """
SELECT at, distress, state, body, note FROM checkins
WHERE session_id IS NULL AND at_utc >= :since AND at_utc <= :until
ORDER BY at_utc, rowid
"""

_NOTES = """
SELECT c.at, s.practice, c.phase, c.note
FROM sessions AS s JOIN checkins AS c ON c.session_id = s.id
WHERE s.started_utc >= :since AND s.started_utc <= :until
    AND c.note IS NOT NULL AND c.note != ''
ORDER BY c.at_utc, c.rowid
"""


# What the person marked at a practice's check-ins: which way it leaned, where in the body,
# what was noticed (a track step's answers belong to its body area, and are not listed).
_NOTICED = """
SELECT c.at, s.practice, c.phase, c.state, c.body, c.noticed
FROM sessions AS s JOIN checkins AS c ON c.session_id = s.id
WHERE s.started_utc >= :since AND s.started_utc <= :until AND c.phase != 'track'
    AND (c.state IS NOT NULL OR c.body != '[]' OR c.noticed != '[]')
ORDER BY c.at_utc, c.rowid
"""


def report(
    select: Select, *, days: int, today: date, until: str = UNTIL_EVER
) -> dict[str, Any]:
    """The `stats --json` object plus what `report` lists: the window, the standalone
    check-ins, what was marked in sessions (leaning, body, noticed) and the notes written in
    them, oldest first."""
    data = stats(select, days=days, today=today, until=until)
    start = first_day(days, today)
    params = {"since": localtime.midnight_key(start), "until": until}
    data["first_day"], data["last_day"] = start.isoformat(), today.isoformat()
    data["standalone"] = [
        {"at": at, "distress": distress, "state": state, "body": words(body), "note": note}
        for at, distress, state, body, note in select(_STANDALONE, params)
    ]
    marked = (
        {"at": at, "practice": practice, "phase": phase, "state": state, "body": words(body),
         "noticed": words(noticed)}
        for at, practice, phase, state, body, noticed in select(_NOTICED, params)
    )
    data["noticed"] = [row for row in marked if row["state"] or row["body"] or row["noticed"]]
    data["notes"] = [
        {"at": at, "practice": practice, "phase": phase, "note": note}
        for at, practice, phase, note in select(_NOTES, params)
    ]
    return data


# What `forget` deletes: finished sessions started before :before (a UTC key) with all
# their check-ins, and standalone check-ins before it. Check-ins go first (they refer to
# their session).
_FORGOTTEN = "SELECT id FROM sessions WHERE started_utc < :before AND status != 'running'"
_FORGET = (
    f"DELETE FROM checkins WHERE session_id IN ({_FORGOTTEN})",
    "DELETE FROM checkins WHERE session_id IS NULL AND at_utc < :before",
    f"DELETE FROM sessions WHERE id IN ({_FORGOTTEN})",
)
_FORGET_COUNTS = f"""
SELECT (SELECT count(*) FROM ({_FORGOTTEN})),
    (SELECT count(*) FROM checkins WHERE session_id IN ({_FORGOTTEN})),
    (SELECT count(*) FROM checkins WHERE session_id IS NULL AND at_utc < :before)
"""


_EVERYTHING = "\uffff"  # sorts after every UTC key


def forget_statements(before: str | None) -> list[tuple[str, dict[str, str]]]:
    """The DELETEs that forget what came before a UTC key (everything when None)."""
    params = {"before": _EVERYTHING if before is None else before}
    return [(sql, params) for sql in _FORGET]


def forget_counts(select: Select, before: str | None) -> tuple[int, int, int]:
    """(sessions, their check-ins, standalone check-ins) that forget_statements delete."""
    params = {"before": _EVERYTHING if before is None else before}
    ((sessions, nested, standalone),) = select(_FORGET_COUNTS, params)
    return int(sessions), int(nested), int(standalone)
