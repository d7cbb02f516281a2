"""The log's file: made private, checked as ours and migrated; short connections to it.

With store.py and rows.py, the only modules that import sqlite3. No connection is kept
across a wait for the person: each read or write opens the file that is at the path
right now, checks that it is the file it expects (device and inode), and closes it
again, so SQLite never goes on writing into a file that was renamed over, moved or
deleted meanwhile (SQLite's own list of ways to corrupt a database names exactly that),
and the write-ahead log is checkpointed and removed when the last connection closes.
Every sqlite3 error leaves as a StoreError naming the file; a lock held elsewhere as
LogBusy, which callers retry.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from quietwork import migrations, paths
from quietwork.errors import StoreError

T = TypeVar("T")
Identity = tuple[int, int]  # (st_dev, st_ino) of the file at the path

SQLITE_HEADER = b"SQLite format 3\x00"
# How long SQLite itself waits for a lock, per attempt. It waits in C, where Python
# handles no signal: Ctrl-C or SIGTERM during a longer wait would act only after it.
# Longer waits are these attempts in a loop (`retrying`).
BUSY_TIMEOUT_MS = 50
RETRY_SECONDS = 0.02
NOTICE_AFTER_SECONDS = 1.0

_NOT_OURS_HINT = "quietwork will not change it. Move it aside, or set QUIETWORK_HOME elsewhere."
_NEWER_HINT = "Upgrade quietwork to use this log."
_BUSY_HINT = (
    "Another program (another quietwork, a backup or sync tool, an SQLite browser)"
    " kept the log locked; try again when it is done."
)


class LogBusy(StoreError):
    """Another connection holds the lock the log needs (SQLITE_BUSY or SQLITE_LOCKED)."""


def identity(path: Path) -> Identity | None:
    """Which file `path` names now (device, inode); None when there is none."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(
            f"cannot read {path}: {error.strerror or error}",
            hint="Check that the file is readable by you, or set QUIETWORK_HOME elsewhere.",
        ) from error
    return found.st_dev, found.st_ino


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the log at `path` (already prepared), with quietwork's settings."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        _configure(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")


