"""The log's rows as entries: the queries behind `log` and `stats`, and rows for `import`.

No sqlite3 here: `store.Store` passes in a `Select` that runs one query inside its read
transaction, so this module only says what to ask and how to shape the answer.
"""

from __future__ import annotations

import functools
import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

Select = Callable[[str, Mapping[str, object]], list[tuple[Any, ...]]]


def utc_key(moment: datetime | str) -> str:
    """A fixed-width UTC sort key for a time or an ISO 8601 timestamp (naive = local)."""
    if isinstance(moment, str):
        return _utc_key_of(moment)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@functools.lru_cache(maxsize=1024)
def _utc_key_of(text: str) -> str:
    # An import meets each timestamp about twice (a session's start and its first check-in).
    return datetime.fromisoformat(text).astimezone(UTC).isoformat(timespec="microseconds")


# The same few lists of words ("[]", '["sigh"]') repeat thousands of times in a long log,
# so caching their JSON saves most of that work in `log --json` and `import`.


def json_list(values: Sequence[str]) -> str:
    """A list of words as the JSON text stored in a column."""
    return _encoded(tuple(values))


@functools.lru_cache(maxsize=4096)
def _encoded(values: tuple[str, ...]) -> str:
    return json.dumps(list(values))


def words(text: str) -> list[str]:
    """A stored JSON list of words, as a new list."""
    return list(_decoded(text))


