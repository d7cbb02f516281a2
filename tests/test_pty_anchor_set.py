"""The rating question shows the person's anchors as a set: all three or none, never a
scale with its top missing; on a short screen each is shortened at a word end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from histories import CLI

from terminal import Terminal

ANCHORS = {"0": "shoulders loose, slow breath", "5": "buzzing but can work",
           "10": "cannot think, chest locked"}
LONG = {"0": "shoulders loose and heavy, a slow breath that reaches the belly",
        "5": "buzzing but I can still work, jaw a little tight, hands restless",
        "10": "cannot think at all, chest locked, everything far too loud"}
NO_NOTE = """\
title: Quiet corner
summary: No safety note, one short step.
steps:
  - say: Look around the room.
    seconds: 1
"""


def set_anchors(cli: CLI, words: dict[str, str]) -> None:
    result = cli("anchors", *(part for level, text in words.items()
                              for part in (f"--set{level}", text)))
    assert result.exit_code == 0, result.output


def first_screen(tmp_path: Path, args: str, rows: int, cols: int) -> list[str]:
    term = Terminal(tmp_path, args, rows=rows, cols=cols)
    lines = term.wait("0 = calm")
    term.send("s")
    term.wait(lambda shown: "Stopping here." in " ".join(shown) or not term.pump())
    term.child.close()
    return lines


def anchor_lines(lines: list[str]) -> dict[str, str]:
    """The anchor lines on screen, by level: `0 = …`, `5 = …`, `10 = …`."""
    found = {}
    for line in lines:
        match = re.match(r"\s+(0|5|10) = (.*\S)", line)
        if match and match.group(1) not in found and "calm" not in match.group(2):
            found[match.group(1)] = match.group(2)
    return found


@pytest.mark.parametrize("rows", [12, 13, 14])
def test_at_40_columns_the_anchors_are_all_three_or_none(
    cli: CLI, tmp_path: Path, rows: int
) -> None:
    set_anchors(cli, ANCHORS)
    lines = first_screen(tmp_path, "practice sigh", rows, 40)
    shown = anchor_lines(lines)
    assert set(shown) in (set(), set(ANCHORS)), "\n".join(lines)
    for level, text in shown.items():
        assert text == ANCHORS[level]
    if "In your words:" in "\n".join(lines):
        assert shown  # the label never stands alone


def test_a_short_screen_shows_long_anchors_shortened_at_a_word(
    cli: CLI, tmp_path: Path, quietwork_home: Path
) -> None:
    (quietwork_home / "practices").mkdir(parents=True)
    (quietwork_home / "practices" / "corner.yaml").write_text(NO_NOTE, encoding="utf-8")
    set_anchors(cli, LONG)
    lines = first_screen(tmp_path, "practice corner", 12, 40)
    shown = anchor_lines(lines)
    assert set(shown) == set(LONG), "\n".join(lines)
    for level, text in shown.items():
        assert text.endswith("…") and len(text) < len(LONG[level])
        kept = text[:-1]
        assert LONG[level].startswith(kept)
        following = LONG[level][len(kept)]
        assert following in " ,", f"cut inside a word: {text!r}"


def test_a_tall_screen_shows_long_anchors_whole(
    cli: CLI, tmp_path: Path, quietwork_home: Path
) -> None:
    (quietwork_home / "practices").mkdir(parents=True)
    (quietwork_home / "practices" / "corner.yaml").write_text(NO_NOTE, encoding="utf-8")
    set_anchors(cli, LONG)
    lines = first_screen(tmp_path, "practice corner", 30, 40)
    text = " ".join(" ".join(lines).split())
    for level, words in LONG.items():
        assert f"{level} = {words}" in text, "\n".join(lines)
    assert "…" not in text
