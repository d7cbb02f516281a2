"""The log: one private SQLite file, migrated on open, one transaction per write.

The only module that imports sqlite3. Every sqlite3 error leaves as a StoreError naming
the file; nothing is ever half-written, and a file that is not ours, or is newer than
this code, is never written to.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from quietwork import logbook, migrations, paths
from quietwork.errors import StoreError
from quietwork.seams import RecordedPhase, Status, StopReason

Phase = RecordedPhase | Literal["standalone"]  # standalone: a check-in outside a practice

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# A bulk import inserts along random ids: SQLite's default 2 MB page cache made it superlinear.
IMPORT_CACHE_KIB = 64 * 1024
EXPORT_MMAP_BYTES = 1 << 28

_NOT_OURS_HINT = "quietwork will not change it. Move it aside, or set QUIETWORK_HOME elsewhere."
_NEWER_HINT = "Upgrade quietwork to use this log."

_INSERT_SESSION = """
INSERT INTO sessions (id, practice, source, status, started_at, started_utc, pid, host)
VALUES (?, ?, ?, 'running', ?, ?, ?, ?)
"""
_INSERT_CHECKIN = """
INSERT {or_ignore} INTO checkins
    (id, session_id, phase, at, at_utc, distress, state, body, noticed, note, area)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
# A session's first `before` and last `after` rating, kept on the session for `stats`.
_SUMMARY = {
    "before": "UPDATE sessions SET distress_before = coalesce(distress_before, ?) WHERE id = ?",
    "after": "UPDATE sessions SET distress_after = ? WHERE id = ?",
}


