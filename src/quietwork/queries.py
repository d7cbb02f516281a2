"""The log's rows as entries: the queries behind `log` and export, and check-in rows.

No sqlite3 here: `store.Store` passes in a `Select` that runs one query inside its read
transaction, so this module only says what to ask and how to shape the answer. What a
window of days holds (`stats`, `report`, `forget`) is in windows.py.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple, cast

from quietwork import localtime
from quietwork.localtime import utc_key

__all__ = ["utc_key"]  # the store and import take it from here

Select = Callable[[str, Mapping[str, object]], list[tuple[Any, ...]]]


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


def _arms(*, practice: str | None) -> str:
    """The entries `log` lists, in any order: (kind, id, UTC key, rowid)."""
    sessions = "SELECT 'session', id, started_utc, rowid FROM sessions WHERE started_utc >= :since"
    if practice is not None:
        arms = sessions + " AND practice = :practice"
    else:
        arms = (
            sessions + " UNION ALL SELECT 'checkin', id, at_utc, rowid FROM checkins"
            " WHERE session_id IS NULL AND at_utc >= :since"
        )
    return arms


def _page(*, practice: str | None) -> str:
    """A CTE `page(kind, id, k, r)`: the entries to show, newest first, at most :limit."""
    # `since` is the UTC key of local midnight on the --since date.
    return (f"WITH page(kind, id, k, r) AS ({_arms(practice=practice)} "
            "ORDER BY 3 DESC, 4 DESC, 1 LIMIT :limit) ")


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


def _since(since: date | None) -> str:
    """The UTC key of local midnight on the --since date ("" for no bound)."""
    return localtime.midnight_key(since) if since else ""


def entries_query(
    *, limit: int | None, since: date | None, practice: str | None
) -> tuple[str, dict[str, object]]:
    """The query behind `log` and its parameters; `fold` turns its rows into entries."""
    params: dict[str, object] = {
        "since": _since(since),
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


def count(select: Select, *, since: date | None, practice: str | None) -> int:
    """How many entries `entries` would list without a limit."""
    sql = f"SELECT count(*) FROM ({_arms(practice=practice)})"
    ((found,),) = select(sql, {"since": _since(since), "practice": practice})
    return int(found)


# The rows of an export, one per nested check-in (or one per entry without any), newest
# first: the entry's sort key and row number, then the columns of `log --csv` in its order,
# then the nested check-in's id. A standalone check-in's row has phase "standalone".
EXPORT_COLUMNS = ("key", "number", "kind", "id", "practice", "status", "stop_reason",
                  "started_at", "ended_at", "phase", "at", "distress", "state", "body",
                  "noticed", "note", "area", "checkin_id")
# The whole log's sessions, and apart from them its nested check-ins, are read in the order
# they are stored and sorted by SQLite (its sorter keeps a bounded amount in memory and
# spills the rest to a temporary file); each check-in carries its session's sort key
# (`session_utc`), so the two sorted streams meet in `_joined` without a look-up. Along
# `sessions_by_time`, or joined through `checkins_by_session`, rows are read in random
# order, and nearly every look-up misses the page cache (docs/performance.md).
_WHOLE_SESSIONS = """
SELECT started_utc, rowid, 'session', T(id), T(practice), T(status), T(stop_reason),
       T(started_at), T(ended_at)
FROM sessions NOT INDEXED
ORDER BY started_utc DESC, rowid DESC
"""
# In the sessions' order where their keys differ; a key's check-ins by session id.
_WHOLE_CHECKINS = """
SELECT session_utc, session_id, T(phase), T(at), distress, T(state), body, noticed, T(note),
       T(area), id
FROM checkins NOT INDEXED
WHERE session_utc IS NOT NULL
ORDER BY session_utc DESC, session_id, at_utc, rowid
"""
# A part of the log (--since, --practice): its sessions with their check-ins joined.
_EXPORT_SESSIONS = """
SELECT s.started_utc, s.rowid, 'session', T(s.id), T(s.practice), T(s.status),
       T(s.stop_reason), T(s.started_at), T(s.ended_at), T(n.phase), T(n.at), n.distress,
       T(n.state), n.body, n.noticed, T(n.note), T(n.area), n.id
FROM sessions AS s {scan} LEFT JOIN checkins AS n ON n.session_id = s.id
WHERE s.started_utc >= :since {practice}
ORDER BY s.started_utc DESC, s.rowid DESC, n.at_utc, n.rowid
"""
_EXPORT_STANDALONE = """
SELECT at_utc, rowid, 'checkin', T(id), T(NULL), T(NULL), T(NULL), T(NULL), T(NULL),
       'standalone', T(at), distress, T(state), body, NULL, T(note), T(NULL), NULL
FROM checkins
WHERE session_id IS NULL AND at_utc >= :since
ORDER BY at_utc DESC, rowid DESC
"""
# The same columns for a page of entries (`--limit`).
_EXPORT_PAGE = """
SELECT page.k, page.r, page.kind, page.id, s.practice, s.status, s.stop_reason,
       s.started_at, s.ended_at, ifnull(n.phase, CASE page.kind WHEN 'checkin'
       THEN 'standalone' END), ifnull(c.at, n.at), ifnull(c.distress, n.distress),
       ifnull(c.state, n.state), ifnull(c.body, n.body), n.noticed, ifnull(c.note, n.note),
       n.area, n.id
