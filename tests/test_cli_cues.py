"""Eyes-closed practice through the real CLI: --voice and --sound with stand-in programs.

The stand-ins are shell scripts on PATH: a text-to-speech program that appends what it
is given to a file, and an audio player that appends the file it is asked to play.
Pipes (plain mode) and a pty (the terminal view and questionary) are both driven.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from practices import MID, QUICK, add_practices

from conftest import run_subprocess
from terminal import spawn as spawn_in_bash

BOX = """\
title: Square
summary: Four sides.
steps:
  - breathe: {inhale: 2, hold: 2, exhale: 2, hold_out: 2, breaths: 2}  # 0.5 s at --speed 4
"""
RATING = "How intense is it right now? 0 is calm, 10 is overwhelmed. "
AFTER = "That's the end. How is it now? 0 is calm, 10 is overwhelmed. "  # issue 13
HINT = "Type a number from 0 to 10, then Enter."
SETTLE = "Settle for a minute? y for yes, n for no."


@pytest.fixture(autouse=True)
def practices(quietwork_home: Path) -> Path:
    return add_practices(quietwork_home, mid=MID, box4=BOX, quick=QUICK)


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A folder of stand-in programs; PATH is only this folder (no real player or voice)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


def stand_in(folder: Path, name: str, body: str) -> None:
    program = folder / name
    program.write_text(f"#!/bin/sh\n{body}\n")
    program.chmod(0o755)


@pytest.fixture
def spoken(bin_dir: Path, tmp_path: Path) -> Path:
    """A stand-in espeak-ng: each utterance (its stdin) becomes one line of `spoken`.

    It ignores SIGTERM, so a phase word cut short still leaves a whole line here.
    """
    said = tmp_path / "spoken"
    stand_in(bin_dir, "espeak-ng", f"trap '' TERM\n{{ /bin/cat; echo; }} >> '{said}'")
    return said


@pytest.fixture
def played(bin_dir: Path, tmp_path: Path) -> Path:
    """A stand-in paplay: each file it is asked to play becomes one line of `played`."""
    log = tmp_path / "played"
    stand_in(bin_dir, "paplay", f"echo \"$1\" >> '{log}'")
    return log


def lines_of(path: Path, until: Callable[[list[str]], bool] = lambda lines: True) -> list[str]:
    """The file's lines once `until` holds (the last words are not waited for by quietwork)."""
    deadline = time.monotonic() + 15
    while True:
        lines = path.read_text().splitlines() if path.exists() else []
        if until(lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


ENDED = "That's the end of the practice."  # then how long it took
SAVED = "Saved. To look back: quietwork log, quietwork stats."
KIND = "Take your time before you go on."


def ended(said: list[str]) -> list[str]:
    """The lines said, the ending's first one without how long it took."""
    return [ENDED if line.startswith(ENDED) else line for line in said]


def in_order(lines: list[str], expected: list[str]) -> bool:
    """Each expected line appears, in this order (other lines may come between)."""
    rest = iter(lines)
    return all(any(line == wanted for line in rest) for wanted in expected)


def practice(*args: str, input: str, path: Path) -> Any:
    return run_subprocess("practice", *args, input=input, env={"PATH": str(path)}, timeout=60)


# -- --voice through pipes ------------------------------------------------------------------


def test_a_high_first_rating_is_said_then_the_stop_text_and_the_settle_offer(
    spoken: Path, bin_dir: Path
) -> None:
    result = practice("exhale", "--voice", "--speed", "20", input="9\n", path=bin_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Stopping here." in result.stdout
    said = lines_of(spoken, lambda lines: len(lines) >= 3)
    assert said[0] == RATING + HINT
    assert said[1].startswith(
        "Stopping here. It is okay to stop. Noticing that it is enough is part of the practice."
    )
    assert "contact your local emergency number" in said[1]  # the support text's first line
    assert said[2:] == [SETTLE]


def test_a_completed_run_says_both_ratings_and_the_ending(spoken: Path, bin_dir: Path) -> None:
    result = practice("exhale", "--voice", "--speed", "50", input="5\n3\n", path=bin_dir)
    assert result.returncode == 0, result.stderr
    ending = [ENDED, f"Distress 5 to 3: it came down. {KIND}", SAVED]
    said = ended(lines_of(spoken, lambda lines: ended(lines)[-3:] == ending))
    assert said[0] == RATING + HINT
    assert in_order(said, [RATING + HINT, "You can keep your eyes open, or let your gaze rest "
                           "softly on one spot.", AFTER + HINT, *ending]), said
    assert said[-3:] == ending


def test_the_mid_check_in_and_go_on_are_said_in_their_place(spoken: Path, bin_dir: Path) -> None:
    # 2 before, 6 in the middle: it has gone up by 3, so "Go on?" is asked; y goes on.
    result = practice("mid", "--voice", input="2\n6\ny\n3\n", path=bin_dir)
    assert result.returncode == 0, result.stderr
    said = ended(lines_of(spoken, lambda lines: lines[-1:] == [SAVED]))
    assert in_order(said, [
        RATING + HINT,
        "Look around the room.",
        f"How is it now? 0 is calm, 10 is overwhelmed. {HINT}",
        "It has gone up since you began. Go on? y for yes, n for no.",
        "Inhale",
        "Exhale",
        AFTER + HINT,
        ENDED,
        f"Distress 2 to 3: it went up. {KIND}",
        SAVED,
    ]), said


def test_no_voice_says_so_once_and_the_practice_goes_on(bin_dir: Path) -> None:
    result = practice("mid", "--voice", "--speed", "10", input="2\n2\n2\n", path=bin_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1
    assert "--voice: no text-to-speech program found (espeak-ng, espeak" in result.stderr
    assert "That's the end of the practice." in result.stdout


# -- --sound through pipes ------------------------------------------------------------------


def test_each_phase_plays_its_own_tone_in_the_phase_order(played: Path, bin_dir: Path) -> None:
    result = practice("box4", "--sound", "--no-checkin", "--speed", "4", input="", path=bin_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    phases = [line.split()[0].lower() for line in result.stdout.splitlines()
              if line.split()[:1] in (["Inhale"], ["Exhale"], ["Hold"])]
    assert phases == ["inhale", "hold", "exhale", "hold", "inhale", "hold", "exhale"]
    files = [Path(line) for line in lines_of(played, lambda lines: len(lines) >= 7)]
    assert [path.name.rsplit("-", 1)[0] for path in files] == phases
    contents = {path.name: path.read_bytes() for path in files}
    assert len(set(contents.values())) == 3  # inhale, exhale and hold sound different
    assert all(data[:4] == b"RIFF" and data[8:12] == b"WAVE" for data in contents.values())


def test_no_player_says_so_in_one_line_and_the_practice_completes(bin_dir: Path) -> None:
    result = practice("box4", "--sound", "--no-checkin", "--speed", "20", input="", path=bin_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("--sound: no audio player found (paplay, pw-play, aplay")
    assert "going on without sound" in result.stderr
    assert "That's the end of the practice." in result.stdout


def test_config_sound_true_plays_tones(
    played: Path, bin_dir: Path, quietwork_home: Path
) -> None:
    (quietwork_home / "config.toml").write_text("sound = true\n")
    result = practice("box4", "--no-checkin", "--speed", "4", input="", path=bin_dir)
    assert result.returncode == 0, result.stderr
    assert len(lines_of(played, lambda lines: len(lines) >= 7)) == 7
    shown = run_subprocess("config", "--json")
    assert '"sound"' in shown.stdout and str(quietwork_home / "config.toml") in shown.stdout


# -- at a terminal --------------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")


def spawn(command: str, path: Path) -> Any:
    """`command` in bash on a 30x100 pty, PATH only the stand-ins."""
    return spawn_in_bash(command, env={"PATH": str(path)}, timeout=60)


def test_at_a_terminal_every_question_is_said_then_the_ending(
    spoken: Path, bin_dir: Path
) -> None:
    # The last words finish after quietwork exits. A person's shell keeps the terminal
    # meanwhile: so does this one, reading a line, or the end of the pty's session would
    # hang up the last voice process, perhaps before it could even ignore that.
    child = spawn("$QW practice mid --voice --full-checkin; read -r", bin_dir)  # every question
    for rating in ("4", "3", "2"):  # before, mid, after
        child.expect_exact("0 = calm, 10 = overwhelmed")
        child.send(rating + "\r")
        questions = ["Which way does it lean?", "Where do you notice it in your body?"]
        if rating == "2":
            questions += ["Did you notice any of these?", "A note, if you like:"]
        for question in questions:
            child.expect_exact(question)
            child.send("\r")  # skip
    child.expect_exact("That's the end of the practice.")
    said = ended(lines_of(spoken, lambda lines: lines[-1:] == [SAVED]))
    child.send("\r")
    child.expect(pexpect.EOF)
    lean = ("Which way does it lean? activated (too much: racing, braced, flooded); "
            "settled (okay, present); shut down (too little: numb, foggy, far away).")
    body = ("Where do you notice it in your body? head; jaw; throat; shoulders; chest; belly; "
            "back; arms; hands; legs; feet.")
    assert in_order(said, [
        RATING + HINT, lean, body,
        # (the step's own words may be dropped when the voice lags: questions never are)
        f"How is it now? 0 is calm, 10 is overwhelmed. {HINT}", lean, body,
        AFTER + HINT, lean, body,
        "Did you notice any of these? longer exhale; sigh; yawn; softening; warmth; "
        "heaviness; tears; trembling; nothing in particular.",
        "A note, if you like. Enter skips.",
        ENDED, f"Distress 4 to 2: it came down. {KIND}", SAVED,
    ]), said


def test_at_a_terminal_s_says_the_stop_text_and_the_settle_offer(
    spoken: Path, bin_dir: Path
) -> None:
    child = spawn("$QW practice quick --no-checkin --voice", bin_dir)
    child.expect_exact("Inhale")
    assert lines_of(spoken, lambda lines: "Inhale" in lines)[0] == "Let your shoulders drop."
    child.send("s")
    child.expect_exact("Settle for a minute?")
    said = lines_of(spoken, lambda lines: lines[-1:] == [SETTLE])
    assert said[-2].startswith("Stopping here. It is okay to stop.")
    child.send("n")
    child.expect(pexpect.EOF)


def test_m_mutes_the_tones_and_m_again_brings_them_back(played: Path, bin_dir: Path) -> None:
    child = spawn("$QW practice quick --no-checkin --sound --speed 2", bin_dir)
    child.expect_exact("m mute")  # in the footer: it fits at 100 columns
    child.expect_exact("Inhale")
    assert len(lines_of(played, lambda lines: len(lines) >= 1)) == 1
    child.send("m")
    child.expect_exact("unmute")
    muted = len(lines_of(played))
    child.expect_exact("Exhale")
    child.expect_exact("Inhale")
    time.sleep(0.3)  # a tone would have been asked for at the phase's first frame
    assert len(lines_of(played)) == muted
    child.send("m")
    child.expect_exact("Exhale")
    after = lines_of(played, lambda lines: len(lines) > muted)
    assert len(after) == muted + 1 and after[-1].endswith("exhale-1.wav")
    child.send("s")
    child.expect_exact("Settle for a minute?")
    child.send("n")
    child.expect(pexpect.EOF)


def test_in_plain_mode_at_a_terminal_m_says_the_sound_is_off(played: Path, bin_dir: Path) -> None:
    child = spawn("$QW practice quick --no-checkin --sound --plain --speed 2", bin_dir)
    child.expect_exact("Keys: s stop, p pause, m mute, Ctrl-C quit.")
    child.expect_exact("Inhale")
    child.send("m")
    child.expect_exact("Sound off. Press m to turn it on again.")
    child.send("m")
    child.expect_exact("Sound on.")
    child.send("s")
    child.expect_exact("Settle for a minute?")
    child.send("n\r")
    child.expect(pexpect.EOF)
