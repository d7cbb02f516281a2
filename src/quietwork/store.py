"""The log: one private SQLite file, migrated on open, one short transaction per write.

store.py, keeping.py, logfile.py and rows.py alone import sqlite3. Every sqlite3 error
leaves as a StoreError naming the file; nothing is ever half-written, and a file that is
not ours, or is newer than this code, is never written to.

A Store is the log's operations (sessions, check-ins, reads, import, forget, anchors),
built on `keeping.Keeper`, which keeps in memory every row the Store wrote so that an
answer once given reaches the log whatever happens to the file meanwhile (replaced,
moved, deleted or locked).
"""

from __future__ import annotations

import contextlib
import os
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
from quietwork.keeping import TRY_SECONDS, WAIT_SECONDS, Keeper
from quietwork.rows import Key, Row
from quietwork.vocabulary import RecordedPhase, Status, StopReason

T = TypeVar("T")
Phase = RecordedPhase | Literal["standalone"]  # standalone: a check-in outside a practice

# A bulk import inserts along random ids: SQLite's default 2 MB page cache made it superlinear.
IMPORT_CACHE_KIB = 64 * 1024


class Store(Keeper):
    """The log at one path. Use `Store.open(path)`; close it, or use it as a context manager."""

    def __init__(
        self, path: Path, now: Callable[[], datetime] | None,
        on_wait: Callable[[], None] | None,
    ) -> None:
        super().__init__(path, on_wait)
        self._now = now or clock.now

    @classmethod
    def open(
        cls, path: Path, *, now: Callable[[], datetime] | None = None,
        on_wait: Callable[[], None] | None = None, read_only: bool = False,
        keep_aside: bool = False, starting: bool = False,
    ) -> Store:
        """Open (creating and migrating as needed) the log at `path`.

        `read_only` is for commands that only read: nothing is created or migrated, and
        the log can be read in a read-only folder or on a full disk.

        `keep_aside` is for the way back to calm (a practice, a check-in), which never
        refuses to run: a log that cannot be used (not a quietwork log, newer, corrupt,
        unreadable, or locked past the wait) is left untouched, what is written goes
        into a file beside it instead (keeping.py), and `close` raises KeptAside naming it.

        `starting` is for a practice, which reads and starts its session at once: the
        connection that opened the log serves them, and is closed at the first write (the
        session's, `start_session`), before anything waits for the person.
        """
        store = cls(Path(path), now, on_wait)
        store._read_only = read_only
        store._keep_aside = keep_aside
        if not read_only:
            try:
                store._file, conn = logfile.retrying(
                    store._path, "open", WAIT_SECONDS,
                    lambda: logfile.prepare_connected(store._path, settings=starting),
                    store._on_wait,
                )
            except StoreError as error:  # LogBusy too, once the wait is over
                if not keep_aside:
                    raise
                store._set_aside(error)
                return store
            # Kept only while it has written nothing (no migration): a write-ahead log
            # with frames in it must not outlive the moment, should the file be replaced.
            if starting and not conn.total_changes:
                store._opening = conn
            else:
                conn.close()
        try:
            store._mark_interrupted()
        except BaseException:
            store._let_go()
            raise
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
        finally:
            self._let_go()  # Store.open's `starting`: closed before the practice goes on
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
            self._own("sessions", session_id)  # a session this log knows (or ValueError)
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

    def page(
        self, *, limit: int, since: date | None = None, practice: str | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None, int]:
        """At most `limit` of the `entries`, the one after them (what the last of them is
        read against: the settle after a stop, and the stop), and how many there are in all;
        from one snapshot."""

        def read(select: queries.Select) -> tuple[list[dict[str, Any]], dict[str, Any] | None,
                                                  int]:
            found = queries.entries(select, limit=limit + 1, since=since, practice=practice)
            if len(found) <= limit:
                return found, None, len(found)
            total = queries.count(select, since=since, practice=practice)
            return found[:limit], found[limit], total

        return self._read(read)

    def each_entry(
        self, *, limit: int | None = None, since: date | None = None, practice: str | None = None
    ) -> Generator[dict[str, Any], None, None]:
        """The entries of `entries`, streamed from one read snapshot (a long log, exported)."""
        yield from self._streamed(lambda rows: queries.each_entry(
            rows, limit=limit, since=since, practice=practice))

    def each_row(
        self, *, limit: int | None = None, since: date | None = None,
        practice: str | None = None, empty_text: bool = False,
    ) -> Generator[Sequence[Any], None, None]:
        """The same entries as rows of `queries.EXPORT_COLUMNS`, what an export writes out."""
        yield from self._streamed(lambda rows: queries.export_rows(
            rows, limit=limit, since=since, practice=practice, empty_text=empty_text))

    def _streamed(
        self, work: Callable[[queries.Rows], Iterable[T]]
    ) -> Generator[T, None, None]:
        """What `work` makes of the rows of queries run lazily, inside one read snapshot."""
        if self._pending:  # what this Store wrote is part of what it reads
            with contextlib.suppress(logfile.LogBusy):
                self._write(lambda conn: None, TRY_SECONDS)
        with (
            self._reading() as conn,
            logfile.sqlite_errors(self._path, "read"),
            logfile.transaction(conn, "BEGIN"),
        ):
            yield from work(conn.execute)

    def stats(self, *, days: int = 30, today: date | None = None) -> dict[str, Any]:
        """The `stats --json` object over the last `days` days, today included."""
        # windows and tally sum up the log: imported by the commands that read them, not
        # by a practice before its first cue.
        from quietwork import windows

        day, until = self._window_end(today)
        return self._read(lambda select: windows.stats(select, days=days, today=day, until=until))

    def report(self, *, days: int = 30, today: date | None = None) -> dict[str, Any]:
        """What `report` shows over the last `days` days: stats, check-ins and notes."""
        from quietwork import windows

        day, until = self._window_end(today)
        return self._read(
            lambda select: windows.report(select, days=days, today=day, until=until)
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
            # Each batch adds its sessions before their check-ins, and the checks found
            # every session of a check-in either in the batch or the same in the log: the
            # look-up of each check-in's session (0.5 to 1 s of CPU at 200,000) is
            # left out. Only this connection, which closes with the import.
            conn.execute("PRAGMA foreign_keys = OFF")

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
        from quietwork import windows

        return self._read(lambda select: windows.forget_counts(select, before))

    def forget(self, before: str | None) -> bool:
        """Delete what came before a UTC key (everything when None), leaving none of it readable.

        One transaction deletes the finished sessions started before it, with all their
        check-ins, and the standalone check-ins before it (a practice running in another
        terminal is left alone). secure_delete zeroes what is deleted, VACUUM rebuilds the
        file, and a TRUNCATE checkpoint empties the WAL. False when another connection kept
        the checkpoint from finishing (what was deleted may stay in the file until it closes).
        """
        from quietwork import windows

        def delete(conn: sqlite3.Connection) -> None:
            conn.execute("PRAGMA secure_delete = ON")
            for sql, params in windows.forget_statements(before):
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
