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
from pathlib import Path

from conftest import run_subprocess


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
