"""Reliability of the log file itself: where it is, and what may happen to it meanwhile.

A relative QUIETWORK_HOME is resolved once and named; a log replaced, moved or deleted
while a practice runs still ends up holding every answer; a lock held by another program
loses nothing; a killed practice is found stale whatever its pid or host; a read-only log
can still be read; quietwork never writes through a symlink in its own folders.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, logged_entries, run_subprocess

CLI = Callable[..., Result]


def test_a_relative_home_is_resolved_once_and_named(tmp_path: Path) -> None:
    # Without the notice a relative home silently means another log in every folder.
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "QUIETWORK_HOME": "rel-home"}
    done = subprocess.run(
        [sys.executable, "-m", "quietwork", "checkin", "--distress", "4"],
        cwd=work, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    where = work / "rel-home"
    assert str(where) in done.stderr and "relative" in done.stderr
    assert (where / "quietwork.db").is_file()
    shown = run_subprocess("log", "--json", env={"QUIETWORK_HOME": str(where)})
    assert [entry["distress"] for entry in json.loads(shown.stdout)] == [4]


def test_stats_windows_end_now(cli: CLI, tmp_path: Path) -> None:
    # An imported check-in dated in the future is in the log, but in no window yet.
    future = tmp_path / "future.json"
    future.write_text(json.dumps([
        {"kind": "checkin", "id": "c-2099", "at": "2099-01-01T10:00:00+00:00", "distress": 9},
        {"kind": "session", "id": "s-2099", "practice": "ground", "status": "completed",
         "started_at": "2099-01-01T10:00:00+00:00", "checkins": []},
    ]))
    assert cli("import", str(future)).exit_code == 0
    assert cli("checkin", "--distress", "2").exit_code == 0
    for days in ("1", "365"):
        stats = json.loads(cli("stats", "--days", days, "--json").stdout)
        assert stats["checkins"]["count"] == 1 and stats["checkins"]["mean_distress"] == 2
        assert stats["practices"] == []


# The log replaced, moved or deleted while a practice runs

SHORT = """\
title: Short
summary: For storage tests.
steps:
  - say: Look around the room.
    seconds: 0.05
  - checkin: How is it now?
  - say: Feel your feet.
    seconds: 0.05
"""


def other_log(path: Path, count: int) -> Path:
    """Another person's (or machine's) log with `count` check-ins."""
    from quietwork.store import Store

    with Store.open(path) as other:
        other.import_entries([
            {"kind": "checkin", "id": f"other-{n}", "at": "2026-11-20T10:00:00+00:00",
             "distress": n % 11, "note": "x" * 200}
            for n in range(count)])
    return path


def practice_until_the_mid_checkin(home: Path) -> subprocess.Popen[str]:
    """`practice short` from a pipe, stopped at its mid check-in (the first rating given)."""
    (home / "practices").mkdir(parents=True, exist_ok=True)
    (home / "practices" / "short.yaml").write_text(SHORT)
    child = subprocess.Popen(
        [sys.executable, "-m", "quietwork", "practice", "short"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("5\n")
    child.stdin.flush()
    seen = ""
    while "How is it now?" not in seen:
        char = child.stdout.read(1)
        assert char, seen
        seen += char
    return child


def finish(child: subprocess.Popen[str]) -> str:
    """Answer the mid and after check-ins; the practice's stderr."""
    _out, err = child.communicate("4\n3\n", timeout=60)
    assert child.returncode == 0, err
    return err


