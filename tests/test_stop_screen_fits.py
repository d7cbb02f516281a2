"""The stop screen as a person in distress sees it: on one screen, from "Stopping here." down
to the settle offer, at 80x24 and at 40x12 (read through pyte); and the stop by choice
points to a plan only when there is one.

At the threshold the screen is fitted to the terminal's height: the opening and the calm
lines, as much of the plan as fits with a pointer to the rest, the crisis lines whole,
then the question. Without a terminal everything is written in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from quietwork.display.plan import plan_cuts
from quietwork.run.prompts import confirm_keys
from quietwork.run.session import STILL_A_LOT
from quietwork.run.views.ending import STILL_UP, STILL_UP_NO_PLAN, ending_lines
from quietwork.run.views.stop import (
    NOT_THERAPY,
    OPENING,
    SETTLING,
    SUPPORT_POINTER,
    WHOLE_PLAN,
    WRITE_POINTER,
    fitted,
)
from quietwork.support import DEFAULT_SUPPORT, EMERGENCY_LINE, PLAN_PARTS

from conftest import run_subprocess
from terminal import Terminal

pytest.importorskip("pexpect")

# Six parts, two lines each, as `quietwork support --edit` writes them.
ITEMS = (
    ("Racing thoughts at night", "Skipping meals"),
    ("Feet on the floor, name five things I see", "A hot shower"),
    ("The park by the river", "The café on Main Street"),
    ("Sam, my sister: 555 0100", "Jo: 555 0101"),
    ("Dr Lee: 555 0199", "The crisis line where I live"),
    ("Put the pills in the neighbour's cabinet", "Go where other people are"),
)
SIX_PARTS = "\n".join(
    f"## {heading}\n\n" + "".join(f"- {item}\n" for item in items)
    for (heading, _, _), items in zip(PLAN_PARTS, ITEMS, strict=True)
)
SETTLE = "Settle for a minute?"


def write_plan(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "support.md").write_text(SIX_PARTS)


def joined(lines: list[str]) -> str:
    """The screen's words as one line: a sentence wrapped over two rows reads whole."""
    return " ".join(line.strip() for line in lines if line.strip())


def stop_at_nine(tmp_path: Path, rows: int, cols: int) -> list[str]:
    """`practice ground` on a rows x cols terminal, 9 at the first question: the screen
    once the settle offer is asked (then declined, and the run finished)."""
    term = Terminal(tmp_path, "practice ground", rows=rows, cols=cols, timeout=20)
    term.rate("9", "Settle for a minute?")
    lines = term.wait(lambda lines: "stops)" in joined(lines))  # the question's whole hint
    term.send("n")
    assert term.finish() == 0
    return lines


def test_at_80x24_a_six_part_plan_leaves_the_opening_and_calm_lines_on_screen(
    quietwork_home: Path, tmp_path: Path
) -> None:
    write_plan(quietwork_home)
    lines = [line.strip() for line in stop_at_nine(tmp_path, 24, 80)]
    text = "\n".join(lines)
    assert lines[0] == OPENING, text  # the top row: nothing of it scrolled away
    for line in SETTLING:
        assert line in lines, text
    assert PLAN_PARTS[0][0] in lines and "• Racing thoughts at night" in lines, text
    assert WHOLE_PLAN in lines, text  # the rest is a command away
    assert EMERGENCY_LINE in joined(lines), text  # never cut
    assert lines.index(WHOLE_PLAN) < lines.index(OPENING) + 24
    assert any(line.startswith(f"? {SETTLE}") for line in lines[-2:]), text  # last


def test_at_40x12_without_a_plan_the_opening_calm_lines_and_crisis_lines_fit(
    quietwork_home: Path, tmp_path: Path
) -> None:
    lines = stop_at_nine(tmp_path, 12, 40)
    text = "\n".join(lines)
    assert lines[0] == OPENING, text
    shown = joined(lines)
    assert shown.startswith(f"{OPENING} {SETTLING[0]} {SETTLING[1]}"), text  # the calm first
    assert DEFAULT_SUPPORT in shown, text  # the crisis lines, whole
    assert WHOLE_PLAN not in shown  # no plan to point to
    assert shown.endswith("(Y/n; s or Esc stops)"), text  # and the offer last, on screen


def test_at_40x12_a_plan_is_a_pointer_above_the_emergency_line(
    quietwork_home: Path, tmp_path: Path
) -> None:
    write_plan(quietwork_home)
    lines = stop_at_nine(tmp_path, 12, 40)
    text = "\n".join(lines)
    assert lines[0] == OPENING, text
    shown = joined(lines)
    assert SETTLING[0] in shown and WHOLE_PLAN in shown, text
    assert EMERGENCY_LINE in shown, text
    assert shown.index(WHOLE_PLAN) < shown.index(EMERGENCY_LINE) < shown.index(SETTLE)


