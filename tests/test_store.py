"""The log database: what `log`, `stats` and `import` see, and what never happens to a file."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import quietwork
from quietwork import migrations
from quietwork.errors import StoreError
from quietwork.store import Phase, Status, Store

PLUS_ONE = timezone(timedelta(hours=1))
WRITER = Path(__file__).with_name("store_writer.py")


class Clock:
    """A wall clock that moves on by `step` each time it is read."""

    def __init__(
        self,
        start: datetime = datetime(2026, 11, 22, 10, 0, tzinfo=PLUS_ONE),
        step: timedelta = timedelta(minutes=1),
    ) -> None:
        self.moment = start
        self.step = step

    def __call__(self) -> datetime:
        now = self.moment
        self.moment += self.step
        return now


@pytest.fixture
def db(quietwork_home: Path) -> Path:
    return quietwork_home / "quietwork.db"


@pytest.fixture
def log(db: Path) -> Iterator[Store]:
    with Store.open(db, now=Clock()) as opened:
        yield opened


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def session_entry(
    session_id: str, started_at: str, before: int | None = None, after: int | None = None
) -> dict[str, Any]:
    """A validated `log --json` session entry, as parse_import returns it."""
    checkins = [
        {"id": f"{session_id}-{phase}", "phase": phase, "distress": rating, "at": started_at}
        | {"state": None, "body": [], "noticed": [], "note": None, "area": None}
        for phase, rating in (("before", before), ("after", after))
        if rating is not None
    ]
    return {
        "kind": "session",
        "id": session_id,
        "practice": "ground",
        "status": "completed",
        "stop_reason": None,
        "started_at": started_at,
        "ended_at": None,
        "checkins": checkins,
    }


def run_writer(db: Path, *args: str, **popen: Any) -> subprocess.Popen[str]:
    src = str(Path(quietwork.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), *args], text=True, env=env, **popen
    )


# What log --json shows


def test_a_session_and_a_checkin_read_back_in_the_log_shape(log: Store) -> None:
    session = log.start_session("ground", source="builtin")
    log.add_checkin(session, "before", distress=6, state="activated", body=["jaw"])
    log.add_checkin(session, "track", area="jaw", noticed=["warm"])
    log.add_checkin(session, "after", distress=3, noticed=["sigh"], note="")
    log.finish_session(session, "completed")
    log.add_checkin(None, "standalone", distress=4, state="activated", body=["chest", "jaw"],
                    note="after the call")

    checkin, practice = log.entries()
    assert list(checkin) == ["kind", "id", "at", "distress", "state", "body", "note"]
    assert {k: v for k, v in checkin.items() if k != "id"} == {
        "kind": "checkin", "at": "2026-11-22T10:05:00+01:00", "distress": 4,
        "state": "activated", "body": ["chest", "jaw"], "note": "after the call",
    }
    assert list(practice) == ["kind", "id", "practice", "status", "stop_reason", "started_at",
                              "ended_at", "checkins"]
    assert list(practice["checkins"][0]) == ["id", "phase", "distress", "at", "state", "body",
                                             "noticed", "note", "area"]
    assert practice["practice"] == "ground" and practice["status"] == "completed"
    assert practice["stop_reason"] is None
    assert practice["started_at"] == "2026-11-22T10:00:00+01:00"
    assert practice["ended_at"] == "2026-11-22T10:04:00+01:00"
    assert [{k: v for k, v in c.items() if k != "id"} for c in practice["checkins"]] == [
        {"phase": "before", "distress": 6, "at": "2026-11-22T10:01:00+01:00",
         "state": "activated", "body": ["jaw"], "noticed": [], "note": None, "area": None},
        {"phase": "track", "distress": None, "at": "2026-11-22T10:02:00+01:00",
         "state": None, "body": [], "noticed": ["warm"], "note": None, "area": "jaw"},
        {"phase": "after", "distress": 3, "at": "2026-11-22T10:03:00+01:00",
         "state": None, "body": [], "noticed": ["sigh"], "note": "", "area": None},
    ]


def test_timestamps_are_local_iso_8601_with_an_offset(db: Path) -> None:
    with Store.open(db) as real_clock:
        real_clock.add_checkin(None, "standalone", distress=2)
        (entry,) = real_clock.entries()
    moment = datetime.fromisoformat(entry["at"])
    assert moment.utcoffset() == datetime.now().astimezone().utcoffset()
    assert abs(datetime.now().astimezone() - moment) < timedelta(minutes=1)


def test_newest_first_limit_since_and_practice(db: Path) -> None:
    daily = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=PLUS_ONE), step=timedelta(days=1))
    with Store.open(db, now=daily) as log:
        for practice in ("ground", "exhale", "ground"):  # started on the 20th, 22nd, 24th
            log.finish_session(log.start_session(practice), "completed")
        log.add_checkin(None, "standalone", distress=1)  # the 26th

        assert [e.get("practice", "checkin") for e in log.entries()] == [
            "checkin", "ground", "exhale", "ground"]
        assert [e.get("practice", "checkin") for e in log.entries(limit=2)] == [
            "checkin", "ground"]
        assert log.entries(limit=0) == []
        assert [e["practice"] for e in log.entries(practice="ground")] == ["ground", "ground"]
        assert [e["started_at"][:10] for e in log.entries(practice="ground", limit=1)] == [
            "2026-11-24"]
        assert len(log.entries(since=date(2026, 11, 22))) == 3
        assert len(log.entries(since=date(2026, 11, 26))) == 1
        assert log.entries(since=date(2026, 11, 27)) == []


def test_entries_written_within_one_second_keep_their_order(db: Path) -> None:
    with Store.open(db) as quick:  # the real clock: all three within a second or so
        first = quick.start_session("ground")
        second = quick.start_session("exhale")
        checkin = quick.add_checkin(None, "standalone", distress=1)
        assert [e["id"] for e in quick.entries()] == [checkin, second, first]


def test_entries_from_different_offsets_sort_by_real_time(log: Store) -> None:
    log.import_entries([
        session_entry("tokyo", "2026-11-22T18:00:00+09:00"),  # 09:00 UTC
        session_entry("london", "2026-11-22T10:00:00+00:00"),  # 10:00 UTC
        session_entry("new-york", "2026-11-22T04:30:00-05:00"),  # 09:30 UTC
    ])
    assert [e["id"] for e in log.entries()] == ["london", "new-york", "tokyo"]


# stats --json


def test_stats_means_ranking_and_days(log: Store) -> None:
    def rated(practice: str, before: int | None, after: int | None, status: Status) -> None:
        session = log.start_session(practice)
        if before is not None:
            log.add_checkin(session, "before", distress=before)
        if after is not None:
            log.add_checkin(session, "after", distress=after)
        log.finish_session(session, status, "user" if status == "stopped" else None)

    rated("ground", 6, 3, "completed")
    rated("ground", 5, 3, "completed")
    rated("exhale", 3, 5, "completed")
    rated("exhale", 4, 6, "completed")
    rated("exhale", 5, 4, "completed")
    rated("box", 9, None, "stopped")
    log.add_checkin(None, "standalone", distress=4)
    log.add_checkin(None, "standalone", distress=None)

    stats = log.stats(days=30, today=date(2026, 11, 22))
    assert stats["days_span"] == 30
    assert stats["practices"] == [
        {"practice": "ground", "sessions": 2, "completed": 2, "stopped": 0, "interrupted": 0,
         "mean_before": 5.5, "mean_after": 3.0, "mean_change": -2.5, "rated": 2, "rose": 0,
         "stopped_by_choice": 0, "stopped_by_rating": 0, "stop_ratings": [],
         "rising_stop_ratings": [], "before_stop_ratings": [], "after_stop": 0,
         "median_change": -2.5, "came_down": 2, "stayed": 0, "went_up": 0,
         "before_only_ratings": [], "last_only_ratings": [], "no_ratings": 0},
        {"practice": "exhale", "sessions": 3, "completed": 3, "stopped": 0, "interrupted": 0,
         "mean_before": 4.0, "mean_after": 5.0, "mean_change": 1.0, "rated": 3, "rose": 2,
         "stopped_by_choice": 0, "stopped_by_rating": 0, "stop_ratings": [],
         "rising_stop_ratings": [], "before_stop_ratings": [], "after_stop": 0,
         "median_change": 2.0, "came_down": 1, "stayed": 0, "went_up": 2,
         "before_only_ratings": [], "last_only_ratings": [], "no_ratings": 0},
        {"practice": "box", "sessions": 1, "completed": 0, "stopped": 1, "interrupted": 0,
         "mean_before": None, "mean_after": None, "mean_change": None, "rated": 0, "rose": 0,
         "stopped_by_choice": 1, "stopped_by_rating": 0, "stop_ratings": [],
         "rising_stop_ratings": [], "before_stop_ratings": [], "after_stop": 0,
         "median_change": None, "came_down": 0, "stayed": 0, "went_up": 0,
         "before_only_ratings": [9], "last_only_ratings": [], "no_ratings": 0},
    ]
    assert stats["days"] == [
        {"date": "2026-11-22", "mean_before": 4.6, "mean_after": 4.2, "checkins": 2,
         "mean_checkin": 4.0, "sessions": 6, "rated": 5,
         "before_stop_ratings": [], "after_stop": 0},
    ]
    assert stats["checkins"] == {"count": 2, "mean_distress": 4.0}


def test_stats_uses_the_first_before_and_last_after_rating(log: Store) -> None:
    session = log.start_session("ground")
    answers: list[tuple[Phase, int]] = [
        ("before", 7), ("before", 2), ("mid", 9), ("after", 5), ("after", 4)]
    for phase, rating in answers:
        log.add_checkin(session, phase, distress=rating)
    (row,) = log.stats(today=date(2026, 11, 22))["practices"]
    assert (row["mean_before"], row["mean_after"], row["mean_change"]) == (7.0, 4.0, -3.0)


def test_stats_counts_only_the_last_n_days_cut_at_local_midnight(
    log: Store, local_zone: Callable[[str], None]
) -> None:
    local_zone("Asia/Tokyo")  # +09:00
    log.import_entries([
        session_entry("old", "2026-10-23T14:59:00+00:00", 8, 2),  # 23:59 on the 23rd in Tokyo
        session_entry("first-day", "2026-10-23T15:00:00+00:00", 6, 5),  # midnight, the 24th
        # The 21st where it was written, the 22nd in Tokyo (16:30).
        session_entry("today", "2026-11-21T23:30:00-08:00", 4, 4),
    ])
    stats = log.stats(days=30, today=date(2026, 11, 22))
    assert [d["date"] for d in stats["days"]] == ["2026-10-24", "2026-11-22"]
    assert stats["practices"][0]["sessions"] == 2
    assert log.stats(days=1, today=date(2026, 11, 22))["practices"][0]["sessions"] == 1


def test_an_empty_log_has_empty_stats(log: Store) -> None:
    assert log.stats(days=7) == {
        "days_span": 7, "practices": [], "days": [],
        "checkins": {"count": 0, "mean_distress": None},
    }


# import


def test_import_adds_new_entries_and_counts_the_rest(log: Store) -> None:
    entries = [
        session_entry("a", "2026-11-20T10:00:00+01:00", 6, 3),
        {"kind": "checkin", "id": "c", "at": "2026-11-21T10:00:00+01:00", "distress": 4,
         "state": "settled", "body": ["chest"], "note": "x"},
    ]
    assert log.import_entries(entries) == (2, 0)
    assert log.import_entries(entries) == (0, 2)
    assert log.import_entries([*entries, session_entry("b", "2026-11-22T10:00:00Z")]) == (1, 2)
    shown = log.entries()
    assert [e["id"] for e in shown] == ["b", "c", "a"]
    assert shown[1]["body"] == ["chest"] and shown[1]["state"] == "settled"
    assert [c["distress"] for c in shown[2]["checkins"]] == [6, 3]
    stats = log.stats(today=date(2026, 11, 22))
    assert stats["practices"][0]["mean_change"] == -3.0


def test_an_imported_running_session_shows_as_interrupted(log: Store) -> None:
    entry = session_entry("elsewhere", "2026-11-20T10:00:00+01:00") | {"status": "running"}
    log.import_entries([entry])
    assert log.entries()[0]["status"] == "interrupted"


# anchors


def test_anchors_are_kept_and_replaced(log: Store) -> None:
    assert log.anchors() == {}
    log.set_anchors({0: "feet warm", 5: "jaw tight", 10: "can't breathe"})
    assert log.anchors() == {0: "feet warm", 5: "jaw tight", 10: "can't breathe"}
    log.set_anchors({5: "shoulders up"})
    assert log.anchors() == {5: "shoulders up"}


# sessions left running


def test_a_session_whose_process_is_gone_is_interrupted(db: Path) -> None:
    child = run_writer(db, "start", stdout=subprocess.PIPE)
    gone_id = child.communicate()[0].strip()
    assert child.returncode == 0
    with Store.open(db) as here:
        running = here.start_session("ground")  # this process is alive
        statuses = {e["id"]: e["status"] for e in here.entries()}
    assert statuses == {gone_id: "interrupted", running: "running"}


def test_misuse_is_a_programming_error(log: Store) -> None:
    session = log.start_session("ground")
    with pytest.raises(ValueError):
        log.add_checkin(None, "before", distress=3)
    with pytest.raises(ValueError):
        log.add_checkin(session, "standalone", distress=3)
    with pytest.raises(ValueError):
        log.finish_session("no-such-session", "completed")


# Privacy


def test_the_folder_and_file_are_private(quietwork_home: Path) -> None:
    db = quietwork_home / "deeper" / "quietwork.db"
    with Store.open(db) as fresh:
        # quietwork keeps no connection open between writes; another reader keeps the
        # WAL files there while quietwork writes.
        reader = sqlite3.connect(db)
        reader.execute("SELECT count(*) FROM sessions").fetchall()
        fresh.add_checkin(None, "standalone", distress=3)
        files = list(db.parent.glob("quietwork.db*"))
        modes = {file: stat.S_IMODE(file.stat().st_mode) for file in files}
        reader.close()
        assert db in files and len(files) > 1  # the WAL files are there while open
        assert set(modes.values()) == {0o600}, modes
    for folder in (quietwork_home, db.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


# Files that are not ours, or newer: refused, never written


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(4096),
        b"my grocery list\n- oats\n",
        b"SQLite format 3\x00" + os.urandom(8000),
    ],
    ids=["random bytes", "text", "corrupt sqlite"],
)
def test_a_file_that_is_not_a_database_is_refused_untouched(db: Path, content: bytes) -> None:
    db.parent.mkdir()
    db.write_bytes(content)
    before = digest(db)
    with pytest.raises(StoreError) as refused:
        Store.open(db)
    assert f"{db} is not a quietwork database" in refused.value.message
    assert refused.value.hint
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["quietwork.db"]


def test_another_programs_database_is_refused_untouched(db: Path) -> None:
    db.parent.mkdir()
    with sqlite3.connect(db) as other:
        other.execute("CREATE TABLE recipes (name TEXT)")
    other.close()
    before = digest(db)
    with pytest.raises(StoreError, match="is not a quietwork database") as refused:
        Store.open(db)
    assert str(db) in refused.value.message
    assert digest(db) == before


def make_newer(db: Path, change: Callable[[sqlite3.Connection], None]) -> str:
    Store.open(db).close()
    newer = sqlite3.connect(db, isolation_level=None)
    change(newer)
    newer.close()
    return digest(db)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.execute("INSERT INTO _migrations VALUES ('m999_from_the_future', '')"),
        lambda c: c.execute(f"PRAGMA user_version = {len(migrations.MIGRATIONS) + 1}"),
    ],
    ids=["unknown migration", "higher user_version"],
)
def test_a_newer_database_is_refused_untouched(
    db: Path, change: Callable[[sqlite3.Connection], None]
) -> None:
    before = make_newer(db, change)
    with pytest.raises(StoreError) as refused:
        Store.open(db)
    assert refused.value.message == (
        f"{db} was written by a newer version of quietwork; this version will not change it"
    )
    assert refused.value.hint is not None and "Upgrade" in refused.value.hint
    assert digest(db) == before


def test_a_failing_migration_changes_nothing(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(db).close()

    def m999_broken(execute: migrations.Execute) -> None:
        execute("CREATE TABLE half_done (x)")
        execute("ALTER TABLE no_such_table ADD COLUMN y")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_broken])
    with pytest.raises(StoreError, match="m999_broken") as failed:
        Store.open(db)
    assert str(db) in failed.value.message
    with sqlite3.connect(db) as check:
        tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master")}
        applied = [row[0] for row in check.execute("SELECT name FROM _migrations")]
        version = check.execute("PRAGMA user_version").fetchone()[0]
    check.close()
    assert "half_done" not in tables
    assert "m999_broken" not in applied
    assert version == len(applied) == len(migrations.MIGRATIONS) - 1


def test_migrations_are_recorded_and_not_repeated(db: Path) -> None:
    Store.open(db).close()
    Store.open(db).close()
    with sqlite3.connect(db) as check:
        applied = [row[0] for row in check.execute("SELECT name FROM _migrations")]
        version = check.execute("PRAGMA user_version").fetchone()[0]
    check.close()
    assert applied == [step.__name__ for step in migrations.MIGRATIONS]
    assert version == len(applied)


# Folders and disks that will not take a write


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes")
@pytest.mark.parametrize("inside", ["quietwork.db", "sub/quietwork.db"])
def test_a_read_only_home_is_named(quietwork_home: Path, inside: str) -> None:
    quietwork_home.mkdir()
    quietwork_home.chmod(0o500)
    try:
        with pytest.raises(StoreError) as refused:
            Store.open(quietwork_home / inside)
    finally:
        quietwork_home.chmod(0o700)
    assert str(quietwork_home / inside.split("/")[0]) in refused.value.message


def test_a_home_that_is_a_file_is_named(quietwork_home: Path) -> None:
    quietwork_home.write_text("not a folder")
    with pytest.raises(StoreError) as refused:
        Store.open(quietwork_home / "quietwork.db")
    assert str(quietwork_home) in refused.value.message


def test_a_full_disk_writes_nothing_half(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(db) as before_full:
        session = before_full.start_session("ground")
    connect = sqlite3.connect

    def full_disk(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow
        return conn

    monkeypatch.setattr(sqlite3, "connect", full_disk)  # what store.py calls
    with Store.open(db) as full:
        with pytest.raises(StoreError) as refused:
            full.add_checkin(session, "before", distress=5, note="x" * 20_000)
        assert refused.value.message == f"cannot write to {db}: database or disk is full"
        many = [session_entry(f"s{n}", "2026-11-22T10:00:00+01:00", 5, 3) for n in range(500)]
        with pytest.raises(StoreError, match="disk is full"):
            full.import_entries(many)
    monkeypatch.undo()
    with Store.open(db) as after:
        assert [(e["id"], e["checkins"]) for e in after.entries()] == [(session, [])]


# Several processes at once


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_writers_lose_nothing(db: Path, writers: int) -> None:
    each = 200
    children = [
        run_writer(db, "write", str(each), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE)
        for _ in range(writers)
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.close()
    for child in children:
        assert child.stderr is not None
        errors = child.stderr.read()
        assert child.wait(timeout=60) == 0, errors
        assert errors == ""
    with Store.open(db) as merged:
        sessions = merged.entries()
    assert len(sessions) == writers * each
    assert {s["status"] for s in sessions} == {"completed"}
    assert all(len(s["checkins"]) == 1 for s in sessions)


def test_a_checkin_survives_the_process_being_killed(db: Path) -> None:
    child = run_writer(db, "checkin", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == "ok\n"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.stdin is not None
    child.stdin.close()
    child.stdout.close()
    with Store.open(db) as after:
        (session,) = after.entries()
    assert session["status"] == "interrupted"
    assert [(c["phase"], c["distress"], c["note"]) for c in session["checkins"]] == [
        ("before", 7, "still here")]


# A practice's start: one connection opens, reads and writes the session (Store.open starting)


@pytest.mark.parametrize("there", [True, False], ids=["log there", "log created"])
def test_a_log_replaced_between_a_practices_open_and_its_session_gets_the_session(
    db: Path, tmp_path: Path, there: bool
) -> None:
    """Also right after the log was created (its tables are in the write-ahead log then,
    which must be gone before the file at the path is someone else's)."""
    other = tmp_path / "other" / "quietwork.db"
    with Store.open(other) as elsewhere:  # another log, with one check-in of its own
        elsewhere.add_checkin(None, "standalone", distress=2)
    if there:
        Store.open(db).close()
    store = Store.open(db, keep_aside=True, starting=True)
    store.anchors()
    os.replace(other, db)  # by rename, as a sync tool or a restore does
    with Store.open(db, read_only=True) as reader:  # read at once, as another program would
        assert [entry["kind"] for entry in reader.entries()] == ["checkin"]
    session = store.start_session("ground")
    store.finish_session(session, "completed")
    store.close()
    with Store.open(db, read_only=True) as reader:
        kinds = sorted(entry["kind"] for entry in reader.entries())
    assert kinds == ["checkin", "session"]  # the session went into the file there now
    assert not db.with_name("quietwork.db-wal").exists()


def test_a_practice_that_never_starts_its_session_leaves_no_connection_open(db: Path) -> None:
    store = Store.open(db, keep_aside=True, starting=True)
    assert store.anchors() == {}
    store.close()
    assert not db.with_name("quietwork.db-wal").exists()  # the last connection closed
    with Store.open(db, read_only=True) as reader:
        assert reader.entries() == []
