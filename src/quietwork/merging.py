"""`import`'s merge: validated entries staged aside, checked whole, then merged in batches.

No sqlite3 here: `store.Store.import_entries` passes in its connection and its write
transaction. The entries go first into temporary tables, which live beside the log (in
SQLite's temporary file) and lock nothing. Only when every entry is staged and no id
clashes with the log or with another entry of the file are they copied into the log, a
batch of entries per transaction, so that a `checkin` in another terminal waits at most
one batch and never its busy timeout.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from quietwork import queries
from quietwork.errors import QuietworkError

STAGE_BATCH = 2000  # entries turned into rows and staged at a time
MERGE_BATCH = 5000  # entries copied into the log per transaction


# The store's connection's methods (sqlite3's cursor comes back).
Execute = Callable[..., Any]


class ImportConflict(QuietworkError):
    """An id of the file names something else in the log, or twice in the file: nothing merged."""

    def __init__(self, entry: int, what: str) -> None:
        super().__init__(
            f"entry {entry}: {what}; nothing was imported",
            "An id names one session or check-in. Was this file edited, or written by"
            " something other than `quietwork log --json`?",
        )
        self.entry = entry


_SESSION_COLUMNS = ", ".join(queries.SessionRow._fields)
_CHECKIN_COLUMNS = ", ".join(queries.CheckinRow._fields)
_STAGE = (
    "DROP TABLE IF EXISTS temp.import_sessions",
    "DROP TABLE IF EXISTS temp.import_checkins",
    f"CREATE TEMP TABLE import_sessions (entry INTEGER, sig INTEGER, {_SESSION_COLUMNS})",
    f"CREATE TEMP TABLE import_checkins (entry INTEGER, sig INTEGER, {_CHECKIN_COLUMNS})",
)
_INDEXES = (
    "CREATE INDEX temp.import_sessions_id ON import_sessions (id)",
    "CREATE INDEX temp.import_sessions_entry ON import_sessions (entry)",
    "CREATE INDEX temp.import_checkins_id ON import_checkins (id)",
    "CREATE INDEX temp.import_checkins_entry ON import_checkins (entry)",
)
_STAGE_SESSION = "INSERT INTO temp.import_sessions VALUES ({})".format(
    ", ".join("?" * (2 + len(queries.SessionRow._fields)))
)
_STAGE_CHECKIN = "INSERT INTO temp.import_checkins VALUES ({})".format(
    ", ".join("?" * (2 + len(queries.CheckinRow._fields)))
)

# The checks, each the first (entry, message) it finds. A session that the file shows
# running may since have ended (or been marked interrupted, as an imported running one is).
_SAME_SESSION = """
    m.practice IS t.practice AND m.started_at IS t.started_at
    AND ((m.status IS t.status AND m.stop_reason IS t.stop_reason AND m.ended_at IS t.ended_at)
         OR (t.status = 'running' AND m.status IN ('running', 'interrupted')
             AND m.ended_at IS NULL))
"""
_SAME_CHECKIN = """
    m.session_id IS t.session_id AND m.phase IS t.phase AND m.at IS t.at
    AND m.distress IS t.distress AND m.state IS t.state AND m.body IS t.body
    AND m.noticed IS t.noticed AND m.note IS t.note AND m.area IS t.area
