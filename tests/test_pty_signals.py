"""Ctrl-\\, Ctrl-Z and a redirected stdout at a real terminal (a pty, through a shell)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from practices import QUICK, add_practices

from conftest import logged_entries as logged
from terminal import spawn as spawn_in_bash

pexpect = pytest.importorskip("pexpect")

HIDE, SHOW, ENTER_ALT, LEAVE_ALT = "\x1b[?25l", "\x1b[?25h", "\x1b[?1049h", "\x1b[?1049l"


@pytest.fixture(autouse=True)
def quick(quietwork_home: Path) -> None:
    add_practices(quietwork_home, quick=QUICK)


def spawn(command: str, cwd: Path, *, interactive: bool = False) -> Any:
    """`command` in bash on a 30x100 pty (`-i`: an interactive shell with job control)."""
    return spawn_in_bash(command, cwd=cwd, timeout=30, interactive=interactive)


def shown(child: Any) -> str:
    return str(child.logfile_read.getvalue())


def test_ctrl_backslash_unwinds_like_sigterm(tmp_path: Path) -> None:
    # `trap :` keeps the shell alive (and the signal's default in its child, quietwork).
    child = spawn("trap : QUIT; stty -a > before; $QW practice quick --no-checkin; "
                  "echo EXIT=$?; stty -a > after", tmp_path)
    child.expect_exact("Inhale")
    child.send("\x1c")  # Ctrl-\: SIGQUIT to the foreground
    child.expect(r"EXIT=(\d+)")
    assert int(child.match.group(1)) == 128 + 3
    child.expect(pexpect.EOF)
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    screen = shown(child)
    assert screen.rfind(SHOW) > screen.rfind(HIDE)
    assert screen.rfind(LEAVE_ALT) > screen.rfind(ENTER_ALT)
    [session] = logged()
    assert session["status"] == "interrupted" and session["ended_at"]


def at_prompt(child: Any) -> None:
    child.expect_exact("PROMPT$ ")


def start_in_shell(tmp_path: Path) -> Any:
    """An interactive bash (job control on) running the practice in the foreground."""
    child = spawn("", tmp_path, interactive=True)
    at_prompt(child)
    child.send("$QW practice quick --no-checkin --speed 4\r")  # 0.5 s phases
    child.expect_exact("Inhale")
    return child


def test_ctrl_z_gives_the_shell_its_terminal_and_fg_comes_back_paused(tmp_path: Path) -> None:
    child = start_in_shell(tmp_path)
    child.send("\x1a")  # Ctrl-Z
    child.expect_exact("Stopped")
    at_prompt(child)
    screen = shown(child)
    # While stopped, the shell's prompt is on the normal screen with a cursor.
    assert screen.rfind(LEAVE_ALT) > screen.rfind(ENTER_ALT)
    assert screen.rfind(SHOW) > screen.rfind(HIDE)
    child.send("stty -a\r")
    child.expect(r"\s(-?)icanon\s")
    assert child.match.group(1) == ""
    child.expect(r"\s(-?)echo\s")
    assert child.match.group(1) == ""
    at_prompt(child)
    child.send("fg\r")
    child.expect_exact("Paused. Press p or space to go on.")  # a stop is a pause
    child.send("p")
    child.expect_exact("Exhale")
    child.send("s")  # one key again, no Enter: cbreak is back
    child.expect_exact("Stopping here.", timeout=5)
    child.expect_exact("Settle for a minute?")
    child.send("n")
    at_prompt(child)
    child.send("exit\r")
    child.expect(pexpect.EOF)
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")


def test_in_the_background_it_neither_reads_nor_draws(tmp_path: Path) -> None:
    child = start_in_shell(tmp_path)
    child.send("\x1a")
    child.expect_exact("Stopped")
    at_prompt(child)
    child.send("bg\r")
    at_prompt(child)
    child.send("echo typed-to-the-shell\r")
    child.expect_exact("\rtyped-to-the-shell\r\n")  # the shell ran it: quietwork did not read it
    at_prompt(child)
    mark = len(shown(child))
    child.send("sleep 1.2\r")  # two phases: a drawing practice would show one
    at_prompt(child)
    assert "Inhale" not in shown(child)[mark:] and "Exhale" not in shown(child)[mark:]
    child.send("fg\r")
    child.expect_exact("Paused. Press p or space to go on.")
    child.send("s")
    child.expect_exact("Stopping here.", timeout=5)
    child.expect_exact("Settle for a minute?")
    child.send("n")
    at_prompt(child)
    child.send("exit\r")
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("plain", ["", " --plain"], ids=["view", "plain"])
def test_stdout_to_a_file_at_a_terminal_still_shows_the_person_everything(
    tmp_path: Path, plain: str
) -> None:
    child = spawn(f"$QW practice quick{plain} > out.txt; echo EXIT=$?", tmp_path)
    child.expect_exact("How intense is it right now?")  # asked on the terminal
    child.send("4\r")  # a check-in is the rating alone unless asked for more
    child.expect_exact("Inhale")
    child.send("s")
    child.expect_exact("Stopping here.")
    child.expect_exact("Settle for a minute?")
    child.send("n\r" if plain else "n")
    child.expect(r"EXIT=(\d+)")
    assert child.match.group(1) == "0"
    child.expect(pexpect.EOF)
    assert (tmp_path / "out.txt").read_text() == ""  # nothing the person needs went there
    [session] = logged()
    assert [c["distress"] for c in session["checkins"]] == [4]


def test_plain_at_a_terminal_comes_back_from_ctrl_z_paused_with_one_key_stops(
    tmp_path: Path,
) -> None:
    child = spawn("", tmp_path, interactive=True)
    at_prompt(child)
    child.send("$QW practice quick --plain --no-checkin\r")
    child.expect_exact("Inhale 2 s")
    child.send("\x1a")
    child.expect_exact("Stopped")
    at_prompt(child)
    child.send("fg\r")
    child.expect_exact("Paused. Press p to go on.")
    child.send("p")
    child.expect_exact("Going on.")
    child.send("s")
    child.expect_exact("Stopping here.", timeout=5)
    child.expect_exact("Settle for a minute? [y/N]")
    child.send("\r")
    at_prompt(child)
    child.send("exit\r")
    child.expect(pexpect.EOF)
    assert "sStopping" not in shown(child)  # not echoed: cbreak again after fg