def integrity(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def ratings(entries: list[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    return [(e["status"], [c["distress"] for c in e["checkins"]])
            for e in entries if e["kind"] == "session"]


def test_a_log_replaced_mid_practice_gets_the_session_and_stays_whole(
    cli: CLI, quietwork_home: Path, tmp_path: Path
) -> None:
    assert cli("checkin", "--distress", "1").exit_code == 0
    db = quietwork_home / "quietwork.db"
    other = other_log(tmp_path / "other" / "quietwork.db", 300)
    child = practice_until_the_mid_checkin(quietwork_home)
    # A sync tool or a restore puts another file in its place, by rename.
    shutil.copy(other, quietwork_home / "new.db")
    os.replace(quietwork_home / "new.db", db)
    err = finish(child)
    assert integrity(db) == "ok"
    entries = logged_entries()
    assert ratings(entries) == [("completed", [5, 4, 3])]  # every answer, in the new file
    assert sum(e["kind"] == "checkin" for e in entries) == 300  # and the file is whole
    assert not db.with_name("quietwork.db-wal").exists()
    assert "replaced" in err and str(db) in err  # the person is told


@pytest.mark.parametrize("how", ["moved", "deleted"])
def test_a_log_moved_or_deleted_mid_practice_keeps_the_session(
    cli: CLI, quietwork_home: Path, how: str
) -> None:
    assert cli("checkin", "--distress", "1").exit_code == 0
    db = quietwork_home / "quietwork.db"
    child = practice_until_the_mid_checkin(quietwork_home)
    if how == "moved":
        os.replace(db, quietwork_home / "elsewhere.db")
    else:
        db.unlink()
    err = finish(child)
    assert integrity(db) == "ok"
    assert ratings(logged_entries()) == [("completed", [5, 4, 3])]
    if how == "moved":  # the moved file is whole too, with what it held when it was moved
        assert integrity(quietwork_home / "elsewhere.db") == "ok"
    assert str(db) in err  # the person is told


# A lock held by another program


class Locker:
    """Another program holding the log's write lock (BEGIN EXCLUSIVE) until released."""

    def __init__(self, db: Path) -> None:
        import sqlite3

        self.conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


def read_until(stream: Any, wanted: str) -> str:
    seen = ""
    while wanted not in seen:
        char = stream.read(1)
        assert char, seen
        seen += char
    return seen


def test_a_practice_goes_on_while_the_log_is_locked_and_loses_nothing(
    cli: CLI, quietwork_home: Path
) -> None:
    assert cli("checkin", "--distress", "1").exit_code == 0
    (quietwork_home / "practices").mkdir()
    (quietwork_home / "practices" / "short.yaml").write_text(SHORT)
    locker = Locker(quietwork_home / "quietwork.db")
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "quietwork", "practice", "short"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("5\n4\n3\n")
        child.stdin.close()
        # The whole practice runs while the lock is held: every answer is kept meanwhile.
        read_until(child.stdout, "5 → 3")
    finally:
        locker.release()
    assert child.wait(timeout=60) == 0
    assert ratings(logged_entries()) == [("completed", [5, 4, 3])]


def test_a_checkin_waits_for_a_locked_log_and_says_so(quietwork_home: Path) -> None:
    # A long import elsewhere, say: the standalone check-in waits for it, and tells.
    assert run_subprocess("checkin", "--distress", "1").returncode == 0
    locker = Locker(quietwork_home / "quietwork.db")
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "quietwork", "checkin", "--distress", "6"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert child.stderr is not None
        told = read_until(child.stderr, "\n")
    finally:
        locker.release()
    assert child.wait(timeout=60) == 0
    assert "Waiting for" in told and "another program" in told
    assert [e["distress"] for e in logged_entries()] == [6, 1]


@pytest.mark.parametrize(("sent", "code"), [("SIGINT", 130), ("SIGTERM", 143), ("SIGQUIT", 131)])
def test_a_signal_while_waiting_for_a_locked_log_acts_at_once_and_keeps_the_answer(
    quietwork_home: Path, sent: str, code: int
) -> None:
    import signal
    import time

    assert run_subprocess("checkin", "--distress", "1").returncode == 0
    locker = Locker(quietwork_home / "quietwork.db")
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "quietwork", "checkin", "--distress", "7", "--note", "kept"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert child.stderr is not None
        read_until(child.stderr, "Waiting for")
        child.send_signal(getattr(signal, sent))
        at = time.monotonic()
        child.wait(timeout=30)
        took = time.monotonic() - at
        err = child.stderr.read()
    finally:
        locker.release()
    assert child.returncode == code and took < 1.0, (took, err)
    (kept,) = quietwork_home.glob("unsaved-*.json")
    assert str(kept) in err
    assert run_subprocess("import", str(kept)).returncode == 0
    assert sorted((e["distress"], e["note"] or "") for e in logged_entries()) == [
        (1, ""), (7, "kept")]


def test_a_log_locked_to_the_end_keeps_the_practice_beside_it(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quietwork import store

    monkeypatch.setattr(store, "WAIT_SECONDS", 0.2)
    assert cli("checkin", "--distress", "1").exit_code == 0
    (quietwork_home / "practices").mkdir()
    (quietwork_home / "practices" / "short.yaml").write_text(SHORT)
    locker = Locker(quietwork_home / "quietwork.db")
    try:
        result = cli("practice", "short", input="5\n4\n3\n")
    finally:
        locker.release()
    assert result.exit_code == 1 and "5 → 3" in result.stdout
    (kept,) = quietwork_home.glob("unsaved-*.json")
    assert str(kept) in result.stderr and "locked by another program" in result.stderr
    assert cli("import", str(kept)).exit_code == 0
    assert ratings(cli_entries(cli)) == [("completed", [5, 4, 3])]


def cli_entries(cli: CLI) -> list[dict[str, Any]]:
    shown = cli("log", "--json")
    assert shown.exit_code == 0, shown.output
    entries: list[dict[str, Any]] = json.loads(shown.stdout)
    return entries


# A practice that was killed is found stale whatever its pid or host


def set_session(db: Path, **values: object) -> None:
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for column, value in values.items():
            conn.execute(f"UPDATE sessions SET {column} = ?", (value,))
    finally:
        conn.close()


@pytest.mark.parametrize(
    "recorded",
    [{"host": "the-laptop-on-another-network"}, {"pid": 1}],  # pid 1: a PID namespace
    ids=["host renamed", "pid namespace"],
)
def test_a_killed_practice_is_interrupted_whatever_its_host_or_pid(
    quietwork_home: Path, recorded: dict[str, object]
) -> None:
    import signal

    child = practice_until_the_mid_checkin(quietwork_home)
    db = quietwork_home / "quietwork.db"
    set_session(db, **recorded)
    assert [e["status"] for e in logged_entries()] == ["running"]  # it runs: its lock says so
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert ratings(logged_entries()) == [("interrupted", [5])]


def test_without_locks_staleness_falls_back_to_the_pid(
    quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where no locks are to be had: the pid on this host decides, as before.
    from quietwork import running
    from quietwork.store import Store

    monkeypatch.setattr(running, "_LOCKS", None)
    db = quietwork_home / "quietwork.db"
    with Store.open(db) as here:
        session = here.start_session("ground")
        assert not (quietwork_home / "running").exists()
    with Store.open(db) as again:
        assert [e["status"] for e in again.entries()] == ["running"]  # this process lives
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    set_session(db, pid=int(finished.stdout))
    with Store.open(db) as later:
        assert [(e["id"], e["status"]) for e in later.entries()] == [(session, "interrupted")]


# A log that can only be read: a read-only folder, a full disk


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Callable[..., None]]:
    """`mount(*options, target)`: a real mount, undone afterwards; skips where not allowed.

    Root ignores file modes, so a read-only folder is a read-only bind mount and a full
    disk a small tmpfs that is filled up.
    """
    mounted: list[Path] = []

    def do(*args: str) -> None:
        target = Path(args[-1])
        target.mkdir(exist_ok=True)
        done = subprocess.run(["mount", *args], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mount is not allowed here: {done.stderr.strip()}")
        mounted.append(target)

    yield do
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def reading_commands_work(home: Path) -> None:
    env = {"QUIETWORK_HOME": str(home)}
    shown = run_subprocess("log", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    assert [e["distress"] for e in json.loads(shown.stdout)] == [3]
    for args in (("log",), ("log", "--csv"), ("stats",), ("stats", "--json")):
        done = run_subprocess(*args, env=env)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
    assert "3" in run_subprocess("log", env=env).stdout


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mounts need root")
def test_a_log_in_a_read_only_folder_can_still_be_read(
    tmp_path: Path, mount: Callable[..., None]
) -> None:
    home = tmp_path / "home"
    assert run_subprocess("checkin", "--distress", "3",
                          env={"QUIETWORK_HOME": str(home)}).returncode == 0
    read_only = tmp_path / "read-only"
    mount("--bind", str(home), str(read_only))
    mount("-o", "remount,ro,bind", str(read_only))
    reading_commands_work(read_only)
    refused = run_subprocess("checkin", "--distress", "4",
                             env={"QUIETWORK_HOME": str(read_only)})
    assert refused.returncode == 1 and str(read_only) in refused.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mounts need root")
def test_a_log_on_a_full_disk_can_still_be_read(
    tmp_path: Path, mount: Callable[..., None]
) -> None:
    home = tmp_path / "small"
    mount("-t", "tmpfs", "-o", "size=256k", "none", str(home))
    assert run_subprocess("checkin", "--distress", "3",
                          env={"QUIETWORK_HOME": str(home)}).returncode == 0
    filler = os.open(home / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    with contextlib.suppress(OSError):
        while True:
            os.write(filler, b"\0" * 4096)
    os.close(filler)
    reading_commands_work(home)


def test_reading_an_absent_log_creates_nothing(cli: CLI, quietwork_home: Path) -> None:
    for args in (("log",), ("log", "--json"), ("stats", "--json")):
        assert cli(*args).exit_code == 0
    assert not (quietwork_home / "quietwork.db").exists()


# Symlinks inside quietwork's own folders are never written through


def test_new_replaces_a_symlinked_schema_and_leaves_its_target(
    cli: CLI, quietwork_home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("not quietwork's\n")
    (quietwork_home / "practices").mkdir(parents=True)
    (quietwork_home / "practices" / "practice.schema.json").symlink_to(target)
    assert cli("new", "mine").exit_code == 0
    assert target.read_text() == "not quietwork's\n"
    schema = quietwork_home / "practices" / "practice.schema.json"
    assert not schema.is_symlink() and "properties" in json.loads(schema.read_text())


def test_list_does_not_write_through_a_symlink_at_the_cache(
    cli: CLI, quietwork_home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("not quietwork's\n")
    cache = quietwork_home / "cache"
    cache.mkdir(parents=True)
    # Where a temporary cache file could be expected: this process's pid, or any name.
    for name in (f"practices.{os.getpid()}.tmp", "practices.json.tmp", ".practices.json.tmp"):
        (cache / name).symlink_to(target)
    assert cli("list").exit_code == 0
    assert target.read_text() == "not quietwork's\n"
    assert "files" in json.loads((cache / "practices.json").read_text())  # it was written


def test_a_log_symlinked_to_a_file_that_is_not_a_private_log_is_refused(
    cli: CLI, quietwork_home: Path, tmp_path: Path
) -> None:
    import stat

    quietwork_home.mkdir()
    target = tmp_path / "shared.db"
    target.touch(mode=0o644)
    target.chmod(0o644)
    db = quietwork_home / "quietwork.db"
    db.symlink_to(target)
    result = cli("checkin", "--distress", "3")
    assert result.exit_code == 1 and str(db) in result.stderr and "symlink" in result.stderr
    assert target.read_bytes() == b"" and stat.S_IMODE(target.stat().st_mode) == 0o644
    # A link to a private quietwork log (a synced folder, say) is used as the log.
    db.unlink()
    private = tmp_path / "synced" / "quietwork.db"
    other_log(private, 1)
    db.symlink_to(private)
    assert cli("checkin", "--distress", "4").exit_code == 0
    assert len(cli_entries(cli)) == 2