@functools.lru_cache(maxsize=4096)
def _decoded(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _page(*, practice: str | None) -> str:
    """A CTE `page(kind, id, k, r)`: the entries to show, newest first, at most :limit."""
    sessions = "SELECT 'session', id, started_utc, rowid FROM sessions WHERE started_at >= :since"
    if practice is not None:
        arms = sessions + " AND practice = :practice"
    else:
        arms = (
            sessions + " UNION ALL SELECT 'checkin', id, at_utc, rowid FROM checkins"
            " WHERE session_id IS NULL AND at >= :since"
        )
    # `since` is a local date and timestamps are local ISO text, so a prefix compare works.
    return f"WITH page(kind, id, k, r) AS ({arms} ORDER BY 3 DESC, 4 DESC, 1 LIMIT :limit) "


# One query, one row per nested check-in (or one per entry without any), in the order
# `log` shows: consecutive rows of one entry are folded into it as they arrive, so a long
# log streams through in constant memory.
_ROWS = """
SELECT page.kind, page.id, s.practice, s.status, s.stop_reason, s.started_at, s.ended_at,
       c.at, c.distress, c.state, c.body, c.note,
       n.id, n.phase, n.distress, n.at, n.state, n.body, n.noticed, n.note, n.area
FROM page
LEFT JOIN sessions AS s ON page.kind = 'session' AND s.id = page.id
LEFT JOIN checkins AS c ON page.kind = 'checkin' AND c.id = page.id
LEFT JOIN checkins AS n ON page.kind = 'session' AND n.session_id = page.id
ORDER BY page.k DESC, page.r DESC, page.kind, n.at_utc, n.rowid
"""


def entries_query(
    *, limit: int | None, since: date | None, practice: str | None
) -> tuple[str, dict[str, object]]:
    """The query behind `log` and its parameters; `fold` turns its rows into entries."""
    params: dict[str, object] = {
        "since": since.isoformat() if since else "",
        "practice": practice,
        # -1: no limit. So is one beyond SQLite's integers (`--limit 99999999999999999999`),
        # which sqlite3 would refuse with OverflowError.
        "limit": -1 if limit is None or limit >= 2**63 else max(limit, 0),
    }
    return _page(practice=practice) + _ROWS, params


def entries(
    select: Select, *, limit: int | None, since: date | None, practice: str | None
) -> list[dict[str, Any]]:
    """The `log --json` entries, newest first."""
    sql, params = entries_query(limit=limit, since=since, practice=practice)
    return [entry for _, entry in fold(select(sql, params), key_columns=0)]


# The whole log, for an export: sessions with their check-ins, and standalone check-ins,
# each read in order along its own index and merged here. Without `page` to sort and join
# by id, this is about twice as fast as `_ROWS` over a long log. Each row starts with its
# sort key, then the columns of `_ROWS`.
_ALL_SESSIONS = """
SELECT s.started_utc, s.rowid, 0, 'session', s.id, s.practice, s.status, s.stop_reason,
       s.started_at, s.ended_at, NULL, NULL, NULL, NULL, NULL,
       n.id, n.phase, n.distress, n.at, n.state, n.body, n.noticed, n.note, n.area
FROM sessions AS s LEFT JOIN checkins AS n ON n.session_id = s.id
WHERE s.started_at >= :since {practice}
ORDER BY s.started_utc DESC, s.rowid DESC, n.at_utc, n.rowid
"""
_ALL_STANDALONE = """
SELECT at_utc, rowid, 1, 'checkin', id, NULL, NULL, NULL, NULL, NULL,
       at, distress, state, body, note, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM checkins
WHERE session_id IS NULL AND at >= :since
ORDER BY at_utc DESC, rowid DESC
"""

Rows = Callable[[str, Mapping[str, object]], Iterable[Sequence[Any]]]


def each_entry(
    rows: Rows, *, limit: int | None, since: date | None, practice: str | None
) -> Iterator[dict[str, Any]]:
    """The entries of `entries`, one at a time, newest first; `rows` runs a query lazily."""
    if limit is not None:
        sql, params = entries_query(limit=limit, since=since, practice=practice)
        for _, entry in fold(rows(sql, params), key_columns=0):
            yield entry
        return
    params = {"since": since.isoformat() if since else "", "practice": practice}
    sessions = fold(
        rows(_ALL_SESSIONS.format(practice="" if practice is None else
                                  "AND s.practice = :practice"), params),
        key_columns=3,
    )
    if practice is not None:
        streams: list[Iterator[tuple[Any, dict[str, Any]]]] = [sessions]
    else:
        streams = [sessions, fold(rows(_ALL_STANDALONE, params), key_columns=3)]
    # Newest first; on a tie a standalone check-in (1) before a session (0), as `_page`.
    for _, entry in heapq.merge(*streams, key=_first, reverse=True):
        yield entry


def _first(pair: tuple[Any, dict[str, Any]]) -> Any:
    return pair[0]


def fold(
    rows: Iterable[Sequence[Any]], *, key_columns: int
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Rows of `_ROWS`' columns, after `key_columns` sort-key columns, as (key, entry).

    Consecutive rows of one entry (one per nested check-in) fold into it as they arrive,
    so a long log streams through in constant memory.
    """
    current: dict[str, Any] | None = None
    key: Any = None
    last: tuple[str, str] | None = None
    for full in rows:
        row = full[key_columns:] if key_columns else full
        if (row[0], row[1]) != last:
            if current is not None:
                yield key, current
            last = (row[0], row[1])
            key = full[:key_columns]
            current = _session(row, []) if row[0] == "session" else _standalone(row)
        if row[12] is not None and current is not None:
            current["checkins"].append(_nested_checkin(row[12:]))
    if current is not None:
        yield key, current


def _session(row: Sequence[Any], checkins: list[dict[str, Any]]) -> dict[str, Any]:
    _, session_id, practice, status, stop_reason, started_at, ended_at, *_ = row
    return {
        "kind": "session",
        "id": session_id,
        "practice": practice,
        "status": status,
        "stop_reason": stop_reason,
        "started_at": started_at,
        "ended_at": ended_at,
        "checkins": checkins,
    }


def _standalone(row: Sequence[Any]) -> dict[str, Any]:
    _, checkin_id, *_, at, distress, state, body, note = row[:12]
    return {
        "kind": "checkin",
        "id": checkin_id,
        "at": at,
        "distress": distress,
        "state": state,
        "body": words(body),
        "note": note,
    }


def _nested_checkin(fields: Sequence[Any]) -> dict[str, Any]:
    checkin_id, phase, distress, at, state, body, noticed, note, area = fields
    return {
        "id": checkin_id,
        "phase": phase,
        "distress": distress,
        "at": at,
        "state": state,
        "body": words(body),
        "noticed": words(noticed),
        "note": note,
        "area": area,
    }


# One row per (practice, local day), counted by SQLite from the covering index on
# sessions; Python only folds these few hundred groups. A session counts as rated when it
# has both a before and an after rating.
_SESSION_GROUPS = """
SELECT practice, day, count(*),
    sum(status = 'completed'), sum(status = 'stopped'), sum(status = 'interrupted'),
    sum(before IS NOT NULL), coalesce(sum(before), 0), coalesce(sum(after), 0),
    coalesce(sum(after > before), 0)
FROM (
    SELECT practice, status, substr(started_at, 1, 10) AS day,
        CASE WHEN distress_after IS NOT NULL THEN distress_before END AS before,
        CASE WHEN distress_before IS NOT NULL THEN distress_after END AS after
    FROM sessions
    WHERE started_at >= :since
)
GROUP BY practice, day
"""

_CHECKIN_DAYS = """
SELECT substr(at, 1, 10), count(*), coalesce(sum(distress), 0), count(distress)
FROM checkins
WHERE session_id IS NULL AND at >= :since
GROUP BY 1
"""

_GROUP_KEYS = (
    "sessions",
    "completed",
    "stopped",
    "interrupted",
    "rated",
    "before",
    "after",
    "rose",
)


def stats(select: Select, *, days: int, today: date) -> dict[str, Any]:
    """The `stats --json` object over the last `days` local days, today included."""
    first_day = today - timedelta(days=max(min(days, today.toordinal()), 1) - 1)
    params = {"since": first_day.isoformat()}
    practices: defaultdict[str, Counter[str]] = defaultdict(Counter)
    by_day: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for practice, day, *counts in select(_SESSION_GROUPS, params):
        group = dict(zip(_GROUP_KEYS, counts, strict=True))
        practices[practice].update(group)
        by_day[day].update({key: group[key] for key in ("rated", "before", "after")})
    for day, count, distress, rated in select(_CHECKIN_DAYS, params):
        by_day[day].update(checkins=count, distress=distress, distress_n=rated)
    total = sum(by_day.values(), Counter[str]())
    return {
        "days_span": days,
        "practices": sorted((_practice_row(p, t) for p, t in practices.items()), key=_rank),
        "days": [_day_row(day, by_day[day]) for day in sorted(by_day)],
        "checkins": {
            "count": total["checkins"],
            "mean_distress": _mean(total["distress"], total["distress_n"]),
        },
    }


def _mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _practice_row(practice: str, t: Mapping[str, int]) -> dict[str, Any]:
    return {
        "practice": practice,
        "sessions": t["sessions"],
        "completed": t["completed"],
        "stopped": t["stopped"],
        "interrupted": t["interrupted"],
        "mean_before": _mean(t["before"], t["rated"]),
        "mean_after": _mean(t["after"], t["rated"]),
        "mean_change": _mean(t["after"] - t["before"], t["rated"]),
        "rated": t["rated"],
        "rose": t["rose"],
    }


def _rank(row: Mapping[str, Any]) -> tuple[bool, float, str]:
    """Most helpful (largest drop) first; practices with no rated session last, by name."""
    change = row["mean_change"]
    return (change is None, change or 0.0, row["practice"])


def _day_row(day: str, d: Mapping[str, int]) -> dict[str, Any]:
    return {
        "date": day,
        "mean_before": _mean(d["before"], d["rated"]),
        "mean_after": _mean(d["after"], d["rated"]),
        "checkins": d["checkins"],
        "mean_checkin": _mean(d["distress"], d["distress_n"]),
    }


class CheckinRow(NamedTuple):
    """A checkins row, in the column order of `store`'s INSERT."""

    id: str
    session_id: str | None
    phase: str
    at: str
    at_utc: str
    distress: int | None
    state: str | None
    body: str
    noticed: str
    note: str | None
    area: str | None


class SessionRow(NamedTuple):
    """A sessions row as imported, in the column order of `store`'s import INSERT."""

    id: str
    practice: str
    status: str
    stop_reason: str | None
    started_at: str
    started_utc: str
    ended_at: str | None
    distress_before: int | None
    distress_after: int | None


def checkin_row(checkin: Mapping[str, Any], session_id: str | None, phase: str) -> CheckinRow:
    """The row for one check-in given as a `log --json` mapping."""
    return CheckinRow(
        id=checkin["id"],
        session_id=session_id,
        phase=phase,
        at=checkin["at"],
        at_utc=utc_key(checkin["at"]),
        distress=checkin.get("distress"),
        state=checkin.get("state"),
        body=json_list(checkin.get("body") or ()),
        noticed=json_list(checkin.get("noticed") or ()),
        note=checkin.get("note"),
        area=checkin.get("area"),
    )


def import_rows(
    entries: Sequence[Mapping[str, Any]],
) -> tuple[list[SessionRow], list[CheckinRow], list[CheckinRow]]:
    """Validated `log --json` entries as (session rows, their check-ins, standalone check-ins).

    Optional keys may be missing: they count as null, or [] for lists.
    """
    sessions: list[SessionRow] = []
    nested: list[CheckinRow] = []
    standalone: list[CheckinRow] = []
    for entry in entries:
        session, checkins = entry_rows(entry)
        if session is None:
            standalone.extend(checkins)
        else:
            sessions.append(session)
            nested.extend(checkins)
    return sessions, nested, standalone


def entry_rows(entry: Mapping[str, Any]) -> tuple[SessionRow | None, list[CheckinRow]]:
    """One validated entry as (its session row, or None for a standalone check-in; check-ins)."""
    if entry["kind"] != "session":
        return None, [checkin_row(entry, None, "standalone")]
    checkins = [checkin_row(c, entry["id"], c["phase"]) for c in entry.get("checkins", ())]
    before, after = _first_before_last_after(checkins)
    session = SessionRow(
        id=entry["id"],
        practice=entry["practice"],
        status=entry["status"],
        stop_reason=entry.get("stop_reason"),
        started_at=entry["started_at"],
        started_utc=utc_key(entry["started_at"]),
        ended_at=entry.get("ended_at"),
        distress_before=before,
        distress_after=after,
    )
    return session, checkins


def _first_before_last_after(checkins: Sequence[CheckinRow]) -> tuple[int | None, int | None]:
    """A session's summary ratings, as `Store.add_checkin` keeps them."""
    in_time = sorted(checkins, key=lambda c: c.at_utc)  # stable: file order breaks ties
    befores = [c.distress for c in in_time if c.phase == "before" and c.distress is not None]
    afters = [c.distress for c in in_time if c.phase == "after" and c.distress is not None]
    return (befores[0] if befores else None, afters[-1] if afters else None)
