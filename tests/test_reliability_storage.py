"""Reliability of the log through the real CLI (test_store.py covers the Store itself).

A corrupt file, a file that is not SQLite and a newer database are left byte-for-byte as
they were by every command: refused by path, except by `practice` and `checkin`, which go
on and keep the run beside the log (tests/test_calm_always_runs.py); four processes
checking in at once lose nothing; SIGKILL right after an answer keeps it; an unwritable,
read-only or full home is a one-line error naming the path, with nothing half-written;
every file and folder is owner-only whatever the umask.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quietwork import migrations

from conftest import Result

CLI = Callable[..., Result]

SHORT = """\
title: Short
summary: For storage tests.
steps:
  - say: Look around the room.
    seconds: 0.05
  - checkin: How is it now?
  - breathe: {inhale: 3, exhale: 3, breaths: 20}
"""
# What the calm commands run on a log they cannot use: the run must not take minutes.
TINY = """\
title: Tiny
summary: For storage tests, over in a moment.
steps:
  - say: Look around the room.
    seconds: 0.05
  - checkin: How is it now?
"""
AT = "2026-11-22T10:00:00+00:00"


@pytest.fixture
def db(quietwork_home: Path) -> Path:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "short.yaml").write_text(SHORT)
    (folder / "tiny.yaml").write_text(TINY)
    return quietwork_home / "quietwork.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def backup(tmp_path: Path, count: int = 3) -> Path:
    path = tmp_path / "backup.json"
    path.write_text(json.dumps([{"kind": "checkin", "id": f"c{n}", "at": AT, "distress": n % 11}
                                for n in range(count)]))
    return path


# The way back to calm: never refused for the log's sake; the run is kept beside it.
CALM = [("checkin", "--distress", "3"), ("practice", "tiny", "--no-checkin")]


def commands(tmp_path: Path) -> list[tuple[str, ...]]:
    """Every command that opens the log."""
    return [("log",), ("log", "--json"), ("stats",), *CALM, ("anchors", "--json"),
            ("anchors", "--set0", "calm"), ("import", str(backup(tmp_path)))]


def refused(result: Result, message: str) -> None:
    """Exit 1, an `Error:` line with the message, a hint line, no traceback, no output.

    `practice` and `checkin` are not refused: they run, and the error at the end (exit 1)
    names what was wrong, after a warning that said so before anything was given.
    """
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    warned = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    lines = [line for line in result.stderr.splitlines() if not line.startswith("Warning: ")]
    if any(f"Warning: {message}" in line and "not saved to the log" in line for line in warned):
        assert lines[0].startswith("Error: "), lines
        assert message in lines[0], lines
    else:
        assert lines[0].startswith(f"Error: {message}"), lines
        assert result.stdout == "" or "Kept aside" not in result.stdout
    assert len(lines) == 2 and lines[1].startswith("  "), lines


def sqlite_with(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(sql)
    conn.close()


NOT_OURS = {
    "random bytes": lambda db: db.write_bytes(os.urandom(8192)),
    "a text file": lambda db: db.write_text("my grocery list\n- oats\n"),
    "corrupt sqlite": lambda db: db.write_bytes(b"SQLite format 3\x00" + os.urandom(8000)),
    "another program's": lambda db: sqlite_with(db, "CREATE TABLE recipes (name TEXT)"),
}


@pytest.mark.parametrize("kind", list(NOT_OURS), ids=list(NOT_OURS))
def test_a_file_that_is_not_our_log_is_refused_untouched(
    cli: CLI, db: Path, tmp_path: Path, kind: str
) -> None:
    NOT_OURS[kind](db)
    before = digest(db)
    for command in commands(tmp_path):
        result = cli(*command, input="3\n")  # the practice's check-in step
        refused(result, f"{db} is not a quietwork database")
        assert (result.stdout == "") == (command not in CALM), command
        assert digest(db) == before, command
        assert sorted(p.name for p in db.parent.glob("quietwork.db*")) == ["quietwork.db"]


@pytest.mark.parametrize(
    "sql",
    ["INSERT INTO _migrations VALUES ('m999_from_the_future', '')",
     f"PRAGMA user_version = {len(migrations.MIGRATIONS) + 1}"],
    ids=["unknown migration", "higher user_version"],
)
def test_a_newer_log_is_refused_untouched(cli: CLI, db: Path, tmp_path: Path, sql: str) -> None:
    assert cli("checkin", "--distress", "5").exit_code == 0
    sqlite_with(db, sql)
    before = digest(db)
    for command in commands(tmp_path):
        refused(cli(*command, input="3\n"),
                f"{db} was written by a newer version of quietwork; this version will not"
                " change it")
        assert digest(db) == before, command


def shell(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, executable="/bin/bash", capture_output=True,
                          text=True, timeout=60,
                          env={**os.environ, "QW": f"{sys.executable} -m quietwork", **env})


def test_four_processes_checking_in_at_once_lose_nothing(cli: CLI, db: Path) -> None:
    # A fresh home: the four race to create and migrate the log, then to write.
    loops = [f"for n in 1 2 3; do $QW checkin --distress {writer} --note w{writer}n$n"
             " >/dev/null || exit 1; done" for writer in range(4)]
    procs = [subprocess.Popen(["bash", "-c", loop], stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "QW": f"{sys.executable} -m quietwork"})
             for loop in loops]
    for proc in procs:
        assert proc.stderr is not None
        errors = proc.stderr.read()
        assert proc.wait(timeout=60) == 0, errors
        # Nothing on stderr but, on a loaded machine, the notice of a wait over a second.
        assert all(line.startswith("Waiting for ") for line in errors.splitlines()), errors
    notes = sorted(entry["note"] for entry in json.loads(cli("log", "--json").stdout))
    assert notes == sorted(f"w{w}n{n}" for w in range(4) for n in (1, 2, 3))


def test_sigkill_right_after_an_answer_keeps_it(cli: CLI, db: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "quietwork", "practice", "short"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None

    def answer_then_wait_for(rating: str, shown: str) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(rating + "\n")
        proc.stdin.flush()
        while shown not in (line := proc.stdout.readline()):
            assert line, "the practice ended early"

    answer_then_wait_for("5", "Look around the room.")
    answer_then_wait_for("4", "Inhale")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdin.close()
    proc.stdout.close()
    [session] = json.loads(cli("log", "--json").stdout)
    assert session["status"] == "interrupted"  # its process is gone
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 5), ("mid", 4)]


@pytest.mark.parametrize("command", [
    ("checkin", "--distress", "3"), ("log",), ("stats", "--json"),
    ("practice", "exhale", "--no-checkin", "--speed", "100"), ("anchors", "--set0", "calm"),
    ("import", "{backup}"),
])
def test_a_home_under_a_regular_file_is_named(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: tuple[str, ...]
) -> None:
    # Tests run as root, which writes anywhere: a folder that cannot exist stands in for
    # one that cannot be written.
    (tmp_path / "file").write_text("a file, not a folder")
    home = tmp_path / "file" / "home"
    monkeypatch.setenv("QUIETWORK_HOME", str(home))
    args = [str(backup(tmp_path)) if arg == "{backup}" else arg for arg in command]
    if command[0] in ("log", "stats"):  # only read: they create nothing
        refused(cli(*args), f"cannot read {home / 'quietwork.db'}: Not a directory")
        return
    refused(cli(*args), f"cannot create the folder {home.parent}: Not a directory")


def test_new_in_a_home_under_a_regular_file_is_named(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("a file, not a folder")
    home = tmp_path / "file" / "home"
    monkeypatch.setenv("QUIETWORK_HOME", str(home))
    result = cli("new", "mine")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: cannot write {home}/practices/mine.yaml")
    listed = cli("list")  # the rest still works; the folder that cannot be read is named
    assert listed.exit_code == 0 and "exhale" in listed.stdout
    assert f"{home / 'practices'}: cannot list the folder" in listed.stderr


def test_a_read_only_home_is_named(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root no folder is read-only: the file system's answer is injected at the creat().
    quietwork_home.mkdir()
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(quietwork_home)) and flags & os.O_CREAT:
            raise OSError(30, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    refused(cli("checkin", "--distress", "3"),
            f"cannot create {quietwork_home / 'quietwork.db'}: Read-only file system")
    assert list(quietwork_home.iterdir()) == []


def test_a_missing_home_is_created_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "not" / "yet" / "home"
    result = shell("umask 000 && $QW list >/dev/null && $QW new mine >/dev/null"
                   " && $QW checkin --distress 3", QUIETWORK_HOME=str(home))
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "not", home, home / "cache", home / "practices"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    logs = list(home.glob("quietwork.db*"))
    assert logs
    for file in logs:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """From now on the log's file may not grow (SQLite's own "database or disk is full")."""
    connect = sqlite3.connect

    def no_room(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = connect(*args, **kwargs)
        if args and args[0] == ":memory:":  # not on the disk
            return conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return conn

    return lambda: monkeypatch.setattr(sqlite3, "connect", no_room)


def test_a_full_disk_writes_nothing_half(
    cli: CLI, db: Path, tmp_path: Path, full_disk: Callable[[], None]
) -> None:
    assert cli("checkin", "--distress", "2", "--note", "before the disk filled").exit_code == 0
    before = json.loads(cli("log", "--json").stdout)
    full_disk()
    refused(cli("checkin", "--distress", "5", "--note", "x" * 50_000),
            f"cannot write to {db}: database or disk is full")
    refused(cli("import", str(backup(tmp_path, count=2000))),
            f"cannot write to {db}: database or disk is full")
    assert json.loads(cli("log", "--json").stdout) == before


def test_a_full_disk_on_the_first_run_leaves_no_half_made_log(
    cli: CLI, db: Path, full_disk: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    full_disk()
    result = cli("practice", "tiny", "--no-checkin", input="5\n")
    refused(result, f"cannot update (migration {migrations.MIGRATIONS[0].__name__}) {db}")
    assert "disk is full" in result.stderr
    # The practice ran; the log was left alone and the session kept beside it.
    assert "Look around the room." in result.stdout
    assert sorted(p.name for p in db.parent.glob("quietwork.db*")) in ([], ["quietwork.db"])
    monkeypatch.undo()  # room again
    monkeypatch.setenv("QUIETWORK_HOME", str(db.parent))
    assert cli("checkin", "--distress", "3").exit_code == 0
    assert [entry["distress"] for entry in json.loads(cli("log", "--json").stdout)] == [3]
