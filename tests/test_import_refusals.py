"""Import refuses, with one line naming the entry and field, what it cannot keep faithfully.

Datetime bounds, huge numbers, lone surrogates, ids that clean to nothing, and ids that
name something else (in the log or in the file) — nothing is merged half-way.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from quietwork import paths

from conftest import Result

AT = "2026-11-22T10:00:00+01:00"


def session(sid: str = "s1", *checkins: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"kind": "session", "id": sid, "practice": "ground", "status": "completed",
            "stop_reason": None, "started_at": AT, "ended_at": AT,
            "checkins": list(checkins)} | changes


def checkin(cid: str, phase: str = "before", distress: int | None = 6, **changes: Any
            ) -> dict[str, Any]:
    return {"id": cid, "phase": phase, "distress": distress, "at": AT, "state": None,
            "body": [], "noticed": [], "note": None, "area": None} | changes


def standalone(cid: str = "k1", **changes: Any) -> dict[str, Any]:
    return {"kind": "checkin", "id": cid, "at": AT, "distress": 4, "state": None,
            "body": [], "note": None} | changes


def imported(cli: Any, tmp_path: Path, entries: list[Any] | str, name: str = "in.json"
             ) -> Result:
    file = tmp_path / name
    file.write_text(entries if isinstance(entries, str) else json.dumps(entries),
                    encoding="utf-8")
    result: Result = cli("import", str(file))
    return result


def log_rows() -> tuple[int, int]:
    if not paths.db_path().exists():
        return (0, 0)
    with sqlite3.connect(paths.db_path()) as conn:
        return (conn.execute("SELECT count(*) FROM sessions").fetchone()[0],
                conn.execute("SELECT count(*) FROM checkins").fetchone()[0])


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (json.dumps([standalone(), standalone("k2", at="9999-12-31T23:59:59-12:00")]),
         "entry 2 (at): the timestamp is out of range"),
        (json.dumps([standalone(at="0001-01-01T00:00:00+05:00")]),
         "entry 1 (at): the timestamp is out of range"),
        (json.dumps([standalone(distress=0)]).replace('"distress": 0', '"distress": ' + "9" * 5000),
         "entry 1 (distress): "),
        (json.dumps([standalone(note="\ud800 alone")]),
         "entry 1 (note): not valid Unicode text (a lone surrogate)"),
        (json.dumps([session("s1", checkin("c1", body=["ok", "\udfff"]))]),
         "entry 1 (checkins.0.body.1): "),
        (json.dumps([standalone(id="   ")]), "entry 1 (id): empty"),
        (json.dumps([standalone(id="\u0007")]), "entry 1 (id): empty"),
        (json.dumps([session(practice="\x1b\x07 ")]), "entry 1 (practice): empty"),
        (json.dumps([session("s1", checkin("c1", phase="track", distress=None, area="\u200b"))]),
         "entry 1 (checkins.0.area): empty"),
        (json.dumps([standalone(body=["chest", " \t "])]), "entry 1 (body.1): empty"),
    ],
)
def test_what_would_crash_or_be_lost_is_a_one_line_error(
    cli: Any, tmp_path: Path, text: str, where: str
) -> None:
    result = imported(cli, tmp_path, text)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()[:1]
    assert line.startswith(f"Error: {tmp_path / 'in.json'}: {where}")
    assert "bug" not in result.stderr and "Traceback" not in result.stderr
    assert log_rows() == (0, 0)


def conflict(cli: Any, tmp_path: Path, entries: list[Any]) -> str:
    before = log_rows()
    result = imported(cli, tmp_path, entries, "second.json")
    assert result.exit_code == 1, result.output
    assert log_rows() == before  # nothing merged half-way
    assert "nothing was imported" in result.stderr
    return result.stderr.splitlines()[0]


def test_an_id_reused_with_other_content_is_a_conflict_not_a_graft(
    cli: Any, tmp_path: Path
) -> None:
    first = [session("s1", checkin("c1"), checkin("c2", "after", 3)), standalone("k1")]
    assert imported(cli, tmp_path, first).exit_code == 0
    assert log_rows() == (1, 3)
    # Another session under the same id (another practice, other check-ins).
    other = [standalone("k9"), session("s1", checkin("c7", distress=9), practice="box")]
    assert "entry 2: the log already has a session 's1' that differs" in conflict(
        cli, tmp_path, other)
    # The same session with a check-in more: not the same session.
    grown = [session("s1", checkin("c1"), checkin("c2", "after", 3), checkin("c3", "after", 1))]
    assert "'s1' in the log has no check-in 'c3'" in conflict(cli, tmp_path, grown)
    # A nested check-in whose id is another session's (or a standalone one's).
    graft = [session("s2", checkin("c1", distress=0))]
    assert "entry 1: the log already has a check-in 'c1' that belongs elsewhere" in conflict(
        cli, tmp_path, graft)
    graft = [session("s3", checkin("k1", distress=4))]
    assert "check-in 'k1' that belongs elsewhere" in conflict(cli, tmp_path, graft)
    # A standalone check-in changed.
    assert "check-in 'k1' that differs" in conflict(cli, tmp_path, [standalone(distress=9)])
    # And what is the same is still "already here".
    again = imported(cli, tmp_path, first, "again.json")
    assert again.exit_code == 0 and "Imported 0 entries" in again.stdout


def test_an_id_twice_in_one_file_with_other_content_is_a_conflict(
    cli: Any, tmp_path: Path
) -> None:
    twice = [session("s1", checkin("c1")), standalone("k1"),
             session("s1", checkin("c1"), checkin("c2", "after", 2))]
    line = conflict(cli, tmp_path, twice)
    assert "entry 3: the check-in id" in line or "entry 3: the session id 's1'" in line
    shared = [session("s1", checkin("c1")), session("s2", checkin("c1"))]
    assert "the check-in id 'c1' is also in entry 1" in conflict(cli, tmp_path, shared)
    # The very same entry twice is one entry.
    same = [session("s1", checkin("c1")), session("s1", checkin("c1"))]
    result = imported(cli, tmp_path, same)
    assert result.exit_code == 0, result.output
    assert log_rows() == (1, 1)


def test_the_summary_ratings_come_only_from_what_was_imported(cli: Any, tmp_path: Path) -> None:
    assert imported(cli, tmp_path, [session("s1", checkin("c1", distress=2))]).exit_code == 0
    conflict(cli, tmp_path, [session("s2", checkin("c1", distress=9),
                                     checkin("c9", "after", 0))])
    stats = json.loads(cli("stats", "--json").stdout)
    assert [p["sessions"] for p in stats["practices"]] == [1]


def test_a_running_session_imported_twice_is_already_here(cli: Any, tmp_path: Path) -> None:
    running = [session("s1", checkin("c1"), status="running", ended_at=None)]
    assert imported(cli, tmp_path, running).exit_code == 0
    again = imported(cli, tmp_path, running, "again.json")  # stored as interrupted by now
    assert again.exit_code == 0, again.output
    assert "Imported 0 entries" in again.stdout


def test_a_long_file_streams_and_batches_in_order(cli: Any, tmp_path: Path) -> None:
    from quietwork import merging

    entries = [standalone(f"k{n}", at=f"2026-11-{1 + n % 28:02d}T10:00:00+00:00")
               for n in range(2 * merging.MERGE_BATCH + 7)]
    result = imported(cli, tmp_path, json.dumps(entries, indent=2))
    assert result.exit_code == 0, result.output
    assert f"Imported {len(entries)} entries" in result.stdout
    assert log_rows() == (0, len(entries))
