"""Round three's review, as the person between two meetings meets it: the ending and the stop
screen in any output encoding, prose wrapped at words on a narrow terminal (data never),
through the real CLI on a pty read by pyte.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, run_subprocess
from terminal import LEAVE_ALT, Terminal

CLI = Callable[..., Result]

PRACTICE = """\
title: Short corner
summary: For the review tests.
steps:
  - say: Look around the room.
    seconds: 1
  - breathe: {inhale: 1, exhale: 1, breaths: 2}
"""

PLAN = "## People I can ask for help\n\n- Sam · 555-0100, or the neighbour upstairs\n"


@pytest.fixture(autouse=True)
def corner(quietwork_home: Path) -> Path:
    folder = quietwork_home / "practices"
    folder.mkdir(parents=True)
    (folder / "corner.yaml").write_text(PRACTICE)
    (quietwork_home / "support.md").write_text(PLAN)
    return folder


def flat(lines: list[str]) -> str:
    """The screen's words as one line (a text may wrap)."""
    return " ".join(" ".join(lines).split())


def after_the_view(term: Terminal) -> str:
    """Everything written once the live view (the alternate screen) has closed."""
    written = term.child.logfile_read.getvalue()
    return written[written.rindex(LEAVE_ALT) + len(LEAVE_ALT):] if LEAVE_ALT in written \
        else written


# -- 1. the ending and the stop screen outside a Unicode encoding: ASCII glyphs --------------

LATIN = {"PYTHONIOENCODING": "latin-1"}


def test_outside_unicode_the_ending_writes_its_glyphs_in_ascii(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice corner --speed 20", rows=24, cols=80, env=LATIN,
                    encoding="latin-1", timeout=30)
    term.rate("5", "How is it now?")
    term.send("3\r")
    assert term.finish() == 0
    ending = after_the_view(term)
    assert "quietwork log - quietwork stats" in ending, ending
    assert ending.isascii(), sorted({char for char in ending if not char.isascii()})


def test_outside_unicode_the_stop_screen_and_the_plan_are_in_ascii(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice corner", rows=24, cols=80, env=LATIN,
                    encoding="latin-1", timeout=30)
    term.rate("9", "Settle for a minute?")
    term.send("n")
    assert term.finish() == 0
    screen = after_the_view(term)
    assert "Stopping here." in screen and "Sam - 555-0100" in screen, screen
    assert screen.isascii(), sorted({char for char in screen if not char.isascii()})


def test_outside_unicode_plain_mode_writes_ascii_glyphs(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice corner --plain --speed 20", rows=24, cols=80,
                    env=LATIN, encoding="latin-1", timeout=30)
    term.rate("5", "How is it now?")
    term.send("9\r")
    term.expect("Settle for a minute?")
    term.send("n\r")
    assert term.finish() == 0
    written = term.child.logfile_read.getvalue()
    assert "Inhale 0.05 s - breath 1 of 2" in written, written
    assert "Sam - 555-0100" in written, written
    assert written.isascii(), sorted({char for char in written if not char.isascii()})


# -- 2. prose wrapped at words on a narrow terminal; data never ------------------------------


def cut_mid_word(lines: list[str], said: str) -> list[str]:
    """The screen lines holding part of `said` that are not made of its whole words."""
    words = set(said.split())
    start = next(k for k, line in enumerate(lines)
                 if line.strip() and said.startswith(line.strip()))
    shown: list[str] = []
    for line in lines[start:]:
        if not line.strip() or " ".join([*shown, line.strip()]) not in said:
            break
        shown.append(line.strip())
    assert " ".join(shown) == said, (shown, said)
    return [line for line in shown if not set(line.split()) <= words]


CHANGE = "Distress 5 → 3: it came down. Take your time before you go on."
CLOSING = "Stopping here. Take your time; you can come back to it whenever you like."


