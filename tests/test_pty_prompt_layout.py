"""The questionary questions (`checkin`, and wherever the live view does not ask) at a
real terminal, read through pyte: no word is cut at the edge of an 80- or 40-column
screen; a menu label too long for the line ends in "…" between words; an answered question
stays on screen broken between words (tests/test_pty_answered.py reads it on screen); what
a question says to a wrong answer is shown whole, at 30 columns too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quietwork.run.fitting import echoed, lay_out
from quietwork.run.plain_prompts import RETRY
from quietwork.run.prompts import TERMINAL_STOP_HINT
from quietwork.vocabulary import STATE_LABELS

pytest.importorskip("pexpect")

from terminal import Terminal  # after the skip: it imports pexpect

QUESTION = "How intense is it right now? 0 = calm, 10 = overwhelmed"


def words_on(lines: list[str]) -> set[str]:
    return {word for line in lines for word in line.split()}


def shows_whole(said: str) -> Callable[[list[str]], bool]:
    """A test of a screen: `said` is on it whole, in order, however its lines break."""
    return lambda lines: said in " ".join(" ".join(lines).split())


@pytest.mark.parametrize(("rows", "cols"), [(24, 80), (12, 40)])
def test_no_word_of_a_question_or_its_menu_is_cut_at_the_edge(
    tmp_path: Path, rows: int, cols: int
) -> None:
    term = Terminal(tmp_path, "checkin", rows=rows, cols=cols)
    lines = term.wait("calm,")
    lines = term.wait(lambda lines: "stops)" in words_on(lines))
    shown = words_on(lines)
    assert set(f"{QUESTION} {TERMINAL_STOP_HINT}".split()) <= shown, "\n".join(lines)
    assert all(len(line) < cols for line in lines)  # the last column is left free

    term.send("5\r")
    lines = term.wait(lambda lines: any("shut down" in line for line in lines))
    menu = [line.strip(" »") for line in lines if line.strip(" »").startswith(
        tuple(label.split()[0] for label in STATE_LABELS.values()))]
    assert len(menu) == len(STATE_LABELS), "\n".join(lines)
    for shown_label, label in zip(menu, STATE_LABELS.values(), strict=True):
        kept = shown_label.removesuffix(" …").split()
        assert kept == label.split()[:len(kept)], (shown_label, label)  # whole words only
    term.send("\r")  # skip
    term.wait("Where do you notice it")
    term.send("\r")
    term.wait("A note, if you like")
    term.send("\r")
    term.wait("Logged: distress 5")
    assert term.finish() == 0


@pytest.mark.parametrize(("rows", "cols"), [(24, 80), (12, 40), (8, 30)])
def test_what_the_rating_says_to_a_wrong_answer_is_on_screen_whole(
    tmp_path: Path, rows: int, cols: int
) -> None:
    term = Terminal(tmp_path, "checkin", rows=rows, cols=cols)
    term.wait(lambda lines: "stops)" in words_on(lines))
    term.send("x\r")
    lines = term.wait(shows_whole(RETRY))  # the toolbar was one line: cut at 40 columns
    assert all(len(line) < cols for line in lines), "\n".join(lines)  # none cut by the edge
    term.rate("\x7f5", "Logged: distress 5", shown=True)  # the rating goes on as before
    assert term.finish() == 0


def test_what_the_note_says_to_a_long_one_is_on_screen_whole(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "checkin --distress 3 --state settled --body chest",
                    rows=24, cols=30)
    term.wait("A note, if you like")
    term.send("a" * 501 + "\r")
    lines = term.wait(shows_whole("Please keep it to 500 characters."))
    said = lines[next(i for i, line in enumerate(lines) if line.startswith("Please")):]
    assert all(len(line) < 30 for line in said), "\n".join(lines)  # the typed line is wider
    term.send("\x15short\r")  # Ctrl-U: the line cleared
    term.wait("Logged: distress 3")
    assert term.finish() == 0


def test_the_hint_stays_beside_a_short_question_and_goes_under_a_long_one() -> None:
    assert lay_out("Go on?", "(y/N; s or Esc stops) ", 80) == ("Go on?", "(y/N; s or Esc stops) ")
    message, hint = lay_out(QUESTION, TERMINAL_STOP_HINT, 80)
    assert message == QUESTION
    assert hint == "\n  " + TERMINAL_STOP_HINT
    message, hint = lay_out(QUESTION, TERMINAL_STOP_HINT, 40)
    assert message.split("\n") == ["How intense is it right now? 0 =", "  calm, 10 = overwhelmed"]
    assert hint is not None and all(len(line) <= 39 for line in hint.split("\n"))


def test_an_answered_question_is_kept_whole_words_in_questionarys_colours() -> None:
    question = "Which way does it lean right now?"
    fragments = echoed(question, STATE_LABELS["shut_down"], 80)
    text = "".join(piece for _, piece in fragments)
    lines = text.split("\n")
    assert all(len(line) <= 79 for line in lines)  # the last column is left free
    assert " ".join(text.split()) == f"? {question} {STATE_LABELS['shut_down']}"
    assert lines[1].startswith("  ") and not lines[1].startswith("   ")  # continued two in
    styled = {style: " ".join(piece for s, piece in fragments if s == style).split()
              for style in ("class:qmark", "class:question", "class:answer")}
    assert styled == {"class:qmark": ["?"], "class:question": question.split(),
                      "class:answer": STATE_LABELS["shut_down"].split()}
    assert "".join(piece for _, piece in echoed("Go on?", "no", 40)) == "? Go on? no"