class Store:
    """The open log. Use `Store.open(path)`; close it, or use it as a context manager."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, now: Callable[[], datetime] | None
    ) -> None:
        self._conn = conn
        self._path = path
        self._now = now or datetime.now
        self._host = socket.gethostname()

    @classmethod
    def open(cls, path: Path, *, now: Callable[[], datetime] | None = None) -> Store:
        """Open (creating and migrating as needed) the log at `path`."""
        path = Path(path)
        _make_private_folders(path.parent)
        _create_private_file(path)
        _check_header(path)
        with _sqlite_errors(path, "open"):
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            applied = _check_ours(conn, path)
            _use_wal(conn, path)  # only now: it rewrites the file header
            with _sqlite_errors(path, "open"):
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA synchronous = NORMAL")
            _migrate(conn, path, applied)
            store = cls(conn, path, now)
            store._mark_interrupted()
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        """Close the database; safe to call twice."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start_session(self, practice: str, *, source: str | None = None) -> str:
        """Record a practice as running (with this process and host); return its id."""
        session_id = str(uuid.uuid4())
        at, at_utc = self._stamp()
        with self._write():
            self._conn.execute(
                _INSERT_SESSION,
                (session_id, practice, source, at, at_utc, os.getpid(), self._host),
            )
        return session_id

    def add_checkin(
        self,
        session_id: str | None,
        phase: Phase,
        *,
        distress: int | None = None,
        state: str | None = None,
        body: Sequence[str] = (),
        noticed: Sequence[str] = (),
        note: str | None = None,
        area: str | None = None,
    ) -> str:
        """Record one answered check-in at once; `session_id` None means a standalone one."""
        if (session_id is None) != (phase == "standalone"):
            raise ValueError("a standalone check-in has no session; any other phase has one")
        checkin_id = str(uuid.uuid4())
        at, at_utc = self._stamp()
        checkin = {
            "id": checkin_id,
            "at": at,
            "distress": distress,
            "state": state,
            "body": body,
            "noticed": noticed,
            "note": note,
            "area": area,
        }
        row = logbook.checkin_row(checkin, session_id, phase)._replace(at_utc=at_utc)
        with self._write():
            self._conn.execute(_INSERT_CHECKIN.format(or_ignore=""), row)
            if phase in _SUMMARY and distress is not None:
                self._conn.execute(_SUMMARY[phase], (distress, session_id))
        return checkin_id

    def update_checkin(
        self,
        checkin_id: str,
        *,
        state: str | None = None,
        body: Sequence[str] | None = None,
        noticed: Sequence[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Add a follow-up answer to a recorded check-in, at once; None leaves a field as it is.

        A rating is written the moment it is given and each follow-up (which way it
        leans, the body, what was noticed, a note) as its own update, so an interrupted
        check-in keeps exactly what was answered.
        """
        given: dict[str, object] = {}
        if state is not None:
            given["state"] = state
        if body is not None:
            given["body"] = logbook.json_list(body)
        if noticed is not None:
            given["noticed"] = logbook.json_list(noticed)
        if note is not None:
            given["note"] = note
        if not given:
            return
        # The column names come from the fixed list above, never from the caller.
        columns = ", ".join(f"{name} = ?" for name in given)
        with self._write():
            cursor = self._conn.execute(
                f"UPDATE checkins SET {columns} WHERE id = ?",
                (*given.values(), checkin_id),
            )
            if cursor.rowcount == 0:
                raise ValueError(f"no check-in {checkin_id}")

    def finish_session(
        self, session_id: str, status: Status, stop_reason: StopReason | None = None
    ) -> None:
        """Record how a session ended."""
        if status == "running":
            raise ValueError("a finished session is not running")
        with self._write():
            cursor = self._conn.execute(
                "UPDATE sessions SET status = ?, stop_reason = ?, ended_at = ? WHERE id = ?",
                (status, stop_reason, self._stamp()[0], session_id),
            )
            if cursor.rowcount == 0:
                raise ValueError(f"no session {session_id}")

    def entries(
        self, *, limit: int | None = None, since: date | None = None, practice: str | None = None
    ) -> list[dict[str, Any]]:
        """The `log --json` entries, newest first (stale sessions were marked at open)."""
        with self._read():
            return logbook.entries(self._select, limit=limit, since=since, practice=practice)

    def each_entry(
        self, *, limit: int | None = None, since: date | None = None, practice: str | None = None
    ) -> Generator[dict[str, Any], None, None]:
        """The entries of `entries`, streamed from one read snapshot (a long log, exported)."""
        with self._read(), _sqlite_errors(self._path, "read"):
            yield from logbook.each_entry(
                self._conn.execute, limit=limit, since=since, practice=practice
            )

    def stats(self, *, days: int = 30, today: date | None = None) -> dict[str, Any]:
        """The `stats --json` object over the last `days` days, today included."""
        if today is None:
            today = self._local_now().date()
        with self._read():
            return logbook.stats(self._select, days=days, today=today)

    def import_entries(self, entries: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
        """Merge validated `log --json` entries; (added, already there).

        All or nothing for the file's content: entries are staged and checked first (an id
        that names something else is an ImportConflict, and nothing is merged); then they
        go in by batches, each its own transaction, so other writers get their turn.
        """
        from quietwork import merging

        with _sqlite_errors(self._path, "import into"):
            self._conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
            added, present = merging.merge(
                self._conn.execute, self._conn.executemany, self._write, entries
            )
        self._mark_interrupted()  # an imported `running` session can never finish here
        return added, present

    def anchors(self) -> dict[int, str]:
        """The person's own words for distress levels (0, 5, 10)."""
        with self._read():
            rows = self._select("SELECT level, text FROM anchors ORDER BY level", {})
        return {int(level): str(text) for level, text in rows}

    def set_anchors(self, anchors: Mapping[int, str]) -> None:
        """Replace all anchors with `anchors` (a level left out is cleared)."""
        with self._write():
            self._conn.execute("DELETE FROM anchors")
            self._conn.executemany(
                "INSERT INTO anchors (level, text) VALUES (?, ?)", anchors.items()
            )

    def _local_now(self) -> datetime:
        moment = self._now()
        # A naive datetime is local time; an aware one keeps the offset it was given.
        return moment.astimezone() if moment.tzinfo is None else moment

    def _stamp(self) -> tuple[str, str]:
        """Now, as (local ISO 8601 with its offset, UTC sort key)."""
        moment = self._local_now()
        # The key keeps the microseconds the shown time drops, so that entries written
        # within one second still sort in the order they were written.
        return moment.isoformat(timespec="seconds"), logbook.utc_key(moment)

    def _select(self, sql: str, params: Mapping[str, object]) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        with _transaction(self._conn, self._path, "write to", "BEGIN IMMEDIATE"):
            yield

    @contextlib.contextmanager
    def _read(self) -> Iterator[None]:
        # A read transaction: the queries of one answer see the same snapshot.
        with _transaction(self._conn, self._path, "read", "BEGIN"):
            yield

    def _mark_interrupted(self) -> None:
        """Report as interrupted the running sessions whose process is gone."""
        with self._read():
            running = self._select(
                "SELECT id, pid, host FROM sessions WHERE status = 'running'", {}
            )
        # An imported session (no pid or host) can never finish here.
        gone = [
            (session_id,)
            for session_id, pid, host in running
            if pid is None or host is None or (host == self._host and not _alive(pid))
        ]
        if gone:
            with self._write():
                self._conn.executemany(
                    "UPDATE sessions SET status = 'interrupted'"
                    " WHERE id = ? AND status = 'running'",
                    gone,
                )


def _alive(pid: int) -> bool:
    """Whether process `pid` exists on this host."""
    if pid <= 0 or sys.platform == "win32":  # os.kill would terminate it on Windows
        return pid > 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OverflowError:
        return False
    return True


def _make_private_folders(folder: Path) -> None:
    """Create `folder` and its missing parents, readable by the owner only (0700)."""
    try:
        paths.make_private_dirs(folder)
    except OSError as error:
        raise StoreError(
            f"cannot create the folder {error.filename or folder}: {error.strerror or error}",
            hint="Check that the folder is writable, or set QUIETWORK_HOME to another folder.",
        ) from error


def _create_private_file(path: Path) -> None:
    """Create an empty `path` with mode 0600 unless it exists, so it is never world-readable."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        return
    except OSError as error:
        raise StoreError(
            f"cannot create {path}: {error.strerror or error}",
            hint="Check that the folder is writable, or set QUIETWORK_HOME to another folder.",
        ) from error
    os.close(fd)


def _check_header(path: Path) -> None:
    """Refuse, before SQLite touches it, a non-empty file that is not an SQLite database."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(
            f"cannot read {path}: {error.strerror or error}",
            hint="Check that the file is readable by you, or set QUIETWORK_HOME elsewhere.",
        ) from error
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a quietwork database (file is not a database)", _NOT_OURS_HINT
        )


