"""`quietwork practice` through the real CLI in a subprocess, in plain mode (pipes)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from practices import add_practices

from conftest import logged_entries as logged
from conftest import run_subprocess

SHORT = """\
title: Short
summary: A short practice for tests.
steps:
  - say: Let your shoulders drop.
    seconds: 0.5
  - checkin: How is it now?
  - breathe: {inhale: 0.5, exhale: 0.5, breaths: 2}
  - track:
      areas: [jaw, hands]
      seconds: 0.1
      ask: [tight, warm]
"""


@pytest.fixture(autouse=True)
def short(quietwork_home: Path) -> Path:
    """A short practice (and a folder for more) in the user practices folder."""
    return add_practices(quietwork_home, short=SHORT)


def practice(*args: str, input: str = "", env: dict[str, str] | None = None) -> Any:
    return run_subprocess("practice", *args, input=input, env=env)


def test_exhale_paced_as_plain_lines_on_time() -> None:
    # Line arrival times, measured from outside: each phase on schedule, no drift.
    proc = subprocess.Popen(
        [sys.executable, "-m", "quietwork", "practice", "exhale", "--speed", "20"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ),
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("5\n3\n")
    proc.stdin.close()
    lines: list[tuple[float, str]] = [(time.monotonic(), line) for line in proc.stdout]
    assert proc.wait(timeout=30) == 0, proc.stderr.read() if proc.stderr else ""
    text = "".join(line for _, line in lines)
    assert "\x1b" not in text
    phases = [(t, line.rstrip("\n")) for t, line in lines if line.startswith(("Inhale", "Exhale"))]
    assert [line for _, line in phases] == [
        line for k in range(1, 13) for line in (f"Inhale 0.2 s · breath {k} of 12", "Exhale 0.3 s")
    ]
    onsets = [t - phases[0][0] for t, _ in phases]
    expected = [0.5 * (k // 2) + (0.2 if k % 2 else 0) for k in range(24)]
    # Seen from outside, a line can only be late by what the machine's load delays it (a
    # busy CI runner: tens of ms), never early; and the pace is kept against the schedule,
    # so a late line does not push the ones after it (the exact pacing is tested with an
    # injected clock, and measured by benchmarks/run.py).
    assert all(got > want - 0.02 for got, want in zip(onsets, expected, strict=True)), onsets
    late = [got - want for got, want in zip(onsets, expected, strict=True)]
    assert sorted(late)[len(late) // 2] < 0.05 and late[-1] < 0.15, late
    assert "Step 4 of 6" in text
    assert "Get ready… 3 2 1\nInhale 0.2 s · breath 1 of 12\n" in text  # the lead-in, a line
    assert "Distress 5 → 3: it came down." in text
    assert text.rstrip().endswith("Saved. To look back: quietwork log · quietwork stats")
    [session] = logged()
    assert session["status"] == "completed"
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 5), ("after", 3)
    ]


def test_no_checkin_with_nothing_on_stdin_runs_cleanly() -> None:
    result = practice("exhale", "--no-checkin", "--speed", "100")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Inhale 0.04 s" in result.stdout
    assert "How intense" not in result.stdout
    ending = result.stdout.rstrip().splitlines()[-2:]
    assert ending[0].startswith("That's the end of the practice. It took ")
    assert ending[1] == "Saved. To look back: quietwork log · quietwork stats"


def test_a_short_practice_shows_each_kind_of_step() -> None:
    result = practice("short", "--speed", "2", input="4\n4\n2\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Short" and lines[1].startswith("How intense is it right now?")
    assert lines[2:6] == [
        "Step 1 of 4",
        "Let your shoulders drop.",
        "Step 2 of 4",  # the check-in is a step, numbered as the others are
        "How is it now? 0 = calm, 10 = overwhelmed"
        " (type 0 to 10 and Enter; Enter alone skips; s stops)",
    ]
    assert "Step 3 of 4" in result.stdout
    assert ("Inhale 0.25 s · breath 1 of 2\nExhale 0.25 s\nInhale 0.25 s · breath 2 of 2\n"
            "Exhale 0.25 s\n") in result.stdout
    assert "Bring attention to your jaw. What's there? (1 of 2)" in result.stdout
    assert "Distress 4 → 2" in result.stdout


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["--speed", "0"], {}, "--speed"),
        (["--speed", "-2"], {}, "--speed"),
        (["--speed", "fast"], {}, "--speed"),
        (["--speed", "nan"], {}, "--speed"),
        (["--stop-at", "11"], {}, "--stop-at"),
        (["--stop-at", "0"], {}, "--stop-at"),
        (["--minutes", "0"], {}, "--minutes"),
        (["--minutes", "121"], {}, "--minutes"),
        (["--minutes", "nan"], {}, "--minutes"),
        (["--minutes", "long"], {}, "--minutes"),
    ],
)
def test_bad_options_are_usage_errors_naming_the_flag(
    args: list[str], env: dict[str, str], named: str
) -> None:
    result = practice("short", *args, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_id_suggests_the_closest() -> None:
    result = practice("exhal")
    assert result.returncode == 2
    assert "no practice 'exhal'" in result.stderr
    assert "did you mean 'exhale'?" in result.stderr


def known(stderr: str) -> set[str]:
    """The ids an error names as known: `(known: a, b, c)`."""
    return set(stderr.split("(known: ", 1)[1].split(")", 1)[0].split(", "))


@pytest.mark.parametrize("args", [("nope",), ()], ids=["unknown", "none"])
def test_a_broken_file_is_not_offered_and_is_named_apart(
    short: Path, args: tuple[str, ...]
) -> None:
    (short / "bad-yaml.yaml").write_text("title: [unclosed\n")
    (short / "wrong-key.yaml").write_text(SHORT.replace("seconds: 0.5", "secs: 0.5", 1))
    result = practice(*args)
    assert result.returncode == 2
    assert known(result.stderr) == {"box", "exhale", "ground", "resonance", "settle", "short",
                                    "sigh", "track"}, result.stderr
    [note] = [line for line in result.stderr.splitlines() if "bad-yaml" in line]
    assert "wrong-key" in note and "problems" in note, note
    assert f"quietwork validate {short / 'bad-yaml.yaml'} {short / 'wrong-key.yaml'}" in note


def test_no_id_without_a_terminal_lists_the_ids() -> None:
    result = practice()
    assert result.returncode == 2
    assert "give a practice id" in result.stderr
    for known in ("exhale", "ground", "settle", "short"):
        assert known in result.stderr


def test_a_high_before_rating_never_starts_and_offers_settle() -> None:
    result = practice("short", input="9\nn\n")
    assert result.returncode == 0, result.stderr
    assert "Stopping here." in result.stdout
    assert "Settle for a minute? [Y/n]" in result.stdout  # yes by default after a 9
    assert "Step 1" not in result.stdout
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "overwhelm")
    assert [c["distress"] for c in session["checkins"]] == [9]


def test_settle_after_a_stop_runs_at_normal_pace_and_ends_with_a_rating() -> None:
    # --speed is this practice's; the settle after a stop runs at normal pace, here
    # QUIETWORK_SPEED's (the planned pace at speed 1 is in test_stop_rules.py).
    result = practice("short", "--speed", "20", input="8\n\n3\n",
                      env={"QUIETWORK_SPEED": "50"})
    assert result.returncode == 0, result.stderr
    assert "Feel your feet on the floor. You might press them down a little." in result.stdout
    assert "Inhale 0.06 s" in result.stdout  # settle's 3 s inhale at 50, not 0.15 s at 20
    assert "Inhale 0.15 s" not in result.stdout
    assert result.stdout.rstrip().endswith("That was a minute of settling. Take your time.")
    settle, short = logged()
    assert (settle["practice"], settle["status"]) == ("settle", "completed")
    assert [(c["phase"], c["distress"]) for c in settle["checkins"]] == [("after", 3)]
    assert (short["practice"], short["stop_reason"]) == ("short", "overwhelm")


def test_settle_itself_starts_after_a_high_rating() -> None:
    # settle is what a high rating is offered: asking for it with a 9 runs it.
    result = practice("settle", "--speed", "50", input="9\n4\n")
    assert result.returncode == 0, result.stderr
    assert not result.stdout.startswith("Stopping here.")
    assert "Feel your feet on the floor." in result.stdout
    [session] = logged()
    assert (session["practice"], session["status"]) == ("settle", "completed")
    assert [c["distress"] for c in session["checkins"]] == [9, 4]


def test_rising_by_three_stops_by_default_and_eof_declines_settle() -> None:
    result = practice("short", input="2\n6\n\n")
    assert result.returncode == 0, result.stderr
    assert "It has gone up since you began. Go on? [y/N]" in result.stdout
    assert "Stopping here." in result.stdout
    assert "Inhale" not in result.stdout
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "rising")
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 2), ("mid", 6)
    ]


def test_s_at_a_check_in_stops() -> None:
    result = practice("short", input="3\ns\nn\n")
    assert result.returncode == 0, result.stderr
    assert "Stopping here." in result.stdout
    [session] = logged()
    assert (session["status"], session["stop_reason"]) == ("stopped", "user")


INPUT_ENDED = (
    "Error: input ended before the question was answered; the session is saved as "
    "interrupted.\n"
)


def test_eof_after_the_first_answer_is_interrupted_with_the_answer_kept() -> None:
    result = practice("short", input="3\n")
    assert result.returncode == 1  # 130 is for Ctrl-C only
    assert result.stderr == INPUT_ENDED
    [session] = logged()
    assert session["status"] == "interrupted"
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [("before", 3)]


def test_eof_at_the_after_question_exits_1_with_the_before_rating_kept() -> None:
    # printf '5\n' | quietwork practice exhale --speed 100
    result = practice("exhale", "--speed", "100", input="5\n")
    assert result.returncode == 1
    assert result.stderr == INPUT_ENDED
    assert "Exhale" in result.stdout  # the practice ran; only the after rating was missing
    [session] = logged()
    assert session["status"] == "interrupted" and session["ended_at"]
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [("before", 5)]


def test_a_high_after_rating_shows_the_stop_screen_first_and_alone() -> None:
    result = practice("exhale", "--speed", "100", input="5\n9\nn\n")
    assert result.returncode == 0, result.stderr
    after_question = result.stdout[result.stdout.rindex("That's the end. How is it now?"):]
    lines = [line for line in after_question.splitlines() if line]
    assert lines[1] == "Stopping here."  # straight after the after question
    assert "That's the end of the practice." not in result.stdout
    assert "Distress 5 → 9" not in result.stdout
    assert lines[-1] == "Settle for a minute? [Y/n]"
    [session] = logged()
    assert session["status"] == "completed"
    assert [(c["phase"], c["distress"]) for c in session["checkins"]] == [
        ("before", 5), ("after", 9)
    ]


def test_minutes_lengthens_the_breathing() -> None:
    result = practice("short", "--no-checkin", "--minutes", "0.05", "--speed", "10",
                      input="4\n")
    assert result.returncode == 0, result.stderr
    assert "Breathe along, 3 breaths. Roughly is fine." in result.stdout  # 3 s of 1 s breaths


def test_minutes_on_a_practice_without_breathing_warns(short: Path) -> None:
    (short / "words.yaml").write_text(
        "title: Words\nsummary: Only words.\nsteps:\n  - say: Hello.\n    seconds: 0.1\n"
    )
    result = practice("words", "--no-checkin", "--minutes", "3")
    assert result.returncode == 0
    assert "words has no breathing steps; --minutes changes nothing" in result.stderr


def test_markup_and_escapes_in_practice_texts_are_shown_literally(short: Path) -> None:
    (short / "odd.yaml").write_text(
        'title: "[bold]Odd[/bold]"\nsummary: Odd.\nsteps:\n'
        '  - say: "[red]red?[/red] \\e[2J :warning:"\n    seconds: 0.1\n'
    )
    result = practice("odd", "--no-checkin")
    assert result.returncode == 0, result.stderr
    assert "[bold]Odd[/bold]" in result.stdout
    assert "[red]red?[/red] [2J :warning:" in result.stdout
    assert "\x1b" not in result.stdout


def test_bell_never_puts_bel_into_piped_output() -> None:
    result = practice("short", "--no-checkin", "--bell", "--speed", "10", input="4\n")
    assert result.returncode == 0, result.stderr
    assert "\a" not in result.stdout


def test_voice_without_a_speech_program_says_so_and_runs(tmp_path: Path) -> None:
    result = practice("short", "--no-checkin", "--voice", "--speed", "10",
                      env={"PATH": str(tmp_path)}, input="4\n")
    assert result.returncode == 0, result.stderr
    assert "no text-to-speech program found" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Inhale" in result.stdout


def test_config_plain_and_stop_at_are_used(quietwork_home: Path) -> None:
    (quietwork_home / "config.toml").write_text("stop_at = 5\n")
    result = practice("short", input="5\nn\n")
    assert result.returncode == 0, result.stderr
    assert "Stopping here." in result.stdout
    [session] = logged()
    assert session["stop_reason"] == "overwhelm"


def test_voice_speaks_prompts_and_phase_words(tmp_path: Path) -> None:
    spoken = tmp_path / "spoken"
    program = tmp_path / "espeak-ng"
    program.write_text(f"#!/bin/sh\n{{ cat; echo; }} >> '{spoken}'\n")
    program.chmod(0o755)
    env = {"PATH": f"{tmp_path}:{os.environ['PATH']}"}
    result = practice("short", "--no-checkin", "--voice", "--speed", "2", env=env, input="4\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    deadline = time.monotonic() + 10  # the last words are spoken without waiting
    while "Exhale" not in (words := spoken.read_text().splitlines()):
        assert time.monotonic() < deadline, words
        time.sleep(0.02)
    assert words[0] == "Let your shoulders drop."
    assert "Inhale" in words and "Exhale" in words


def test_a_closed_pipe_ends_quietly_and_keeps_the_session() -> None:
    result = subprocess.run(
        f"{sys.executable} -m quietwork practice short --no-checkin </dev/null | head -2;"
        " exit ${PIPESTATUS[0]}",
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=30,
    )
    assert (result.returncode, result.stderr) == (0, "")
    [session] = logged()
    assert session["status"] == "interrupted" and session["ended_at"]


SIGHING = """\
title: Sighing
summary: A top-up and a safety note.
safety: Keep the breaths gentle.
steps:
  - say: Sit easy.
    seconds: 0.1
  - checkin: How is it now?
  - breathe: {inhale: 1, top_up: 0.5, exhale: 2, breaths: 2}