def test_at_40_columns_the_plain_ending_wraps_at_words(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice corner --plain --speed 20", rows=24, cols=40,
                    timeout=30)
    term.expect("s stops)")  # the question, wrapped too
    term.send("5\r")
    term.wait("How is it now?")
    term.send("3\r")
    assert term.finish() == 0
    lines = term.screen.lines()
    assert cut_mid_word(lines, CHANGE) == [], lines
    assert all(len(line.rstrip()) < 40 for line in lines), lines


def test_at_40_columns_the_closing_line_after_settle_wraps_at_words(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice corner", rows=12, cols=40, timeout=30)
    term.rate("9", "Settle for a minute?")
    term.send("\r")
    term.wait("step 1 of")
    term.send("s")
    term.wait("How is it now?")
    term.send("\r")
    assert term.finish() == 0
    lines = term.screen.lines()
    assert cut_mid_word(lines, CLOSING) == [], lines


def test_at_40_columns_log_lines_are_never_wrapped(tmp_path: Path, cli: CLI) -> None:
    note = "after the call with the landlord, still shaky in the hands"
    assert cli("checkin", "--distress", "4", "--note", note).exit_code == 0
    for args, wanted in (("log --json", json.dumps(note)), ("log --csv", note)):
        term = Terminal(tmp_path, args, rows=24, cols=40, timeout=30)
        assert term.finish() == 0
        written = term.child.logfile_read.getvalue()
        assert any(wanted in line and len(line) > 40 for line in written.split("\r\n")), \
            (args, written)


# -- 3. stats on a narrow terminal: every number whole ----------------------------------------


def test_at_40_columns_stats_says_each_number_whole_not_cut_to_an_ellipsis(
    tmp_path: Path, cli: CLI
) -> None:
    for before, after in (("6", "3"), ("7", "4"), ("5", "6")):
        ran = cli("practice", "corner", "--plain", "--speed", "100",
                  input=f"{before}\n{after}\n")
        assert ran.exit_code == 0, ran.output
    term = Terminal(tmp_path, "stats", rows=40, cols=40, timeout=30)
    assert term.finish() == 0
    shown = flat(term.screen.lines())
    assert "…" not in shown, term.screen.lines()
    assert "corner: 3 sessions, 3 completed" in shown, shown
    assert "median -3.0, mean -1.7" in shown, shown
    assert "before 6.0, last 4.3" in shown, shown
    # At 80 columns the table stays as it was.
    wide = Terminal(tmp_path, "stats", rows=40, cols=80, timeout=30)
    assert wide.finish() == 0
    table = next(line for line in wide.screen.lines() if line.startswith("corner"))
    assert table.split() == ["corner", "3", "3", "0/0", "0", "2/0/1", "-3.0", "-1.7"], table


def test_at_40_columns_log_names_each_practice_and_how_it_ended(
    tmp_path: Path, cli: CLI
) -> None:
    assert cli("practice", "corner", "--plain", "--speed", "100", input="6\n3\n").exit_code == 0
    assert cli("practice", "corner", "--plain", input="9\nn\n").exit_code == 0
    note = "after the call with the landlord, still shaky in the hands"
    assert cli("checkin", "--distress", "4", "--note", note).exit_code == 0
    term = Terminal(tmp_path, "log", rows=40, cols=40, timeout=30)
    assert term.finish() == 0
    lines = term.screen.lines()
    shown = flat(lines)
    assert "…" not in shown, lines
    assert "check-in, distress 4 " + note in shown, shown
    assert "corner, stopped (overwhelm), distress 9" in shown, shown
    assert "corner, completed, distress 6 → 3" in shown, shown
    wide = Terminal(tmp_path, "log", rows=40, cols=100, timeout=30)
    assert wide.finish() == 0
    assert wide.screen.lines()[0].split() == ["when", "what", "status", "distress", "note"]


# -- 4. Ctrl-C at the chooser says that nothing started ---------------------------------------


@pytest.mark.parametrize("answer", ["", "\x1b[B\x1b[B\x1b[B\r"], ids=["lean", "practice"])
def test_ctrl_c_at_the_chooser_says_in_one_line_that_nothing_started(
    tmp_path: Path, answer: str, cli: CLI
) -> None:
    term = Terminal(tmp_path, "practice", rows=24, cols=80, timeout=30)
    term.wait("Which way does it lean")
    if answer:
        term.send(answer)
        term.wait("Which practice?")
    term.send("\x03")
    assert term.finish() == 130
    shown = [line.strip() for line in term.screen.lines() if line.strip()]
    assert shown[-2] == "Interrupted. Nothing started. Come back whenever you like.", shown
    assert cli("log", "--json").stdout.strip() == "[]"


# -- 5. the other prose lines of a question's command wrap at words too -----------------------


def test_at_80_columns_forget_and_support_edit_say_their_first_lines_whole_words(
    tmp_path: Path, cli: CLI, quietwork_home: Path
) -> None:
    (quietwork_home / "support.md").unlink()
    assert cli("practice", "corner", "--plain", "--speed", "100", input="6\n3\n").exit_code == 0
    assert cli("checkin", "--distress", "4").exit_code == 0
    term = Terminal(tmp_path, "forget --all", rows=24, cols=80, timeout=30)
    term.wait("Delete them?")
    term.send("s")
    assert term.finish() == 0
    said = ("This deletes 1 session (with 2 check-ins) and 1 check-in outside practices, in "
            "your log. It cannot be undone.")
    assert cut_mid_word(term.screen.lines(), said) == [], term.screen.lines()
    assert len(cli("log", "--json").stdout) > 10  # nothing deleted
    term = Terminal(tmp_path, "support --edit", rows=24, cols=80, timeout=30)
    term.wait("What tells you")
    term.send("\x03")
    assert term.finish() == 130
    said = "A support plan in your own words, in 6 parts (after the Stanley-Brown Safety Plan)."
    assert cut_mid_word(term.screen.lines(), said) == [], term.screen.lines()


# -- 6. the stats chart outside Unicode: whole cells, never "?" -------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_outside_unicode_the_stats_bars_end_in_whole_cells_not_a_question_mark(
    cli: CLI, encoding: str
) -> None:
    assert cli("practice", "corner", "--plain", "--speed", "100", input="6\n3\n").exit_code == 0
    shown = run_subprocess("stats", env={"PYTHONIOENCODING": encoding, "COLUMNS": "80"})
    assert shown.returncode == 0, shown.stderr
    [day] = [line for line in shown.stdout.splitlines() if line.startswith("20")]
    assert "?" not in day, day
    # 6 of 10 over 12 cells is 7.2 cells: 7; 3 is 3.6: 4.
    assert day.split()[1:5] == ["#######", "6.0", "####", "3.0"], day


# -- 7. the gentle words after a high check-in wrap at words ----------------------------------


def test_at_80_columns_the_lines_after_a_high_check_in_wrap_at_words(
    tmp_path: Path, quietwork_home: Path
) -> None:
    (quietwork_home / "support.md").unlink()
    term = Terminal(tmp_path, "checkin --distress 9 --note x", rows=24, cols=80, timeout=30)
    assert term.finish() == 0
    said = ("If you are in danger or feel unable to keep yourself safe, contact your local "
            "emergency number. A crisis line or someone you trust can help too — you don't "
            "have to do this alone.")
    assert cut_mid_word(term.screen.lines(), said) == [], term.screen.lines()


def test_at_30_columns_the_anchors_questions_open_with_whole_words(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "anchors", rows=24, cols=30, timeout=30)
    term.wait("What does 0")
    term.send("\x03")
    assert term.finish() == 130
    said = "Describe, in your own words, what these levels feel like in your body."
    assert cut_mid_word(term.screen.lines(), said) == [], term.screen.lines()
