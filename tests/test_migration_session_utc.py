"""m003 gives each nested check-in its session's sort key; old logs export the same after it.

The whole-log export reads sessions and check-ins as two sorted streams joined by that key,
so every writer must fill it: a live practice, an import, and the migration's backfill.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from old_logs import writing_an_old_log
from quietwork import migrations
from quietwork.exporting import to_csv
from quietwork.output import json_unsafe
from quietwork.store import Store

from conftest import Result

PLUS_ONE = timezone(timedelta(hours=1))
NOON = datetime(2026, 11, 22, 12, 0, tzinfo=PLUS_ONE)


def fill(log: Store) -> None:
    """Sessions started at one moment (their ids out of rowid order), standalone check-ins
    at that moment and later, a session without check-ins, a running one."""
    for practice in ("ground", "breathe", "ground", "body"):
        session = log.start_session(practice)
        log.add_checkin(session, "before", distress=7, body=["jaw"])
        log.add_checkin(session, "after", distress=3, note="=1+1")
        log.finish_session(session, "completed")
        log.add_checkin(None, "standalone", distress=4, note="late")
    log.finish_session(log.start_session("ground"), "stopped", "user")
    log.start_session("breathe")


def session_keys(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        found = conn.execute(
            "SELECT c.session_id IS NULL, c.session_utc IS s.started_utc, c.session_utc"
            " FROM checkins AS c LEFT JOIN sessions AS s ON s.id = c.session_id").fetchall()
    conn.close()
    return found


def clock(start: datetime, step: timedelta) -> Any:
    moments = iter(start + step * (n // 5) for n in range(10_000))
    return lambda: next(moments)


@pytest.mark.parametrize("applied", [1, 2])
def test_an_old_log_migrates_and_exports_as_before(
    quietwork_home: Path, monkeypatch: pytest.MonkeyPatch, cli: Any, applied: int
) -> None:
    db = quietwork_home / "quietwork.db"
    with writing_an_old_log(monkeypatch, applied):
        with Store.open(db, now=clock(NOON, timedelta(0))) as log:
            fill(log)
            before = log.entries()
        with sqlite3.connect(db) as conn:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(checkins)")]
        conn.close()
        assert "session_utc" not in columns

    as_json: Result = cli("log", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert as_json.stdout == json_unsafe(json.dumps(before, indent=2, ensure_ascii=False)) + "\n"
    as_csv: Result = cli("log", "--csv")
    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.stdout == to_csv(before)
    assert as_json.stderr == as_csv.stderr == ""  # the backfill says nothing
    keys = session_keys(db)
    assert len(keys) == 12
    assert all(key[1] for key in keys if not key[0])  # each nested one has its session's
    assert all(key[2] is None for key in keys if key[0])  # a standalone one has none
    with sqlite3.connect(db) as conn:
        applied_names = [str(row[0]) for row in conn.execute("SELECT name FROM _migrations")]
    conn.close()
    assert applied_names == [step.__name__ for step in migrations.MIGRATIONS]


def test_a_failed_backfill_leaves_the_old_log_as_it_was(
    quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = quietwork_home / "quietwork.db"
    with writing_an_old_log(monkeypatch, 2), Store.open(db, now=clock(NOON, timedelta(0))) as log:
        fill(log)
    with sqlite3.connect(db) as conn:
        # Anything that stops the UPDATE midway: here a trigger refusing the fourth row.
        conn.execute("CREATE TABLE seen (n)")
        conn.execute(
            "CREATE TRIGGER stop BEFORE UPDATE ON checkins WHEN (SELECT count(*) FROM seen) >= 3"
            " BEGIN SELECT RAISE(ABORT, 'stopped'); END")
        conn.execute(
            "CREATE TRIGGER count AFTER UPDATE ON checkins BEGIN INSERT INTO seen VALUES (1); END")
    conn.close()
    with pytest.raises(Exception, match="m003"):
        Store.open(db).close()
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(checkins)")]
        names = [str(row[0]) for row in conn.execute("SELECT name FROM _migrations")]
        seen = conn.execute("SELECT count(*) FROM seen").fetchone()[0]
    conn.close()
    assert "session_utc" not in columns and seen == 0
    assert names == [step.__name__ for step in migrations.MIGRATIONS[:2]]


def test_every_writer_gives_a_nested_check_in_its_sessions_key(
    quietwork_home: Path, cli: Any
) -> None:
    db = quietwork_home / "quietwork.db"
    with Store.open(db, now=clock(NOON, timedelta(minutes=1))) as log:  # live practice
        fill(log)
        listed = log.entries()
    imported = quietwork_home.parent / "other"
    with Store.open(imported / "quietwork.db") as other:  # an import, into another log
        assert other.import_entries(listed) == (len(listed), 0)
    for path in (db, imported / "quietwork.db"):
        keys = session_keys(path)
        assert len(keys) == 12 and all(key[1] for key in keys), path
    as_json: Result = cli("log", "--json")
    assert as_json.stdout == json_unsafe(json.dumps(listed, indent=2, ensure_ascii=False)) + "\n"


def test_check_ins_whose_session_is_gone_are_left_out_as_before(
    quietwork_home: Path, cli: Any
) -> None:
    db = quietwork_home / "quietwork.db"
    with Store.open(db, now=clock(NOON, timedelta(minutes=1))) as log:
        fill(log)
    with sqlite3.connect(db) as conn:  # a session deleted behind quietwork's back
        conn.execute("DELETE FROM sessions WHERE practice = 'body'")
    conn.close()
    with Store.open(db) as log:
        listed = log.entries()
    assert len(listed) == 9
    as_json: Result = cli("log", "--json")
    assert as_json.stdout == json_unsafe(json.dumps(listed, indent=2, ensure_ascii=False)) + "\n"
    as_csv: Result = cli("log", "--csv")
    assert as_csv.stdout == to_csv(listed)
