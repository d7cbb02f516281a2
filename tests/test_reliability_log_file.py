"""Reliability of the log file itself: where it is, and what may happen to it meanwhile.

A relative QUIETWORK_HOME is resolved once and named; a log replaced, moved or deleted
while a practice runs still ends up holding every answer; a lock held by another program
loses nothing; a killed practice is found stale whatever its pid or host; a read-only log
can still be read; quietwork never writes through a symlink in its own folders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import Result, run_subprocess

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
