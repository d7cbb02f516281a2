"""Prose wraps at words: a `command` in backticks stays whole, and no line ends in spaces."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from histories import CLI, bring_in, hours_ago, session
from quietwork import output

from terminal import Terminal

COMMAND = re.compile(r"`[^`]*`")


def no_trailing_spaces(text: str) -> None:
    ended = [line for line in text.splitlines() if line != line.rstrip()]
    assert not ended, f"lines ending in spaces: {ended!r}"


def commands_whole(text: str, *expected: str) -> None:
    """Every backtick on a line has its partner on the same line, and the commands are there."""
    for line in text.splitlines():
        assert line.count("`") % 2 == 0, f"a command split across lines: {line!r}"
    for command in expected:
        assert f"`{command}`" in text


@pytest.mark.parametrize("columns", ["80", "60", "40"])
def test_stats_with_an_empty_log(cli: CLI, monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = cli("stats")
    assert result.exit_code == 0, result.output
    no_trailing_spaces(result.stdout)
    commands_whole(result.stdout, "quietwork practice ground", "quietwork checkin")


@pytest.mark.parametrize("columns", ["80", "40"])
def test_log_with_an_empty_log(cli: CLI, monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = cli("log")
    no_trailing_spaces(result.stdout)
    commands_whole(result.stdout, "quietwork practice ground", "quietwork checkin")


@pytest.mark.parametrize("columns", ["80", "50"])
def test_support_leaves_no_spaces_at_line_ends(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = cli("support")
    assert result.exit_code == 0, result.output
    assert "emergency number" in result.stdout
    no_trailing_spaces(result.stdout)


def test_stats_tables_and_sentences_leave_no_spaces_at_line_ends(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bring_in(cli, tmp_path, [
        session("ground", hours_ago(0.1), [("before", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("ground", hours_ago(0.1), [("before", 3), ("after", 2)]),
    ])
    for columns in ("80", "50"):
        monkeypatch.setenv("COLUMNS", columns)
        result = cli("stats")
        assert "1 of 2" in result.stdout
        no_trailing_spaces(result.stdout)


def test_wrap_words_keeps_a_command_whole() -> None:
    text = ("Nothing logged in the last 30 days yet. When you are ready, try "
            "`quietwork practice ground`, or note how you are with `quietwork checkin`.")
    for width in range(30, 90, 7):
        lines = output.wrap_words(text, width)
        assert " ".join(lines) == text
        commands_whole("\n".join(lines), "quietwork practice ground")
        no_trailing_spaces("\n".join(lines))
        assert all(len(line) <= width for line in lines if "`" not in line)


def test_on_a_terminal_stats_is_the_same(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "stats", rows=24, cols=60)
    assert term.finish() == 0
    lines = term.screen.lines()
    text = "\n".join(line.rstrip() for line in lines)
    commands_whole(text, "quietwork practice ground", "quietwork checkin")
    written = term.child.logfile_read.getvalue()
    assert not re.search(r" +(\x1b\[[0-9;]*m)*\r?\n", written)  # no spaces, even unseen


@pytest.mark.parametrize("source", ["default", "config", "file"])
@pytest.mark.parametrize("columns", ["40", "30"])
def test_support_never_splits_the_edit_command(
    cli: CLI, quietwork_home: Path, monkeypatch: pytest.MonkeyPatch, source: str, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    quietwork_home.mkdir()
    if source == "config":
        (quietwork_home / "config.toml").write_text('support_message = "Call Jo: 555 0102"\n')
    if source == "file":
        (quietwork_home / "support.md").write_text("- Call Sam: 555 0100\n")
    result = cli("support")
    assert result.exit_code == 0, result.output
    commands_whole(result.stdout, "quietwork support --edit")
    prose = [line for line in result.stdout.splitlines() if "/" not in line]  # not the path
    assert max(len(line) for line in prose) <= int(columns), result.stdout
    if source != "file":  # the example's wrapped items go on under their words
        example = result.stdout.split("For example:\n", 1)[1].splitlines()
        assert all(line.startswith(("## ", "- ", "  ")) for line in example if line), example


def test_on_a_40_column_terminal_support_keeps_the_edit_command_whole(
    quietwork_home: Path, tmp_path: Path
) -> None:
    quietwork_home.mkdir()
    (quietwork_home / "support.md").write_text("## People\n\n- Call Sam: 555 0100\n")
    term = Terminal(tmp_path, "support", rows=24, cols=40)
    assert term.finish() == 0
    text = "\n".join(term.screen.lines())
    assert "Call Sam: 555 0100" in text  # the plan, rendered
    commands_whole(text, "quietwork support --edit")


def written_lines(term: Terminal) -> list[str]:
    """What the command wrote, line by line, as the terminal got it."""
    written: str = term.child.logfile_read.getvalue()
    return written[:written.index("EXIT=")].split("\r\n")


@pytest.mark.parametrize("cols", [40, 60])
def test_list_at_a_narrow_terminal_wraps_at_words(cli: CLI, tmp_path: Path, cols: int) -> None:
    piped = cli("list")
    assert piped.exit_code == 0, piped.output
    whole_words = set(piped.stdout.split())
    term = Terminal(tmp_path, "list", rows=60, cols=cols, timeout=30)
    assert term.finish() == 0
    lines = written_lines(term)
    assert all(len(line) < cols for line in lines), [line for line in lines if len(line) >= cols]
    cut = [word for line in lines for word in line.split() if word not in whole_words]
    assert not cut, (cut, lines)  # no "br" / "eath," of a word cut in two
    commands_whole("\n".join(lines), "quietwork practice ID", "quietwork show ID")
    # To a pipe, the table stays one row a line, as scripts read it.
    assert "box        Box breathing" in piped.stdout


def test_paths_at_a_narrow_terminal_keeps_each_path_whole(cli: CLI, tmp_path: Path) -> None:
    places = json.loads(cli("paths", "--json").stdout)
    longest = max(len(path) for path in places.values())
    cols = longest + 4  # room for a path, not for the name beside it
    term = Terminal(tmp_path, "paths", rows=30, cols=cols, timeout=30)
    assert term.finish() == 0
    lines = written_lines(term)
    assert all(len(line) < cols for line in lines), lines
    for path in places.values():
        assert any(line.strip() == path for line in lines), (path, lines)


def test_a_warning_on_a_narrow_terminal_breaks_between_words(
    cli: CLI, quietwork_home: Path, tmp_path: Path
) -> None:
    quietwork_home.mkdir(exist_ok=True)
    (quietwork_home / "config.toml").write_text("bogus_key = 1\n")
    flags = ("--distress", "3", "--state", "settled", "--body", "chest", "--note", "ok")
    piped = cli("checkin", *flags)  # to a pipe: one line, as scripts read it
    [warning] = [line for line in piped.stderr.splitlines() if line.startswith("Warning:")]
    whole_words = set(warning.split())
    term = Terminal(tmp_path, "checkin " + " ".join(flags), rows=24, cols=40, timeout=30)
    assert term.finish() == 0
    lines = written_lines(term)
    start = next(i for i, line in enumerate(lines) if line.startswith("Warning:"))
    told: list[str] = []
    for line in lines[start:]:  # the lines the warning was broken into
        told.append(line)
        if len(" ".join(told)) >= len(warning):
            break
    said = " ".join(" ".join(told).split())
    assert said.startswith(warning), (warning, told)
    cut = [word for line in told for word in line.split() if word not in whole_words]
    assert not cut, told  # no "di" / "d not find" of a word the terminal cut in two
    assert all(len(line) < 40 for line in told if " " in line), told  # a path may be longer