def empty_log() -> sqlite3.Connection:
    """A log in memory with every migration applied and nothing in it (autocommit): what
    a missing log reads as, and where rows with no log to go to are read back."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for step in migrations.MIGRATIONS:
        step(conn.execute)
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection | None:
    """A connection that never writes: to the log at `path`, or to an empty log if none.

    None when the log needs a migration first. A reader in WAL mode writes the WAL's
    files beside the log (the last one to close removes them); where that cannot be, the
    log is opened read-only (which uses them as they are), and where even that cannot be
    (a read-only folder, a full disk) `immutable`, which SQLite reads without any other
    file: no one can be writing to a log whose folder takes no new file.
    """
    if identity(path) is None or os.stat(path).st_size == 0:
        return empty_log()
    _check_header(path)
    uri = path.absolute().as_uri()
    for options in ("mode=rw", "mode=ro", "mode=ro&immutable=1"):
        with sqlite_errors(path, "open"):
            conn = sqlite3.connect(
                f"{uri}?{options}", uri=True, isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
        try:
            applied = _check_ours(conn, path)
        except StoreError as error:
            conn.close()
            cause = error.__cause__
            if isinstance(cause, sqlite3.Error) and primary_code(cause) in _NO_READER_FILES:
                continue
            raise
        if applied != {step.__name__ for step in migrations.MIGRATIONS}:
            conn.close()
            return None
        return conn
    raise StoreError(f"cannot read {path}: the file cannot be opened, even read-only")


# What SQLite says when it cannot create or write the WAL's shared-memory file.
_NO_READER_FILES = (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY,
                    sqlite3.SQLITE_FULL)


def prepare(path: Path) -> Identity:
    """Create (private), check and migrate the log at `path`; which file it is.

    A file that is not ours or is newer than this code is refused untouched. Raises
    StoreError (LogBusy while another connection holds a lock it needs).
    """
    found, conn = prepare_connected(path, settings=False)
    conn.close()
    return found


def prepare_connected(
    path: Path, *, settings: bool = True
) -> tuple[Identity, sqlite3.Connection]:
    """`prepare`, and the connection that did it, left open (with `connect`'s settings).

    The caller closes it. A practice's first reads and its session's first write go
    through it: each connection of its own costs the file's schema read again, and the
    last one to close checkpoints and removes the write-ahead log's files.
    """
    _make_private_folders(path.parent)
    _refuse_a_foreign_symlink(path)
    _create_private_file(path)
    _check_header(path)
    found = identity(path)
    with sqlite_errors(path, "open"):
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        applied = _check_ours(conn, path)
        with sqlite_errors(path, "open"):
            conn.execute("PRAGMA journal_mode = WAL")  # only now: it rewrites the header
        _migrate(conn, path, applied)
        if found is None or identity(path) != found:  # replaced while being checked
            raise LogBusy(f"cannot open {path}: it was replaced while being opened")
        if settings:
            with sqlite_errors(path, "open"):
                _configure(conn)
    except BaseException:
        conn.close()
        raise
    return found, conn


def retrying(
    path: Path, doing: str, wait: float, attempt: Callable[[], T],
    on_wait: Callable[[], None] | None = None,
) -> T:
    """`attempt()` again while the log is busy, for up to `wait` seconds; then LogBusy.

    Between attempts Python runs, so Ctrl-C and signals act at once.
    """
    started = time.monotonic()
    told = on_wait is None
    while True:
        try:
            with sqlite_errors(path, doing):
                return attempt()
        except LogBusy:
            waited = time.monotonic() - started
            if waited >= wait:
                raise
            if not told and waited >= NOTICE_AFTER_SECONDS:
                told = True
                assert on_wait is not None
                on_wait()
        time.sleep(RETRY_SECONDS)


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, begin: str) -> Iterator[None]:
    """`begin` … COMMIT, or ROLLBACK on any error."""
    conn.execute(begin)
    with transaction_begun(conn):
        yield


@contextlib.contextmanager
def transaction_begun(conn: sqlite3.Connection) -> Iterator[None]:
    """COMMIT the transaction already begun on `conn`, or ROLLBACK on any error."""
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def sqlite_errors(path: Path, doing: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise store_error(path, doing, error) from error


def store_error(path: Path, doing: str, error: sqlite3.Error) -> StoreError:
    code = primary_code(error)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return LogBusy(f"cannot {doing} {path}: {error}", _BUSY_HINT)
    if code == sqlite3.SQLITE_FULL:
        hint: str | None = "Free some disk space and try again; nothing was half-written."
    elif code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        hint = "Check that the file and its folder are writable by you."
    else:
        hint = None
    return StoreError(f"cannot {doing} {path}: {error}", hint)


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # SQLITE_BUSY_RECOVERY → SQLITE_BUSY


def _make_private_folders(folder: Path) -> None:
    """Create `folder` and its missing parents, readable by the owner only (0700)."""
    try:
        paths.make_private_dirs(folder)
    except OSError as error:
        raise StoreError(
            f"cannot create the folder {error.filename or folder}: {error.strerror or error}",
            hint="Check that the folder is writable, or set QUIETWORK_HOME to another folder.",
        ) from error


def _refuse_a_foreign_symlink(path: Path) -> None:
    """A symlink at the log's path must lead to a private quietwork log, or is not used.

    Otherwise quietwork would adopt (and write into) whatever it points at: an empty
    world-readable file would become the log, readable by everyone, outside the home.
    """
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode):
            return
    except OSError:
        return  # nothing there yet (or it cannot be seen: opening it will say so)
    try:
        target = os.stat(path)
        with open(path, "rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError:
        header, target = b"", None
    owner = getattr(os, "geteuid", lambda: None)()
    if (
        target is None
        or not stat.S_ISREG(target.st_mode)
        or (os.name != "nt" and target.st_mode & 0o077)  # Windows has no such modes
        or (owner is not None and target.st_uid != owner)
        or header != SQLITE_HEADER
    ):
        raise StoreError(
            f"{path} is a symlink to {os.path.realpath(path)}, which is not a private"
            " quietwork log; quietwork will not write through it",
            "Remove the link, or point it at a quietwork log that only you can read.",
        )


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
        if primary_code(error) in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            raise StoreError(
                f"{path} is not a quietwork database ({error})", _NOT_OURS_HINT
            ) from error
        raise store_error(path, "open", error) from error
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
        doing = f"update (migration {step.__name__})"
        with sqlite_errors(path, doing), transaction(conn, "BEGIN IMMEDIATE"):
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations"
                " (name TEXT PRIMARY KEY, applied_at TEXT)"
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
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (step.__name__, now),
            )
            conn.execute(f"PRAGMA user_version = {len(applied) + 1}")
