"""What stays on screen once a question is answered, at 80x24 and 40x12 (read through pyte):
each question with its answer, broken between words, never mid-word, and each question
once, in the scrollback too (kept as tmux keeps it: a screen cleared from its top-left
corner is copied into it).

questionary leaves "? question answer" on one line, and the terminal cut it at its edge:
"? Which way does it lean right now? acti" / "vated (too much: …".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from histories import CLI
from quietwork.vocabulary import STATE_LABELS

pytest.importorskip("pexpect")

from terminal import Terminal  # after the skip: it imports pexpect

DOWN = "\x1b[B"
LEAN = "Which way does it lean right now?"
SUITS = "These may suit how you are now:"
RATING = "How intense is it right now? 0 = calm, 10 = overwhelmed"
NOTE = "a longer note about how the afternoon went"
SIZES = [(24, 80), (12, 40)]


def answered(lines: list[str], question: str) -> list[str]:
    """Each time `question` stays on screen answered: its line and the lines continuing
    it (two columns in), joined into one line of words."""
    found = []
    for at, line in enumerate(lines):
        words = line.split()
        for more in lines[at + 1:]:
            if not more.startswith("  "):
                break
            words += more.split()
        if line.startswith("? ") and " ".join(words).startswith(f"? {question}"):
            found.append(" ".join(words))
    return found


def cut_at_the_edge(lines: list[str], cols: int) -> list[str]:
    """Lines that fill the screen's width: the terminal broke them wherever they reached it."""
    return [line for line in lines if len(line) >= cols]


@pytest.mark.parametrize(("rows", "cols", "lean"), [(24, 80, "shut_down"), (12, 40, "activated")])
def test_the_chosen_lean_and_practice_stay_on_screen_whole_and_once(
    cli: CLI, tmp_path: Path, rows: int, cols: int, lean: str
) -> None:
    practices = {item["id"]: item for item in json.loads(cli("list", "--json").stdout)}
    ground = practices["ground"]
    chosen = f"ground — {ground['title']} ({ground['minutes']:g} min)"
    term = Terminal(tmp_path, "practice", rows=rows, cols=cols, timeout=20, tmux=True)
    term.wait("not sure")
    term.send(DOWN * list(STATE_LABELS).index(lean) + "\r")
    lines = term.wait(lambda lines: any(line.lstrip(" »").startswith("ground —")
                                        for line in lines))
    assert answered(lines, LEAN) == [f"? {LEAN} {STATE_LABELS[lean]}"], "\n".join(lines)
    assert not cut_at_the_edge(lines, cols), "\n".join(lines)

    offered = [line.lstrip(" »") for line in lines if " — " in line]
    term.send(DOWN * [line.startswith("ground —") for line in offered].index(True) + "\r")
    term.wait(lambda _: term.screen.on_alternate)  # the practice has begun
    before = term.screen.scrollback()  # the normal screen, kept aside meanwhile
    assert answered(before, SUITS) == [f"? {SUITS} {chosen}"], "\n".join(before)
    assert answered(before, LEAN) == [f"? {LEAN} {STATE_LABELS[lean]}"], "\n".join(before)
    assert not cut_at_the_edge(before, cols), "\n".join(before)

    term.wait(RATING.split(" 0 =")[0])
    term.send("s\r")
    term.wait("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0


@pytest.mark.parametrize(("rows", "cols"), SIZES)
def test_each_checkin_question_stays_once_with_its_answer_whole(
    tmp_path: Path, rows: int, cols: int
) -> None:
    term = Terminal(tmp_path, "checkin", rows=rows, cols=cols, tmux=True)
    term.wait("stops)")
    term.send("3\r")
    term.wait("shut down")
    term.send(DOWN + "\r")  # activated
    term.wait("shoulders")
    term.send(" " + DOWN * 2 + " \r")  # head and throat
    term.wait("A note, if you like:")
    term.send(NOTE + "\r")
    term.wait("with a note.")
    assert term.finish() == 0

    kept = term.screen.scrollback()
    shown = "\n".join(kept)
    expected = {
        RATING: f"? {RATING} 3",
        "Which way does it lean?": f"? Which way does it lean? {STATE_LABELS['activated']}",
        "Where do you notice it in your body?": "? Where do you notice it in your body? "
                                                "head, throat",
        "A note, if you like:": f"? A note, if you like: {NOTE}",
    }
    for question, line in expected.items():
        assert answered(kept, question) == [line], shown
        assert sum(row.startswith(f"? {question.split()[0]} {question.split()[1]}")
                   for row in kept) == 1, shown  # asked once: never a copy of it
    assert "Logged: distress 3, activated, head, throat, with a note." in " ".join(
        " ".join(row.split()) for row in kept), shown
    assert not cut_at_the_edge(kept, cols), shown


@pytest.mark.parametrize(("rows", "cols"), SIZES)
def test_a_question_stopped_with_esc_says_so(tmp_path: Path, rows: int, cols: int) -> None:
    term = Terminal(tmp_path, "checkin", rows=rows, cols=cols, timeout=20, tmux=True)
    term.wait("stops)")
    term.send("3\r")
    term.wait("shut down")
    term.send("\x1b")  # Esc at the lean: the rating is kept, the rest is not asked
    assert term.finish() == 0
    lines = term.screen.lines()
    assert answered(lines, "Which way does it lean?") == ["? Which way does it lean? stopped"]
