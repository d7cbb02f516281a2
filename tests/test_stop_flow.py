"""The flow around the stop rules, as a new person would try it (issue 13): a check-in is a
rating alone and can be skipped; two kinds of stop; a rise that matters; a settle that ends.

Pipes for plain mode (`run_subprocess`), a pty (pexpect) for the terminal.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import logged_entries as logged
from conftest import run_subprocess

pexpect = pytest.importorskip("pexpect")

MID = """\
title: With a check-in
summary: A prompt, a check-in, a breath.
steps:
  - say: Look around the room.
    seconds: 0.5
  - checkin: How is it now?
  - breathe: {inhale: 0.5, exhale: 0.5, breaths: 1}
"""
SLOW = """\
title: Slow
summary: Long enough to stop in.
steps:
  - say: Let your shoulders drop.
    seconds: 30
"""
# What only the full support screen says: emergency services and crisis lines.
CRISIS_WORDS = ("emergency", "crisis")


@pytest.fixture(autouse=True)
def practices(quietwork_home: Path) -> Path:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "mid.yaml").write_text(MID)
    (folder / "slow.yaml").write_text(SLOW)
    return folder


def spawn(args: str) -> Any:
    """`quietwork ARGS` on a 30x100 pty, then `EXIT=<code>`."""
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color",
               QW=f"{sys.executable} -m quietwork")
    env.pop("COLUMNS", None)
    child = pexpect.spawn("bash", ["--norc", "--noprofile", "-c", f"$QW {args}; echo EXIT=$?"],
                          env=env, encoding="utf-8", timeout=20, dimensions=(30, 100))
    child.delaybeforesend = None
    child.logfile_read = io.StringIO()
    return child


def finish(child: Any) -> tuple[int, str]:
    """The exit code and everything the person saw."""
    child.expect(r"EXIT=(\d+)", timeout=30)
    code = int(child.match.group(1))
    child.expect(pexpect.EOF)
    return code, child.logfile_read.getvalue()


def practice(*args: str, input: str = "", env: dict[str, str] | None = None) -> Any:
    return run_subprocess("practice", *args, input=input, env=env, timeout=60)


# --- ask less: a rating alone, and Enter skips it ---------------------------------------


def test_enter_at_a_rating_skips_it_and_the_log_says_so() -> None:
    child = spawn("practice mid")
    child.expect_exact("How intense is it right now?")
    child.expect_exact("0 = calm, 10 = overwhelmed")
    child.send("\r")  # skipped: the practice goes on
    child.expect_exact("Look around the room.")
    child.expect_exact("How is it now?")
    child.send("3\r")
    child.expect_exact("That's the end. How is it now?")
    child.send("\r")
    code, shown = finish(child)
    assert code == 0
    assert "That's the end of the practice." in shown
    assert "Which way does it lean?" not in shown  # a check-in is the rating alone
    [session] = logged()
    assert session["status"] == "completed"
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", None), ("mid", 3), ("after", None)
    ]
    table = run_subprocess("log")
    assert "skipped" not in table.stdout  # a rating was given: it is what the log shows
    assert "3" in table.stdout.splitlines()[1]


def test_two_empty_lines_through_a_practice_complete_it_with_two_skipped_ratings() -> None:
    result = practice("exhale", "--speed", "20", input="\n\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.rstrip().endswith("That's the end of the practice.")
    assert "Please type" not in result.stdout
    assert "That's the end. How is it now?" in result.stdout
    [session] = logged()
    assert session["status"] == "completed"
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", None), ("after", None)
    ]
    table = run_subprocess("log")
    assert "skipped" in table.stdout.splitlines()[1]


def test_anything_else_is_asked_again() -> None:
    result = practice("mid", "--speed", "20", input="x\n4\n11\n\n2\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Please type a number from 0 to 10") == 2
    [session] = logged()
    assert [c["distress"] for c in session["checkins"]] == [4, None, 2]
