"""`quietwork checkin` at a real terminal (a pty): questionary prompts, typed answers, Ctrl-C."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import logged_entries as logged

pexpect = pytest.importorskip("pexpect")

DOWN, ENTER, CTRL_C = "\x1b[B", "\r", "\x03"


def spawn(*args: str) -> Any:
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    child = pexpect.spawn(
        sys.executable, ["-m", "quietwork", *args], env=env, encoding="utf-8",
        timeout=15, dimensions=(40, 120),
    )
    return child


def finish(child: Any) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    code: int = child.exitstatus
    return code


def test_checkin_asks_and_logs() -> None:
    child = spawn("checkin")
    child.expect_exact("How intense is it right now? 0 = calm, 10 = overwhelmed")
    child.send("4" + ENTER)
    child.expect_exact("Which way does it lean?")
    child.send(DOWN + ENTER)  # below "skip": activated
    child.expect_exact("Where do you notice it in your body?")
    child.send(ENTER)  # skip
    child.expect_exact("A note, if you like:")
    child.send(ENTER)  # skip
    child.expect_exact("Logged: distress 4, activated.")
    assert finish(child) == 0
    [entry] = logged()
    assert (entry["distress"], entry["state"], entry["body"], entry["note"]) == (
        4, "activated", [], None
    )


def test_checkin_asks_again_kindly_and_shows_anchors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quietwork", "anchors", "--set0", "soft belly",
         "--set10", "can't think"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert result.returncode == 0
    child = spawn("checkin", "--state", "settled", "--note", "walk")
    child.expect_exact("In your words: 0 = soft belly · 10 = can't think")
    child.send("12" + ENTER)
    child.expect_exact("Please type a number from 0 to 10")
    child.send("\x7f\x7f" + "2" + ENTER)
    child.expect_exact("Where do you notice it in your body?")  # --state was given
    child.send(" " + ENTER)  # head
    child.expect_exact("Logged: distress 2, settled, head, with a note.")
    assert finish(child) == 0
    assert [(e["distress"], e["body"], e["note"]) for e in logged()] == [(2, ["head"], "walk")]


def test_typing_s_stops_and_logs_nothing() -> None:
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send("s" + ENTER)
    child.expect_exact("nothing logged")
    assert finish(child) == 0
    assert logged() == []


def test_ctrl_c_at_the_rating_exits_130_and_logs_nothing() -> None:
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send(CTRL_C)
    assert finish(child) == 130
    assert logged() == []


def test_ctrl_c_at_a_follow_up_keeps_the_rating() -> None:
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send("5" + ENTER)
    child.expect_exact("Which way does it lean?")
    child.send(CTRL_C)
    child.expect_exact("Interrupted. Your answers so far are saved.")
    assert finish(child) == 130
    [entry] = logged()
    assert (entry["distress"], entry["state"], entry["body"], entry["note"]) == (5, None, [], None)


def test_each_answer_is_saved_as_it_is_given() -> None:
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send("5" + ENTER)
    child.expect_exact("Which way does it lean?")
    child.send(DOWN + ENTER)  # activated
    child.expect_exact("Where do you notice it in your body?")
    child.send(" " + ENTER)  # head
    child.expect_exact("A note, if you like:")
    [entry] = logged()  # before the note is answered
    assert (entry["distress"], entry["state"], entry["body"]) == (5, "activated", ["head"])
    child.send(CTRL_C)
    assert finish(child) == 130


@pytest.mark.parametrize("key", ["s", "\x1b"])
def test_s_or_esc_at_a_follow_up_ends_the_questions_and_logs_the_rating(key: str) -> None:
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send("5" + ENTER)
    child.expect_exact("Which way does it lean?")
    child.expect_exact("s or Esc stops")
    child.send(key)
    child.expect_exact("Logged: distress 5.")
    assert finish(child) == 0
    [entry] = logged()
    assert (entry["distress"], entry["state"], entry["body"], entry["note"]) == (5, None, [], None)


def test_a_high_rating_asks_nothing_more() -> None:
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send("9" + ENTER)
    child.expect_exact("Logged: distress 9.")
    child.expect_exact("That is a lot right now.")
    assert "Which way" not in child.before
    assert finish(child) == 0
    assert [entry["distress"] for entry in logged()] == [9]


def test_ctrl_d_at_the_rating_ends_without_logging() -> None:
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send("\x04")
    child.expect_exact("Nothing logged.")
    assert finish(child) == 1  # end of input is not Ctrl-C
    assert logged() == []


def test_ctrl_d_at_a_follow_up_keeps_the_rating() -> None:
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send("5" + ENTER + "\x04")
    child.expect_exact("Input ended; your answers so far are saved.")
    assert finish(child) == 1  # end of input is not Ctrl-C
    assert [entry["distress"] for entry in logged()] == [5]


def test_plain_config_at_a_terminal_reads_one_line(quietwork_home: Path) -> None:
    quietwork_home.mkdir()
    (quietwork_home / "config.toml").write_text("plain = true\n")
    child = spawn("checkin")
    child.expect_exact("How intense is it right now? 0 = calm, 10 = overwhelmed (type 0 to 10")
    child.send("3" + ENTER)
    child.expect_exact("Logged: distress 3.")
    assert "\x1b" not in child.before
    assert finish(child) == 0
    assert [entry["distress"] for entry in logged()] == [3]


def test_anchors_asks_for_each_and_enter_keeps() -> None:
    child = spawn("anchors")
    child.expect_exact("What does 0 (calm) feel like?")
    child.send("warm hands" + ENTER)
    child.expect_exact("What does 5 (in the middle) feel like?")
    child.send(ENTER)
    child.expect_exact("What does 10 (overwhelmed) feel like?")
    child.send("racing" + ENTER)
    child.expect_exact("Saved.")
    assert finish(child) == 0
    child = spawn("anchors")
    child.expect_exact("(Enter keeps: warm hands; - forgets it)")
    child.send("-" + ENTER)
    child.expect_exact("What does 5")
    child.send(ENTER)
    child.expect_exact("(Enter keeps: racing")
    child.send(ENTER)
    assert finish(child) == 0
    result = subprocess.run(
        [sys.executable, "-m", "quietwork", "anchors", "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert json.loads(result.stdout) == {"0": None, "5": None, "10": "racing"}


GENTLE = ("If it helps: feel your feet on the floor, let your eyes move around the room, "
          "or settle for a minute with `quietwork practice settle`.")


def test_the_words_after_a_high_rating_wrap_at_words_to_a_narrow_terminal(
    tmp_path: Path
) -> None:
    from terminal import Terminal

    term = Terminal(tmp_path, "checkin", rows=12, cols=40, timeout=20)
    term.expect("How intense")
    term.send("9" + ENTER)
    term.expect("That is a lot right now.")
    assert term.finish() == 0
    written = [line.rstrip("\r") for line in term.child.logfile_read.getvalue().split("\n")]
    first = next(i for i, line in enumerate(written) if line.startswith("If it helps"))
    last = next(i for i, line in enumerate(written) if "practice settle" in line)
    lines = written[first:last + 1]
    assert " ".join(lines) == GENTLE, lines  # one sentence, no break of its own
    assert any("`quietwork practice settle`" in line for line in lines)  # the command whole
    assert all(len(line) < 40 for line in lines), lines  # within the terminal: none cut by it
    for line, following in itertools.pairwise(lines):
        assert len(line) + 1 + len(following.split()[0]) >= 40, lines  # filled, then wrapped


@pytest.mark.parametrize("key", [CTRL_C, "\x04"], ids=["ctrl-c", "ctrl-d"])
def test_leaving_a_follow_up_on_an_unusable_log_says_where_the_rating_is_kept(
    quietwork_home: Path, key: str
) -> None:
    import sqlite3

    quietwork_home.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(quietwork_home / "quietwork.db", isolation_level=None)
    conn.execute("PRAGMA user_version = 99")  # written by a newer version: never touched
    conn.close()
    child = spawn("checkin")
    child.expect_exact("How intense")
    child.send("5" + ENTER)
    child.expect_exact("Which way does it lean?")
    child.send(key)
    child.expect(pexpect.EOF)
    (kept,) = quietwork_home.glob("unsaved-*.json")
    said = " ".join(child.before.split())  # broken between words to fit the terminal
    assert f"answers so far are kept in {kept}." in said, child.before
    assert "answers so far are saved" not in child.before
