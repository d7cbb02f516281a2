"""Keys typed ahead at a real terminal (a pty): they never answer a question not yet shown.

A double Enter, or "y" and Enter arriving in one write (fast typing, a paste, a laggy
ssh terminal), must not skip a later check-in: every check-in is asked, and the mid one
is the gate that stops the practice at a high rating. A stop key typed right after an
answer still stops at once. The screen is read through pyte, at 80x24.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from practices import MID, QUICK, add_practices

from conftest import logged_entries as logged
from terminal import Terminal

pytest.importorskip("pexpect")

RATING = "0 = calm, 10 = overwhelmed"
MID_QUESTION = "How is it now?"
AFTER = "That's the end. How is it now?"
GO_ON = "It has gone up since you began. Go on?"


@pytest.fixture(autouse=True)
def practices(quietwork_home: Path) -> Path:
    return add_practices(quietwork_home, quick=QUICK, mid=MID)


def practice(tmp_path: Path, args: str) -> Terminal:
    return Terminal(tmp_path, f"practice {args}", rows=24, cols=80)


def at_the_mid_check_in(lines: list[str]) -> bool:
    shown = "\n".join(lines)
    return MID_QUESTION in shown and AFTER not in shown and RATING in shown


def ratings() -> list[tuple[str, int | None]]:
    [session] = logged()
    return [(c["phase"], c["distress"]) for c in session["checkins"]]


def test_a_double_enter_at_the_before_rating_leaves_the_mid_check_in_to_be_asked(
    tmp_path: Path,
) -> None:
    term = practice(tmp_path, "mid")
    term.wait(RATING)
    term.send("3\r\r")  # one write: the second Enter must not skip the mid check-in
    term.wait(at_the_mid_check_in)
    term.send("4\r")
    term.wait(AFTER)
    term.send("5\r")
    term.wait("Distress 3 → 5")
    assert term.finish() == 0
    assert ratings() == [("before", 3), ("mid", 4), ("after", 5)]


@pytest.mark.parametrize("full", [False, True], ids=["rating alone", "--full-checkin"])
def test_y_and_enter_in_one_write_at_go_on_answer_go_on_alone(
    tmp_path: Path, full: bool
) -> None:
    term = practice(tmp_path, "mid" + (" --full-checkin" if full else ""))
    term.rate("2", "Look around the room.")
    term.wait(at_the_mid_check_in)
    term.send("6\r")
    term.wait(GO_ON)
    term.send("y\r")  # the Enter confirms the y; it answers nothing after it
    if full:
        term.wait("Which way does it lean?")
        term.send("\x1b[B\r")  # below "skip": activated
        term.wait("Where do you notice it in your body?")
        term.send("\r")
    term.wait(AFTER)
    term.send("3\r")
    if full:
        for question in ("Which way does it lean?", "Where do you notice it in your body?",
                         "Did you notice any of these?", "A note, if you like:"):
            term.wait(question)
            term.send("\r")
    term.wait("Distress 2 → 3")
    assert term.finish() == 0
    assert ratings() == [("before", 2), ("mid", 6), ("after", 3)]
    if full:
        [session] = logged()
        assert session["checkins"][1]["state"] == "activated"


@pytest.mark.parametrize("key", ["s", "q", "\x1b"], ids=["s", "q", "Esc"])
def test_a_stop_key_typed_right_after_an_answer_stops_at_once(
    tmp_path: Path, key: str
) -> None:
    term = practice(tmp_path, "quick")  # an 80 s breath follows the first step
    term.wait(RATING)
    started = time.monotonic()
    term.send("3\r" + key)
    term.wait("Stopping here.", timeout=5)
    assert time.monotonic() - started < 2.0  # generous: the stop acts within a frame
    term.wait("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")
    assert ratings() == [("before", 3)]


def test_p_typed_right_after_an_answer_pauses(tmp_path: Path) -> None:
    term = practice(tmp_path, "quick")
    term.wait(RATING)
    term.send("3\rp")
    term.wait("Paused. Press p or space to go on.", timeout=5)
    term.send("s")
    term.wait("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0
    assert ratings() == [("before", 3)]
