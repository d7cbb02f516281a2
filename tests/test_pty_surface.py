"""The whole practice on one calm screen, at four terminal sizes, read through pyte.

Each journey runs the real CLI on a pty: the before check-in (the safety note first),
a timed prompt, a mid check-in, a breathing step with its lead-in and a top-up, the after
check-in, and the ending left in the scrollback. At every screen: no word is broken
across lines, the person's anchors are whole, the stop keys are on the last row.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from terminal import FOLLOW_UPS, Terminal

CLI = Callable[..., Result]
SAFETY = "Keep every breath gentle. If anything feels like too much, stop and look around."
PROMPT = "Let your eyes move slowly around the room, wherever they would like to go next."
MID = "How intense is it now, at this moment?"
ANCHORS = {"0": "shoulders loose, slow breathing", "5": "buzzing but can still work",
           "10": "cannot think straight at all"}
PRACTICE = f"""\
title: Calm corner
summary: For the surface tests.
safety: {SAFETY}
steps:
  - say: {PROMPT}
    seconds: 2
  - checkin: {MID}
  - breathe: {{inhale: 1.5, top_up: 0.5, exhale: 2, breaths: 2}}
"""
# 80x24 the common default; 40x12 the smallest that shows everything; 30x8 the smallest
# that works at all; 180x45 the widest (the guide centred). 100x30 is where every other
# pty test runs, so the journey does not repeat it.
SIZES = [(24, 80), (12, 40), (8, 30), (45, 180)]
WORDS = set(re.findall(r"[A-Za-z]+", " ".join(
    [SAFETY, PROMPT, MID, *ANCHORS.values(), "Calm corner", "How intense is it right now",
     "calm overwhelmed", "Breathe with the guide Roughly is fine", "Get ready breaths",
     "Paused Press or space to go on", "before you begin after the practice step of left"]
)))


@pytest.fixture(autouse=True)
def corner(quietwork_home: Path, cli: CLI) -> None:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "corner.yaml").write_text(PRACTICE)
    result = cli("anchors", "--set0", ANCHORS["0"], "--set5", ANCHORS["5"],
                 "--set10", ANCHORS["10"])
    assert result.exit_code == 0, result.output


def whole_words(lines: list[str]) -> None:
    """No word of the practice's texts is cut across two lines."""
    for upper, lower in itertools.pairwise(lines):
        end = re.search(r"([A-Za-z]+)$", upper)
        start = re.match(r"\s*([A-Za-z]+)", lower)
        if end and start:
            joined = end.group(1) + start.group(1)
            assert joined not in WORDS, f"{joined!r} is broken:\n" + "\n".join(lines)


def stop_key_last(lines: list[str]) -> None:
    shown = [line for line in lines if line.strip()]
    assert "s/Esc stop" in shown[-1], "\n".join(lines)


def anchors_whole(lines: list[str]) -> int:
    """How many anchors are shown; each one shown is whole (never cut off)."""
    text = flat(lines)
    shown = 0
    for level, words in ANCHORS.items():
        if f"{level} = " in text and words.split()[0] in text:
            assert f"{level} = {words}" in text, f"anchor {level} cut:\n" + "\n".join(lines)
            shown += 1
    return shown


def countdowns(lines: list[str]) -> list[str]:
    return re.findall(r"\b\d+ s\b|\b\d+:\d\d\b", "\n".join(lines))


def flat(lines: list[str]) -> str:
    """The screen's words as one line (a question may wrap)."""
    return " ".join(" ".join(lines).split())


def skip_follow_ups(term: Terminal, until: str) -> list[str]:
    """Enter at each follow-up question until `until` is on screen; that screen."""
    while True:
        lines = term.wait(lambda shown: any(t in flat(shown) for t in (until, *FOLLOW_UPS)))
        if until in flat(lines):
            return lines
        term.send("\r")
        term.wait(lambda shown, before=lines: shown != before)


@pytest.mark.parametrize(("rows", "cols"), SIZES, ids=[f"{c}x{r}" for r, c in SIZES])
def test_the_whole_journey_on_one_screen(
    cli: CLI, tmp_path: Path, rows: int, cols: int
) -> None:
    term = Terminal(tmp_path, "practice corner --speed 2", rows=rows, cols=cols, timeout=30)
    roomy = rows >= 12

    # The first screen: the safety note before anything starts, then the question.
    first = term.wait("0 = calm")
    assert term.screen.on_alternate
    assert "Calm corner" in first[1] or "Calm corner" in "\n".join(first[:3])
    if roomy:
        assert " ".join(SAFETY.split()) in " ".join(" ".join(first).split())
        assert anchors_whole(first) == 3
    else:
        anchors_whole(first)
    whole_words(first)
    stop_key_last(first)

    term.send("x\r")  # not a rating: the message sits right under the answer
    asked = term.wait("Please type a number")
    typed = next(k for k, line in enumerate(asked) if "› x" in line)
    assert "Please type a number" in asked[typed + 1]
    term.send("\x7f5\r")

    # A timed prompt: one countdown; the practice's time left once, if at all.
    prompt = skip_follow_ups(term, PROMPT.split()[0])
    whole_words(prompt)
    stop_key_last(prompt)
    seconds = [c for c in countdowns(prompt) if c.endswith(" s")]
    clocks = [c for c in countdowns(prompt) if ":" in c]
    assert len(seconds) == 1 and len(clocks) <= 1, "\n".join(prompt)

    # The mid check-in, in the same screen: the title and where you are stay on it.
    mid = term.wait(lambda lines: MID in flat(lines))
    assert term.screen.on_alternate
    text = "\n".join(mid)
    assert "Calm corner" in text and "step 2 of 3" in text
    assert "Please type a number" not in text  # the before check-in is not shown again
    anchors_whole(mid)
    whole_words(mid)
    stop_key_last(mid)
    term.send("4\r")

    # The breathing: a lead-in first, then the guide; the top-up has its own cue.
    lead_in = skip_follow_ups(term, "Get ready")
    stop_key_last(lead_in)
    top_up = term.wait("Top-up")
    whole_words(top_up)
    if cols >= 180:
        [guide] = [line for line in top_up if "█" in line]
        left = len(guide) - len(guide.lstrip())
        assert abs(left - (cols - len(guide))) <= 1, "\n".join(top_up)  # centred

    # The after check-in, then the ending stays in the scrollback.
    after = term.wait("after the practice")
    stop_key_last(after)
    term.send("3\r")
    while term.pump():
        shown = flat(term.screen.lines())
        if any(question in shown for question in FOLLOW_UPS) and term.screen.on_alternate:
            term.send("\r")
            term.wait(lambda lines, before=shown: flat(lines) != before)
    assert term.finish() == 0
    assert not term.screen.on_alternate
    ending = flat(term.screen.lines())
    assert "Distress 5 → 3: it came down." in ending
    assert "Saved. To look back: quietwork log · quietwork stats" in ending
    assert "Breathe with the guide" not in ending and "0 = calm" not in ending
    [session] = json.loads(cli("log", "--json").stdout)
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 5), ("mid", 4), ("after", 3)]
