"""The session and check-in rows a Store wrote: written again as upserts, or kept aside.

A Store keeps every row it wrote (see keeping.py), so that it can give them all to a log
file that replaced the one it wrote into, and so that rows a locked log would not take
are kept in a file beside it, as `log --json` entries that `quietwork import` takes.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from quietwork import logfile, paths, queries

Key = tuple[str, str]  # (table, id)
Row = dict[str, object]

COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": ("id", "practice", "source", "status", "stop_reason", "started_at",
                 "started_utc", "ended_at", "pid", "host"),
    "checkins": queries.CheckinRow._fields,
}
# Tables and columns come from the fixed lists above, never from the caller.
# A check-in also gets its session's sort key, `session_utc` (migration m003), looked up
# by its session_id: `upsert` writes the session first, in the same transaction.
_EXTRA: dict[str, dict[str, str]] = {"sessions": {}, "checkins": {
    "session_utc": "(SELECT started_utc FROM sessions WHERE id ="
    f" ?{COLUMNS['checkins'].index('session_id') + 1})"}}
_UPSERT = {
    table: f"INSERT INTO {table} ({', '.join((*columns, *_EXTRA[table]))})"
    f" VALUES ({', '.join(('?',) * len(columns) + tuple(_EXTRA[table].values()))})"
    " ON CONFLICT(id) DO UPDATE SET"
    f" {', '.join(f'{c} = excluded.{c}' for c in (*columns[1:], *_EXTRA[table]))}"
    for table, columns in COLUMNS.items()
}


def upsert(conn: sqlite3.Connection, rows: Sequence[tuple[Key, Row]]) -> None:
    """Insert or update `rows`, sessions before the check-ins that refer to them."""
    for table, columns in COLUMNS.items():
        values = [tuple(row[c] for c in columns) for key, row in rows if key[0] == table]
        if values:
            conn.executemany(_UPSERT[table], values)


def keep_beside(log: Path, rows: Mapping[Key, Row], pending: Collection[Key],
                into: Path | None = None) -> Path | None:
    """The `pending` rows as `log --json` entries in a new file beside `log` (or in place
    of `into`, whole: its old content or the new); its path.

    Each session goes whole (with every check-in of it that is known), so that the file
    imports on its own. None when the file cannot be written either.
    """
    sessions = {key[1] for key in pending if key[0] == "sessions"}
    sessions |= {str(rows[key]["session_id"]) for key in pending
                 if key[0] == "checkins" and rows[key]["session_id"] is not None}

    def wanted(key: Key, row: Row) -> bool:
        if key[0] == "sessions":
            return key[1] in sessions
        return key in pending or row["session_id"] in sessions

    memory = logfile.empty_log()
    try:
        upsert(memory, [(key, row) for key, row in rows.items() if wanted(key, row)])
        kept = queries.entries(
            lambda sql, params: memory.execute(sql, params).fetchall(),
            limit=None, since=None, practice=None,
        )
    finally:
        memory.close()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = into or log.parent / f"unsaved-{stamp}-{uuid.uuid4().hex[:6]}.json"
    try:
        paths.make_private_dirs(path.parent)
        paths.replace_file(path, json.dumps(kept, ensure_ascii=False, indent=2) + "\n")
    except OSError:
        return None
    return path