"""


def test_plain_lines_say_the_same_things_as_the_view(short: Path) -> None:
    (short / "sighing.yaml").write_text(SIGHING)
    result = practice("sighing", "--speed", "10", input="4\n3\n2\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Sighing"  # which practice, then its safety note, then the question
    assert lines[1] == "Keep the breaths gentle."
    assert lines[2].startswith("How intense is it right now?")
    assert lines.count("Sighing") == 1
    body = lines[2:]
    assert body[1:8] == [
        "Step 1 of 3",
        "Sit easy.",
        "Step 2 of 3",
        "How is it now? 0 = calm, 10 = overwhelmed"
        " (type 0 to 10 and Enter; Enter alone skips; s stops)",
        "Step 3 of 3",
        "Breathe along, 2 breaths. Roughly is fine.",
        "Get ready… 3 2 1",  # the lead-in, one line
    ]
    assert body[8:14] == [
        "Inhale 0.1 s · breath 1 of 2", "Top-up 0.05 s, a little more air on top", "Exhale 0.2 s",
        "Inhale 0.1 s · breath 2 of 2", "Top-up 0.05 s, a little more air on top", "Exhale 0.2 s",
    ]
    assert "Distress 4 → 2: it came down. Take your time before you go on." in lines


@pytest.mark.parametrize(("after", "pointed"), [("6", True), ("2", False), ("3", False)])
def test_an_ending_whose_rating_went_up_points_to_settle_and_support(
    short: Path, after: str, pointed: bool
) -> None:
    # 3 → 6 stays under stop-at (8): the ending, not the stop screen, with where to go next.
    (short / "brief.yaml").write_text(
        "title: Brief\nsummary: One prompt.\nsteps:\n  - say: Notice the floor.\n"
        "    seconds: 0.5\n")
    result = run_subprocess("practice", "brief", input=f"3\n{after}\n")
    assert result.returncode == 0, result.stderr
    assert f"Distress 3 → {after}" in result.stdout
    assert ("quietwork practice settle" in result.stdout) is pointed
    assert ("quietwork support" in result.stdout) is pointed
    assert "Stopping here." not in result.stdout
