"""A log written before m002 opens, loses the two local-time indexes, and reads the same."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from old_logs import writing_an_old_log
from quietwork import migrations
from quietwork.store import Store

PLUS_ONE = timezone(timedelta(hours=1))


def indexes(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        found = {str(row[0]) for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    return found


def test_an_old_log_migrates_and_reads_as_before(
    quietwork_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = quietwork_home / "quietwork.db"
    first_release = datetime(2026, 11, 22, 10, 0, tzinfo=PLUS_ONE)
    with (writing_an_old_log(monkeypatch, 1),  # the log as the first release wrote it
          Store.open(db, now=lambda: first_release) as log):
            session = log.start_session("ground")
            log.add_checkin(session, "before", distress=7, body=["jaw"])
            log.add_checkin(session, "after", distress=3)
            log.finish_session(session, "completed")
            log.add_checkin(None, "standalone", distress=4, note="late")
            before = log.entries()
            stats_before = log.stats(today=datetime(2026, 11, 22).date())
    assert {"sessions_by_local_time", "standalone_by_local_time"} <= indexes(db)

    with Store.open(db) as log:
        assert log.entries() == before
        assert log.stats(today=datetime(2026, 11, 22).date()) == stats_before
        assert stats_before["practices"][0]["mean_before"] == 7
    assert not {"sessions_by_local_time", "standalone_by_local_time"} & indexes(db)
    with sqlite3.connect(db) as conn:
        applied = [str(row[0]) for row in conn.execute("SELECT name FROM _migrations")]
    conn.close()
    assert applied == [step.__name__ for step in migrations.MIGRATIONS]
    assert "m002_drop_unread_local_time_indexes" in applied