def test_without_a_terminal_the_whole_plan_is_written_in_order(quietwork_home: Path) -> None:
    write_plan(quietwork_home)
    result = run_subprocess("practice", "ground", input="9\n", timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout[result.stdout.index(OPENING):]
    expected = [OPENING, *SETTLING, *(heading for heading, _, _ in PLAN_PARTS),
                *(f"• {item}" for items in ITEMS for item in items), EMERGENCY_LINE, NOT_THERAPY]
    for line in expected:
        assert line in out.splitlines(), line
    headings = [out.index(f"\n{heading}\n") for heading, _, _ in PLAN_PARTS]
    assert headings == sorted(headings)
    assert out.index(EMERGENCY_LINE) > headings[-1]
    assert WHOLE_PLAN not in out  # nothing was left out to point to


def test_at_40_columns_with_stdout_to_a_file_the_questions_break_between_words(
    quietwork_home: Path, tmp_path: Path
) -> None:
    # The questions are drawn on the terminal (stderr): measured there, not on the file.
    term = Terminal(tmp_path, "practice ground > out.txt", rows=24, cols=40, timeout=20)
    term.rate("9", SETTLE)
    lines = term.wait(lambda lines: joined(lines).endswith(")"))  # the hint's end
    term.send("n")
    assert term.finish() == 0
    offer = lines[next(k for k, line in enumerate(lines) if line.startswith(f"? {SETTLE}")):]
    words = set(f"? {SETTLE} {confirm_keys(default=True)}".split())
    assert set(joined(offer).split()) <= words, "\n".join(lines)  # no word cut in two
    assert (tmp_path / "out.txt").read_text() == ""


# --- the stop by choice -----------------------------------------------------------------


def stop_by_choice(tmp_path: Path) -> str:
    term = Terminal(tmp_path, "practice ground", timeout=20)
    term.wait("0 = calm, 10 = overwhelmed")
    term.send("s\r")  # s at the first question: a stop by choice
    lines = term.wait("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0
    return joined(lines)


def test_by_choice_without_a_plan_says_how_to_write_one(
    quietwork_home: Path, tmp_path: Path
) -> None:
    shown = stop_by_choice(tmp_path)
    assert WRITE_POINTER in shown and "quietwork support --edit" in shown, shown
    assert "Your support plan is there" not in shown


def test_by_choice_with_a_plan_points_to_it(quietwork_home: Path, tmp_path: Path) -> None:
    write_plan(quietwork_home)
    shown = stop_by_choice(tmp_path)
    assert SUPPORT_POINTER in shown, shown
    assert WRITE_POINTER not in shown


# --- the fitting, at every height --------------------------------------------------------


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("support", [DEFAULT_SUPPORT, f"{SIX_PARTS}\n\n{EMERGENCY_LINE}"])
def test_every_height_keeps_the_opening_and_the_crisis_lines(width: int, support: str) -> None:
    console = Console(width=width, height=100, force_terminal=True, color_system=None)
    crisis = DEFAULT_SUPPORT if support == DEFAULT_SUPPORT else EMERGENCY_LINE
    for room in range(1, 60):
        with console.capture() as capture:
            for piece in fitted(console, support, room):
                console.print(piece)
        lines = [line.strip() for line in capture.get().rstrip("\n").split("\n")]
        assert lines[0] == OPENING
        assert crisis in joined(lines), (room, lines)
        needed = 1 + len(console.render_lines(Text(crisis), pad=False)) + (support != crisis)
        assert len(lines) <= max(room, needed), (room, lines)  # fits, when it can
        if support != crisis and "Making my surroundings safer" not in lines:
            assert WHOLE_PLAN in lines, (room, lines)  # what is cut is pointed to


def test_a_plan_is_cut_between_items_and_never_under_a_heading() -> None:
    plan = "## People\n\n- Sam,\n  my sister: 555 0100\n- Jo\n\nLee: 1\nKim: 2\n"
    lines = plan.split("\n")
    shown = ["\n".join(lines[:cut]).rstrip() for cut in plan_cuts(plan)]
    assert shown[:4] == [
        "## People\n\n- Sam,\n  my sister: 555 0100",  # the item whole, with its number
        "## People\n\n- Sam,\n  my sister: 555 0100\n- Jo",
        "## People\n\n- Sam,\n  my sister: 555 0100\n- Jo\n\nLee: 1",  # a line at a time
        "## People\n\n- Sam,\n  my sister: 555 0100\n- Jo\n\nLee: 1\nKim: 2",
    ]


def test_still_a_lot_after_settle_stays_on_screen_with_the_crisis_lines(
    quietwork_home: Path, tmp_path: Path
) -> None:
    write_plan(quietwork_home)
    term = Terminal(tmp_path, "practice ground", rows=24, cols=80, timeout=30,
                    env={"QUIETWORK_SPEED": "50"})
    term.rate("9", "Settle for a minute?")
    term.send("\r")  # Enter starts settle
    term.rate("9", "It is still a lot")  # at its closing rating
    lines = [line.strip() for line in term.wait("EXIT=")]
    assert term.finish() == 0
    text = "\n".join(lines)
    assert STILL_A_LOT in lines, text
    assert WHOLE_PLAN in lines and EMERGENCY_LINE in joined(lines), text


def test_after_a_rise_the_ending_offers_to_write_a_plan_when_there_is_none() -> None:
    assert ending_lines(60, 3, 5, own_plan=False)[-2] == STILL_UP_NO_PLAN
    assert "quietwork support --edit" in STILL_UP_NO_PLAN
    assert ending_lines(60, 3, 5)[-2] == STILL_UP
