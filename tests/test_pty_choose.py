"""`quietwork practice` with no id at a real terminal: the person's own log ranks the list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from histories import CLI, bring_in, hours_ago, session
from test_reliability_interaction import Terminal

pexpect = pytest.importorskip("pexpect")

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
REASON = "came down in 3 of 3 rated sessions when activated"


def offered_after_choosing_activated(tmp_path: Path) -> tuple[Terminal, list[str]]:
    """Start the chooser, choose activated (the first lean); the offered lines, in order."""
    term = Terminal(tmp_path, "practice")
    term.child.timeout = 60  # a shared machine: slow, never stuck
    term.expect("Which way does it lean right now?")
    term.expect("not sure")
    term.send("\r")  # the first: activated
    term.expect("These may suit how you are now:")
    term.expect("track — Tracking sensations")  # the last: every built-in suits activated
    shown = ANSI.sub("", term.child.before + term.child.after)
    return term, [line.strip(" »") for line in shown.splitlines() if " — " in line]


def stop_at_the_rating(term: Terminal) -> None:
    term.send("\r")  # the first offered
    term.expect("How intense is it right now?")
    term.send("s\r")
    term.expect("Stopping here.")
    term.expect("Settle for a minute?")
    term.send("\r")
    assert term.finish() == 0


def test_what_came_down_when_activated_is_offered_first_with_why(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [
        session("exhale", hours_ago(hours), [("before", 7), ("after", 4)], state="activated")
        for hours in (30, 20, 10)])
    term, offered = offered_after_choosing_activated(tmp_path)
    assert offered[0].startswith("exhale — "), offered
    assert offered[0].endswith(REASON), offered
    assert offered[1].startswith("box — ") and "came down" not in " ".join(offered[1:])
    stop_at_the_rating(term)
    newest = cli("log", "--json", "--limit", "1")
    assert '"practice": "exhale"' in newest.stdout and '"stop_reason": "user"' in newest.stdout


def test_with_no_history_the_order_is_the_practices_own(cli: CLI, tmp_path: Path) -> None:
    term, offered = offered_after_choosing_activated(tmp_path)
    assert [line.split(" — ")[0] for line in offered] == [
        "box", "exhale", "ground", "resonance", "settle", "sigh", "track"]
    assert not any("came down" in line for line in offered)
    stop_at_the_rating(term)
    newest = cli("log", "--json", "--limit", "1")
    assert '"practice": "box"' in newest.stdout


def test_reading_the_log_to_choose_creates_no_log(tmp_path: Path, quietwork_home: Path) -> None:
    term, _ = offered_after_choosing_activated(tmp_path)  # the log was asked for
    term.send("s")  # at the list: nothing starts
    term.expect("Nothing started.")
    assert term.finish() == 0
    assert not (quietwork_home / "quietwork.db").exists()
