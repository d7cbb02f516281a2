"""Reliability: every way a practice run can be cut short, at every kind of prompt.

At a real terminal (a pty): Ctrl-C, SIGTERM and SIGHUP at the first prompt, mid-step, at
a mid check-in, on the stop screen and during settle; a resized terminal; a crash. Each:
the answers given so far are in `log --json`, the status is right, `stty -a` is the same
before and after, the cursor is shown again, and the exit code is the contract's
(130 for Ctrl-C, 128 + the signal for SIGTERM / SIGHUP, 1 for a bug).

Without a terminal (pipes, plain mode): EOF at each prompt, answers that are not ratings,
stdin closed (`<&-`) and stdout a closed pipe (`| head -1`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result
from terminal import Terminal

pexpect = pytest.importorskip("pexpect")

CLI = Callable[..., Result]

# A long breathing step to be cut short; the check-in step sits before it.
STEPS = """\
title: Steps
summary: For interaction tests.
steps:
  - say: Look around the room.
    seconds: 0.2
  - checkin: How is it now?
  - breathe: {inhale: 3, exhale: 3, breaths: 20}
"""
# The same shape, over in well under a second (plain mode, piped answers).
SHORT = STEPS.replace("seconds: 0.2", "seconds: 0.05").replace(
    "{inhale: 3, exhale: 3, breaths: 20}", "{inhale: 0.5, exhale: 0.5, breaths: 1}")


@pytest.fixture(autouse=True)
def practices(quietwork_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Answers and ways out, not pace: every practice here (and the settle) at 5x.
    monkeypatch.setenv("QUIETWORK_SPEED", "5")
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "steps.yaml").write_text(STEPS)
    (folder / "short.yaml").write_text(SHORT)
    return folder


def logged(cli: CLI) -> list[dict[str, Any]]:
    result = cli("log", "--json")
    assert result.exit_code == 0, result.output
    entries: list[dict[str, Any]] = json.loads(result.stdout)
    return entries


def summary(cli: CLI) -> list[tuple[str, str, str | None, list[tuple[str, int | None]]]]:
    """Each session, newest first: practice, status, stop reason, (phase, rating) answers.

    Every session was ended by quietwork itself (an end time), not found later with its
    process gone.
    """
    sessions = logged(cli)
    assert all(session["ended_at"] for session in sessions), sessions
    return [(s["practice"], s["status"], s["stop_reason"],
             [(c["phase"], c["distress"]) for c in s["checkins"]]) for s in sessions]


# At a terminal


# EOF is not the person's Ctrl-C: one `Error:` line and exit 1.
EOF_EXIT = 1
INPUT_ENDED = "nput ended before the question was answered"
EXIT = {"ctrl-c": 130, "SIGTERM": 128 + signal.SIGTERM, "SIGHUP": 128 + signal.SIGHUP}
HOW = list(EXIT)


@pytest.mark.parametrize("how", HOW)
def test_at_the_first_prompt(cli: CLI, tmp_path: Path, how: str) -> None:
    term = Terminal(tmp_path, "practice steps")
    term.expect("How intense is it right now?")
    term.interrupt(how)
    assert term.finish() == EXIT[how]
    assert summary(cli) == [("steps", "interrupted", None, [])]


@pytest.mark.parametrize("how", HOW)
def test_mid_step(cli: CLI, tmp_path: Path, how: str) -> None:
    term = Terminal(tmp_path, "practice steps")
    term.rate("5", then="Look around the room.")
    term.rate("4", then="Inhale")
    term.interrupt(how)
    assert term.finish() == EXIT[how]
    assert summary(cli) == [("steps", "interrupted", None, [("before", 5), ("mid", 4)])]


@pytest.mark.parametrize("how", HOW)
def test_at_a_mid_check_in(cli: CLI, tmp_path: Path, how: str) -> None:
    term = Terminal(tmp_path, "practice steps")
    term.rate("5", then="How is it now?")
    term.expect("0 = calm, 10 = overwhelmed")
    term.interrupt(how)
    assert term.finish() == EXIT[how]
    assert summary(cli) == [("steps", "interrupted", None, [("before", 5)])]


@pytest.mark.parametrize("how", HOW)
def test_on_the_stop_screen(cli: CLI, tmp_path: Path, how: str) -> None:
    term = Terminal(tmp_path, "practice steps")
    term.rate("9", then="Stopping here.")
    term.expect("Settle for a minute?")
    term.interrupt(how)
    assert term.finish() == EXIT[how]
    # The practice had already stopped, and is recorded as stopped by the rating.
    assert summary(cli) == [("steps", "stopped", "overwhelm", [("before", 9)])]


@pytest.mark.parametrize("how", HOW)
def test_during_settle(cli: CLI, tmp_path: Path, how: str) -> None:
    term = Terminal(tmp_path, "practice steps --speed 2")
    term.rate("9", then="Settle for a minute?")
    term.send("y")
    term.expect("Settle")  # its title, in the live view
    term.expect("step 1 of")
    term.interrupt(how)
    assert term.finish() == EXIT[how]
    assert summary(cli) == [
        ("settle", "interrupted", None, []),
        ("steps", "stopped", "overwhelm", [("before", 9)]),
    ]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize(("command", "question"), [("checkin", "How intense"),
                                                   ("anchors", "What does 0 (calm)")])
def test_at_a_question_outside_a_practice(
    cli: CLI, tmp_path: Path, how: str, command: str, question: str
) -> None:
    term = Terminal(tmp_path, command)
    term.expect(question)
    term.interrupt(how)
    assert term.finish() == EXIT[how]
    assert logged(cli) == []
    assert json.loads(cli("anchors", "--json").stdout) == {"0": None, "5": None, "10": None}


def test_garbage_negative_out_of_range_and_empty_answers_are_asked_again(
    cli: CLI, tmp_path: Path
) -> None:
    term = Terminal(tmp_path, "practice steps")
    term.expect("How intense is it right now?")
    # (An empty answer is not among them: Enter alone skips the rating.)
    for typed in ("-1", "11", "abc", "4.5", "99999999999999999999"):
        term.send(typed + "\r")
        if typed == "-1":  # shown once; it stays on screen while the answer is wrong
            term.expect("Please type a number from 0 to 10")
        term.send("\x15")  # Ctrl-U: clear the line
    term.rate("3", then="Look around the room.", shown=True)
    term.rate("2", then="Inhale")
    term.send("s")
    term.expect("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0
    assert summary(cli) == [("steps", "stopped", "user", [("before", 3), ("mid", 2)])]


def test_a_terminal_resized_mid_practice_to_any_size(cli: CLI, tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice steps --no-checkin")
    term.rate("2", then="Inhale")
    for rows, cols in ((1, 1), (200, 400), (5, 30), (30, 100)):
        term.child.setwinsize(rows, cols)
        term.expect("\x1b[2J")  # cleared and drawn again at the new size
        term.expect("Steps")
    term.send("p")
    term.child.setwinsize(24, 40)  # while paused, too
    term.expect("Paused")
    term.child.setwinsize(30, 100)  # as it was, for the stty comparison
    term.send("s")
    term.expect("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0
    assert summary(cli) == [("steps", "stopped", "user", [("mid", 2)])]


CRASH = """\
import sys
from quietwork.run.views import live
shown = live.LiveView.show
def show(self, frame):
    shown(self, frame)
    if frame.kind == "breathe":
        raise RuntimeError("kaboom")
