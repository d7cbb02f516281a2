"""`practice --no-log` at a real terminal: Ctrl-C and the chooser write nothing either."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from histories import CLI, bring_in, hours_ago, session
from test_reliability_interaction import Terminal

pexpect = pytest.importorskip("pexpect")

CTRL_C = "\x03"


def terminal(tmp_path: Path, args: str) -> Terminal:
    term = Terminal(tmp_path, args)
    term.child.timeout = 60  # a shared machine: slow, never stuck
    return term


def test_ctrl_c_says_nothing_was_saved_and_writes_nothing(
    cli: CLI, tmp_path: Path, quietwork_home: Path
) -> None:
    term = terminal(tmp_path, "practice exhale --no-log")
    term.rate("6", then="keep your eyes open")  # each follow-up skipped, where asked
    term.send(CTRL_C)
    term.expect("Interrupted. Not saved (--no-log).")
    assert term.finish() == 130
    assert "so far is saved" not in term.child.logfile_read.getvalue()
    assert not (quietwork_home / "quietwork.db").exists()


def test_the_chooser_neither_reads_nor_creates_the_log(
    cli: CLI, tmp_path: Path, quietwork_home: Path
) -> None:
    bring_in(cli, tmp_path, [
        session("exhale", hours_ago(hours), [("before", 7), ("after", 4)], state="activated")
        for hours in (30, 20, 10)])
    entries = json.loads(cli("log", "--json").stdout)
    term = terminal(tmp_path, "practice --no-log")
    term.expect("Which way does it lean right now?")
    term.expect("not sure")
    term.send("\r")  # activated
    term.expect("track — Tracking sensations")
    shown = term.child.before
    assert "came down" not in shown  # the log is not read: the practices' own order
    assert shown.index("box — ") < shown.index("exhale — ")
    term.send("\r")  # box
    term.expect("How intense is it right now?")
    term.send("s\r")
    term.expect("Settle for a minute?")
    term.send("\r")
    term.expect("Not saved (--no-log).")
    assert term.finish() == 0
    assert json.loads(cli("log", "--json").stdout) == entries


def test_choosing_with_no_log_file_does_not_create_it(
    tmp_path: Path, quietwork_home: Path
) -> None:
    term = terminal(tmp_path, "practice --no-log")
    term.expect("Which way does it lean right now?")
    term.expect("not sure")
    term.send("\r")
    term.expect("track — Tracking sensations")
    term.send("\r")
    term.expect("How intense is it right now?")
    term.send("s\r")
    term.expect("Settle for a minute?")
    term.send("\r")
    assert term.finish() == 0
    assert not (quietwork_home / "quietwork.db").exists()
