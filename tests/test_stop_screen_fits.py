"""The stop screen as a person in distress sees it: on one screen, from "Stopping here." down
to the settle offer, at 80x24 and at 40x12 (read through pyte); and the stop by choice
points to a plan only when there is one.

At the threshold the screen is fitted to the terminal's height: the blank lines, the note
and the calm lines after the first go before any of the person's plan does; then as much
of the plan as fits, with a pointer to the rest; the crisis lines whole, then the
question. Without a terminal everything is written in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console, RenderableType
from rich.text import Text

from quietwork.display.plan import plan_cuts, plan_markdown
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
from quietwork.support import DEFAULT_SUPPORT, EMERGENCY_LINE, NO_PLAN, PLAN_PARTS, Support

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


def test_at_80x24_a_six_part_plan_is_shown_whole_without_its_blank_lines(
    quietwork_home: Path, tmp_path: Path
) -> None:
    write_plan(quietwork_home)
    lines = [line.strip() for line in stop_at_nine(tmp_path, 24, 80)]
    text = "\n".join(lines)
    assert lines[0] == OPENING, text  # the top row: nothing of it scrolled away
    assert SETTLING[0] in lines, text  # a calm line stays
    # Short of rows, the plan loses the blank lines around its headings (rich's Markdown
    # draws more of them in older versions), not its words: every part and item is there.
    for (heading, _, _), items in zip(PLAN_PARTS, ITEMS, strict=True):
        assert heading in lines and all(f"• {item}" in lines for item in items), text
    assert EMERGENCY_LINE in joined(lines), text  # never cut
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


# The plan of two people the reviewer wrote: at these sizes the old screen kept every calm
# line and the note, and showed none of it.
TWO_PEOPLE = ("## People I can ask for help\n- Sam: 555-0100\n"
              "## Professionals and services\n- Dr Lee: 555-0199\n")


@pytest.mark.parametrize(("cols", "rows"), [(80, 16), (40, 20), (40, 16), (60, 12), (40, 12),
                                            (80, 24)])
def test_a_short_terminal_keeps_the_persons_own_people_before_the_calm_lines(
    quietwork_home: Path, tmp_path: Path, cols: int, rows: int
) -> None:
    quietwork_home.mkdir(parents=True, exist_ok=True)
    (quietwork_home / "support.md").write_text(TWO_PEOPLE)
    lines = stop_at_nine(tmp_path, rows, cols)
    text = "\n".join(lines)
    shown = joined(lines)
    assert lines[0] == OPENING, text
    assert SETTLING[0] in shown, text  # at least one calm line
    assert "• Sam: 555-0100" in [line.strip() for line in lines], text  # the first person
    assert EMERGENCY_LINE in shown, text  # whole
    assert shown.endswith("(Y/n; s or Esc stops)"), text  # the offer, last, on screen
    if "Dr Lee: 555-0199" in shown:
        assert WHOLE_PLAN not in shown, text  # nothing of it left out
    else:
        assert WHOLE_PLAN in shown, text  # what is cut is pointed to
        assert lines[-1].endswith("stops)"), text  # and no row left free under the offer
    if (cols, rows) == (80, 24):
        assert "Dr Lee: 555-0199" in shown and NOT_THERAPY in shown, text  # all of it fits


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
@pytest.mark.parametrize("support", [NO_PLAN, Support(SIX_PARTS, "file")])
def test_every_height_keeps_the_opening_and_the_crisis_lines(width: int, support: Support) -> None:
    console = Console(width=width, height=100, force_terminal=True, color_system=None)
    crisis = support.crisis
    for room in range(1, 60):
        with console.capture() as capture:
            for piece in fitted(console, support, room):
                console.print(piece)
        lines = [line.strip() for line in capture.get().rstrip("\n").split("\n")]
        assert lines[0] == OPENING
        assert crisis in joined(lines), (room, lines)
        needed = 1 + len(console.render_lines(Text(crisis), pad=False)) + bool(support.own)
        assert len(lines) <= max(room, needed), (room, lines)  # fits, when it can
        if support.own and "Making my surroundings safer" not in lines:
            assert WHOLE_PLAN in lines, (room, lines)  # what is cut is pointed to


@pytest.mark.parametrize("width", [40, 60, 80])
def test_at_every_height_the_plan_goes_last_and_leaves_no_row_free(width: int) -> None:
    console = Console(width=width, height=100, force_terminal=True, color_system=None)

    def rows(*pieces: RenderableType) -> int:
        return sum(len(console.render_lines(piece, pad=False)) for piece in pieces)

    # the least that shows the first person: the opening, one calm line, the first part of
    # the plan, the pointer and the crisis lines
    first_person = rows(Text(OPENING), Text(SETTLING[0]),
                        plan_markdown("## People I can ask for help\n- Sam: 555-0100"),
                        Text(WHOLE_PLAN), Text(EMERGENCY_LINE))
    for room in range(1, 40):
        with console.capture() as capture:
            for piece in fitted(console, Support(TWO_PEOPLE, "file"), room):
                console.print(piece)
        lines = [line.strip() for line in capture.get().rstrip("\n").split("\n")]
        cut = "• Dr Lee: 555-0199" not in lines
        assert cut == (WHOLE_PLAN in lines), (room, lines)
        if room >= first_person:  # no other calm line, nor the note, instead of Sam
            assert "• Sam: 555-0100" in lines and SETTLING[0] in joined(lines), (room, lines)
            if cut:
                assert len(lines) == room, (room, lines)  # every free row is used


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
    assert EMERGENCY_LINE in joined(lines), text
    assert WHOLE_PLAN in lines or f"• {ITEMS[-1][-1]}" in lines, text  # the plan, or where


def test_after_a_rise_the_ending_offers_to_write_a_plan_when_there_is_none() -> None:
    assert ending_lines(60, 3, 5, own_plan=False)[-2] == STILL_UP_NO_PLAN
    assert "quietwork support --edit" in STILL_UP_NO_PLAN
    assert ending_lines(60, 3, 5)[-2] == STILL_UP