FROM page
LEFT JOIN sessions AS s ON page.kind = 'session' AND s.id = page.id
LEFT JOIN checkins AS c ON page.kind = 'checkin' AND c.id = page.id
LEFT JOIN checkins AS n ON page.kind = 'session' AND n.session_id = page.id
ORDER BY page.k DESC, page.r DESC, page.kind, n.at_utc, n.rowid
"""

Rows = Callable[[str, Mapping[str, object]], Iterable[Sequence[Any]]]


_TEXT_COLUMN = re.compile(r"\bT\(([^)]*)\)")


def _text(sql: str, empty: bool) -> str:
    """The query with each text column `T(x)` as it is, or with "" for null."""
    return _TEXT_COLUMN.sub(r"ifnull(\1, '')" if empty else r"\1", sql)


def export_rows(
    rows: Rows, *, limit: int | None, since: date | None, practice: str | None,
    empty_text: bool = False,
) -> Iterator[Sequence[Any]]:
    """The rows of an export (`EXPORT_COLUMNS`), newest first; `rows` runs a query lazily.

    With `empty_text` (for CSV) the text columns of the whole log's rows hold "" for
    null (a page of it, `limit`, still has nulls).
    """
    if limit is not None:
        _, params = entries_query(limit=limit, since=since, practice=practice)
        yield from rows(_page(practice=practice) + _EXPORT_PAGE, params)
        return
    params = {"since": _since(since), "practice": practice}
    sessions: Iterator[Sequence[Any]]
    if since is None and practice is None:
        tuples = cast(Callable[[str, Mapping[str, object]], Iterable[tuple[Any, ...]]], rows)
        sessions = _joined(iter(tuples(_text(_WHOLE_SESSIONS, empty_text), params)),
                           iter(tuples(_text(_WHOLE_CHECKINS, empty_text), params)),
                           ("", "", None, "", None, None, "", "", None) if empty_text
                           else (None,) * 9)
    else:
        sessions = iter(rows(_text(_EXPORT_SESSIONS, empty_text).format(
            # A --since reads its part of the log along the index instead.
            scan="NOT INDEXED" if since is None else "",
            practice="" if practice is None else "AND s.practice = :practice",
        ), params))
    if practice is not None:  # a practice's sessions only
        yield from sessions
        return
    standalone = iter(rows(_text(_EXPORT_STANDALONE, empty_text), params))
    waiting = next(standalone, None)
    for row in sessions:
        # Newer first; on a tie a standalone check-in before a session, as `_page`. Only
        # a session's first row can meet one: the rest share its key.
        while waiting is not None and (
            waiting[0] > row[0] or (waiting[0] == row[0] and waiting[1] >= row[1])
        ):
            yield waiting
            waiting = next(standalone, None)
        yield row
    if waiting is not None:
        yield waiting
        yield from standalone


def _joined(
    sessions: Iterator[tuple[Any, ...]], checkins: Iterator[tuple[Any, ...]],
    none: tuple[Any, ...],
) -> Iterator[tuple[Any, ...]]:
    """The rows of `_EXPORT_SESSIONS` from those of `_WHOLE_SESSIONS` and `_WHOLE_CHECKINS`.

    A session's row is joined with each of its check-ins in turn, or with `none`. The
    check-ins come in their sessions' order, except that sessions started at the same
    moment are sorted by rowid and their check-ins by session id: those few are held
    by session until their session comes. A check-in whose session is not read (there
    is none) is passed over, as the join does.
    """
    head = next(checkins, None)
    held: dict[Any, list[tuple[Any, ...]]] = {}
    held_key: Any = None
    for session in sessions:
        key, session_id = session[0], session[3]
        while head is not None and head[0] > key:  # no session of this key was read
            head = next(checkins, None)
        if head is not None and head[0] == key:
            if head[1] == session_id:
                while head is not None and head[1] == session_id and head[0] == key:
                    yield session + head[2:]
                    head = next(checkins, None)
                continue
            held, held_key = {}, key
            while head is not None and head[0] == key:
                held.setdefault(head[1], []).append(head[2:])
                head = next(checkins, None)
        mine = held.pop(session_id, None) if held_key == key else None
        if mine:
            for checkin in mine:
                yield session + checkin
        else:
            yield session + none


def each_entry(
    rows: Rows, *, limit: int | None, since: date | None, practice: str | None
) -> Iterator[dict[str, Any]]:
    """The entries of `entries`, one at a time, newest first; `rows` runs a query lazily."""
    current: dict[str, Any] | None = None
    last: tuple[str, str] | None = None
    for row in export_rows(rows, limit=limit, since=since, practice=practice):
        if (row[2], row[3]) != last:
            if current is not None:
                yield current
            last = (row[2], row[3])
            current = entry_of(row)
        if row[17] is not None and current is not None:
            current["checkins"].append(checkin_of(row))
    if current is not None:
        yield current


def entry_of(row: Sequence[Any]) -> dict[str, Any]:
    """The entry an export row begins (a session's check-ins are added by `checkin_of`)."""
    if row[2] != "session":
        _, _, _, checkin_id, *_, at, distress, state, body, _, note, _, _ = row
        return {"kind": "checkin", "id": checkin_id, "at": at, "distress": distress,
                "state": state, "body": words(body), "note": note}
    return _session(row[2:], [])


def checkin_of(row: Sequence[Any]) -> dict[str, Any]:
    """The nested check-in of an export row."""
    *_, phase, at, distress, state, body, noticed, note, area, checkin_id = row
    return _nested_checkin((checkin_id, phase, distress, at, state, body, noticed, note, area))


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
