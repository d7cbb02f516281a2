"""What a person in distress meets at a plain 80-column terminal (and smaller), through the
real CLI on a pty read by pyte: every glyph in any output encoding, the safety note on a
tiny first screen, keys and a resize at a question, the way out of the chooser.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from practices import add_practices

from conftest import Result
from terminal import ENTER_ALT, LEAVE_ALT, Terminal

CLI = Callable[..., Result]

PRACTICE = """\
title: Calm corner
summary: For the round-three tests.
safety: Keep every breath gentle. If anything feels like too much, stop and look around.
steps:
  - say: Look around the room.
    seconds: 1
  - breathe: {inhale: 2, exhale: 2, breaths: 3}
"""


@pytest.fixture(autouse=True)
def corner(quietwork_home: Path) -> Path:
    return add_practices(quietwork_home, corner=PRACTICE)


def flat(lines: list[str]) -> str:
    """The screen's words as one line (a text may wrap)."""
    return " ".join(" ".join(lines).split())


def stop_and_decline_settle(term: Terminal) -> int:
    term.send("s")
    term.expect("Settle for a minute?")
    term.send("n")
    return term.finish()


# -- 1. every glyph of the view in an encoding without them ----------------------------------


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_outside_utf8_the_guide_clock_and_keys_are_drawn_in_ascii(
    tmp_path: Path, encoding: str
) -> None:
    # The terminal reads the bytes in the same encoding as they are written.
    term = Terminal(tmp_path, "practice corner --full-checkin", rows=24, cols=80,
                    env={"PYTHONIOENCODING": encoding}, encoding=encoding, timeout=30)
    first = term.wait("0 = calm")
    assert "> _" in "\n".join(first), "\n".join(first)
    term.send("5\r")
    menu = term.wait("Which way does it lean?")
    assert "^/v move" in menu[-1], "\n".join(menu)  # not "?/? move"
    term.send("\r")
    term.wait("Where do you notice it")
    term.send("\r")
    guide = term.wait(lambda lines: "Inhale" in flat(lines) and any("##" in line for line in lines))
    heading = guide[1]
    assert re.search(r"step 2 of 2 - \d:\d\d left$", heading), heading
    assert any(re.fullmatch(r" *-+#+-+", line) for line in guide), "\n".join(guide)
    assert guide[-1].strip().startswith("s/Esc stop - p/space pause"), guide[-1]
    assert stop_and_decline_settle(term) == 0
    # Everything the view drew is ASCII: the same bytes in every terminal encoding.
    written = term.child.logfile_read.getvalue()
    view = written[written.index(ENTER_ALT):written.rindex(LEAVE_ALT)]
    assert view.isascii(), sorted({char for char in view if not char.isascii()})


# -- 2. the safety note on the first screen, however small ----------------------------------

EXHALE_SAFETY = ("If slow breathing makes you light-headed, dizzy or short of air, stop and "
                 "breathe normally. If you feel numb, foggy or far away, the ground practice "
                 "may suit you better.")


@pytest.mark.parametrize(("rows", "cols"), [(8, 30), (12, 40), (24, 80)],
                         ids=["30x8", "40x12", "80x24"])
def test_the_first_screen_keeps_the_whole_safety_note_the_question_and_the_stop_key(
    tmp_path: Path, rows: int, cols: int
) -> None:
    term = Terminal(tmp_path, "practice exhale", rows=rows, cols=cols, timeout=30)
    first = term.wait("How intense is it right now?")
    assert EXHALE_SAFETY in flat(first), "\n".join(first)
    assert all(len(line) < cols for line in first)  # the last column stays free
    assert "s/Esc stop" in first[-1], "\n".join(first)
    # Once something is typed, the answer and its message come first.
    term.send("x\r")
    asked = term.wait("Please type a number")
    typed = next(k for k, line in enumerate(asked) if "› x" in line)
    assert "Please type a number" in asked[typed + 1] and "s/Esc stop" in asked[-1]
    assert "How intense is it right now?" in flat(asked)
    term.send("\x15")
    term.wait("› _")
    assert stop_and_decline_settle(term) == 0


SIGH_STOP = ("Keep the breaths gentle, not big. If you feel light-headed, dizzy or tingly, stop "
             "and breathe normally.")


def test_a_note_too_long_for_a_tiny_first_screen_keeps_its_first_sentences(
    tmp_path: Path
) -> None:
    term = Terminal(tmp_path, "practice sigh", rows=8, cols=30, timeout=30)
    first = term.wait("How intense is it right now?")
    assert SIGH_STOP in flat(first), "\n".join(first)
    assert "s/Esc stop" in first[-1]
    assert stop_and_decline_settle(term) == 0


# -- 3. m at a rating mutes, as during the steps ---------------------------------------------

MID = """\
title: With a check-in
summary: A breath, a check-in, a breath.
steps:
  - breathe: {inhale: 0.5, exhale: 0.5, breaths: 1}
  - checkin: How is it now?
  - breathe: {inhale: 0.5, exhale: 0.5, breaths: 1}
"""


