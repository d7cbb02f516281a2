"""Store.update_checkin: follow-up answers added to a check-in already written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from quietwork.errors import StoreError
from quietwork.store import Store

PLUS_ONE = timezone(timedelta(hours=1))


@pytest.fixture
def db(quietwork_home: Path) -> Path:
    return quietwork_home / "quietwork.db"


@pytest.fixture
def log(db: Path) -> Iterator[Store]:
    moment = datetime(2026, 11, 22, 10, 0, tzinfo=PLUS_ONE)
    with Store.open(db, now=lambda: moment) as opened:
        yield opened


def only_checkin(log: Store) -> dict[str, Any]:
    (session,) = log.entries()
    (checkin,) = session["checkins"]
    return {k: v for k, v in checkin.items() if k not in ("id", "at")}


def test_a_rating_then_each_follow_up_as_it_is_given(log: Store) -> None:
    session = log.start_session("exhale")
    checkin = log.add_checkin(session, "after", distress=6)
    assert only_checkin(log) == {"phase": "after", "distress": 6, "state": None, "body": [],
                                 "noticed": [], "note": None, "area": None}
    log.update_checkin(checkin, state="activated")
    log.update_checkin(checkin, body=["jaw", "chest"])
    log.update_checkin(checkin, noticed=["sigh"])
    log.update_checkin(checkin, note="after the call")
    assert only_checkin(log) == {"phase": "after", "distress": 6, "state": "activated",
                                 "body": ["jaw", "chest"], "noticed": ["sigh"],
                                 "note": "after the call", "area": None}


def test_only_the_given_fields_change(log: Store) -> None:
    session = log.start_session("exhale")
    checkin = log.add_checkin(session, "before", distress=4, state="settled", body=["feet"],
                              note="first")
    log.update_checkin(checkin, noticed=["yawn"])
    log.update_checkin(checkin)  # nothing given: nothing written
    assert only_checkin(log) == {"phase": "before", "distress": 4, "state": "settled",
                                 "body": ["feet"], "noticed": ["yawn"], "note": "first",
                                 "area": None}
    log.update_checkin(checkin, body=(), note="")  # given empty: stored empty
    changed = only_checkin(log)
    assert (changed["body"], changed["note"], changed["state"]) == ([], "", "settled")


def test_the_summary_rating_on_the_session_is_untouched(log: Store) -> None:
    session = log.start_session("exhale")
    log.add_checkin(session, "before", distress=6)
    after = log.add_checkin(session, "after", distress=3)
    log.update_checkin(after, state="settled", note="ok")
    log.finish_session(session, "completed")
    (row,) = log.stats()["practices"]
    assert (row["mean_before"], row["mean_after"]) == (6.0, 3.0)


def test_a_standalone_checkin_is_updated_too(log: Store) -> None:
    checkin = log.add_checkin(None, "standalone", distress=2)
    log.update_checkin(checkin, state="shut_down", body=["head"])
    (entry,) = log.entries()
    assert (entry["distress"], entry["state"], entry["body"], entry["note"]) == (
        2, "shut_down", ["head"], None)


def test_an_unknown_checkin_is_a_programming_error(log: Store) -> None:
    with pytest.raises(ValueError, match="no check-in nope"):
        log.update_checkin("nope", note="x")
    assert log.entries() == []


def test_a_failed_update_changes_nothing(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(db) as first:
        session = first.start_session("ground")
        checkin = first.add_checkin(session, "before", distress=5)
    connect = sqlite3.connect

    def full_disk(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow
        return conn

    monkeypatch.setattr(sqlite3, "connect", full_disk)
    with Store.open(db) as full, pytest.raises(StoreError, match="disk is full"):
        full.update_checkin(checkin, state="activated", note="x" * 20_000)
    monkeypatch.undo()
    with Store.open(db) as after:
        (entry,) = after.entries()
    assert [(c["distress"], c["state"], c["note"]) for c in entry["checkins"]] == [
        (5, None, None)]
