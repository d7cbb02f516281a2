"""Esc at the questionary prompts (`quietwork checkin` at a pty): it stops within a frame.

prompt_toolkit waits by default 0.5 s to tell the Esc key from an escape sequence, and
another second when Esc also starts a longer binding (Alt+b in the note). Meanwhile the
next key typed became part of it: "clear" typed after Esc left the note "lear".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import logged_entries as logged
from terminal import Terminal

pytest.importorskip("pexpect")

RATING = "0 = calm, 10 = overwhelmed"
LEAN = "Which way does it lean?"
BODY = "Where do you notice it in your body?"
NOTE = "A note, if you like:"
AT_ONCE = 0.45  # a stop key acts within a frame; prompt_toolkit's own wait is 0.5 s


def checkin(tmp_path: Path) -> Terminal:
    return Terminal(tmp_path, "checkin", rows=24, cols=80)


def pointed_at(label: str) -> Callable[[list[str]], bool]:
    """Whether the menu's pointer is at the choice starting with `label`."""
    def test(lines: list[str]) -> bool:
        return any(label in line and not line.strip().startswith(label) for line in lines)
    return test


def esc_acts_at_once(term: Terminal, then: str) -> None:
    started = time.monotonic()
    term.send("\x1b")
    term.wait(then, timeout=5)
    took = time.monotonic() - started
    assert took < AT_ONCE, f"Esc took {took:.2f} s"


def test_esc_at_the_note_stops_at_once_and_nothing_more_lands_in_it(tmp_path: Path) -> None:
    term = checkin(tmp_path)
    term.wait(RATING)
    term.send("4\r")
    for question in (LEAN, BODY):
        term.wait(question)
        term.send("\r")
    term.wait(NOTE)
    esc_acts_at_once(term, "Logged: distress 4.")
    term.send("clear\r")  # typed for the shell: never part of the note
    assert term.finish() == 0
    [entry] = logged()
    assert (entry["distress"], entry["note"]) == (4, None)


def test_esc_at_the_rating_and_at_a_menu_stops_at_once(tmp_path: Path) -> None:
    term = checkin(tmp_path)
    term.wait(RATING)
    esc_acts_at_once(term, "EXIT=")
    term.finish()
    assert logged() == []
    term = checkin(tmp_path)
    term.wait(RATING)
    term.send("4\r")
    term.wait(LEAN)
    esc_acts_at_once(term, "Logged: distress 4.")
    assert term.finish() == 0
    [entry] = logged()
    assert (entry["distress"], entry["state"]) == (4, None)


def test_arrow_keys_and_alt_b_still_work(tmp_path: Path) -> None:
    term = checkin(tmp_path)
    term.wait(RATING)
    term.send("4\r")
    term.wait(LEAN)
    term.send("\x1b[B")  # down, from "skip" to "activated"
    term.wait(pointed_at("activated"))
    term.send("\r")
    term.wait(BODY)
    term.send("\x1b[B \r")  # down to jaw, pick it, go on
    term.wait(NOTE)
    # Left and right, and Alt+b (a word back) in the note: no stop, no stray letters.
    term.send("\x1b[D\x1b[Cok go\x1bbx\r")
    term.wait("Logged: distress 4")
    assert term.finish() == 0
    [entry] = logged()
    assert (entry["state"], entry["body"], entry["note"]) == ("activated", ["jaw"], "ok xgo")