def _check_ours(conn: sqlite3.Connection, path: Path) -> set[str]:
    """Read-only checks that this is a quietwork log this code may write; the applied names."""
    try:
        tables, version, applied = _read_schema(conn)
    except sqlite3.DatabaseError as error:
        if _primary_code(error) in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            raise StoreError(
                f"{path} is not a quietwork database ({error})", _NOT_OURS_HINT
            ) from error
        raise _store_error(path, "open", error) from error
    if "_migrations" not in tables and (tables or version):
        raise StoreError(
            f"{path} is not a quietwork database (it holds other tables)", _NOT_OURS_HINT
        )
    known = {step.__name__ for step in migrations.MIGRATIONS}
    if version > len(known) or not applied <= known:
        raise _newer(path)
    return applied


def _read_schema(conn: sqlite3.Connection) -> tuple[set[str], int, set[str]]:
    """The table names, user_version and applied migrations, from one snapshot."""
    # One snapshot: another quietwork may be creating the tables right now.
    conn.execute("BEGIN")
    try:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
        tables = {str(row[0]) for row in conn.execute(query)}
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        applied: set[str] = set()
        if "_migrations" in tables:
            applied = {str(row[0]) for row in conn.execute("SELECT name FROM _migrations")}
        return tables, version, applied
    finally:
        conn.execute("ROLLBACK")


def _use_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Switch the log to write-ahead logging (a no-op once it is)."""
    # Switching needs every other connection gone, and SQLite does not wait for that
    # (the busy timeout does not apply), so quietworks opening a new log at once retry.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.Error as error:
            if _primary_code(error) != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise _store_error(path, "open", error) from error
        time.sleep(0.005)


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # SQLITE_BUSY_RECOVERY → SQLITE_BUSY


def _newer(path: Path) -> StoreError:
    return StoreError(
        f"{path} was written by a newer version of quietwork; this version will not change it",
        _NEWER_HINT,
    )


def _migrate(conn: sqlite3.Connection, path: Path, applied: set[str]) -> None:
    """Apply each missing migration in its own transaction, together with its record."""
    known = {step.__name__ for step in migrations.MIGRATIONS}
    for step in migrations.MIGRATIONS:
        if step.__name__ in applied:
            continue
        with _transaction(conn, path, f"update (migration {step.__name__})", "BEGIN IMMEDIATE"):
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            # Another quietwork may have migrated since the read-only check.
            applied = {str(row[0]) for row in conn.execute("SELECT name FROM _migrations")}
            if not applied <= known:
                raise _newer(path)
            if step.__name__ in applied:
                continue
            step(conn.execute)
            now = datetime.now().astimezone().isoformat(timespec="seconds")
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (step.__name__, now)
            )
            conn.execute(f"PRAGMA user_version = {len(applied) + 1}")


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection, path: Path, doing: str, begin: str) -> Iterator[None]:
    """`begin` … COMMIT, or ROLLBACK on any error; sqlite3 errors become StoreError."""
    with _sqlite_errors(path, doing):
        conn.execute(begin)
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise


@contextlib.contextmanager
def _sqlite_errors(path: Path, doing: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise _store_error(path, doing, error) from error


def _store_error(path: Path, doing: str, error: sqlite3.Error) -> StoreError:
    code = _primary_code(error)
    if code == sqlite3.SQLITE_FULL:
        hint = "Free some disk space and try again; nothing was half-written."
    elif code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        hint = "Another quietwork kept the log busy for over 5 seconds; try again."
    elif code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        hint = "Check that the file and its folder are writable by you."
    else:
        hint = None
    return StoreError(f"cannot {doing} {path}: {error}", hint)
