"""Plain mode says which practice it is before its safety note and the first question."""

from __future__ import annotations

import sys
from pathlib import Path

from histories import CLI

from conftest import Result
from terminal import Terminal

TITLE = "Box breathing"
SAFETY = "The holds are optional."
QUESTION = "How intense is it right now?"


def in_order(text: str, *parts: str) -> bool:
    places = [text.find(part) for part in parts]
    return -1 not in places and places == sorted(places)


def test_piped_the_title_comes_first(cli: CLI) -> None:
    result: Result = cli("practice", "box", input="9\nn\n")  # stops at the before rating
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == TITLE
    assert in_order(result.stdout, TITLE, SAFETY, QUESTION)
    assert result.stdout.count(TITLE) == 1


def test_the_title_is_said_once_when_the_steps_begin(cli: CLI) -> None:
    result = cli("practice", "box", "--speed", "100", input="\n")  # skip, then EOF
    assert in_order(result.stdout, TITLE, SAFETY, QUESTION, "Step 1 of")
    assert result.stdout.count(TITLE) == 1


def test_with_no_checkin_the_title_still_comes_first(cli: CLI) -> None:
    result = cli("practice", "box", "--speed", "100", "--no-checkin", input="3\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == TITLE and result.stdout.count(TITLE) == 1


def test_term_dumb_at_a_terminal_the_title_comes_first(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice box", qw=f"env TERM=dumb {sys.executable} -m quietwork")
    term.expect(QUESTION)
    before_question = term.child.logfile_read.getvalue()
    assert in_order(before_question, TITLE, SAFETY, QUESTION)
    term.send("s\r")
    term.expect("Settle for a minute?")
    term.send("n\r")
    assert term.finish() == 0