"""
_CHECKS = (
    (
        "SELECT max(entry), 'the session id ' || quote(id) || ' is also entry '"
        " || min(entry) || ', with other content' FROM temp.import_sessions"
        " GROUP BY id HAVING min(sig) <> max(sig) ORDER BY 1 LIMIT 1"
    ),
    (
        "SELECT max(entry), 'the check-in id ' || quote(id) || ' is also in entry '"
        " || min(entry) || ', with other content' FROM temp.import_checkins"
        " GROUP BY id HAVING min(sig) <> max(sig) ORDER BY 1 LIMIT 1"
    ),
    (
        "SELECT t.entry, 'the log already has a session ' || quote(t.id) || ' that differs'"
        " FROM temp.import_sessions AS t JOIN main.sessions AS m ON m.id = t.id"
        f" WHERE NOT ({_SAME_SESSION}) ORDER BY 1 LIMIT 1"
    ),
    (
        "SELECT t.entry, 'the log already has a check-in ' || quote(t.id)"
        " || CASE WHEN m.session_id IS t.session_id THEN ' that differs'"
        " ELSE ' that belongs elsewhere' END"
        " FROM temp.import_checkins AS t JOIN main.checkins AS m ON m.id = t.id"
        f" WHERE NOT ({_SAME_CHECKIN}) ORDER BY 1 LIMIT 1"
    ),
    (
        "SELECT t.entry, 'the session ' || quote(t.session_id) || ' in the log has no check-in '"
        " || quote(t.id) FROM temp.import_checkins AS t"
        " JOIN main.sessions AS m ON m.id = t.session_id"
        " WHERE NOT EXISTS (SELECT 1 FROM main.checkins AS x WHERE x.id = t.id)"
        " ORDER BY 1 LIMIT 1"
    ),
    (
        "SELECT t.entry, 'the session ' || quote(t.id) || ' in the log has a check-in '"
        " || quote(m.id) || ' that this entry lacks'"
        " FROM temp.import_sessions AS t JOIN main.checkins AS m ON m.session_id = t.id"
        " WHERE NOT EXISTS (SELECT 1 FROM temp.import_checkins AS x WHERE x.id = m.id)"
        " ORDER BY 1 LIMIT 1"
    ),
)
_MERGE_SESSIONS = (
    f"INSERT OR IGNORE INTO main.sessions ({_SESSION_COLUMNS})"
    f" SELECT {_SESSION_COLUMNS} FROM temp.import_sessions WHERE entry BETWEEN ? AND ?"
    " ORDER BY entry"
)
_MERGE_CHECKINS = (
    f"INSERT OR IGNORE INTO main.checkins ({_CHECKIN_COLUMNS})"
    f" SELECT {_CHECKIN_COLUMNS} FROM temp.import_checkins WHERE entry BETWEEN ? AND ?"
    " AND session_id IS {which} ORDER BY entry"
)
Write = Callable[[], contextlib.AbstractContextManager[None]]


def merge(
    execute: Execute, executemany: Execute, write: Write, entries: Iterable[Mapping[str, Any]]
) -> tuple[int, int]:
    """Stage, check and merge validated entries; (added, already there)."""
    for statement in _STAGE:
        execute(statement)
    try:
        count, twice = _stage(execute, executemany, entries)
        for statement in _INDEXES:
            execute(statement)
        # The file's own duplicates are looked for in SQL only if any id came twice.
        checks = _CHECKS if twice else _CHECKS[2:]
        for check in checks:
            found = execute(check).fetchone()
            if found is not None:
                raise ImportConflict(int(found[0]), str(found[1]))
        added = 0
        for first in range(1, count + 1, MERGE_BATCH):
            last = first + MERGE_BATCH - 1
            with write():
                added += execute(_MERGE_SESSIONS, (first, last)).rowcount
                execute(_MERGE_CHECKINS.format(which="NOT NULL"), (first, last))
                added += execute(_MERGE_CHECKINS.format(which="NULL"), (first, last)).rowcount
        return added, count - added
    finally:
        for statement in _STAGE[:2]:
            with contextlib.suppress(Exception):
                execute(statement)


def _stage(
    execute: Execute, executemany: Execute, entries: Iterable[Mapping[str, Any]]
) -> tuple[int, bool]:
    """Every entry as rows in the temporary tables, with its number and a signature.

    Returns the number of entries, and whether any id may occur twice in the file (seen
    by hash: a collision only costs the exact check in SQL).
    """
    count = 0
    seen: set[int] = set()
    twice = False
    execute("BEGIN")  # the temporary tables only: the log is not locked
    try:
        for batch in _batches(iter(entries), STAGE_BATCH):
            sessions: list[tuple[Any, ...]] = []
            checkins: list[tuple[Any, ...]] = []
            for entry in batch:
                count += 1
                session, rows = queries.entry_rows(entry)
                if session is not None:
                    sessions.append((count, hash((session, tuple(rows))), *session))
                    twice = twice or _again(seen, ("s", session.id))
                for row in rows:
                    checkins.append((count, hash(row), *row))
                    twice = twice or _again(seen, row.id)
            executemany(_STAGE_SESSION, sessions)
            executemany(_STAGE_CHECKIN, checkins)
        execute("COMMIT")
    except BaseException:
        with contextlib.suppress(Exception):
            execute("ROLLBACK")
        raise
    return count, twice


def _again(seen: set[int], key: object) -> bool:
    value = hash(key)
    if value in seen:
        return True
    seen.add(value)
    return False


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(itertools.islice(items, size)):
        yield batch
