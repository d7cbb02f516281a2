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
from quietwork.localtime import utc_key
from quietwork.queries import json_list

STAGE_BATCH = 2000  # entries turned into rows and staged at a time
# Entries copied into the log per transaction. Every commit writes each page it changed to
# the WAL, and random ids spread a batch over most pages of the id indexes: fewer, larger
# batches write far less (200,000 entries: about 3 s less at 20,000 than at 5,000, and
# 0.6-1.8 s of CPU less again at 50,000). A batch holds the log's write lock for about a
# second here: a `checkin` meanwhile waited 1.2 s at worst, inside its 5 s busy timeout.
MERGE_BATCH = 50_000


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


# A session row as imported (the columns `log --json` gives, and the UTC sort key).
_SESSION_FIELDS = ("id", "practice", "status", "stop_reason", "started_at", "started_utc",
                   "ended_at")
_SESSION_COLUMNS = ", ".join(_SESSION_FIELDS)
_CHECKIN_COLUMNS = ", ".join(queries.CheckinRow._fields)
_STAGE = (
    "DROP TABLE IF EXISTS temp.import_sessions",
    "DROP TABLE IF EXISTS temp.import_checkins",
    # n numbers the rows in file order (the rowid itself): a batch to merge is a range of
    # it, read straight from the table without an index.
    "CREATE TEMP TABLE import_sessions"
    f" (n INTEGER PRIMARY KEY, entry INTEGER, sig INTEGER, {_SESSION_COLUMNS})",
    "CREATE TEMP TABLE import_checkins"
    f" (n INTEGER PRIMARY KEY, entry INTEGER, sig INTEGER, {_CHECKIN_COLUMNS}, session_utc)",
)
_STAGE_SESSION = "INSERT INTO temp.import_sessions VALUES ({})".format(
    ", ".join("?" * (3 + len(_SESSION_FIELDS)))
)
_STAGE_CHECKIN = "INSERT INTO temp.import_checkins VALUES ({})".format(
    ", ".join("?" * (4 + len(queries.CheckinRow._fields)))
)

_SESSIONS_IN_LOG = (
    "SELECT 1 FROM temp.import_sessions AS t JOIN main.sessions AS m ON m.id = t.id LIMIT 1"
)
_CHECKIN_INDEX = "CREATE INDEX temp.import_checkins_id ON import_checkins (id)"

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
    f" SELECT {_SESSION_COLUMNS} FROM temp.import_sessions WHERE n BETWEEN ? AND ? ORDER BY n"
)
_MERGE_CHECKINS = (
    f"INSERT OR IGNORE INTO main.checkins ({_CHECKIN_COLUMNS}, session_utc)"
    f" SELECT {_CHECKIN_COLUMNS}, session_utc FROM temp.import_checkins WHERE n BETWEEN ? AND ?"
    " AND session_id IS {which} ORDER BY n"
)
Write = Callable[[], contextlib.AbstractContextManager[None]]


def merge(
    execute: Execute, executemany: Execute, write: Write, entries: Iterable[Mapping[str, Any]]
) -> tuple[int, int]:
    """Stage, check and merge validated entries; (added, already there).

    The staging tables are left to the connection: they are dropped with it (and before
    staging again on the same connection).
    """
    for statement in _STAGE:
        execute(statement)
    count, twice, ends = _stage(execute, executemany, entries)
    # The file's own duplicates are looked for in SQL only if any id came twice. The
    # checks against the log go from each staged row to the log's own id indexes; only
    # the last looks staged check-ins up by id, for the sessions the log already has.
    if execute(_SESSIONS_IN_LOG).fetchone() is not None:
        execute(_CHECKIN_INDEX)
    checks = _CHECKS if twice else _CHECKS[2:]
    for check in checks:
        found = execute(check).fetchone()
        if found is not None:
            raise ImportConflict(int(found[0]), str(found[1]))
    added = 0
    for (sessions_before, checkins_before), (sessions, checkins) in itertools.pairwise(ends):
        in_batch = (sessions_before + 1, sessions), (checkins_before + 1, checkins)
        with write():
            added += execute(_MERGE_SESSIONS, in_batch[0]).rowcount
            execute(_MERGE_CHECKINS.format(which="NOT NULL"), in_batch[1])
            added += execute(_MERGE_CHECKINS.format(which="NULL"), in_batch[1]).rowcount
    return added, count - added


