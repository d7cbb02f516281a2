"""Round three's polish: help that fits the terminal it is shown on, and `stats` sentences and
rows a reader cannot take for something else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from histories import bring_in, hours_ago, session, words
from quietwork import cli as quietwork_cli

from conftest import Result
from terminal import Terminal

CLI = Callable[..., Result]


# -- 1. --help wraps at words to the terminal's width -----------------------------------------


def help_text(command: str) -> str:
    """The command's own help text, as a person reads it (click's no-rewrap marker out)."""
    group = typer.main.get_command(quietwork_cli.app)
    assert isinstance(group, typer.core.TyperGroup)
    text = group.commands[command].help or ""
    return " ".join(word for word in text.split() if word != "\b")


@pytest.mark.parametrize("command", ["checkin", "anchors", "practice", "forget"])
@pytest.mark.parametrize(("rows", "cols"), [(50, 40), (24, 80)], ids=["40x50", "80x24"])
def test_help_fits_the_terminal_and_says_every_word_whole(
    tmp_path: Path, command: str, rows: int, cols: int
) -> None:
    term = Terminal(tmp_path, f"{command} --help", rows=rows, cols=cols, timeout=30)
    assert term.finish() == 0
    written = term.child.logfile_read.getvalue()
    lines = written[:written.index("EXIT=")].split("\r\n")
    assert all(len(line) <= cols for line in lines), [line for line in lines if len(line) > cols]
    # An example too long for the line goes on after a shell continuation (`\`).
    words = " ".join(word for word in " ".join(lines).split() if word != "\\")
    assert help_text(command) in words, lines


# -- 2. a stop by a rating says what the rating did -------------------------------------------


def test_stats_says_a_rise_stopped_it_and_a_stop_at_rating_reached_it(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [
        session("exhale", hours_ago(3), [("before", 2), ("mid", 6)], status="stopped",
                stop_reason="rising"),
        session("exhale", hours_ago(2), [("before", 4), ("mid", 9)], status="stopped",
                stop_reason="overwhelm"),
        session("ground", hours_ago(1), [("before", 3), ("mid", 7)], status="stopped",
                stop_reason="rising"),
    ])
    shown = words(cli("stats").stdout)
    assert ("exhale: 2 rated sessions so far — too few to say what it does for you yet; "
            "stopped once when it reached 9, at or above your stop-at, and once when it rose "
            "to 6.") in shown, shown
    assert "stopped once when it rose to 7." in shown, shown
    assert "at 6" not in shown and "at 7" not in shown, shown
    rows = {row["practice"]: row for row in json.loads(cli("stats", "--json").stdout)["practices"]}
    assert rows["exhale"]["stop_ratings"] == [6, 9]  # the public field, as it was
    assert rows["exhale"]["rising_stop_ratings"] == [6]


# -- 3. a day whose sessions are not all rated says so ----------------------------------------


def test_distress_by_day_says_how_many_sessions_were_rated_when_not_all(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [  # a before rating, then stopped by choice: nothing later
        session("exhale", hours_ago(1), [("before", 5)], status="stopped", stop_reason="user"),
    ])
    (day,) = json.loads(cli("stats", "--json").stdout)["days"]
    assert (day["sessions"], day["rated"], day["mean_before"]) == (1, 0, None)
    wide = Terminal(tmp_path, "stats", rows=40, cols=80, timeout=30)
    assert wide.finish() == 0
    lines = wide.screen.lines()
    header = next(line for line in lines if line.startswith("date"))
    assert header.split() == ["date", "before", "last", "rated", "check-ins"], lines
    row = next(line for line in lines if line.startswith(day["date"]))
    assert row.split() == [day["date"], "–", "–", "0", "of", "1"], lines
    narrow = Terminal(tmp_path, "stats", rows=40, cols=40, timeout=30)
    assert narrow.finish() == 0
    shown = words("\n".join(narrow.screen.lines()))
    assert f"{day['date']}: before –, last –, 0 of 1 session rated" in shown, shown


def test_distress_by_day_has_no_rated_column_when_every_session_is_rated(
    cli: CLI, tmp_path: Path
) -> None:
    bring_in(cli, tmp_path, [session("exhale", hours_ago(1), [("before", 5), ("after", 3)])])
    term = Terminal(tmp_path, "stats", rows=40, cols=80, timeout=30)
    assert term.finish() == 0
    header = next(line for line in term.screen.lines() if line.startswith("date"))
    assert header.split() == ["date", "before", "last", "check-ins"]
