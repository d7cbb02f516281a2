"""What a practice at a terminal has imported by its first cue (docs/performance.md).

Everything imported before the first phase word is CPU a person waits through; these
modules serve other moments (reading the log's statistics, questions asked by
questionary, validating a practice file that the cache already holds) and must not be
imported by then.
"""

from __future__ import annotations

import contextlib
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from practices import add_practices

from conftest import Result
from terminal import spawn

pexpect = pytest.importorskip("pexpect")

BREATHING = """\
title: Breathing
summary: Breaths, nothing else.
steps:
  - breathe: {inhale: 1, exhale: 1, breaths: 3}
"""
# The live view's first frame with a breathing phase (the benchmark's first cue): what is
# imported then goes to the file named first, and the run ends there.
AT_THE_FIRST_CUE = """\
import os, sys
listed = sys.argv.pop(1)
from quietwork.run.views import live
shown = live.LiveView.show
def show(self, frame):
    shown(self, frame)
    if frame.phase is not None:
        with open(listed, "w") as out:
            out.write("\\n".join(sorted(sys.modules)))
        os._exit(0)
live.LiveView.show = show
from quietwork.__main__ import main
main()
"""
# Read the log's statistics (stats, report, forget): a practice reads only the anchors.
LOG_SUMS = {"quietwork.windows", "quietwork.tally"}
QUESTIONARY = {"questionary", "prompt_toolkit"}  # the live view asks in the view
VALIDATING = {"pydantic", "yaml", "quietwork.schema", "quietwork.loader"}
# Reading the arguments: `practice ID` with plain flags is read without them (begin.py).
TYPER = {"typer", "click", "quietwork.cli", "quietwork.commands.practice"}
# The other commands' modules: a start builds only the command it names.
OTHER_COMMANDS = {f"quietwork.commands.{name}"
                  for name in ("checkin", "history", "library", "personal", "report", "settings")}


def imported_at_the_first_cue(tmp_path: Path, run: int) -> set[str]:
    listed = tmp_path / f"modules-{run}"
    command = " ".join(shlex.quote(arg) for arg in (
        sys.executable, "-c", AT_THE_FIRST_CUE, str(listed), "practice", "breathing",
        "--no-checkin",
    ))
    child = spawn(command, cwd=tmp_path, env={"QUIETWORK_SPEED": "20"})
    child.expect(pexpect.EOF)
    child.close()
    assert listed.exists(), child.logfile_read.getvalue()[-500:]
    modules = set(listed.read_text().split())
    assert "quietwork.run.views.live" in modules and "sqlite3" in modules
    return {name.split(".")[0] if name.split(".")[0] in QUESTIONARY | VALIDATING | TYPER
            else name for name in modules}


def test_a_practice_at_a_terminal_imports_only_what_its_first_cue_needs(
    quietwork_home: Path, tmp_path: Path
) -> None:
    add_practices(quietwork_home, breathing=BREATHING)
    first = imported_at_the_first_cue(tmp_path, 1)  # the file is validated, then cached
    assert sorted(first & (LOG_SUMS | QUESTIONARY | OTHER_COMMANDS | TYPER)) == []
    again = imported_at_the_first_cue(tmp_path, 2)  # from the cache
    assert sorted(again & (LOG_SUMS | QUESTIONARY | VALIDATING | TYPER)) == []


def test_every_command_starts_by_its_own_name(cli: Callable[..., Result]) -> None:
    """Each command the whole app has is found when named alone (its module, not all)."""
    from quietwork import cli as quietwork_cli

    group = typer.main.get_command(quietwork_cli.app)
    assert isinstance(group, typer.core.TyperGroup)
    assert sorted(group.commands) == sorted(quietwork_cli.COMMANDS)  # a new one listed too
    for name in group.commands:
        result = cli(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert f"quietwork {name}" in result.stdout, (name, result.stdout)


# The same first cue, counting the connections to the log opened by then; the log is
# read there by the test, as another program would see it.
CONNECTIONS_AT_THE_FIRST_CUE = """\
import os, sys
listed = sys.argv.pop(1)
opened = []
sys.addaudithook(lambda event, args: opened.append(1) if event == "sqlite3.connect" else None)
from quietwork.run.views import live
shown = live.LiveView.show
def show(self, frame):
    shown(self, frame)
    if frame.phase is not None:
        with open(listed, "w") as out:
            out.write(str(len(opened)))
        os._exit(0)
live.LiveView.show = show
from quietwork.__main__ import main
main()
"""


def test_a_practice_opens_the_log_once_before_its_first_cue(
    cli: Callable[..., Result], quietwork_home: Path, tmp_path: Path
) -> None:
    """One connection checks the log, reads it and writes the session: each one more reads
    the schema again and, closing last, removes the write-ahead log's files."""
    import sqlite3

    add_practices(quietwork_home, breathing=BREATHING)
    assert cli("checkin", "--distress", "2").exit_code == 0  # the log is there
    listed = tmp_path / "connections"
    command = " ".join(shlex.quote(arg) for arg in (
        sys.executable, "-c", CONNECTIONS_AT_THE_FIRST_CUE, str(listed), "practice",
        "breathing", "--no-checkin",
    ))
    child = spawn(command, cwd=tmp_path, env={"QUIETWORK_SPEED": "20"})
    child.expect(pexpect.EOF)
    child.close()
    assert listed.exists(), child.logfile_read.getvalue()[-500:]
    assert listed.read_text() == "1"
    log = quietwork_home / "quietwork.db"
    # Closed before the practice goes on: the last connection removed the WAL's files.
    assert not log.with_name("quietwork.db-wal").exists()
    # The session is in the log before the timed part (read, then closed).
    with contextlib.closing(sqlite3.connect(log)) as conn:
        found = conn.execute("SELECT status FROM sessions").fetchall()
    assert found == [("running",)]
