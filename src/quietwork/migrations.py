"""The log's schema as named, append-only migrations (applied by `store.Store.open`).

Never edit or reorder a migration that has shipped: add a new one at the end. A database
records each applied name in `_migrations`, so a name this list does not know means the
database was written by a newer quietwork.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Execute(Protocol):
    """Runs one SQL statement inside the migration's transaction."""

    def __call__(self, sql: str, /) -> object: ...


Migration = Callable[[Execute], None]

MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Append `fn` to MIGRATIONS; its name (`m001_…`) is what the database records."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_sessions_checkins_anchors(execute: Execute) -> None:
    # *_utc columns are sort keys: local timestamps with different offsets (travel, DST,
    # an import from another machine) do not sort correctly as text. distress_before and
    # distress_after repeat the session's first `before` and last `after` rating so that
    # `stats` is one indexed scan of sessions instead of two look-ups per session.
    execute(
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            practice TEXT NOT NULL,
            source TEXT,
            status TEXT NOT NULL,
            stop_reason TEXT,
            started_at TEXT NOT NULL,
            started_utc TEXT NOT NULL,
            ended_at TEXT,
            distress_before INTEGER,
            distress_after INTEGER,
            pid INTEGER,
            host TEXT
        )
        """
    )
    execute(
        """
        CREATE TABLE checkins (
            id TEXT PRIMARY KEY,
            session_id TEXT REFERENCES sessions(id),
            phase TEXT NOT NULL,
            at TEXT NOT NULL,
            at_utc TEXT NOT NULL,
            distress INTEGER CHECK (distress BETWEEN 0 AND 10),
            state TEXT,
            body TEXT NOT NULL DEFAULT '[]',
            noticed TEXT NOT NULL DEFAULT '[]',
            note TEXT,
            area TEXT
        )
        """
    )
    execute(
        """
        CREATE TABLE anchors (
            level INTEGER PRIMARY KEY CHECK (level BETWEEN 0 AND 10),
            text TEXT NOT NULL
        )
        """
    )
    # `log` pages newest first; `stats` and `--since` select by local date (a prefix of
    # started_at / at); the stale-session check looks only at running sessions.
    execute("CREATE INDEX sessions_by_time ON sessions(started_utc)")
    execute(
        "CREATE INDEX sessions_by_local_time ON sessions"
        "(started_at, practice, status, distress_before, distress_after)"
    )
    execute("CREATE INDEX sessions_running ON sessions(status) WHERE status = 'running'")
    execute("CREATE INDEX checkins_by_session ON checkins(session_id, at_utc)")
    execute("CREATE INDEX standalone_by_time ON checkins(at_utc) WHERE session_id IS NULL")
    execute("CREATE INDEX standalone_by_local_time ON checkins(at) WHERE session_id IS NULL")


@migration
def m002_drop_unread_local_time_indexes(execute: Execute) -> None:
    # Nothing reads the log by local time: `log`, `stats`, `report`, `forget` and the
    # export all select and sort by the UTC keys (started_utc, at_utc). These two
    # indexes only cost every write; an import of 200,000 sessions spent about a second
    # of CPU keeping sessions_by_local_time alone. (distress_before and distress_after,
    # in that index, are no longer written either: `stats` counts the check-ins.)
    execute("DROP INDEX IF EXISTS sessions_by_local_time")
    execute("DROP INDEX IF EXISTS standalone_by_local_time")


@migration
def m003_checkins_session_utc(execute: Execute) -> None:
    # A nested check-in keeps its session's sort key (started_utc; NULL for a standalone
    # one), so that an export reads the check-ins in storage order and lets SQLite's
    # sorter put them in the sessions' order: looking each session's check-ins up in
    # checkins_by_session (random ids) missed the page cache on nearly every session of
    # a long log (docs/performance.md, "Round 3b"). No index on it: an export reads it
    # through the sorter, and every index costs each import. One UPDATE: the migration's
    # transaction makes the backfill all or nothing.
    execute("ALTER TABLE checkins ADD COLUMN session_utc TEXT")
    execute(
        "UPDATE checkins SET session_utc ="
        " (SELECT started_utc FROM sessions WHERE sessions.id = checkins.session_id)"
        " WHERE session_id IS NOT NULL"
    )