def _stage(
    execute: Execute, executemany: Execute, entries: Iterable[Mapping[str, Any]]
) -> tuple[int, bool, list[tuple[int, int]]]:
    """Every entry as rows in the temporary tables, with its number and a signature.

    Returns the number of entries; whether any id may occur twice in the file (seen by
    hash: a collision only costs the exact check in SQL); and the rows (sessions,
    check-ins) staged before each batch of MERGE_BATCH entries and at the end.
    """
    count = 0
    seen: set[int] = set()  # hashes of ids: fewer than the ids staged means one came twice
    ends = [(0, 0)]
    staged_sessions = staged_checkins = 0
    rows = _Rows()
    execute("BEGIN")  # the temporary tables only: the log is not locked
    try:
        for batch in _batches(iter(entries), STAGE_BATCH):
            sessions: list[tuple[Any, ...]] = []
            checkins: list[tuple[Any, ...]] = []
            for entry in batch:
                count += 1
                session, nested = rows.of(entry)
                session_utc = None  # the session's sort key on its check-ins (m003)
                if session is not None:
                    session_utc = session[5]
                    staged_sessions += 1
                    sessions.append(
                        (staged_sessions, count, hash((session, *nested)), *session))
                    seen.add(hash(("s", session[0])))
                for row in nested:
                    staged_checkins += 1
                    checkins.append((staged_checkins, count, hash(row), *row, session_utc))
                    seen.add(hash(row[0]))
                if count % MERGE_BATCH == 0:
                    ends.append((staged_sessions, staged_checkins))
            executemany(_STAGE_SESSION, sessions)
            executemany(_STAGE_CHECKIN, checkins)
        execute("COMMIT")
        if ends[-1] != (staged_sessions, staged_checkins):
            ends.append((staged_sessions, staged_checkins))
    except BaseException:
        with contextlib.suppress(Exception):
            execute("ROLLBACK")
        raise
    return count, len(seen) < staged_sessions + staged_checkins, ends


class _Rows:
    """Validated entries as rows: (the session's, or None for a standalone check-in; check-ins').

    Optional keys may be missing: they count as null, or [] for lists. The UTC sort keys
    of the last stamps met are kept (a session's start is usually its first check-in's).
    """

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def key(self, stamp: str) -> str:
        key = self._keys.get(stamp)
        if key is None:
            if len(self._keys) >= 4096:
                self._keys.clear()
            key = self._keys[stamp] = utc_key(stamp)
        return key

    def of(self, entry: Mapping[str, Any]) -> tuple[tuple[Any, ...] | None, list[tuple[Any, ...]]]:
        key = self.key
        if entry["kind"] != "session":
            return None, [self.checkin(entry, None, "standalone")]
        session_id = entry["id"]
        started = entry["started_at"]
        session = (session_id, entry["practice"], entry["status"], entry.get("stop_reason"),
                   started, key(started), entry.get("ended_at"))
        return session, [self.checkin(c, session_id, c["phase"]) for c in entry.get("checkins", ())]

    def checkin(self, checkin: Mapping[str, Any], session_id: str | None, phase: str
                ) -> tuple[Any, ...]:
        """A checkins row, in the column order of queries.CheckinRow."""
        at = checkin["at"]
        get = checkin.get
        body, noticed = get("body"), get("noticed")
        return (checkin["id"], session_id, phase, at, self.key(at), get("distress"),
                get("state"), json_list(body) if body else "[]",
                json_list(noticed) if noticed else "[]", get("note"), get("area"))


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(itertools.islice(items, size)):
        yield batch
