"""`quietwork practice` at a real terminal (a pty): the view, the keys, and every way out."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from practices import MID, QUICK, add_practices

from conftest import logged_entries as logged
from terminal import Terminal, spawn

pexpect = pytest.importorskip("pexpect")

CTRL_C = "\x03"
TRACK = """\
title: Tracking
summary: One area, then what is there.
steps:
  - track:
      areas: [jaw]
      seconds: 0.3
      ask: [tight, warm]
"""
LONG_INHALE = """\
title: Long inhale
summary: An inhale long enough to pause in.
steps:
  - breathe: {inhale: 12, exhale: 4, breaths: 2}
"""
BELLS = """\
title: Bells
summary: A short inhale and a long exhale.
steps:
  - breathe: {inhale: 2, exhale: 8, breaths: 2}
"""
SKIP_FOLLOW_UPS = ("Which way does it lean?", "Where do you notice it in your body?")
INTERRUPTED = "Interrupted. Everything so far is saved."


@pytest.fixture(autouse=True)
def quick(quietwork_home: Path) -> Path:
    """Short practices in the user folder."""
    return add_practices(quietwork_home, quick=QUICK, mid=MID, track=TRACK)


def with_stty(args: str, tmp_path: Path) -> Any:
    """Run quietwork between two `stty -a` snapshots, then print its exit code."""
    return spawn(f"stty -a > before; $QW practice {args}; echo EXIT=$?; stty -a > after",
                 cwd=tmp_path)


def exit_code(child: Any) -> int:
    child.expect(r"EXIT=(\d+)")
    code = int(child.match.group(1))
    child.expect(pexpect.EOF)
    return code


def restored(tmp_path: Path, child: Any) -> None:
    """The terminal settings are as they were, and the cursor was shown again."""
    output = child.logfile_read.getvalue()
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert output.rfind("\x1b[?25h") > output.rfind("\x1b[?25l")


def test_the_view_renders_and_s_stops(tmp_path: Path) -> None:
    child = spawn("$QW practice quick --no-checkin")
    child.expect_exact("Quick test")
    child.expect_exact("step 1 of 2")
    child.expect_exact("Let your shoulders drop.")
    child.expect_exact("s/Esc stop · p/space pause · Ctrl-C quit")
    child.expect_exact("Inhale")
    child.expect_exact("breath 1 of 20")
    started = time.monotonic()
    child.send("s")
    child.expect_exact("Stopping here.")
    assert time.monotonic() - started < 1.0  # generous: the stop acts within a frame
    child.expect_exact("Settle for a minute?")
    child.send("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")


def test_esc_stops_but_an_arrow_key_does_not(tmp_path: Path) -> None:
    child = spawn("$QW practice quick --no-checkin --speed 2")
    child.expect_exact("Inhale")
    child.send("\x1b[A")  # up arrow: an escape sequence, not the Esc key
    child.expect_exact("Exhale")
    child.send("\x1b")
    child.expect_exact("Stopping here.")
    child.sendintr()
    child.expect(pexpect.EOF)


def test_p_pauses_and_keeps_the_rest_of_the_phase(quick: Path, tmp_path: Path) -> None:
    # Read on the screen, not timed: the inhale's countdown goes on from where it was
    # paused; restarting the phase would show its full 3 s again. (That the time paused
    # does not count is test_session.py's, with an injected clock.)
    (quick / "long.yaml").write_text(LONG_INHALE)
    term = Terminal(tmp_path, "practice long --no-checkin --speed 4")
    term.wait("Inhale  2")  # a second of the 3 s inhale is gone
    term.send("p")
    term.wait("Paused. Press p or space to go on.")
    term.send(" ")
    going = term.wait(lambda lines: "Paused" not in "\n".join(lines)
                      and re.search(r"Inhale +\d", "\n".join(lines)) is not None)
    [left] = re.findall(r"Inhale +(\d+)", "\n".join(going))
    assert int(left) < 3, "\n".join(going)
    term.wait("Exhale")
    term.send("s")
    term.wait("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0


def test_ctrl_c_exits_130_and_restores_the_terminal(tmp_path: Path) -> None:
    child = with_stty("quick --no-checkin", tmp_path)
    child.expect_exact("Inhale")
    child.send(CTRL_C)
    assert exit_code(child) == 130
    restored(tmp_path, child)
    [session] = logged()
    assert session["status"] == "interrupted" and session["ended_at"]


def test_sigterm_restores_the_terminal_and_logs_interrupted(tmp_path: Path) -> None:
    child = with_stty("quick --no-checkin", tmp_path)
    child.expect_exact("Inhale")
    children = Path(f"/proc/{child.pid}/task/{child.pid}/children").read_text().split()
    [quietwork] = [int(pid) for pid in children]
    os.kill(quietwork, signal.SIGTERM)
    assert exit_code(child) == 128 + signal.SIGTERM
    restored(tmp_path, child)
    [session] = logged()
    assert session["status"] == "interrupted" and session["ended_at"]


def test_a_before_rating_at_the_threshold_never_starts(tmp_path: Path) -> None:
    child = spawn("$QW practice quick")
    child.expect_exact("How intense is it right now?")
    child.send("9\r")
    child.expect_exact("Stopping here.")  # at once: no follow-up questions
    assert "Which way" not in child.before
    child.expect_exact("Settle for a minute?")
    child.send("n")
    child.expect(pexpect.EOF)
    assert "Inhale" not in (child.before or "")
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "overwhelm")


def answer(child: Any, rating: str, *follow_ups: str) -> None:
    """Type a rating, then skip each follow-up question with Enter."""
    child.expect_exact("How")
    child.expect_exact("0 = calm, 10 = overwhelmed")
    child.send(rating + "\r")
    for question in follow_ups:
        child.expect_exact(question)
        child.send("\r")


@pytest.mark.parametrize("full", [False, True], ids=["rating alone", "--full-checkin"])
def test_a_whole_practice_with_check_ins(tmp_path: Path, full: bool) -> None:
    # By default a check-in is the 0-10 alone; --full-checkin asks the follow-ups too.
    child = spawn("$QW practice mid" + (" --full-checkin" if full else ""))
    follow_ups = SKIP_FOLLOW_UPS if full else ()
    answer(child, "5", *follow_ups)
    child.expect_exact("Look around the room.")
    answer(child, "4", *follow_ups)
    child.expect_exact("Exhale")
    after = ("Did you notice any of these?", "A note, if you like:") if full else ()
    answer(child, "3", *follow_ups, *after)
    child.expect_exact("Distress 5 → 3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = child.logfile_read.getvalue()
    assert ("Which way does it lean?" in shown) is full
    assert ("A note, if you like" in shown) is full
    assert "That's the end. How is it now?" in shown
    [session] = logged()
    assert session["status"] == "completed"
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 5), ("mid", 4), ("after", 3)
    ]


def test_a_rising_rating_asks_and_enter_stops(tmp_path: Path) -> None:
    child = spawn("$QW practice mid")
    answer(child, "2")
    child.expect_exact("Look around the room.")
    answer(child, "6")
    child.expect_exact("It has gone up since you began. Go on?")  # before any follow-up
    assert "Which way" not in child.before
    child.send("\r")
    child.expect_exact("Stopping here.")
    child.expect_exact("Settle for a minute?")
    child.send("n")
    child.expect(pexpect.EOF)
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "rising")


def test_a_resized_terminal_is_drawn_again(tmp_path: Path) -> None:
    child = spawn("$QW practice quick --no-checkin")
    child.expect_exact("Inhale")
    child.setwinsize(20, 50)
    child.expect_exact("\x1b[2J")  # cleared at the new size...
    child.expect_exact("Quick test")  # ...and drawn whole again
    child.expect_exact("s/Esc stop")
    child.send("s")
    child.expect_exact("Stopping here.")
    child.sendintr()
    child.expect(pexpect.EOF)


def test_no_id_at_a_terminal_lets_the_person_choose(tmp_path: Path) -> None:
    child = spawn("$QW practice")
    child.expect_exact("Which way does it lean right now?")
    child.expect_exact("not sure")
    child.send("\x1b[A\r")  # up from the first wraps to the last: not sure
    child.expect_exact("Which practice?")
    child.expect_exact("quick — Quick test")
    child.send("\r")  # the first: box
    child.expect_exact("How intense is it right now?")
    child.send("s\r")
    child.expect_exact("Stopping here.")
    child.sendintr()
    child.expect(pexpect.EOF)
    [session] = logged()
    assert (session["practice"], session["stop_reason"]) == ("box", "user")


def test_shut_down_is_offered_grounding_first_and_not_asked_again(tmp_path: Path) -> None:
    child = spawn("$QW practice")
    child.expect_exact("Which way does it lean right now?")
    child.expect_exact("not sure")
    child.send("\x1b[B\x1b[B\r")  # activated, settled, shut down
    child.expect_exact("These may suit how you are now:")
    child.expect_exact("…all the other practices")
    offered = [line for line in (child.before + child.after).splitlines() if " — " in line]
    assert "ground" in offered[0], offered
    assert not any(name in line for line in offered
                   for name in ("exhale", "box", "sigh", "resonance", "track"))
    child.send("\r")  # ground
    child.expect_exact("How intense is it right now?")
    child.send("4\r")
    child.expect_exact("Nothing to get right here.")  # the lean is not asked again
    assert "Which way does it lean?" not in child.before
    child.sendintr()
    child.expect(pexpect.EOF)
    [session] = logged()
    assert session["practice"] == "ground"
    assert [(c["phase"], c["distress"], c["state"]) for c in session["checkins"]] == [
        ("before", 4, "shut_down")]


@pytest.mark.parametrize("key", ["s", "\x1b"])
def test_the_chooser_stops_with_s_or_esc_and_starts_nothing(tmp_path: Path, key: str) -> None:
    child = spawn("$QW practice")
    child.expect_exact("Which way does it lean right now?")
    child.expect_exact("s or Esc stops")
    child.send(key)
    child.expect_exact("Nothing started. Come back whenever you like.")
    child.expect(pexpect.EOF)
    assert logged() == []


def test_plain_at_a_terminal_stops_with_s_alone(tmp_path: Path) -> None:
    child = with_stty("quick --plain --no-checkin", tmp_path)
    child.expect_exact("Quick test\r\nKeys: s stop, p pause, Ctrl-C quit.\r\n")
    child.expect_exact("Inhale 2 s")
    child.send("s")  # no Enter: acted on at once, within the inhale (how fast: benchmarks)
    child.expect_exact("Stopping here.")
    assert "Exhale" not in child.before
    child.expect_exact("Settle for a minute? [y/N]")
    child.send("\r")  # a line again: the terminal is back in line mode for questions
    assert exit_code(child) == 0
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    shown = child.logfile_read.getvalue()
    assert "\x1b" not in shown
    assert "sStopping" not in shown and "\ns" not in shown.replace("\r", "")  # no echo
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")


def test_plain_at_a_terminal_pauses_with_p_alone(tmp_path: Path) -> None:
    child = spawn("$QW practice quick --plain --no-checkin")
    child.expect_exact("Inhale 2 s")
    child.send("p")
    child.expect_exact("Paused. Press p to go on.")
    child.send("p")
    child.expect_exact("Going on.")
    child.send("s")
    child.expect_exact("Stopping here.")
    child.sendintr()
    child.expect(pexpect.EOF)
    assert "pPaused" not in child.logfile_read.getvalue()


def test_plain_at_a_terminal_reads_check_ins_as_lines(tmp_path: Path) -> None:
    child = with_stty("mid --plain", tmp_path)
    child.expect_exact("How intense is it right now?")
    child.send("5\r")
    child.expect_exact("Look around the room.")
    child.expect_exact("How is it now?")  # after timed keys: line mode (and echo) again
    child.send("4\r")
    child.expect_exact("4\r\n")  # echoed as typed
    child.expect_exact("Exhale")
    child.expect_exact("That's the end. How is it now?")
    child.send("3\r")
    child.expect_exact("Distress 5 → 3")
    assert exit_code(child) == 0
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    [session] = logged()
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 5), ("mid", 4), ("after", 3)
    ]


def test_plain_ctrl_c_at_a_question_ends_on_a_line_of_its_own(tmp_path: Path) -> None:
    child = spawn("$QW practice quick --plain; echo rc=$?")
    child.expect_exact("How intense is it right now?")
    child.send(CTRL_C)
    child.expect_exact(INTERRUPTED)
    child.expect_exact("rc=130")
    child.expect(pexpect.EOF)
    shown = child.logfile_read.getvalue()
    assert "^Crc=" not in shown and "^CInterrupted" not in shown
    assert f"{INTERRUPTED}\r\nrc=130" in shown


def test_a_closed_terminal_leaves_the_session_interrupted(tmp_path: Path) -> None:
    child = spawn("exec $QW practice quick --no-checkin")
    child.expect_exact("Inhale")
    # Hang up: closing the terminal's side makes the kernel send SIGHUP to the session.
    # Then wait for quietwork to end, however long recording the end takes on a loaded
    # machine (pexpect's close() would follow up with SIGINT after 0.1 s, and give up).
    child.ptyproc.fileobj.close()
    child.ptyproc.wait()
    [session] = logged()
    # Finished by quietwork itself (with an end time), not found later as a dead process.
    assert session["status"] == "interrupted" and session["ended_at"]


def test_bell_rings_once_for_inhale_twice_for_exhale(quick: Path) -> None:
    # The exhale's second ring comes BELL_GAP (0.25 s) after its first: a long exhale
    # (2 s here) keeps it well before the next inhale even on a loaded machine.
    (quick / "bells.yaml").write_text(BELLS)
    child = spawn("$QW practice bells --no-checkin --bell --speed 4")
    child.expect_exact("Inhale")
    child.expect_exact("\a")  # the inhale's ring, right after its word
    child.expect_exact("Exhale")
    assert "\a" not in child.before  # once for inhale
    child.expect_exact("\a")
    child.expect_exact("\a")  # twice for exhale
    child.expect_exact("Inhale")
    assert "\a" not in child.before
    child.send("s")
    child.expect_exact("Stopping here.")
    child.expect_exact("Settle for a minute?")
    child.sendintr()
    child.expect(pexpect.EOF)


def test_ctrl_c_at_the_lean_picker_keeps_the_rating(tmp_path: Path) -> None:
    child = with_stty("quick --full-checkin", tmp_path)
    answer(child, "6")
    child.expect_exact("Which way does it lean?")
    child.send(CTRL_C)
    child.expect_exact(INTERRUPTED)
    assert exit_code(child) == 130
    restored(tmp_path, child)
    [session] = logged()
    assert session["status"] == "interrupted"
    assert [(c["phase"], c["distress"], c["state"]) for c in session["checkins"]] == [
        ("before", 6, None)
    ]


def test_ctrl_c_in_the_timed_part_says_the_answers_are_saved(tmp_path: Path) -> None:
    child = with_stty("quick --full-checkin", tmp_path)
    answer(child, "4", "Which way does it lean?")
    child.expect_exact("Where do you notice it in your body?")
    child.send(" \r")  # head
    child.expect_exact("Inhale")
    child.send(CTRL_C)
    child.expect_exact(INTERRUPTED)
    assert exit_code(child) == 130
    restored(tmp_path, child)
    shown = child.logfile_read.getvalue()
    # Said on the normal screen, after the view has left the alternate one.
    assert shown.rfind(INTERRUPTED) > shown.rfind("\x1b[?1049l")
    [session] = logged()
    assert [(c["distress"], c["body"]) for c in session["checkins"]] == [(4, ["head"])]


def test_esc_at_the_track_checkbox_stops(tmp_path: Path) -> None:
    child = with_stty("track", tmp_path)
    answer(child, "3")
    child.expect_exact("jaw: what's there?")
    child.expect_exact("s/Esc stop")  # the keys, in the view's footer
    child.send("\x1b")
    child.expect_exact("Stopping here.")
    child.expect_exact("Settle for a minute?")
    child.send("n")
    assert exit_code(child) == 0
    restored(tmp_path, child)
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")
    assert [c["distress"] for c in session["checkins"]] == [3]


def test_s_at_go_on_stops(tmp_path: Path) -> None:
    child = spawn("$QW practice mid")
    answer(child, "2")
    child.expect_exact("Look around the room.")
    answer(child, "6")
    child.expect_exact("It has gone up since you began. Go on?")
    child.expect_exact("(y/N; s or Esc stops)")
    child.send("s")
    child.expect_exact("Stopping here.")
    child.expect_exact("Settle for a minute?")
    child.send("n")
    child.expect(pexpect.EOF)
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 2), ("mid", 6)
    ]


def test_esc_at_the_rating_stops(tmp_path: Path) -> None:
    child = spawn("$QW practice quick")
    child.expect_exact("How intense is it right now?")
    child.send("\x1b")
    child.expect_exact("Stopping here.")
    child.sendintr()
    child.expect(pexpect.EOF)
    [session] = logged()
    assert (session["status"], session["stop_reason"], session["checkins"]) == (
        "stopped", "user", [])


def test_s_at_a_follow_up_stops_and_keeps_the_rating(tmp_path: Path) -> None:
    # Each key goes in once the screen that takes it is shown (read through pyte): the
    # arrow's move is on the screen before Enter picks, so the pick is never a race.
    term = Terminal(tmp_path, "practice quick --full-checkin", timeout=15)
    term.wait("0 = calm, 10 = overwhelmed")
    term.send("4\r")
    term.wait("Which way does it lean?")
    term.send("\x1b[B")
    term.wait("› activated")
    term.send("\r")
    term.wait("Where do you notice it in your body?")
    term.send("s")
    term.wait("Stopping here.")
    term.wait("Settle for a minute?")
    term.send(CTRL_C)
    assert term.finish() == 130
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")
    assert [(c["distress"], c["state"]) for c in session["checkins"]] == [(4, "activated")]


def test_ctrl_c_on_an_unusable_log_says_the_session_is_in_the_kept_file(
    quietwork_home: Path
) -> None:
    import sqlite3

    db = quietwork_home / "quietwork.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA user_version = 99")  # written by a newer version: never touched
    conn.close()
    child = spawn("$QW practice quick --no-checkin")
    child.expect_exact("Inhale")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    shown = child.logfile_read.getvalue()
    (kept,) = quietwork_home.glob("unsaved-*.json")
    said = " ".join(shown.split())  # broken between words to fit the terminal
    assert f"Interrupted. The session is kept in {kept} as interrupted." in said, shown
    assert INTERRUPTED not in shown
