"""What the person sees (and hears) at a stop follows where their support text comes from
(support.md, config support_message, or neither), never what its words look like: a plan
word for word the default text is still theirs, and a plan ending with the emergency line
is shown whole, the emergency line under it as under every plan.

Through the real CLI, over pipes (plain mode), a rating of 8 in `practice` and `checkin`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quietwork.run.views.stop import (
    NOT_THERAPY,
    OPENING,
    SETTLING,
    SUPPORT_POINTER,
    WRITE_POINTER,
)
from quietwork.support import DEFAULT_SUPPORT, EMERGENCY_LINE

from conftest import run_subprocess

PLAN_ENDING_WITH_IT = f"Call Sam: 555-0100\n\n{EMERGENCY_LINE}"


def give(home: Path, where: str, text: str) -> None:
    """The person's support text, in support.md or as config support_message."""
    home.mkdir(parents=True, exist_ok=True)
    if where == "support.md":
        (home / "support.md").write_text(text + "\n")
    else:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        (home / "config.toml").write_text(f'support_message = "{escaped}"\n')


def stop_screen_support(stdout: str) -> list[str]:
    """The lines of the plain stop screen between its calm lines and its last note."""
    lines = stdout.splitlines()
    start = lines.index(OPENING)
    assert lines[start:start + 2 + len(SETTLING)] == [OPENING, "", *SETTLING], stdout
    end = lines.index(NOT_THERAPY, start)
    return lines[start + 2 + len(SETTLING):end]


def practice_at_8(env: dict[str, str] | None = None) -> str:
    result = run_subprocess("practice", "ground", *(["--voice"] if env else []),
                            input="8\n", env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def checkin_at_8() -> list[str]:
    """What a high `checkin` shows after its two lines of settling words."""
    result = run_subprocess("checkin", "--distress", "8")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    settle = next(k for k, line in enumerate(lines) if "quietwork practice settle" in line)
    return lines[settle + 1:]


# --- a plan or a message word for word the default text --------------------------------


@pytest.mark.parametrize("where", ["support.md", "support_message"])
def test_a_plan_word_for_word_the_default_is_theirs_at_a_high_rating(
    quietwork_home: Path, where: str
) -> None:
    give(quietwork_home, where, DEFAULT_SUPPORT)
    # their words, and under them the emergency line, as under every plan of their own
    assert stop_screen_support(practice_at_8()) == [
        "", DEFAULT_SUPPORT, "", EMERGENCY_LINE, ""]
    assert checkin_at_8() == ["", DEFAULT_SUPPORT, "", EMERGENCY_LINE]


def test_without_a_plan_the_default_text_alone_at_a_high_rating(quietwork_home: Path) -> None:
    assert stop_screen_support(practice_at_8()) == ["", DEFAULT_SUPPORT, ""]
    assert checkin_at_8() == ["", DEFAULT_SUPPORT]


@pytest.mark.parametrize(("where", "pointer"), [
    ("support.md", SUPPORT_POINTER), ("support_message", SUPPORT_POINTER), (None, WRITE_POINTER)])
def test_a_stop_by_choice_points_to_a_plan_word_for_word_the_default(
    quietwork_home: Path, where: str | None, pointer: str
) -> None:
    if where is not None:
        give(quietwork_home, where, DEFAULT_SUPPORT)
    result = run_subprocess("practice", "ground", input="s\n", timeout=60)
    assert result.returncode == 0, result.stderr
    after = result.stdout[result.stdout.index(OPENING):].splitlines()
    assert after[2] == pointer, result.stdout
    other = WRITE_POINTER if pointer == SUPPORT_POINTER else SUPPORT_POINTER
    assert other not in result.stdout


# --- a plan that ends with the emergency line ------------------------------------------


@pytest.mark.parametrize("where", ["support.md", "support_message"])
def test_a_plan_ending_with_the_emergency_line_is_shown_whole_with_the_line_under_it(
    quietwork_home: Path, where: str
) -> None:
    give(quietwork_home, where, PLAN_ENDING_WITH_IT)
    assert stop_screen_support(practice_at_8()) == [
        "", "Call Sam: 555-0100", "", EMERGENCY_LINE, "", EMERGENCY_LINE, ""]
    assert checkin_at_8() == ["", "Call Sam: 555-0100", "", EMERGENCY_LINE, "", EMERGENCY_LINE]


def test_the_emergency_line_stands_apart_whatever_block_ends_the_plan(
    quietwork_home: Path,
) -> None:
    give(quietwork_home, "support.md", "| Who | Number |\n|---|---|\n| Sam | 555-0100 |")
    shown = stop_screen_support(practice_at_8())
    assert "555-0100" in shown and shown[-3:] == ["", EMERGENCY_LINE, ""], shown
    high = checkin_at_8()
    assert "555-0100" in high and high[-2:] == ["", EMERGENCY_LINE], high


# --- aloud (--voice, a stand-in espeak-ng) ---------------------------------------------


@pytest.fixture
def voice(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """PATH with only a stand-in espeak-ng that appends each utterance to `spoken`."""
    folder = tmp_path / "bin"
    folder.mkdir()
    said = tmp_path / "spoken"
    program = folder / "espeak-ng"
    program.write_text(f"#!/bin/sh\ntrap '' TERM\n{{ /bin/cat; echo; }} >> '{said}'\n")
    program.chmod(0o755)
    return {"PATH": str(folder)}, said


def said_lines(said: Path, count: int) -> list[str]:
    """The first `count` utterances (quietwork does not wait for the last ones)."""
    deadline = time.monotonic() + 15
    while True:
        lines = said.read_text().splitlines() if said.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


@pytest.mark.parametrize(("where", "own"), [("support.md", True), ("support_message", True),
                                         (None, False)])
def test_the_stop_said_aloud_follows_where_the_words_come_from(
    quietwork_home: Path, voice: tuple[dict[str, str], Path], where: str | None, own: bool
) -> None:
    if where is not None:
        give(quietwork_home, where, DEFAULT_SUPPORT)
    env, said = voice
    practice_at_8(env)
    stop = said_lines(said, 2)[1]
    # the default's first words (the voice says its dash as a pause), then, under words
    # of the person's own, the emergency line
    assert stop.startswith(f"{OPENING} {SETTLING[0]} {DEFAULT_SUPPORT[:60]}"), stop
    assert stop.endswith(f"alone. {EMERGENCY_LINE}") == own, stop
    assert stop.endswith("alone.") == (not own), stop


@pytest.mark.parametrize(("where", "heard"), [
    ("support.md", "Your support plan is there whenever you want it."),
    (None, "You can write a support plan for times like this."),
])
def test_a_stop_by_choice_said_aloud_points_to_a_plan_word_for_word_the_default(
    quietwork_home: Path, voice: tuple[dict[str, str], Path], where: str | None, heard: str
) -> None:
    if where is not None:
        give(quietwork_home, where, DEFAULT_SUPPORT)
    env, said = voice
    result = run_subprocess("practice", "ground", "--voice", input="s\n", env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    stop = said_lines(said, 2)[1]
    assert stop.startswith(OPENING) and stop.endswith(heard), stop