def stand_in_player(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A stand-in paplay first on PATH: each file it is asked to play is a line of `played`."""
    folder, played = tmp_path / "bin", tmp_path / "played"
    folder.mkdir()
    player = folder / "paplay"
    player.write_text(f"#!/bin/sh\necho \"$1\" >> '{played}'\n")
    player.chmod(0o755)
    return {"PATH": f"{folder}:/usr/bin:/bin"}, played


def played_lines(played: Path) -> list[str]:
    return played.read_text().splitlines() if played.exists() else []


def test_m_at_a_rating_mutes_the_tones_and_is_not_typed(corner: Path, tmp_path: Path) -> None:
    (corner / "mid.yaml").write_text(MID)
    env, played = stand_in_player(tmp_path)
    term = Terminal(tmp_path, "practice mid --sound", rows=30, cols=100, env=env, timeout=30)
    first = term.wait("0 = calm")
    assert "m mute" in first[-1], first[-1]
    term.send("m")
    muted = term.wait("m unmute")
    assert "› _" in "\n".join(muted)  # the m was not typed into the answer
    before = len(played_lines(played))
    term.send("4\r")
    mid = term.wait("How is it now?")  # the first breath went by in silence
    assert len(played_lines(played)) == before
    assert "m unmute" in mid[-1]
    term.send("m")  # unmuted at the mid check-in: the next breath is heard
    term.wait(lambda lines: "m mute" in lines[-1] and "unmute" not in lines[-1])
    term.send("4\r")
    term.wait("after the practice")
    assert any(line.endswith("inhale-1.wav") for line in played_lines(played)[before:])
    term.send("3\r")
    assert term.finish() == 0


# -- 4. a resize while a question waits -------------------------------------------------------

CORNER_SAFETY = "Keep every breath gentle. If anything feels like too much, stop and look around."


def test_a_resize_at_a_question_rewraps_it_and_keeps_what_was_typed(
    tmp_path: Path, cli: CLI
) -> None:
    result = cli("anchors", "--set0", "shoulders loose, slow breathing",
                 "--set10", "cannot think straight at all")
    assert result.exit_code == 0, result.output
    term = Terminal(tmp_path, "practice corner --full-checkin", rows=24, cols=80, timeout=30)
    term.wait("0 = calm")
    term.send("7")
    term.wait("› 7_")
    for rows, cols in ((12, 40), (8, 30), (24, 80)):
        term.resize(rows, cols)
        shown = term.wait(lambda lines, c=cols: lines[-1].strip()
                          and all(len(line) < c for line in lines) and "› 7_" in "\n".join(lines)
                          and "s/Esc stop" in lines[-1])
        text = flat(shown)
        assert "How intense is it right now?" in text, "\n".join(shown)
        if rows >= 12:
            assert "0 = calm, 10 = overwhelmed" in text and CORNER_SAFETY in text, shown
        # Nothing drawn at the old size is left over on the screen.
        assert sum("How intense" in line for line in shown) == 1, "\n".join(shown)
    term.send("\r")  # the answer typed before the resizes is the one given
    menu = term.wait("Which way does it lean?")
    term.send("\x1b[B")  # the cursor moves to the first state
    term.wait(lambda lines: any(line.strip().startswith("› activated") for line in lines))
    term.resize(8, 30)
    small = term.wait(lambda lines: any(line.strip().startswith("› activated") for line in lines)
                      and all(len(line) < 30 for line in lines))
    assert "s/Esc stop" in small[-1] and "Which way" in flat(small), "\n".join(small)
    term.resize(24, 80)
    term.wait(lambda lines: "Which way does it lean?" in flat(lines) and len(lines) == 24
              and any(line.strip().startswith("› activated") for line in lines))
    assert menu
    term.send("\r")
    term.wait("Where do you notice it")
    term.send("s")
    term.expect("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0
    [session] = json.loads(cli("log", "--json").stdout)
    assert [(c["phase"], c["distress"], c["state"]) for c in session["checkins"]] == [
        ("before", 7, "activated")]


# -- 5. --sound without --voice: a soft tone says a question waits ----------------------------


def question_tones(played: Path) -> int:
    return sum(Path(line).name == "question-1.wav" for line in played_lines(played))


def wait_for(test: Callable[[], bool]) -> bool:
    """The player is its own process: its line comes a moment after the screen."""
    deadline = time.monotonic() + 10
    while not test() and time.monotonic() < deadline:
        time.sleep(0.05)
    return test()


def test_each_check_in_question_plays_the_soft_question_tone_once(
    corner: Path, tmp_path: Path
) -> None:
    (corner / "mid.yaml").write_text(MID)
    env, played = stand_in_player(tmp_path)
    term = Terminal(tmp_path, "practice mid --sound", rows=24, cols=80, env=env, timeout=30)
    term.wait("0 = calm")
    assert wait_for(lambda: question_tones(played) == 1)
    term.send("4")  # typing redraws the question: no second tone
    term.wait("› 4_")
    term.send("\r")
    term.wait("How is it now?")
    assert wait_for(lambda: question_tones(played) == 2)
    files = [Path(line) for line in played_lines(played)]
    [tone] = {path for path in files if path.name == "question-1.wav"}
    assert tone.read_bytes()[:4] == b"RIFF"
    assert len({path.read_bytes() for path in files}) == 3  # not the inhale's nor the exhale's
    term.send("m")  # muted: the after check-in asks in silence
    term.wait("m unmute")
    term.send("4\r")
    term.wait("after the practice")
    term.send("3\r")
    assert term.finish() == 0
    assert question_tones(played) == 2


def test_with_a_voice_the_question_is_said_and_no_tone_plays(
    corner: Path, tmp_path: Path
) -> None:
    env, played = stand_in_player(tmp_path)
    voice = tmp_path / "bin" / "espeak-ng"
    voice.write_text("#!/bin/sh\ncat > /dev/null\n")
    voice.chmod(0o755)
    term = Terminal(tmp_path, "practice corner --sound --voice", rows=24, cols=80, env=env,
                    timeout=30)
    term.wait("0 = calm")
    term.send("s")
    term.expect("Settle for a minute?")
    term.send("n")
    assert term.finish() == 0
    assert question_tones(played) == 0


# -- 6. config names each practice_dirs entry it cannot use ----------------------------------


def test_config_warns_on_one_line_for_each_unusable_practice_folder(
    cli: CLI, quietwork_home: Path, tmp_path: Path
) -> None:
    good = tmp_path / "shared"
    good.mkdir()
    (tmp_path / "a-file").write_text("not a folder\n")
    (quietwork_home / "config.toml").write_text(
        f'practice_dirs = ["{good}", "{tmp_path / "missing"}", "{tmp_path / "a-file"}"]\n')
    for args in (("config",), ("config", "--json")):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        warnings = result.stderr.splitlines()
        assert len(warnings) == 2, result.stderr
        missing, a_file = warnings
        assert missing.startswith(f"Warning: {tmp_path / 'missing'}: no such folder")
        assert a_file.startswith(f"Warning: {tmp_path / 'a-file'}: not a folder")
        assert all("practice_dirs" in line and "config.toml" in line for line in warnings)
        assert str(good) in result.stdout  # the entries are still shown
    # The way back never refuses for it.
    settle = cli("practice", "settle", "--no-checkin", "--speed", "100", input="")
    assert settle.exit_code == 0, settle.output
    checkin = cli("checkin", "--distress", "3")
    assert checkin.exit_code == 0 and checkin.stderr == "", checkin.output


# -- 7. --speed says its range ----------------------------------------------------------------


def test_practice_help_states_the_range_of_speed(cli: CLI) -> None:
    result = cli("practice", "--help")
    assert result.exit_code == 0, result.output
    words = " ".join(re.sub(r"[│╭╮╰╯─┃]", " ", result.stdout).split())
    speed = words[words.index("--speed X"):]
    assert "from 0.25 to 100" in speed[:200], speed[:200]
    refused = cli("practice", "exhale", "--speed", "200")
    assert refused.exit_code == 2 and "from 0.25 to 100" in refused.stderr  # the same words


# -- 8. leaving the chooser -------------------------------------------------------------------


@pytest.mark.parametrize(("key", "cols"), [("\x1b", 80), ("s", 80), ("\x1b", 30)])
def test_leaving_the_chooser_says_nothing_started_and_where_the_practices_are(
    tmp_path: Path, key: str, cols: int, cli: CLI
) -> None:
    term = Terminal(tmp_path, "practice", rows=24, cols=cols, timeout=30)
    term.wait("Which way does it lean")
    term.send(key)
    assert term.finish() == 0
    lines = [line.strip() for line in term.screen.lines()]
    if cols == 80:
        assert "Nothing started. Come back whenever you like." in lines, lines
        assert "`quietwork list` shows the practices." in lines, lines
    else:  # wrapped at words, never in the middle of one
        start = next(k for k, line in enumerate(lines) if line.startswith("Nothing started."))
        said = "Nothing started. Come back whenever you like. `quietwork list` shows the practices."
        words = set(said.split())
        message = [line for line in lines[start:] if line and not line.startswith("EXIT=")]
        assert all(set(line.split()) <= words for line in message), message
    shown = flat(lines)
    assert "Nothing started. Come back whenever you like. `quietwork list` shows the " \
        "practices." in shown, shown
    assert "Okay." not in shown
    assert cli("log", "--json").stdout.strip() == "[]"


# -- and with no check-in before, the first step shows the safety note ------------------------


def test_without_a_before_check_in_the_first_step_shows_the_safety_note(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice exhale --no-checkin", rows=24, cols=80, timeout=30)
    first = term.wait("You can keep your eyes open")
    assert EXHALE_SAFETY in flat(first), "\n".join(first)
    assert "s/Esc stop" in first[-1]
    assert stop_and_decline_settle(term) == 0


def test_after_the_before_check_in_the_note_is_not_shown_again(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "practice exhale", rows=24, cols=80, timeout=30)
    term.wait("0 = calm")
    term.send("3\r")
    step = term.wait("You can keep your eyes open")
    assert "light-headed" not in flat(step), "\n".join(step)
    assert stop_and_decline_settle(term) == 0
