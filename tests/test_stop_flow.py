"""The flow around the stop rules, as a new person would try it (issue 13): a check-in is a
rating alone and can be skipped; two kinds of stop; a rise that matters; a settle that ends.

Pipes for plain mode (`run_subprocess`), a pty (pexpect) for the terminal.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from practices import MID, add_practices

from conftest import logged_entries as logged
from conftest import run_subprocess
from terminal import spawn as spawn_in_bash

pexpect = pytest.importorskip("pexpect")

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
    return add_practices(quietwork_home, mid=MID, slow=SLOW)


def spawn(args: str) -> Any:
    """`quietwork ARGS` on a 30x100 pty, then `EXIT=<code>`."""
    return spawn_in_bash(f"$QW {args}; echo EXIT=$?", timeout=20)


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
    child = spawn("practice mid --speed 4")
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
    result = practice("exhale", "--speed", "100", input="\n\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # The ending: no change to tell (both ratings skipped), how long it took, saved.
    assert "That's the end of the practice. It took " in result.stdout
    assert result.stdout.rstrip().endswith("Saved. To look back: quietwork log · quietwork stats")
    assert "Distress" not in result.stdout
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


# --- two kinds of stop ---------------------------------------------------------------


def test_s_at_the_first_question_ends_gently_without_crisis_lines() -> None:
    child = spawn("practice mid")
    child.expect_exact("How intense is it right now?")
    child.send("s\r")
    child.expect_exact("Stopping here.")
    child.expect_exact("It is okay to stop.")
    child.expect_exact("quietwork support")
    child.expect_exact("Settle for a minute?")
    child.expect_exact("y/N")  # by choice: no by default
    child.send("\r")
    code, shown = finish(child)
    assert code == 0
    after = shown[shown.index("Stopping here."):].lower()
    assert not any(word in after for word in CRISIS_WORDS), after
    [session] = logged()
    assert (session["status"], session["stop_reason"], session["checkins"]) == (
        "stopped", "user", [])


def test_s_in_plain_mode_ends_gently_too() -> None:
    result = practice("mid", input="s\n")
    assert result.returncode == 0, result.stderr
    after = result.stdout[result.stdout.index("Stopping here."):]
    assert after.splitlines()[:3] == [
        "Stopping here.",
        "It is okay to stop. You can come back to it whenever you like.",
        "You can write a support plan for times like this: quietwork support --edit",
    ]  # a fresh home has no plan to point to
    assert not any(word in after.lower() for word in CRISIS_WORDS)
    assert after.rstrip().endswith("Settle for a minute? [y/N]")


def test_declining_a_practice_that_may_not_suit_is_a_stop_by_choice() -> None:
    child = spawn("practice exhale --full-checkin")
    child.expect_exact("How intense is it right now?")
    child.send("4\r")
    child.expect_exact("Which way does it lean?")
    child.send("\x1b[B\x1b[B\x1b[B\r")  # skip, activated, settled, shut down
    child.expect_exact("Where do you notice it in your body?")
    child.send("\r")
    child.expect_exact("may not suit")
    child.send("\r")  # no
    child.expect_exact("Stopping here.")
    child.expect_exact("quietwork practice ground")
    child.expect_exact("Settle for a minute?")
    child.send("n")
    code, shown = finish(child)
    assert code == 0
    assert not any(word in shown[shown.index("Stopping here."):].lower() for word in CRISIS_WORDS)


def test_a_rating_of_9_shows_the_full_support_screen_and_enter_starts_settle() -> None:
    plan = "## People I can ask for help\n\n- **Sam**, my sister: 555 0100\n"
    home = Path(os.environ["QUIETWORK_HOME"])
    (home / "support.md").write_text(plan)
    child = spawn_fast("practice mid")
    child.expect_exact("How intense is it right now?")
    child.send("9\r")
    child.expect_exact("Stopping here.")
    child.expect_exact("Feel your feet on the floor")
    child.expect_exact("Sam")  # the person's plan
    child.expect_exact("emergency")
    child.expect_exact("Settle for a minute?")
    child.expect_exact("Y/n")
    child.send("\r")  # Enter starts it
    child.expect_exact("Feel your feet on the floor. You might press them down a little.")
    child.expect_exact("That's the end. How is it now?")
    child.send("4\r")
    child.expect_exact("That was a minute of settling.")
    code, shown = finish(child)
    assert code == 0
    assert "**Sam**" not in shown  # the plan is rendered, not shown raw
    settle, stopped = logged()
    assert (stopped["status"], stopped["stop_reason"]) == ("stopped", "overwhelm")
    assert (settle["practice"], settle["status"]) == ("settle", "completed")
    assert [(c["phase"], c["distress"]) for c in settle["checkins"]] == [("after", 4)]


def spawn_fast(args: str) -> Any:
    """As `spawn`, with QUIETWORK_SPEED set so that the settle after a stop is quick."""
    os.environ["QUIETWORK_SPEED"] = "20"
    try:
        return spawn(args)
    finally:
        del os.environ["QUIETWORK_SPEED"]


# --- the rising rule -----------------------------------------------------------------


def test_a_small_rise_at_calm_levels_goes_on_quietly() -> None:
    child = spawn("practice mid --speed 4")
    child.expect_exact("How intense is it right now?")
    child.send("1\r")
    child.expect_exact("Look around the room.")
    child.expect_exact("How is it now?")
    child.send("4\r")
    child.expect_exact("That's the end. How is it now?")
    child.send("2\r")
    code, shown = finish(child)
    assert code == 0
    assert "Go on?" not in shown and "Stopping here." not in shown
    [session] = logged()
    assert session["status"] == "completed"
    assert [c["distress"] for c in session["checkins"]] == [1, 4, 2]  # the rise is logged


def test_a_rise_that_matters_asks_and_declining_gets_the_full_screen() -> None:
    child = spawn("practice mid")
    child.expect_exact("How intense is it right now?")
    child.send("3\r")
    child.expect_exact("Look around the room.")
    child.expect_exact("How is it now?")
    child.send("7\r")
    child.expect_exact("It has gone up since you began. Go on?")
    child.send("\r")  # Enter: no, stop
    child.expect_exact("Stopping here.")
    child.expect_exact("emergency")
    child.expect_exact("Settle for a minute?")
    child.expect_exact("y/N")
    child.send("n")
    code, _ = finish(child)
    assert code == 0
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "rising")


# --- a settle that finishes ----------------------------------------------------------


def test_stopping_settle_does_not_offer_settle() -> None:
    child = spawn("practice settle")
    child.expect_exact("How intense is it right now?")
    child.send("5\r")
    child.expect_exact("Nothing else to do right now.")
    child.send("s")
    child.expect_exact("Stopping here.")
    code, shown = finish(child)
    assert code == 0
    assert "Settle for a minute?" not in shown
    [session] = logged()
    assert (session["practice"], session["status"]) == ("settle", "stopped")


def test_stopping_the_settle_after_a_stop_asks_once_and_closes_calmly() -> None:
    child = spawn_fast("practice mid")
    child.expect_exact("How intense is it right now?")
    child.send("9\r")
    child.expect_exact("Settle for a minute?")
    child.send("\r")
    child.expect_exact("Nothing else to do right now.")
    child.send("s")
    child.expect_exact("That's the end. How is it now?")
    child.send("\r")  # skipped
    child.expect_exact("Take your time")
    code, shown = finish(child)
    assert code == 0
    assert "Settle for a minute?" not in shown[shown.index("Nothing else to do right now."):]
    settle, _ = logged()
    assert (settle["practice"], settle["status"], settle["stop_reason"]) == (
        "settle", "stopped", "user")
    assert [(c["phase"], c["distress"]) for c in settle["checkins"]] == [("after", None)]


@pytest.mark.parametrize("answer", ["maybe", "n", "s"])
def test_after_a_high_rating_any_answer_but_enter_or_yes_declines_settle(answer: str) -> None:
    result = practice("exhale", input=f"9\n{answer}\n", env={"QUIETWORK_SPEED": "50"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("Settle for a minute? [Y/n]")
    assert "Please type y or n" not in result.stdout
    assert [entry["practice"] for entry in logged()] == ["exhale"]


def test_a_still_high_rating_after_settle_shows_the_support_text_again() -> None:
    result = practice("exhale", input="9\n\n9\n", env={"QUIETWORK_SPEED": "50"})
    assert result.returncode == 0, result.stderr
    closing = result.stdout[result.stdout.rindex("That's the end. How is it now?"):]
    assert "It is still a lot right now." in closing
    assert "emergency" in closing
    assert "That was a minute of settling" not in closing
    settle, _ = logged()
    assert [(c["phase"], c["distress"]) for c in settle["checkins"]] == [("after", 9)]
