"""Ctrl-\\, Ctrl-Z and a redirected stdout at a real terminal (a pty, through a shell)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import logged_entries as logged

pexpect = pytest.importorskip("pexpect")

QUICK = """\
title: Quick test
summary: A short practice for tests.
steps:
  - say: Let your shoulders drop.
    seconds: 1
  - breathe: {inhale: 2, exhale: 2, breaths: 20}
"""
HIDE, SHOW, ENTER_ALT, LEAVE_ALT = "\x1b[?25l", "\x1b[?25h", "\x1b[?1049h", "\x1b[?1049l"


@pytest.fixture(autouse=True)
def quick(quietwork_home: Path) -> None:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "quick.yaml").write_text(QUICK)


def spawn(command: str, cwd: Path, *, interactive: bool = False) -> Any:
    """`command` in bash on a 30x100 pty (`-i`: an interactive shell with job control)."""
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", PS1="PROMPT$ ",
               QW=f"{sys.executable} -m quietwork")
    env.pop("COLUMNS", None)
    args = ["--norc", "--noprofile", "-i"] if interactive else ["--norc", "--noprofile", "-c",
                                                               command]
    child = pexpect.spawn("bash", args, env=env, encoding="utf-8", timeout=30,
                          dimensions=(30, 100), cwd=cwd)
    child.delaybeforesend = None
    child.logfile_read = io.StringIO()
    return child


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