live.LiveView.show = show
from quietwork.__main__ import main
main()
"""


@pytest.mark.parametrize("debug", [False, True])
def test_a_bug_mid_practice_restores_and_keeps_the_answers(
    cli: CLI, tmp_path: Path, debug: bool
) -> None:
    wrapper = tmp_path / "crash.py"
    wrapper.write_text(CRASH)
    flag = "--debug " if debug else ""
    term = Terminal(tmp_path, f"{flag}practice steps", qw=f"{sys.executable} {wrapper}")
    term.rate("5", then="Look around the room.")
    term.rate("4", then="Inhale")
    term.expect("Error: unexpected problem, a bug in quietwork: RuntimeError: kaboom")
    if not debug:
        term.expect("quietwork.db")  # where the log is kept
        term.expect("--debug")
    assert term.finish(traceback=debug) == 1
    assert summary(cli) == [("steps", "interrupted", None, [("before", 5), ("mid", 4)])]


def test_stdout_a_closed_pipe_at_a_terminal(cli: CLI, tmp_path: Path) -> None:
    # stdin is the terminal, stdout a pipe that closes after two lines (the title and the
    # question): plain mode.
    term = Terminal(tmp_path, "practice steps | head -2; test ${PIPESTATUS[0]} = 0")
    term.expect("How intense is it right now?")
    term.send("5\r")
    assert term.finish() == 0
    assert summary(cli) == [("steps", "interrupted", None, [("before", 5)])]


def test_stdin_closed_at_a_terminal(cli: CLI, tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice steps <&-")
    term.expect(INPUT_ENDED)
    assert term.finish() == EOF_EXIT
    assert summary(cli) == [("steps", "interrupted", None, [])]


# Without a terminal: plain mode, answers on stdin


@pytest.mark.parametrize(
    ("typed", "kept", "where"),
    [
        ("", [], "before"),
        ("5\n", [("before", 5)], "mid check-in"),
        ("5\n4\n", [("before", 5), ("mid", 4)], "after"),
        ("2\n6\n", [("before", 2), ("mid", 6)], "go on? [y/N]"),
    ],
    ids=["before", "mid check-in", "after", "go on"],
)
def test_eof_at_each_prompt_is_interrupted_with_the_answers_kept(
    cli: CLI, typed: str, kept: list[tuple[str, int]], where: str
) -> None:
    result = cli("practice", "short", input=typed)
    assert result.exit_code == EOF_EXIT, result.output
    [line] = result.stderr.splitlines()
    assert INPUT_ENDED in line and "saved as interrupted" in line
    assert summary(cli) == [("short", "interrupted", None, kept)]


def test_eof_at_settle_declines_it(cli: CLI) -> None:
    result = cli("practice", "short", input="9\n")
    assert result.exit_code == 0, result.output
    # After a 9 the offer defaults to yes, and still the end of input declines it.
    assert "Settle for a minute? [Y/n]" in result.stdout
    assert summary(cli) == [("short", "stopped", "overwhelm", [("before", 9)])]


def test_answers_that_are_not_ratings_are_asked_again(cli: CLI) -> None:
    # Not "" or "  ": an empty answer skips the rating.
    garbage = ["abc", "-1", "11", "4.5", "+4", "٤", "1e1", "99999999999999999999",
               "five", "\x1b[2J"]
    result = cli("practice", "short", input="\n".join([*garbage, "5", *garbage, "4", "3"]) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Please type a number from 0 to 10") == 2 * len(garbage)
    assert summary(cli) == [("short", "completed", None, [("before", 5), ("mid", 4),
                                                          ("after", 3)])]


def test_confirm_asks_again_on_anything_but_yes_or_no(cli: CLI) -> None:
    result = cli("practice", "short", input="2\n6\nmaybe\n5\nyes\n3\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Please type y or n") == 2
    assert summary(cli)[0][1] == "completed"


def shell(command: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QW=f"{sys.executable} -m quietwork")
    return subprocess.run(command, shell=True, executable="/bin/bash", capture_output=True,
                          text=True, timeout=30, env=env)


def test_stdin_closed(cli: CLI) -> None:
    result = shell("$QW practice short <&-")
    assert result.returncode == EOF_EXIT, result.stderr
    assert INPUT_ENDED in result.stderr
    assert "Traceback" not in result.stderr and "bug" not in result.stderr
    assert summary(cli) == [("short", "interrupted", None, [])]
    usage = shell("$QW checkin <&-")
    assert usage.returncode == 2 and "--distress is required" in usage.stderr
    assert shell("$QW checkin --distress 3 <&-").returncode == 0


def test_stdout_closed(cli: CLI) -> None:
    result = shell("$QW checkin --distress 3 >&-")
    assert (result.returncode, result.stderr) == (0, "")
    assert [entry["distress"] for entry in logged(cli)] == [3]


def test_a_closed_pipe_mid_practice_keeps_the_answers(cli: CLI) -> None:
    result = shell("printf '5\\n' | $QW practice steps | head -2; exit ${PIPESTATUS[1]}")
    assert (result.returncode, result.stderr) == (0, "")
    title, question = result.stdout.splitlines()
    assert title == "Steps" and question.startswith("How intense is it right now?")
    assert summary(cli) == [("steps", "interrupted", None, [("before", 5)])]


@pytest.mark.parametrize("command", ["log", "log --json", "log --csv", "stats", "list",
                                     "show exhale", "schema", "log --limit 1", "paths",
                                     "config", "support", "--help", "--version"])
def test_every_output_into_a_closed_pipe_is_quiet(
    cli: CLI, tmp_path: Path, command: str
) -> None:
    at = "2026-11-22T10:00:00+00:00"
    many = [{"kind": "checkin", "id": f"c{n}", "at": at, "distress": n % 11,
             "note": "a note long enough to fill a pipe " * 3} for n in range(600)]
    (tmp_path / "many.json").write_text(json.dumps(many))
    assert cli("import", str(tmp_path / "many.json")).exit_code == 0
    # `true` has gone before quietwork writes a byte: every write meets a closed pipe.
    result = shell(f"$QW {command} | true; exit ${{PIPESTATUS[0]}}")
    assert (result.returncode, result.stderr) == (0, "")
