"""The log: one private SQLite file, migrated on open, one short transaction per write.

store.py, logfile.py and rows.py alone import sqlite3. Every sqlite3 error leaves as a
StoreError naming the file; nothing is ever half-written, and a file that is not ours,
or is newer than this code, is never written to.

A Store keeps in memory every session and check-in row it wrote, so that an answer once
given reaches the log whatever happens to the file meanwhile:

- no connection stays open between writes; each one writes into the file now at the
  path, and when that is another file than before (the log was replaced, moved or
  deleted), that file is prepared and first given every row this Store wrote;
- a write that cannot get the lock at once (another program holds it) stays pending
  and goes with the next write; `close` waits for the last ones, and what still cannot
  be written is kept in a file beside the log that `quietwork import` takes.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

from quietwork import clock, logfile, output, queries, rows, running
from quietwork.errors import StoreError
from quietwork.rows import Key, Row
from quietwork.vocabulary import RecordedPhase, Status, StopReason

T = TypeVar("T")
Phase = RecordedPhase | Literal["standalone"]  # standalone: a check-in outside a practice

# A write during a practice waits this long for a lock before it goes on pending; the
# practice goes on meanwhile. A command's own write (and the last of a practice, at
# `close`) waits up to WAIT_SECONDS, saying so after a second; Ctrl-C ends the wait.
TRY_SECONDS = 0.5
WAIT_SECONDS = 120.0
# A bulk import inserts along random ids: SQLite's default 2 MB page cache made it superlinear.
IMPORT_CACHE_KIB = 64 * 1024

_INSERT_CHECKIN = """
INSERT OR IGNORE INTO checkins
    (id, session_id, phase, at, at_utc, distress, state, body, noticed, note, area)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_IMPORT_SESSION = """
INSERT OR IGNORE INTO sessions (id, practice, status, stop_reason, started_at, started_utc,
    ended_at, distress_before, distress_after)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_REPLACED_TRIES = 5


class Store:
    """The log at one path. Use `Store.open(path)`; close it, or use it as a context manager."""

    def __init__(
        self, path: Path, now: Callable[[], datetime] | None,
        on_wait: Callable[[], None] | None,
    ) -> None:
        self._path = path
        self._now = now or clock.now
        self._host = socket.gethostname()
        self._on_wait = on_wait or self._say_waiting
        self._file: logfile.Identity | None = None  # the file the rows were written into
        self._rows: dict[Key, Row] = {}  # every session and check-in this Store wrote
        self._pending: dict[Key, None] = {}  # those not in the file yet (ordered)
        self.replaced = False  # the log was replaced, moved or deleted while open
        self._held: dict[str, running.Held | None] = {}  # the practices running here
        self._read_only = False

    @classmethod
    def open(
        cls, path: Path, *, now: Callable[[], datetime] | None = None,
        on_wait: Callable[[], None] | None = None, read_only: bool = False,
    ) -> Store:
        """Open (creating and migrating as needed) the log at `path`.

        `read_only` is for commands that only read: nothing is created or migrated, and
        the log can be read in a read-only folder or on a full disk.
        """
        store = cls(Path(path), now, on_wait)
        store._read_only = read_only
        if not read_only:
            store._file = logfile.retrying(
                store._path, "open", WAIT_SECONDS, lambda: logfile.prepare(store._path),
                store._on_wait,
            )
        store._mark_interrupted()
        return store

    def close(self) -> None:
        """Write what is pending, waiting for a lock if need be; safe to call twice."""
        self._close(WAIT_SECONDS)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
            return
        # Something else ends the command: no long wait now, and nothing replaces it.
        try:
            self._close(TRY_SECONDS)
        except StoreError as error:
            output.warn(f"{error.message}. {error.hint or ''}".strip())

    def start_session(self, practice: str, *, source: str | None = None) -> str:
        """Record a practice as running (with this process and host); return its id."""
        session_id = str(uuid.uuid4())
        at, at_utc = self._stamp()
        row: Row = dict.fromkeys(rows.COLUMNS["sessions"])
        row.update(id=session_id, practice=practice, source=source, status="running",
                   started_at=at, started_utc=at_utc, pid=os.getpid(), host=self._host)
        # Held until the end is recorded: the OS lets it go when this process ends.
        self._held[session_id] = running.hold(self._path.parent, session_id)
        try:
            self._change({("sessions", session_id): row})
        except BaseException:
            self._release(session_id)
            raise
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
        row = queries.checkin_row(checkin, session_id, phase)._replace(at_utc=at_utc)
        changes: dict[Key, Row] = {("checkins", checkin_id): dict(row._asdict())}
        if session_id is not None:
            session = self._own("sessions", session_id)
            # A session's first `before` and last `after` rating, kept on it for `stats`.
            if phase == "before" and distress is not None and session["distress_before"] is None:
                changes[("sessions", session_id)] = {"distress_before": distress}
            elif phase == "after" and distress is not None:
                changes[("sessions", session_id)] = {"distress_after": distress}
        self._change(changes)
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
        given: Row = {}
        if state is not None:
            given["state"] = state
        if body is not None:
            given["body"] = queries.json_list(body)
        if noticed is not None:
            given["noticed"] = queries.json_list(noticed)
        if note is not None:
            given["note"] = note
        self._own("checkins", checkin_id)
        if given:
            self._change({("checkins", checkin_id): given})

    def finish_session(
        self, session_id: str, status: Status, stop_reason: StopReason | None = None
    ) -> None:
        """Record how a session ended."""
        if status == "running":
            raise ValueError("a finished session is not running")
        self._own("sessions", session_id)
        ended: Row = {"status": status, "stop_reason": stop_reason, "ended_at": self._stamp()[0]}
        self._change({("sessions", session_id): ended})
        if ("sessions", session_id) not in self._pending:
            self._release(session_id)

    def entries(
        self, *, limit: int | None = None, since: date | None = None, practice: str | None = None
    ) -> list[dict[str, Any]]:
        """The `log --json` entries, newest first (stale sessions were marked at open)."""
        return self._read(
            lambda select: queries.entries(select, limit=limit, since=since, practice=practice)
        )

    def each_entry(
        self, *, limit: int | None = None, since: date | None = None, practice: str | None = None
    ) -> Generator[dict[str, Any], None, None]:
        """The entries of `entries`, streamed from one read snapshot (a long log, exported)."""
        if self._pending:  # what this Store wrote is part of what it reads
            with contextlib.suppress(logfile.LogBusy):
                self._write(lambda conn: None, TRY_SECONDS)
        with (
            self._reading() as conn,
            logfile.sqlite_errors(self._path, "read"),
            logfile.transaction(conn, "BEGIN"),
        ):
            yield from queries.each_entry(
                conn.execute, limit=limit, since=since, practice=practice
            )

    def stats(self, *, days: int = 30, today: date | None = None) -> dict[str, Any]:
        """The `stats --json` object over the last `days` days, today included."""
        day, until = self._window_end(today)
        return self._read(lambda select: queries.stats(select, days=days, today=day, until=until))

    def report(self, *, days: int = 30, today: date | None = None) -> dict[str, Any]:
        """What `report` shows over the last `days` days: stats, check-ins and notes."""
        day, until = self._window_end(today)
        return self._read(
            lambda select: queries.report(select, days=days, today=day, until=until)
        )

    def _window_end(self, today: date | None) -> tuple[date, str]:
        """The last day of a window and the UTC key it ends at.

        A window ends now (an entry dated in the future is in no window yet); one over
        another day ends with that day.
        """
        now = self._local_now()
        if today is None or today == now.date():
            return now.date(), queries.utc_key(now)
        return today, queries.utc_key(datetime.combine(today, dt_time.max).astimezone())

    def import_entries(self, entries: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
        """Merge validated `log --json` entries; (added, already there).

        All or nothing for the file's content: entries are staged and checked first (an id
        that names something else is an ImportConflict, and nothing is merged); then they
        go in by batches, each its own transaction, so other writers get their turn. One
        connection serves the whole import (the staging tables live in it).
        """
        from quietwork import merging

        self._write(lambda conn: None, WAIT_SECONDS)  # the file at the path, ready

        with self._connection() as (conn, _file), logfile.sqlite_errors(self._path, "write to"):
            conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")

            @contextlib.contextmanager
            def batch() -> Iterator[None]:
                logfile.retrying(self._path, "write to", WAIT_SECONDS,
                                 lambda: conn.execute("BEGIN IMMEDIATE"), self._on_wait)
                with logfile.transaction_begun(conn):
                    yield

            added, present = merging.merge(conn.execute, conn.executemany, batch, entries)
        self._mark_interrupted()  # an imported `running` session can never finish here
        return added, present

    def forget_counts(self, before: str | None) -> tuple[int, int, int]:
        """What `forget` would delete: (sessions, their check-ins, standalone check-ins)."""
        return self._read(lambda select: queries.forget_counts(select, before))

    def forget(self, before: str | None) -> bool:
        """Delete what came before a UTC key (everything when None), leaving none of it readable.

        One transaction deletes the finished sessions started before it, with all their
        check-ins, and the standalone check-ins before it (a practice running in another
        terminal is left alone). secure_delete zeroes what is deleted, VACUUM rebuilds the
        file, and a TRUNCATE checkpoint empties the WAL. False when another connection kept
        the checkpoint from finishing (what was deleted may stay in the file until it closes).
        """

        def delete(conn: sqlite3.Connection) -> None:
            conn.execute("PRAGMA secure_delete = ON")
            for sql, params in queries.forget_statements(before):
                conn.execute(sql, params)

        self._write(delete, WAIT_SECONDS)

        def rebuild() -> bool:
            with self._connection() as (conn, _file):
                conn.execute("PRAGMA secure_delete = ON")
                conn.execute("VACUUM")
                busy, *_ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                return not busy

        return logfile.retrying(self._path, "forget in", WAIT_SECONDS, rebuild, self._on_wait)

    def anchors(self) -> dict[int, str]:
        """The person's own words for distress levels (0, 5, 10)."""
        query = "SELECT level, text FROM anchors ORDER BY level"
        found = self._read(lambda select: select(query, {}))
        return {int(level): str(text) for level, text in found}

    def set_anchors(self, anchors: Mapping[int, str]) -> None:
        """Replace all anchors with `anchors` (a level left out is cleared)."""

        def replace(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM anchors")
            conn.executemany("INSERT INTO anchors (level, text) VALUES (?, ?)", anchors.items())

        self._write(replace, WAIT_SECONDS)

    def _local_now(self) -> datetime:
        moment = self._now()
        # A naive datetime is local time; an aware one keeps the offset it was given.
        return moment.astimezone() if moment.tzinfo is None else moment

    def _stamp(self) -> tuple[str, str]:
        """Now, as (local ISO 8601 with its offset, UTC sort key)."""
        moment = self._local_now()
        # The key keeps the microseconds the shown time drops, so that entries written
        # within one second still sort in the order they were written.
        return moment.isoformat(timespec="seconds"), queries.utc_key(moment)

    def _own(self, table: str, row_id: str) -> Row:
        """The row as this Store knows it, read from the log if another one wrote it."""
        key = (table, row_id)
        if key not in self._rows:
            columns = rows.COLUMNS[table]
            query = f"SELECT {', '.join(columns)} FROM {table} WHERE id = :id"
            found = self._read(lambda select: select(query, {"id": row_id}))
            if not found:
                raise ValueError(f"no {'session' if table == 'sessions' else 'check-in'} {row_id}")
            self._rows[key] = dict(zip(columns, found[0], strict=True))
        return self._rows[key]

    def _change(self, changes: Mapping[Key, Row]) -> None:
        """Apply `changes` to the rows and write them now, or keep them pending while locked.

        Any other failure is reported at once, and the change is undone as if never made.
        """
        before = {key: (self._rows.get(key), key in self._pending) for key in changes}
        # Once a lock has made a write wait, the next ones try once: the practice goes on.
        wait = 0.0 if self._pending else TRY_SECONDS
        for key, values in changes.items():
            self._rows[key] = {**self._rows.get(key, {}), **values}
            self._pending[key] = None
        try:
            self._write(lambda conn: None, wait)
        except logfile.LogBusy:
            return  # pending: written with the next write, or at close
        except StoreError:
            for key, (row, pending) in before.items():
                if row is None:
                    self._rows.pop(key, None)
                else:
                    self._rows[key] = row
                if not pending:
                    self._pending.pop(key, None)
            raise

    def _release(self, session_id: str) -> None:
        held = self._held.pop(session_id, None)
        if held is not None:
            held.release()

    def _close(self, wait: float) -> None:
        try:
            self._write_the_rest(wait)
        finally:
            for session_id in list(self._held):
                self._release(session_id)

    def _write_the_rest(self, wait: float) -> None:
        try:
            if self._pending:
                with _signals_end_the_wait():
                    self._write(lambda conn: None, wait)
        except BaseException as error:
            kept = rows.keep_beside(self._path, self._rows, self._pending)
            self._pending.clear()
            answers = f"your answers could not be written to {self._path}"
            where = (f"They are kept in {kept}; 'quietwork import {kept}' adds them to the log."
                     if kept else "They could not be kept beside it either.")
            if not isinstance(error, StoreError):  # Ctrl-C or a signal ended the wait
                output.warn(f"{answers}. {where}")
                raise
            reason = ("it stayed locked by another program"
                      if isinstance(error, logfile.LogBusy) else error.message)
            raise StoreError(f"{answers}: {reason}", where) from error
        if self.replaced:
            self.replaced = False
            output.warn(
                f"the log at {self._path} was replaced, moved or deleted while quietwork"
                " was using it; what was recorded is now in the file at that path"
            )

    def _write(self, work: Callable[[sqlite3.Connection], T], wait: float) -> T:
        """`work`, with every pending row, in one write transaction on the file at the path."""
        return logfile.retrying(
            self._path, "write to", wait, lambda: self._write_once(work), self._on_wait
        )

    def _write_once(self, work: Callable[[sqlite3.Connection], T]) -> T:
        for _ in range(_REPLACED_TRIES):
            with self._connection() as (conn, file), logfile.transaction(conn, "BEGIN IMMEDIATE"):
                rows.upsert(conn, [(key, self._rows[key]) for key in self._pending])
                result = work(conn)
            if logfile.identity(self._path) == file:
                self._pending.clear()
                return result
            self._file = None  # replaced while written: again, into the file there now
        raise StoreError(f"cannot write to {self._path}: it is replaced again and again")

    def _read(self, work: Callable[[queries.Select], T]) -> T:
        """`work` over one snapshot of the file at the path."""
        if self._pending:  # what this Store wrote is part of what it reads
            with contextlib.suppress(logfile.LogBusy):
                self._write(lambda conn: None, TRY_SECONDS)

        def once() -> T:
            with self._reading() as conn, logfile.transaction(conn, "BEGIN"):
                return work(lambda sql, params: conn.execute(sql, params).fetchall())

        return logfile.retrying(self._path, "read", WAIT_SECONDS, once, self._on_wait)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading: read-only ones never write to the file, nor create it."""
        if not self._read_only:
            with self._connection() as (conn, _file):
                yield conn
            return
        reader = logfile.connect_read_only(self._path)
        if reader is None:  # a log an older quietwork wrote: it is brought up to date first
            self._read_only = False
            with self._reading() as writable:
                yield writable
            return
        try:
            yield reader
        finally:
            reader.close()

    @contextlib.contextmanager
    def _connection(self) -> Iterator[tuple[sqlite3.Connection, logfile.Identity]]:
        """A connection to the file at the path; a new file there first gets our rows."""
        file = logfile.identity(self._path)
        if file is None or file != self._file:
            if self._file is not None or self._rows:
                self.replaced = True
            # Pending first: if the file there now is refused, they are kept aside at close.
            self._pending.update(dict.fromkeys(self._rows))
            self._file = None
            file = logfile.prepare(self._path)
            self._file = file
        conn = logfile.connect(self._path)
        try:
            if logfile.identity(self._path) != file:
                raise logfile.LogBusy(f"cannot open {self._path}: it was replaced just now")
            yield conn, file
        finally:
            conn.close()

    def _say_waiting(self) -> None:
        output.note(
            f"Waiting for {self._path}: another program is using it (Ctrl-C stops waiting)."
        )

    def _mark_interrupted(self) -> None:
        """Report as interrupted the running sessions whose process is gone."""
        query = "SELECT id, pid, host FROM sessions WHERE status = 'running'"
        found = self._read(lambda select: select(query, {}))
        folder = self._path.parent
        gone = [(session_id,) for session_id, pid, host in found
                if session_id not in self._held
                and running.stale(folder, session_id, pid, host, self._host)]
        if not gone:
            return
        # When the log is locked (or, for a read, cannot be written) the next command does it.
        with contextlib.suppress(StoreError if self._read_only else logfile.LogBusy):
            self._write(
                lambda conn: conn.executemany(
                    "UPDATE sessions SET status = 'interrupted'"
                    " WHERE id = ? AND status = 'running'",
                    gone,
                ),
                TRY_SECONDS,
            )
            for (session_id,) in gone:
                running.forget(folder, session_id)


@contextlib.contextmanager
def _signals_end_the_wait() -> Iterator[None]:
    """SIGTERM and SIGHUP end a wait for the log as Ctrl-C does: what is pending is kept."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    watched = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {sig: signal.signal(sig, stop) for sig in watched}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
