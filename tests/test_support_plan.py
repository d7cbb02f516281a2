"""`quietwork support --edit`: a plan in the person's own words, in the six parts of the
Stanley-Brown Safety Plan, saved as Markdown; `support` and the stop screen render it."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

from quietwork.display.plan import plan_lines
from quietwork.run.views.stop import stop_screen
from quietwork.support import PLAN_PARTS, Support, plan_text

from conftest import run_subprocess

pexpect = pytest.importorskip("pexpect")


def test_the_six_parts_are_the_stanley_brown_safety_plans_in_order() -> None:
    assert [heading for heading, _, _ in PLAN_PARTS] == [
        "Warning signs",
        "Things I can do on my own",
        "People and places that help me take my mind off it",
        "People I can ask for help",
        "Professionals and services",
        "Making my surroundings safer",
    ]


def test_edit_from_a_pipe_writes_a_markdown_plan_that_support_shows_rendered(
    quietwork_home: Path,
) -> None:
    # One answer per line; an empty line goes on to the next part; the end of input
    # keeps what was given.
    answers = "racing thoughts\ncannot sleep\n\nwalk the dog\n\n\nSam, my sister: 555 0100\n"
    edited = run_subprocess("support", "--edit", input=answers)
    assert edited.returncode == 0, edited.stderr
    path = quietwork_home / "support.md"
    assert path.read_text() == (
        "## Warning signs\n\n- racing thoughts\n- cannot sleep\n\n"
        "## Things I can do on my own\n\n- walk the dog\n\n"
        "## People I can ask for help\n\n- Sam, my sister: 555 0100\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    shown = run_subprocess("support")
    assert shown.returncode == 0, shown.stderr
    lines = [line.strip() for line in shown.stdout.splitlines()]
    assert "Warning signs" in lines and "• racing thoughts" in lines
    assert "• Sam, my sister: 555 0100" in lines
    assert "##" not in shown.stdout and "- racing" not in shown.stdout
    assert "Making my surroundings safer" not in shown.stdout  # only the parts given


def test_edit_keeps_an_existing_plan_unless_asked_and_then_as_a_backup(
    quietwork_home: Path,
) -> None:
    quietwork_home.mkdir()
    path = quietwork_home / "support.md"
    path.write_text("Call Jo\n")
    kept = run_subprocess("support", "--edit", input="\n")
    assert kept.returncode == 0, kept.stderr
    assert "Nothing changed." in kept.stdout
    assert path.read_text() == "Call Jo\n"
    replaced = run_subprocess("support", "--edit", input="y\n\n\n\nAna\n")
    assert replaced.returncode == 0, replaced.stderr
    assert path.read_text() == "## People I can ask for help\n\n- Ana\n"
    assert (quietwork_home / "support.md.bak").read_text() == "Call Jo\n"


def test_edit_with_every_part_skipped_writes_nothing(quietwork_home: Path) -> None:
    result = run_subprocess("support", "--edit", input="\n" * 6)
    assert result.returncode == 0, result.stderr
    assert "Nothing written" in result.stdout
    assert not (quietwork_home / "support.md").exists()


def test_edit_at_a_terminal_each_part_skippable(quietwork_home: Path) -> None:
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "quietwork", "support", "--edit"], env=env,
                          encoding="utf-8", timeout=20, dimensions=(30, 100))
    child.logfile_read = io.StringIO()
    child.expect_exact("What tells you a hard moment may be starting?")
    child.send("\r")  # skipped
    child.expect_exact("What can you do on your own")
    child.send("music\r")
    child.expect_exact("Another?")
    child.send("\r")
    for _ in range(2):
        child.expect_exact("(for example:")
        child.send("\r")
    child.expect_exact("Which professionals or services")
    child.send("**Dr. Lee**: 555 0199\r")
    child.expect_exact("Another?")
    child.send("\r")
    child.expect_exact("What can make your surroundings safer")
    child.send("\r")
    child.expect_exact("Saved to")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (quietwork_home / "support.md").read_text() == (
        "## Things I can do on my own\n\n- music\n\n"
        "## Professionals and services\n\n- **Dr. Lee**: 555 0199\n"
    )
    shown = child.logfile_read.getvalue()
    after = shown[shown.index("Saved to"):]
    assert "Dr. Lee" in after and "**Dr. Lee**" not in after  # rendered: bold, not asterisks


def test_ctrl_c_while_editing_changes_nothing(quietwork_home: Path) -> None:
    quietwork_home.mkdir()
    (quietwork_home / "support.md").write_text("Call Jo\n")
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    child = pexpect.spawn(sys.executable, ["-m", "quietwork", "support", "--edit"], env=env,
                          encoding="utf-8", timeout=20, dimensions=(30, 100))
    child.expect_exact("(y/N; s or Esc stops)")  # the question wraps: its path is long
    child.send("y")
    child.expect_exact("What tells you a hard moment may be starting?")
    child.send("racing\r")
    child.expect_exact("Another?")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert (quietwork_home / "support.md").read_text() == "Call Jo\n"


PLAN = "## People I can ask for help\n\n- **Sam**, my sister: 555 0100\n- Jo: <her number>\n"


def test_the_plain_stop_screen_renders_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    stop_screen(Support(PLAN, "file"), plain=True)
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "**" not in out and "##" not in out
    assert "People I can ask for help" in out
    assert "• Sam, my sister: 555 0100" in out
    assert "• Jo: <her number>" in out  # not taken for HTML and dropped


def test_the_terminal_stop_screen_renders_the_plan(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("FORCE_COLOR", "1")
    stop_screen(Support(PLAN, "file"), plain=False)
    out = capsys.readouterr().out
    assert "**Sam**" not in out and "Sam" in out
    assert "\x1b[1m" in out  # bold, from the Markdown


def test_a_hand_written_plan_keeps_its_lines_and_its_links_stay_text() -> None:
    lines = plan_lines("Sam: 555 0100\nJo: 555 0101\n[Lee](tel:5550199)\n")
    assert lines == ["Sam: 555 0100", "Jo: 555 0101", "Lee (tel:5550199)"]


def test_plan_text_writes_only_the_parts_given() -> None:
    assert plan_text([("Warning signs", []), ("People I can ask for help", ["Ana"])]) == (
        "## People I can ask for help\n\n- Ana\n"
    )
    assert plan_text([("Warning signs", [])]) == ""




@pytest.mark.parametrize("plan", [None, "Call Jo\n"], ids=["no plan", "a plan"])
def test_edit_with_no_input_at_all_changes_nothing_and_exits_1(
    quietwork_home: Path, plan: str | None
) -> None:
    # docs/contract.md: input that ended before a question was answered is exit 1.
    path = quietwork_home / "support.md"
    if plan is not None:
        quietwork_home.mkdir()
        path.write_text(plan)
    result = run_subprocess("support", "--edit", input="")
    assert result.returncode == 1, (result.stdout, result.stderr)
    [error] = result.stderr.strip().splitlines()
    assert "input ended" in error and "nothing changed" in error
    assert "Traceback" not in result.stderr
    assert (path.read_text() if plan else path.exists()) == (plan or False)
