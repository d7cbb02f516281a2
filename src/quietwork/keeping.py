"""What keeps every row a Store wrote in the log, whatever happens to the file meanwhile.

A Store keeps in memory every session and check-in row it wrote, so that an answer once
given reaches the log:

- no connection stays open between writes; each one writes into the file now at the
  path, and when that is another file than before (the log was replaced, moved or
  deleted), that file is prepared and first given every row this Store wrote;
- a write that cannot get the lock at once (another program holds it) stays pending
  and goes with the next write; `close` waits for the last ones, and what still cannot
  be written is kept in a file beside the log that `quietwork import` takes;
- a Store opened `keep_aside` (a practice, a check-in: the way back to calm never
  refuses to run) whose log cannot be used at all (not a quietwork log, newer, corrupt,
  unreadable) writes nothing to it: every row goes, the moment it is given, into one
  file beside the log instead (the same `import`able file), and `close` says where.

`Keeper` is that machinery, and the reads that see what it wrote; `store.Store` builds
the log's operations on it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from quietwork import logfile, output, queries, rows, running
from quietwork.errors import StoreError
from quietwork.rows import Key, Row

T = TypeVar("T")

# A write during a practice waits this long for a lock before it goes on pending; the
# practice goes on meanwhile. A command's own write (and the last of a practice, at
# `close`) waits up to WAIT_SECONDS, saying so after a second; Ctrl-C ends the wait.
TRY_SECONDS = 0.5
WAIT_SECONDS = 120.0
_REPLACED_TRIES = 5


class KeptAside(StoreError):
    """The log could not be used: what the Store wrote is in a file beside it instead
    (`kept`; None when that could not be written either)."""

    def __init__(self, message: str, hint: str | None, kept: Path | None) -> None:
        super().__init__(message, hint)
        self.kept = kept


class Keeper:
    """The rows a Store wrote, the file at its path they are written into, and reads of it."""

    def __init__(self, path: Path, on_wait: Callable[[], None] | None) -> None:
        self._path = path
        self._host = _host_name()
        self._on_wait = on_wait or self._say_waiting
        self._file: logfile.Identity | None = None  # the file the rows were written into
        self._rows: dict[Key, Row] = {}  # every session and check-in this Store wrote
        self._pending: dict[Key, None] = {}  # those not in the file yet (ordered)
        self.replaced = False  # the log was replaced, moved or deleted while open
        self._held: dict[str, running.Held | None] = {}  # the practices running here
        self._read_only = False
        self._keep_aside = False  # an unusable log: keep the rows beside it, go on
        self._unusable: StoreError | None = None  # why the log is not used (keep_aside)
        self.kept_in: Path | None = None  # the file beside the log they are kept in
        self._told_aside = False
        # The connection that opened the log (the file `_file` names: any change of it
        # lets this go first), while the reads and the first write that follow at once use
        # it (Store.open's `starting`); never kept past a write.
        self._opening: sqlite3.Connection | None = None

    @property
    def in_log(self) -> bool:
        """Whether what this Store writes goes into the log (not kept beside it)."""
        return self._unusable is None

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
        if self._unusable is not None:
            self._keep_beside()
            return
        try:
            self._write(lambda conn: None, wait)
        except logfile.LogBusy:
            return  # pending: written with the next write, or at close
        except StoreError as error:
            if self._keep_aside:
                self._set_aside(error)
                self._keep_beside()
                return
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

    def _let_go(self) -> None:
        """Close the connection that opened the log, if it is still open."""
        if self._opening is not None:
            conn, self._opening = self._opening, None
            conn.close()

    def _close(self, wait: float) -> None:
        try:
            self._let_go()
            self._write_the_rest(wait)
        finally:
            for session_id in list(self._held):
                self._release(session_id)

    def _set_aside(self, error: StoreError) -> None:
        """From now on nothing is written to the log: it cannot be used (`error` says why)."""
        self._unusable = error
        self._pending.update(dict.fromkeys(self._rows))  # none of them is in it for sure

    def _keep_beside(self) -> None:
        """Every row not in the log, in the one file beside it (said the first time)."""
        assert self._unusable is not None
        fresh = rows.keep_beside(self._path, self._rows, self._pending, into=self.kept_in)
        if fresh is None:
            if not self._told_aside:
                self._told_aside = True
                output.warn(_aside_line(self._unusable, None))
            return
        if self.kept_in is None:
            self.kept_in = fresh
            output.warn(_aside_line(self._unusable, fresh))
            self._told_aside = True

    def _write_the_rest(self, wait: float) -> None:
        if self._unusable is not None:
            self._end_aside()
            return
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

    def _end_aside(self) -> None:
        """What was kept beside an unusable log: said again, and an error (exit 1)."""
        assert self._unusable is not None
        if not self._pending:  # nothing given (or said already: close is safe twice)
            return
        self._pending.clear()
        if self.kept_in is None:
            raise KeptAside(
                f"your answers could not be kept: {self._unusable.message}, and no file"
                " could be written beside it either", self._unusable.hint, None,
            )
        raise KeptAside(
            f"this run is not in the log: {self._unusable.message}",
            f"Your answers are kept in {self.kept_in}; once the log is fixed,"
            f" 'quietwork import {self.kept_in}' adds them to it.", self.kept_in,
        )

    def _write(self, work: Callable[[sqlite3.Connection], T], wait: float) -> T:
        """`work`, with every pending row, in one write transaction on the file at the path."""
        if self._unusable is not None:
            raise self._unusable
        return logfile.retrying(
            self._path, "write to", wait, lambda: self._write_once(work), self._on_wait
        )

    def _write_once(self, work: Callable[[sqlite3.Connection], T]) -> T:
        for _ in range(_REPLACED_TRIES):
            with self._connection() as (conn, file), logfile.transaction(conn, "BEGIN IMMEDIATE"):
                rows.upsert(conn, [(key, self._rows[key]) for key in self._pending])
                result = work(conn)
            # Closed at once, as every connection after a write: the write-ahead log it
            # leaves is checkpointed and removed only as the last connection closes.
            self._let_go()
            if logfile.identity(self._path) == file:
                self._pending.clear()
                return result
            self._file = None  # replaced while written: again, into the file there now
        raise StoreError(f"cannot write to {self._path}: it is replaced again and again")

    def _read(self, work: Callable[[queries.Select], T]) -> T:
        """`work` over one snapshot of the file at the path."""
        if self._unusable is not None:  # only what this Store wrote, the log unread
            with self._aside_snapshot() as conn:
                return work(lambda sql, params: conn.execute(sql, params).fetchall())
        if self._pending:  # what this Store wrote is part of what it reads
            with contextlib.suppress(logfile.LogBusy):
                self._write(lambda conn: None, TRY_SECONDS)

        def once() -> T:
            with self._reading() as conn, logfile.transaction(conn, "BEGIN"):
                return work(lambda sql, params: conn.execute(sql, params).fetchall())

        return logfile.retrying(self._path, "read", WAIT_SECONDS, once, self._on_wait)

    @contextlib.contextmanager
    def _aside_snapshot(self) -> Iterator[sqlite3.Connection]:
        """An empty log in memory holding only what this Store wrote (the log is not used)."""
        conn = logfile.empty_log()
        try:
            rows.upsert(conn, list(self._rows.items()))
            yield conn
        finally:
            conn.close()

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
        if self._opening is not None:
            if file is not None and file == self._file:
                yield self._opening, file  # still the file it opened: kept open
                return
            self._let_go()
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


def _aside_line(unusable: StoreError, kept: Path | None) -> str:
    """The one warning when the log cannot be used: what is wrong, and where the run goes."""
    reason = unusable.message
    if kept is None:
        return (f"{reason}. This run is not saved to the log, and your answers could not"
                " be kept beside it either")
    return (f"{reason}. This run is not saved to the log: your answers are kept in {kept}"
            f" instead ('quietwork import {kept}' adds them once the log is fixed)")


@contextlib.contextmanager
def _signals_end_the_wait() -> Iterator[None]:
    """The watched signals (signals.WATCHED: SIGTERM, SIGHUP, SIGQUIT, SIGBREAK, where they
    exist) end a wait for the log as Ctrl-C does: what is pending is kept.

    Also while a first signal's unwinding has them ignored: this wait is part of it.
    """
    import threading

    from quietwork.signals import signals_raise

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with signals_raise():
        yield


def _host_name() -> str:
    """This machine's name, as `socket.gethostname()` gives it.

    Where the kernel's own name is at hand, socket is not imported (a few ms of every start).
    """
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()
